//! Optimistic concurrency: `ETag` carries a record's version; `If-Match` must name the current
//! version (412 otherwise) and is required where the spec says so (428 when absent).

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{FromRequest, HttpRequest};

use crate::error::AppError;

/// The `ETag` value for a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The parsed `If-Match` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    /// No header.
    Absent,
    /// `*`: any current version.
    Any,
    /// A specific version.
    Version(i32),
}

impl IfMatch {
    /// Fails with 428 when the header is absent.
    pub fn required(self) -> Result<Self, AppError> {
        if self == IfMatch::Absent {
            return Err(AppError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "if_match_required",
                "send If-Match with the ETag of the version you read",
            ));
        }
        Ok(self)
    }

    /// Fails with 412 when the header names another version than `current`.
    pub fn check(self, current: i32) -> Result<(), AppError> {
        match self {
            IfMatch::Version(v) if v != current => Err(stale(current)),
            _ => Ok(()),
        }
    }

    /// The version the caller expects, if it named one.
    pub fn version(self) -> Option<i32> {
        match self {
            IfMatch::Version(v) => Some(v),
            _ => None,
        }
    }
}

/// 412: the record changed since the caller read it.
pub fn stale(current: i32) -> AppError {
    AppError::new(
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
        "the record has changed since you read it; read it again",
    )
    .with("current_etag", etag(current))
}

fn parse(req: &HttpRequest) -> Result<IfMatch, AppError> {
    let Some(v) = req.headers().get(header::IF_MATCH) else {
        return Ok(IfMatch::Absent);
    };
    let bad = || AppError::bad_request("invalid_header", Some("If-Match"), "If-Match must be an ETag such as \"3\"");
    let s = v.to_str().map_err(|_| bad())?.trim();
    if s == "*" {
        return Ok(IfMatch::Any);
    }
    let s = s.strip_prefix("W/").unwrap_or(s);
    let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).ok_or_else(bad)?;
    inner.parse().map(IfMatch::Version).map_err(|_| bad())
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse(req))
    }
}
