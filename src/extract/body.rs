//! Reading a request body: media type, size limit (413) and read deadline (408).

use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

use crate::error::AppError;
use crate::idempotency::BodyDigest;
use crate::state::AppState;

/// Largest JSON body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Read deadline when the application state is not reachable (never in the service itself).
const FALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest body of a bulk request (`POST /bulk/milestones`: up to 1,000 items), in bytes.
pub const MAX_BULK_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Reads a JSON request body: checks the media type, the size limit and the read deadline.
pub fn read_json_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<web::BytesMut, AppError>> {
    read_json_body_up_to(req, payload, MAX_BODY_BYTES)
}

/// [`read_json_body`] with a limit of `max` bytes.
pub fn read_json_body_up_to(
    req: &HttpRequest,
    payload: &mut Payload,
    max: usize,
) -> LocalBoxFuture<'static, Result<web::BytesMut, AppError>> {
    let content_type_ok = is_json(req);
    let declared_len =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let payload = payload.take();
    let req = req.clone();
    Box::pin(async move {
        if !content_type_ok {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the request body must be application/json",
            ));
        }
        if declared_len.is_some_and(|n| n > max) {
            return Err(too_large_over(max));
        }
        let body = read_up_to(&req, payload, max, move || too_large_over(max)).await?;
        req.extensions_mut().insert(BodyDigest::of(&body));
        Ok(body)
    })
}

/// Reads a payload up to [`MAX_BODY_BYTES`] (413 beyond) within the configured read timeout
/// (408 after it: a client that declares a length and stops sending would otherwise hold the
/// connection and a worker's attention for ever).
pub async fn read_limited(req: &HttpRequest, payload: Payload) -> Result<web::BytesMut, AppError> {
    read_up_to(req, payload, MAX_BODY_BYTES, too_large).await
}

/// Reads a payload up to `limit` bytes (`too_large` beyond) within the configured read timeout
/// (408 after it). A body that declares a larger `Content-Length` is refused before it is read.
pub async fn read_up_to(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
    too_large: impl Fn() -> AppError,
) -> Result<web::BytesMut, AppError> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let timeout = req.app_data::<web::Data<AppState>>().map_or(FALLBACK_TIMEOUT, |s| s.settings.body_read_timeout);
    let deadline = tokio::time::Instant::now() + timeout;
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
    loop {
        let next = tokio::time::timeout_at(deadline, payload.next()).await.map_err(|_| timed_out(timeout))?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|_| AppError::bad_request("unreadable_body", None, "the body could not be read"))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn timed_out(timeout: Duration) -> AppError {
    AppError::new(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        format!("the request body was not received within {} ms", timeout.as_millis()),
    )
}

/// 413 for a body over [`MAX_BODY_BYTES`].
pub fn too_large() -> AppError {
    too_large_over(MAX_BODY_BYTES)
}

/// 413 for a body over `max` bytes.
fn too_large_over(max: usize) -> AppError {
    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("the request body exceeds {max} bytes"))
}

fn is_json(req: &HttpRequest) -> bool {
    match req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(ct) => {
            let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        }
    }
}
