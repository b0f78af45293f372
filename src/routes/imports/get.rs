//! `GET /api/v1/imports/{id}`: the report of an applied import.

use actix_web::{web, HttpResponse};

use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::domain::id::{ImportId, ResourceId};
use crate::error::AppError;
use crate::extract::PathId;
use crate::imports::report::Report;
use crate::queries::imports as q;
use crate::state::AppState;

/// One import's report.
pub async fn get(
    state: web::Data<AppState>,
    _auth: As<ProvinceOfficer>,
    PathId(id): PathId<ImportId>,
) -> Result<HttpResponse, AppError> {
    let row = state.db.run(move |c| Ok(q::find(c, id.as_str())?)).await?;
    let row = row.ok_or_else(|| AppError::not_found("import"))?;
    Ok(HttpResponse::Ok().json(Report::of_stored(row)?))
}
