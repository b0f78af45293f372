//! Request extractors whose every failure is a problem+json [`AppError`] naming the parameter
//! or field that is wrong — and never repeating the value sent: [`ApiJson`] for bodies,
//! [`ApiQuery`] for query strings, [`ApiPath`] for path parameters, plus the error handlers
//! installed for actix's own `Path`/`Query`/`Json`/`Form` extractors. All three refuse strings
//! holding NUL ([`text`]) so both backends answer alike.

mod body;
#[cfg(test)]
mod fuzz;
mod json;
pub mod message;
mod path;
mod query;
pub mod text;

use actix_web::web;

use crate::error::AppError;

pub use body::{read_limited, read_up_to, too_large, MAX_BODY_BYTES, MAX_BULK_BODY_BYTES};
pub use json::{parse_json, parse_value, ApiJson, BulkJson, JsonOrForm, OptionalJson};
pub use path::{ApiPath, PathId};
pub use query::{parse_query, ApiQuery, MAX_QUERY_BYTES};

/// Installs problem+json error handlers for actix's built-in extractors.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, req| path::malformed(req).into()))
        .app_data(web::QueryConfig::default().error_handler(|_, _| {
            AppError::bad_request("invalid_parameter", None, "the query string is malformed").into()
        }))
        .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES).error_handler(|err, _| {
            use actix_web::error::JsonPayloadError as J;
            match err {
                J::Overflow { .. } | J::OverflowKnownLength { .. } => too_large().into(),
                J::ContentType => AppError::new(
                    actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "the request body must be application/json",
                )
                .into(),
                _ => AppError::bad_request("malformed_json", None, "the body is not valid JSON").into(),
            }
        }))
        .app_data(
            web::FormConfig::default().limit(MAX_BODY_BYTES).error_handler(|_, _| {
                AppError::bad_request("malformed_form", None, "the form body is malformed").into()
            }),
        );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        value: u32,
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json::<Body>(br#"{"name": 5}"#).unwrap_err();
        assert_eq!(e.status().as_u16(), 422);
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("name"));
        let e = parse_json::<Body>(br#"{"name": "x", "bogus": 1}"#).unwrap_err();
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("bogus"));
        let e = parse_json::<Body>(br#"{"name": "x", "inner": {}}"#).unwrap_err();
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("inner.value"));
        let e = parse_json::<Body>(br#"{}"#).unwrap_err();
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("name"));
        let e = parse_json::<Body>(br#"{"name": "#).unwrap_err();
        assert_eq!((e.status().as_u16(), e.code()), (400, "malformed_json"));
        let e = parse_json::<Body>(br#"{"name": "x"} x"#).unwrap_err();
        assert_eq!(e.code(), "malformed_json");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        limit: Option<u32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let e = parse_query::<Q>("limit=abc").unwrap_err();
        assert_eq!((e.status().as_u16(), e.field_errors()[0].field.as_deref()), (400, Some("limit")));
        let e = parse_query::<Q>("lmit=3").unwrap_err();
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("lmit"));
        assert_eq!(parse_query::<Q>("limit=3").unwrap().limit, Some(3));
    }
}
