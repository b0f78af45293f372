//! Validation of milestone content (type, level, date, title, details, evidence) into the
//! values stored, with every wrong field reported at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{validation_field_errors, FieldError};
use validator::{Validate, ValidationError};

/// Details of a milestone: project, platform, provider, investment, document number. Lengths and
/// the range are declared here (`validator`); [`check_details`] reports them under `details.`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Validate)]
#[serde(deny_unknown_fields)]
pub struct Details {
    /// Project name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(
        length(max = 200, code = "too_long", message = "must be at most 200 characters"),
        custom(function = "printable")
    )]
    pub project_name: Option<String>,
    /// Platform name (工业互联网平台, cloud platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(
        length(max = 200, code = "too_long", message = "must be at most 200 characters"),
        custom(function = "printable")
    )]
    pub platform_name: Option<String>,
    /// Service provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(
        length(max = 200, code = "too_long", message = "must be at most 200 characters"),
        custom(function = "printable")
    )]
    pub provider: Option<String>,
    /// Investment in CNY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0.0, max = 1e13, code = "out_of_range", message = "must be between 0 and 10^13 CNY"))]
    pub investment_cny: Option<f64>,
    /// Recognition document number (文号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(
        length(max = 100, code = "too_long", message = "must be at most 100 characters"),
        custom(function = "printable")
    )]
    pub document_number: Option<String>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(
        length(max = 2000, code = "too_long", message = "must be at most 2000 characters"),
        custom(function = "printable")
    )]
    pub note: Option<String>,
}

/// 422 `invalid_character` for control characters other than line breaks and tabs (they only
/// garble the views).
fn printable(v: &str) -> Result<(), ValidationError> {
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(
            ValidationError::new("invalid_character").with_message("must not contain control characters".into())
        );
    }
    Ok(())
}

/// One piece of evidence: a URL or a file name, optionally with the file's SHA-256. Each field's
/// rule is declared here (`validator`), as is "exactly one of `url` and `file_name`" (reported
/// under the entry itself, `evidence[i]`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Validate)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "url_or_file", skip_on_field_errors = false))]
pub struct Evidence {
    /// http(s) link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "http_url"))]
    pub url: Option<String>,
    /// File reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "file_name_rule"))]
    pub file_name: Option<String>,
    /// Hex SHA-256 of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "sha256_hex"))]
    pub sha256: Option<String>,
}

fn url_or_file(e: &Evidence) -> Result<(), ValidationError> {
    match (&e.url, &e.file_name) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        _ => Err(rule("url_or_file", "give exactly one of `url` and `file_name`")),
    }
}

fn http_url(u: &str) -> Result<(), ValidationError> {
    let ok = (u.starts_with("https://") || u.starts_with("http://")) && text_ok(u, 2000) && !u.contains(' ');
    ok.then_some(()).ok_or_else(|| rule("invalid_url", "must be an http(s) URL of at most 2000 characters"))
}

fn file_name_rule(f: &str) -> Result<(), ValidationError> {
    let ok = !f.trim().is_empty() && text_ok(f, 255) && !f.contains(['/', '\\', '\n']);
    ok.then_some(()).ok_or_else(|| rule("invalid_file_name", "must be a file name of 1 to 255 characters"))
}

fn sha256_hex(h: &str) -> Result<(), ValidationError> {
    let ok = h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(()).ok_or_else(|| rule("invalid_sha256", "must be 64 hexadecimal characters"))
}

/// A record's title: 1–200 characters on one line after trimming (`validator`).
#[derive(Debug, Validate)]
struct Title<'a> {
    #[validate(custom(function = "one_line_title"))]
    title: &'a str,
}

fn one_line_title(t: &str) -> Result<(), ValidationError> {
    let ok = !t.is_empty() && text_ok(t, 200) && !t.contains('\n');
    ok.then_some(()).ok_or_else(|| rule("invalid_title", "must be 1 to 200 characters on one line"))
}

fn rule(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// Largest number of evidence entries.
pub const MAX_EVIDENCE: usize = 20;

fn text_ok(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Parses a `YYYY-MM-DD` date that is not in the future and not absurdly old.
pub fn parse_effective_on(s: &str, today: NaiveDate, field: &str) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "invalid_date", "must be a real date written YYYY-MM-DD"))?;
    if d > today {
        return Err(FieldError::new(field, "in_future", "must not be in the future"));
    }
    if d < NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or(d) {
        return Err(FieldError::new(field, "too_old", "must be 1980-01-01 or later"));
    }
    Ok(d)
}

/// Checks a title: 1–200 characters after trimming, no control characters.
pub fn check_title(title: &str, errors: &mut Vec<FieldError>) -> String {
    let t = title.trim().to_string();
    if let Err(e) = (Title { title: &t }).validate() {
        errors.extend(validation_field_errors(&e, ""));
    }
    t
}

/// Checks details (their declared rules, reported under `details.`) and returns their stored
/// JSON (None when empty).
pub fn check_details(d: Option<Details>, errors: &mut Vec<FieldError>) -> Option<String> {
    let d = d?;
    if let Err(e) = d.validate() {
        errors.extend(validation_field_errors(&e, "details"));
    }
    if d == Details::default() {
        return None;
    }
    serde_json::to_string(&d).ok()
}

/// Checks evidence references and returns their stored JSON (None when empty).
pub fn check_evidence(ev: Option<Vec<Evidence>>, errors: &mut Vec<FieldError>) -> Option<String> {
    let ev = ev?;
    if ev.len() > MAX_EVIDENCE {
        errors.push(FieldError::new("evidence", "too_many", format!("at most {MAX_EVIDENCE} entries")));
        return None;
    }
    for (i, e) in ev.iter().enumerate() {
        if let Err(v) = e.validate() {
            errors.extend(validation_field_errors(&v, &format!("evidence[{i}]")));
        }
    }
    if ev.is_empty() {
        return None;
    }
    serde_json::to_string(&ev).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_rules_are_reported_under_details() {
        let d = Details {
            project_name: Some("项".repeat(201)),
            provider: Some("a\u{7}b".into()),
            investment_cny: Some(-1.0),
            note: Some("two\nlines\tand a tab".into()),
            ..Default::default()
        };
        let mut errors = Vec::new();
        assert!(check_details(Some(d), &mut errors).is_some());
        let got: Vec<(String, String)> = errors.iter().map(|e| (e.field.clone().unwrap(), e.code.clone())).collect();
        let want = [
            ("details.investment_cny", "out_of_range"),
            ("details.project_name", "too_long"),
            ("details.provider", "invalid_character"),
        ];
        assert_eq!(got, want.map(|(f, c)| (f.to_string(), c.to_string())));
        let mut none = Vec::new();
        assert_eq!(check_details(Some(Details::default()), &mut none), None);
        assert!(none.is_empty());
    }

    #[test]
    fn dates_and_evidence() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert!(parse_effective_on("2026-11-22", today, "effective_on").is_ok());
        assert_eq!(parse_effective_on("2026-11-23", today, "effective_on").unwrap_err().code, "in_future");
        assert_eq!(parse_effective_on("2023-02-30", today, "effective_on").unwrap_err().code, "invalid_date");
        let mut errors = Vec::new();
        let ev = vec![
            Evidence { url: Some("https://example.org/a.pdf".into()), file_name: None, sha256: None },
            Evidence { url: None, file_name: None, sha256: Some("zz".into()) },
        ];
        check_evidence(Some(ev), &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["evidence[1]", "evidence[1].sha256"]);
    }
}
