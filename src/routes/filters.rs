//! Query-string filters shared by the lists and drill-downs: a region (`city`, `county`) checked
//! against the reference data, and the 400 that names the parameter in every case.

use crate::domain::DivisionCode;
use crate::error::AppError;
use crate::reference::Reference;

/// 400 `invalid_parameter` naming `name`; a domain message ("is not a city code …") gets the
/// name as its subject, a message that already names it (starting with `` ` ``) is kept.
pub fn bad_param(name: &'static str) -> impl Fn(String) -> AppError {
    move |m| {
        let detail = if m.starts_with('`') { m } else { format!("`{name}` {m}") };
        AppError::bad_request("invalid_parameter", Some(name), detail)
    }
}

/// A list's region filter, each code checked at its level.
#[derive(Debug, Clone, Default)]
pub struct Region {
    /// A city code (`3301xx` … `3311xx` level 2).
    pub city: Option<String>,
    /// A county code.
    pub county: Option<String>,
}

impl Region {
    /// Parses the `city` and `county` parameters (400 naming the wrong one).
    pub fn parse(city: Option<&str>, county: Option<&str>, r: &Reference) -> Result<Region, AppError> {
        let city = city.map(|c| DivisionCode::parse_city(c, r)).transpose().map_err(bad_param("city"))?;
        let county = county.map(|c| DivisionCode::parse_county(c, r)).transpose().map_err(bad_param("county"))?;
        Ok(Region { city: city.map(|c| c.as_str().to_string()), county: county.map(|c| c.as_str().to_string()) })
    }
}

/// A path's city code, checked against the reference (400 naming `param`).
pub fn city_code(raw: &str, param: &'static str, r: &Reference) -> Result<DivisionCode, AppError> {
    DivisionCode::parse_city(raw, r).map_err(bad_param(param))
}
