//! `PATCH /api/v1/milestones/{id}` by the enterprise, in draft or returned, with `If-Match`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::acting;
use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Editors;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::MilestoneId;
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::milestones::content::{self, EditBody};
use crate::state::AppState;

/// Edits a draft or returned milestone.
pub async fn update(
    state: web::Data<AppState>,
    auth: As<Editors>,
    meta: RequestMeta,
    if_match: IfMatch,
    PathId(id): PathId<MilestoneId>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<HttpResponse, AppError> {
    let if_match = if_match.required()?;
    let who = acting(auth.0, meta, &state.clock);
    let row = state.db.write(move |c| content::edit(c, &who, &id, if_match, body)).await?;
    respond(StatusCode::OK, row)
}
