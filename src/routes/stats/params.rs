//! Parsing the statistics parameters (plan, indicator, year Y, as-of D, knowledge time T).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;

use crate::error::AppError;
use crate::stats::reports::report::ProgressQuery;

/// Query parameters of the progress endpoints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressParams {
    /// Plan code.
    pub plan: Option<String>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// Year (default: this year in Asia/Shanghai).
    pub year: Option<i32>,
    /// As-of date (default today in Asia/Shanghai; clamped to the year's end).
    pub as_of: Option<String>,
    /// Knowledge time, RFC 3339 (default now; a future time means now).
    pub known_at: Option<String>,
}

fn bad(name: &str, msg: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_parameter", Some(name), msg)
}

/// Parses Y, D and T (shared by the overview); the flag tells whether T is now.
pub fn year_as_of_known(
    year: Option<i32>,
    as_of: Option<&str>,
    known_at: Option<&str>,
) -> Result<(i32, NaiveDate, chrono::NaiveDateTime, bool), AppError> {
    let today = crate::clock::today_shanghai();
    let year = year.unwrap_or(today.year());
    if !crate::domain::year::is_plan_year(year) {
        return Err(bad("year", "`year` must be between 2000 and 2100"));
    }
    let as_of = match as_of {
        Some(s) => {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("as_of", "`as_of` must be a date YYYY-MM-DD"))?
        }
        None => today,
    };
    let now = crate::clock::now();
    let known_at = match known_at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc).naive_utc())
            .map_err(|_| bad("known_at", "`known_at` must be an RFC 3339 time, e.g. 2023-07-01T00:00:00Z"))?,
        None => now,
    };
    // A knowledge time not in the past is "now": everything recorded so far is known.
    let current = known_at >= now;
    Ok((year, as_of, known_at.min(now), current))
}

impl ProgressParams {
    /// Validates the parameters into a query.
    pub fn into_query(self) -> Result<ProgressQuery, AppError> {
        let plan = self.plan.filter(|s| !s.is_empty()).ok_or_else(|| bad("plan", "`plan` is required"))?;
        let indicator =
            self.indicator.filter(|s| !s.is_empty()).ok_or_else(|| bad("indicator", "`indicator` is required"))?;
        let (year, as_of, known_at, current) =
            year_as_of_known(self.year, self.as_of.as_deref(), self.known_at.as_deref())?;
        Ok(ProgressQuery { plan, indicator, year, as_of, known_at, current })
    }
}
