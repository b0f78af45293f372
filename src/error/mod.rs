//! The one error type of the service, rendered as RFC 9457 `application/problem+json`.
//!
//! Every failure — a handler's, an extractor's, the database's — becomes an [`AppError`] with an
//! HTTP status, a stable machine-readable `code`, a human `detail` and, for validation, the list
//! of fields that are wrong. Internal causes are logged with the request's span and never sent.

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};

mod database;
pub mod i18n;

/// Media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One wrong field (or query/path parameter) of a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name or path (`enterprise.uscc`, `targets[2].value`); `null` for the body as a whole.
    pub field: Option<String>,
    /// Stable code of the rule that failed (`required`, `too_long`, `invalid_format`, …).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl FieldError {
    /// A field error for `field`.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), code: code.into(), message: message.into() }
    }
}

/// The service's error: a problem-details response plus an optional internal cause for the log.
/// Boxed so that `Result<T, AppError>` stays one pointer wide. The request's access line
/// (`telemetry`) logs its code and field names, and for a 5xx its cause. Its `Debug` and
/// `Display` hold the status, code, detail, field names and cause — no header values and no
/// field messages.
pub struct AppError(Box<Problem>);

/// The content of an [`AppError`]; read it through the accessor methods.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    extra: Map<String, Value>,
    headers: Vec<(HeaderName, String)>,
    cause: Option<String>,
}

impl std::ops::Deref for AppError {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.0
    }
}

impl std::ops::DerefMut for AppError {
    fn deref_mut(&mut self) -> &mut Problem {
        &mut self.0
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)?;
        if let Some(c) = &self.cause {
            write!(f, " (cause: {c})")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<&str> = self.errors.iter().filter_map(|e| e.field.as_deref()).collect();
        f.debug_struct("AppError")
            .field("status", &self.status.as_u16())
            .field("code", &self.code)
            .field("detail", &self.detail)
            .field("fields", &fields)
            .field("cause", &self.cause)
            .finish()
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// A problem with this status, code and detail.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self(Box::new(Problem {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            extra: Map::new(),
            headers: Vec::new(),
            cause: None,
        }))
    }

    /// 404: the resource does not exist or is outside the caller's scope.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"))
    }

    /// 400 for a malformed request; `param` names the offending parameter.
    pub fn bad_request(code: &'static str, param: Option<&str>, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let mut e = Self::new(StatusCode::BAD_REQUEST, code, detail.clone());
        if let Some(p) = param {
            e.errors.push(FieldError::new(p, code, detail));
        }
        e
    }

    /// 400 `invalid_parameter` for a query or path parameter breaking the rule `rule`.
    pub fn invalid_parameter(kind: &str, param: &str, rule: &str, message: &str) -> Self {
        let mut e =
            Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", format!("{kind} parameter `{param}` {message}"));
        e.errors.push(FieldError::new(param, rule, message));
        e
    }

    /// 422: well-formed but invalid; one entry per wrong field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => match &one.field {
                Some(f) => format!("`{f}`: {}", one.message),
                None => one.message.clone(),
            },
            many => format!("{} fields are invalid", many.len()),
        };
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", detail);
        e.errors = errors;
        e
    }

    /// 422 for a single field.
    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, message)])
    }

    /// 401: missing, malformed or expired credentials.
    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail).with_header(header::WWW_AUTHENTICATE, "Bearer")
    }

    /// 403: authenticated, but the role may not do this.
    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, detail)
    }

    /// 409: state or uniqueness conflict.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    /// 503: the database (or another dependency) is unavailable; `cause` is logged only.
    pub fn unavailable(cause: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "the service is temporarily unavailable, please retry",
        )
        .with_header(header::RETRY_AFTER, "1");
        e.cause = Some(cause.into());
        e
    }

    /// 500: a bug or an unexpected failure; `cause` is logged only.
    pub fn internal(cause: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "an internal error occurred; it has been logged",
        );
        e.cause = Some(cause.into());
        e
    }

    /// Adds a member to the problem body (e.g. `state`, `existing`).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), value.into());
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The internal cause (5xx), for the log only.
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    /// The field errors (validation and bad requests).
    pub fn field_errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// The human `detail`, in English (`i18n` renders it in Chinese when asked).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The problem-details body.
    pub fn body(&self) -> Value {
        self.body_with(self.status.canonical_reason().unwrap_or("Error"), self.detail.clone(), self.errors.clone())
    }

    /// The problem-details body with `title`, `detail` and the field errors replaced (the same
    /// problem in another language).
    pub fn body_with(&self, title: &str, detail: String, errors: Vec<FieldError>) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), format!("urn:zj-registry:problem:{}", self.code).into());
        body.insert("title".into(), title.into());
        body.insert("status".into(), self.status.as_u16().into());
        body.insert("code".into(), self.code.into());
        body.insert("detail".into(), detail.into());
        if !errors.is_empty() {
            body.insert("errors".into(), serde_json::to_value(&errors).unwrap_or(Value::Null));
        }
        for (k, v) in &self.extra {
            body.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(body)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if self.status == StatusCode::REQUEST_TIMEOUT {
            // The rest of the body may still arrive: the connection cannot be reused.
            res.force_close();
        }
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                res.insert_header((name.clone(), v));
            }
        }
        res.body(self.body().to_string())
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        Self::unavailable(format!("connection pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(format!("blocking pool: {e}"))
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errs: validator::ValidationErrors) -> Self {
        Self::validation(validation_field_errors(&errs, ""))
    }
}

/// The field errors of a `#[derive(Validate)]` body, named under `prefix` (`details` →
/// `details.project_name`; lists as `evidence[2].url`; struct-level rules under `prefix` itself),
/// sorted by field: the one path from the `validator` crate to problem+json field errors.
pub fn validation_field_errors(errs: &validator::ValidationErrors, prefix: &str) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect_validation(errs, prefix, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect_validation(errs: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errs.errors() {
        // `__all__` holds a struct-level rule (`#[validate(schema(..))]`): it belongs to the
        // struct itself.
        let name = match (prefix, field.as_ref()) {
            (_, "__all__") => prefix.to_string(),
            ("", f) => f.to_string(),
            (p, f) => format!("{p}.{f}"),
        };
        match kind {
            K::Field(list) => out.extend(list.iter().map(|e| {
                let message = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| describe_rule(e));
                let field = (!name.is_empty()).then(|| name.clone());
                FieldError { field, code: e.code.to_string(), message }
            })),
            K::Struct(inner) => collect_validation(inner, &name, out),
            K::List(items) => {
                for (i, inner) in items {
                    collect_validation(inner, &format!("{name}[{i}]"), out);
                }
            }
        }
    }
}

fn describe_rule(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            _ => "has the wrong length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            _ => "is out of range".into(),
        },
        other => format!("fails the `{other}` rule"),
    }
}

impl AppError {
    /// Attaches an internal cause, logged (for 5xx) and never sent.
    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }
}

/// Result alias for handlers and services.
pub type AppResult<T> = Result<T, AppError>;
