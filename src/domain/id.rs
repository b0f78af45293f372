//! Resource ids: UUID strings, normalised to lower-case hyphenated form.

use crate::error::AppError;

/// Parses a path or body id; a malformed id is a 400 naming `param`.
pub fn parse_id(s: &str, param: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(s.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| AppError::bad_request("invalid_parameter", Some(param), format!("`{param}` must be a UUID")))
}
