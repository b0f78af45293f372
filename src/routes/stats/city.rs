//! `GET /api/v1/stats/progress/{city_code}`: one city and its counties (no rank).

use actix_web::{web, HttpResponse};

use super::params::ProgressParams;
use super::run;
use super::view::CityTable;
use crate::auth::principal::roles::RegionOfficials;
use crate::auth::{As, Principal};
use crate::error::AppError;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::filters;
use crate::state::AppState;

/// The city a path names, and its Chinese name, if the caller may read it: a city reviewer
/// reads only its own city (404 for others).
pub fn city_in_scope(state: &AppState, p: &Principal, path: &str) -> Result<(String, String), AppError> {
    let code = filters::city_code(path, "city_code", &state.reference)?;
    if !p.scope().sees_city(code.as_str()) {
        return Err(AppError::not_found("city statistics"));
    }
    let city = code.as_str().to_string();
    let name = state.reference.division(&city).map(|d| d.name_zh.clone()).unwrap_or_default();
    Ok((city, name))
}

/// A city's drill-down; a city reviewer reads only its own city (404 for others).
pub async fn city(
    state: web::Data<AppState>,
    auth: As<RegionOfficials>,
    path: ApiPath<String>,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> Result<HttpResponse, AppError> {
    let (city, name) = city_in_scope(&state, &auth.0, &path)?;
    let q = p.into_query()?;
    let r = run::report(&state, q, Some(city.clone())).await?;
    Ok(HttpResponse::Ok().json(CityTable::new(&r, &city, &name)))
}
