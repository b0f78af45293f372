//! `GET /api/v1/enterprises/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::auth::principal::roles::Readers;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::enterprises;
use crate::error::AppError;
use crate::extract::PathId;
use crate::state::AppState;

/// One enterprise, if the caller's scope covers it (404 otherwise).
pub async fn get(
    state: web::Data<AppState>,
    auth: As<Readers>,
    PathId(id): PathId<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let viewer = p.clone();
    let row = state.db.run(move |c| enterprises::load_visible(c, &p, &id)).await?;
    Ok(respond(StatusCode::OK, row, &viewer))
}
