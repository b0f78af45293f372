//! `GET /api/v1/indicators/{plan}/{code}/targets?year=Y`: the city targets of an indicator for a
//! year (city reviewers and the province).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{check_year, view};
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::{ApiPath, ApiQuery};
use crate::queries::targets as q;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    year: i32,
}

/// Reads the city targets of `{plan}/{code}` for `year` (required, 2000–2100); 404 for an
/// unknown plan or indicator.
pub async fn get(
    state: web::Data<AppState>,
    _auth: As<Officials>,
    path: ApiPath<(String, String)>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let (plan, code) = path.into_inner();
    let year = check_year(p.year)?;
    let body = state
        .db
        .run(move |c| {
            if !q::indicator_exists(c, &plan, &code)? {
                return Err(AppError::not_found("indicator"));
            }
            view::load(c, &plan, &code, year)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
