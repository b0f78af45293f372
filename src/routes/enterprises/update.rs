//! `PATCH /api/v1/enterprises/{id}` with `If-Match`, by the enterprise itself or a reviewer in
//! scope. The USCC is not editable; moving county is allowed and audited.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::EnterpriseId;
use crate::enterprises::profile::{self, ProfileChanges};
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::state::AppState;

/// Changes an enterprise's profile.
pub async fn update(
    state: web::Data<AppState>,
    auth: As<Business>,
    meta: RequestMeta,
    if_match: IfMatch,
    PathId(id): PathId<EnterpriseId>,
    ApiJson(b): ApiJson<ProfileChanges>,
) -> Result<HttpResponse, AppError> {
    let if_match = if_match.required()?;
    let p = auth.0;
    let viewer = p.clone();
    let reference = state.reference.clone();
    let row = state.db.write(move |c| profile::update(c, &p, &meta, &reference, &id, if_match, b)).await?;
    Ok(respond(StatusCode::OK, row, &viewer))
}
