//! `GET /api/v1/calendar?year=Y`: a year's calendar entries (anyone, no login).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::domain::year::{is_plan_year, MAX_YEAR, MIN_YEAR};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    year: i32,
}

/// Lists the weekday holidays and make-up workdays of `year` (required, 2000–2100) in date
/// order, with `calendar_published` false when the year has none.
pub async fn list(state: web::Data<AppState>, ApiQuery(p): ApiQuery<Params>) -> Result<HttpResponse, AppError> {
    if !is_plan_year(p.year) {
        return Err(AppError::bad_request(
            "invalid_parameter",
            Some("year"),
            format!("`year` must be between {MIN_YEAR} and {MAX_YEAR}"),
        ));
    }
    let view = state.db.run(move |c| crate::calendar::year(c, p.year)).await?;
    Ok(HttpResponse::Ok().json(view))
}
