//! `GET /api/v1/calendar/workdays?from=D&add=N`: the N-th working day after D (anyone, no login).

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date_param;
use crate::domain::calendar::MAX_ADD;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    from: String,
    add: i64,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct Workdays {
    /// The start date (not counted).
    pub from: NaiveDate,
    /// How many working days were counted.
    pub add: u32,
    /// The `add`-th working day after `from` (`from` itself for 0).
    pub date: NaiveDate,
    /// False when a year the count passed through has no calendar entry (Monday–Friday assumed).
    pub calendar_published: bool,
}

/// Counts `add` (0–250) working days after `from` (`YYYY-MM-DD`, 2000–2100); 400 naming the
/// parameter otherwise.
pub async fn workdays(state: web::Data<AppState>, ApiQuery(p): ApiQuery<Params>) -> Result<HttpResponse, AppError> {
    let from = date_param(&p.from, "from")?;
    let add = u32::try_from(p.add).ok().filter(|n| *n <= MAX_ADD).ok_or_else(|| {
        AppError::bad_request("invalid_parameter", Some("add"), format!("`add` must be an integer from 0 to {MAX_ADD}"))
    })?;
    let (date, published) = state.db.run(move |c| crate::calendar::workdays_after(c, from, add)).await?;
    Ok(HttpResponse::Ok().json(Workdays { from, add, date, calendar_published: published }))
}
