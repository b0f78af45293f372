//! `POST /api/v1/enterprises/{id}/verify` by a reviewer of the enterprise's city.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::CityReviewer;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::enterprises::profile;
use crate::error::AppError;
use crate::extract::PathId;
use crate::state::AppState;

/// Verifies a self-registered enterprise; from then on it may submit milestones.
pub async fn verify(
    state: web::Data<AppState>,
    auth: As<CityReviewer>,
    meta: RequestMeta,
    PathId(id): PathId<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let viewer = p.clone();
    let row = state.db.write(move |c| profile::verify(c, &p, &meta, &id)).await?;
    Ok(respond(StatusCode::OK, row, &viewer))
}
