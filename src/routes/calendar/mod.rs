//! `/api/v1/calendar`: the working-day calendar (§3.7). Reading a year and counting working days
//! are public (the schedule is the State Council's public notice, and 公示 end dates derive from
//! it); creating, replacing and deleting entries is the province's, audited.

pub mod delete;
pub mod list;
pub mod put;
pub mod workdays;

use chrono::NaiveDate;

use crate::domain::calendar::parse_date;
use crate::error::AppError;
use crate::routes::filters::bad_param;

/// Parses a date parameter (`YYYY-MM-DD`, 2000–2100); 400 `invalid_parameter` naming `param`.
pub fn date_param(raw: &str, param: &'static str) -> Result<NaiveDate, AppError> {
    parse_date(raw).map_err(bad_param(param))
}
