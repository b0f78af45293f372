//! The root span of every request: method, route pattern, status, request id and, for errors,
//! the problem's code and detail — what `tracing-actix-web`'s default span holds minus the raw
//! request target (`http.target`, path and query string as sent), the user agent and the
//! forwarding headers.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

/// Builds request spans that carry the route pattern (`/api/v1/enterprises/{id}`, or
/// `unmatched`) instead of the request target.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "unmatched".into());
        let request_id = request.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default();
        // The TCP peer, as the audit trail records it: `X-Forwarded-For` is whatever the client wrote.
        let client_ip = request.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client_ip,
            request_id = %request_id,
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        // Records the status and the error's Display/Debug — `AppError`'s hold no submitted value.
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
