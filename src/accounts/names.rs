//! Names people type for accounts and machine clients — an account's display name and an API
//! client's name — declared once with `validator` and reported as problem+json field errors.

use validator::{Validate, ValidationError};

use crate::error::{validation_field_errors, AppError, FieldError};

#[derive(Debug, Validate)]
struct DisplayName<'a> {
    #[validate(custom(function = "display_name_rule"))]
    display_name: &'a str,
}

#[derive(Debug, Validate)]
struct ClientName<'a> {
    #[validate(custom(function = "client_name_rule"))]
    name: &'a str,
}

fn printable_up_to(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

fn display_name_rule(s: &str) -> Result<(), ValidationError> {
    printable_up_to(s, 100).then_some(()).ok_or_else(|| {
        ValidationError::new("invalid_value").with_message("must be at most 100 printable characters".into())
    })
}

fn client_name_rule(s: &str) -> Result<(), ValidationError> {
    (!s.is_empty() && printable_up_to(s, 100)).then_some(()).ok_or_else(|| {
        ValidationError::new("invalid_value").with_message("must be 1 to 100 printable characters".into())
    })
}

/// An account's display name, trimmed: at most 100 printable characters; empty means none.
pub fn display_name(raw: &str) -> Result<Option<String>, Vec<FieldError>> {
    let name = raw.trim();
    (DisplayName { display_name: name }).validate().map_err(|e| validation_field_errors(&e, ""))?;
    Ok((!name.is_empty()).then(|| name.to_string()))
}

/// An API client's name, trimmed: 1 to 100 printable characters (422 naming `name`).
pub fn client_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    (ClientName { name }).validate()?;
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_their_rules() {
        assert_eq!(display_name("  王 科长 ").unwrap().as_deref(), Some("王 科长"));
        assert_eq!(display_name("   ").unwrap(), None);
        let e = display_name(&"名".repeat(101)).unwrap_err();
        assert_eq!((e[0].field.as_deref(), e[0].code.as_str()), (Some("display_name"), "invalid_value"));
        assert_eq!(client_name(" ERP ").unwrap(), "ERP");
        let e = client_name("a\u{7}").unwrap_err();
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("name"));
        assert!(client_name(" ").is_err());
    }
}
