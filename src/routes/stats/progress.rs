//! `GET /api/v1/stats/progress?plan=&indicator=&year=&as_of=&known_at=`: the province and its
//! 11 cities, ranked.

use actix_web::{web, HttpResponse};

use super::params::ProgressParams;
use super::run;
use super::view::ProvinceTable;
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The province-wide progress table.
pub async fn progress(
    state: web::Data<AppState>,
    _auth: As<Officials>,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> Result<HttpResponse, AppError> {
    let q = p.into_query()?;
    let r = run::report(&state, q, None).await?;
    Ok(HttpResponse::Ok().json(ProvinceTable::from(&r)))
}
