//! JSON (and form) bodies: [`ApiJson`], [`OptionalJson`], [`JsonOrForm`] and [`parse_json`].

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::body::{read_json_body, read_json_body_up_to, read_limited, MAX_BULK_BODY_BYTES};
use super::message::describe_serde_error;
use super::text;
use crate::error::{AppError, FieldError};
use crate::idempotency::BodyDigest;

/// A JSON body deserialised strictly: malformed JSON is 400, a value of the wrong shape or a
/// string holding NUL is 422 naming the field, an oversized body is 413, a body not received in
/// time 408. Once read, the body's [`BodyDigest`] is left in the request's extensions (for
/// `Idempotency-Key`).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json_body(req, payload);
        Box::pin(async move { parse_json(&body.await?).map(ApiJson) })
    }
}

/// [`ApiJson`] for bulk requests: the same rules, up to [`MAX_BULK_BODY_BYTES`].
#[derive(Debug)]
pub struct BulkJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for BulkJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json_body_up_to(req, payload, MAX_BULK_BODY_BYTES);
        Box::pin(async move { parse_json(&body.await?).map(BulkJson) })
    }
}

/// Deserialises a JSON value already parsed (an item of a bulk request) as `T`, with the field
/// errors [`parse_json`] would give for the same value sent alone.
pub fn parse_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let (field, message) = describe_serde_error(&path, &err.into_inner().to_string());
        AppError::validation(vec![FieldError { field, code: "invalid_value".into(), message }])
    })
}

/// A JSON body that may be omitted: an empty body yields `T::default()` (transition requests
/// whose comment is optional).
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json_body(req, payload);
        Box::pin(async move {
            let body = body.await?;
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            parse_json(&body).map(OptionalJson)
        })
    }
}

/// Deserialises `bytes` as `T`, mapping failures to problem details that name the field and
/// never repeat the value sent.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            "malformed_json",
            None,
            "the request body is empty; a JSON object is expected",
        ));
    }
    if text::json_may_hold_forbidden(bytes) {
        reject_forbidden(bytes)?;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.classify() != serde_json::error::Category::Data {
            return malformed(&inner);
        }
        let (field, message) = describe_serde_error(&path, &inner.to_string());
        AppError::validation(vec![FieldError { field, code: "invalid_value".into(), message }])
    })?;
    de.end().map_err(|_| AppError::bad_request("malformed_json", None, "the body holds more than one JSON value"))?;
    Ok(value)
}

/// 400 for JSON that does not parse. serde_json's syntax messages name a position and a fixed
/// reason, never a value.
fn malformed(e: &serde_json::Error) -> AppError {
    AppError::bad_request("malformed_json", None, format!("the body is not valid JSON: {e}"))
}

/// 422 naming the first field whose value (or name) holds a forbidden character.
fn reject_forbidden(bytes: &[u8]) -> Result<(), AppError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
    match text::find_forbidden(&value) {
        None => Ok(()),
        Some((field, in_name)) => {
            let message = if in_name { text::NAME_MESSAGE } else { text::MESSAGE };
            Err(AppError::validation(vec![FieldError { field, code: text::CODE.into(), message: message.into() }]))
        }
    }
}

/// A body accepted as JSON or as `application/x-www-form-urlencoded` (OAuth token requests).
#[derive(Debug)]
pub struct JsonOrForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonOrForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            let fut = ApiJson::<T>::from_request(req, payload);
            return Box::pin(async move { fut.await.map(|ApiJson(v)| JsonOrForm(v)) });
        }
        let payload = payload.take();
        let req = req.clone();
        Box::pin(async move {
            let body = read_limited(&req, payload).await?;
            req.extensions_mut().insert(BodyDigest::of(&body));
            let text = std::str::from_utf8(&body)
                .map_err(|_| AppError::bad_request("malformed_form", None, "the form body is not UTF-8"))?;
            parse_form(text).map(JsonOrForm)
        })
    }
}

/// Deserialises a form body; failures are 422 naming the field.
fn parse_form<T: DeserializeOwned>(text: &str) -> Result<T, AppError> {
    let pairs = form_urlencoded::parse(text.as_bytes());
    if let Some((key, _)) = pairs.clone().find(|(k, v)| text::is_forbidden(k) || text::is_forbidden(v)) {
        let (field, message) =
            if text::is_forbidden(&key) { (None, text::NAME_MESSAGE) } else { (Some(key.into_owned()), text::MESSAGE) };
        return Err(AppError::validation(vec![FieldError { field, code: text::CODE.into(), message: message.into() }]));
    }
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let (field, message) = describe_serde_error(&path, &err.into_inner().to_string());
        AppError::validation(vec![FieldError { field, code: "invalid_value".into(), message }])
    })
}
