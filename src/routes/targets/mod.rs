//! `/api/v1/indicators/{plan}/{code}/targets`: the per-city targets the province sets for an
//! indicator and year (§3.5), read by officials and replaced as a whole by the province.
//!
//! Targets may be set for any indicator of a plan, including one no milestone type feeds
//! (*not tracked*): the province may still want to hand a plan figure down to the cities.

pub mod get;
pub mod replace;
pub mod view;

use crate::error::AppError;

pub use crate::domain::year::{MAX_YEAR, MIN_YEAR};

/// Checks a target year (400 naming `year` when outside [`MIN_YEAR`]..=[`MAX_YEAR`]).
pub fn check_year(year: i32) -> Result<i32, AppError> {
    if crate::domain::year::is_plan_year(year) {
        Ok(year)
    } else {
        Err(AppError::bad_request(
            "invalid_parameter",
            Some("year"),
            format!("`year` must be between {MIN_YEAR} and {MAX_YEAR}"),
        ))
    }
}

/// Parses the `{year}` path segment (400 naming `year` when it is not a year in range).
pub fn parse_year(s: &str) -> Result<i32, AppError> {
    let year = s
        .parse::<i32>()
        .ok()
        .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| AppError::bad_request("invalid_parameter", Some("year"), "`year` is not a year"))?;
    check_year(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_checked() {
        assert_eq!(parse_year("2023").unwrap(), 2023);
        assert_eq!(parse_year("2000").unwrap(), 2000);
        assert_eq!(parse_year("2100").unwrap(), 2100);
        for bad in ["1999", "2101", "x", "+2023", "-1", "", "20230"] {
            let e = parse_year(bad).unwrap_err();
            assert_eq!((e.status().as_u16(), e.field_errors()[0].field.as_deref()), (400, Some("year")), "{bad}");
        }
    }
}
