//! The root span of every request and its access line.
//!
//! The span holds the method, the route pattern (`/api/v1/enterprises/{id}`, or `unmatched`;
//! never the path or query string as sent) and the request id, so every event logged while the
//! request runs carries them. When the response is ready one access line is logged in it
//! ([`access`]): status, duration, principal id and, for an error, its code and the names of the
//! wrong fields. Headers, bodies, field values and the user agent are never logged.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use crate::error::AppError;

/// Builds request spans that carry the route pattern instead of the request target.
pub struct RequestSpan;

/// When the request started (in the request's extensions).
struct Started(Instant);

/// The authenticated principal's id (in the request's extensions, set by the auth extractors).
#[derive(Debug, Clone)]
pub struct PrincipalId(pub String);

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        // The fields are written inside the macro, which evaluates them only when the span is
        // enabled: before routing, the route pattern costs a second walk of every route's regex.
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = %request.match_pattern().unwrap_or_else(|| "unmatched".into()),
            // The TCP peer, as the audit trail records it: `X-Forwarded-For` is whatever the client wrote.
            client_ip = %request.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
            request_id = %request.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default(),
        )
    }

    fn on_request_end<B: MessageBody>(_span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        match outcome {
            Ok(res) => {
                let ext = res.request().extensions();
                let started = ext.get::<Started>().map(|s| s.0);
                let principal = ext.get::<PrincipalId>().map(|p| p.0.clone());
                drop(ext);
                access(res.status().as_u16(), started, principal.as_deref(), res.response().error());
            }
            // A middleware failed before a response existed: no request to read.
            Err(e) => access(e.as_response_error().status_code().as_u16(), None, None, Some(e)),
        }
    }
}

/// Logs the access line of a finished request (inside its span): INFO, or ERROR with the cause
/// for a 5xx. An error is described by its code and the names of the wrong fields only.
fn access(status: u16, started: Option<Instant>, principal: Option<&str>, error: Option<&Error>) {
    let duration_ms = started.map_or(0.0, |s| (s.elapsed().as_micros() as f64) / 1000.0);
    let principal = principal.unwrap_or("-");
    let problem = error.and_then(|e| e.as_error::<AppError>());
    let code = problem.map_or("-", AppError::code);
    let fields =
        problem.map(|p| p.field_errors().iter().filter_map(|f| f.field.as_deref()).collect::<Vec<_>>().join(","));
    let fields = fields.as_deref().unwrap_or("");
    if status >= 500 {
        // An error that is not an `AppError` (actix's own) is described by its Display.
        let cause = match problem {
            Some(p) => p.cause().unwrap_or("").to_string(),
            None => error.map(ToString::to_string).unwrap_or_default(),
        };
        tracing::error!(status, duration_ms, principal, code, cause = %cause, "request failed");
    } else if status >= 400 {
        tracing::info!(status, duration_ms, principal, code, fields, "request refused");
    } else {
        tracing::info!(status, duration_ms, principal, "request");
    }
}
