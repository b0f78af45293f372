//! Request extractors whose every failure is a problem+json [`AppError`] naming the parameter
//! or field that is wrong: [`ApiJson`] for bodies, [`ApiQuery`] for query strings, plus the
//! error handlers installed for actix's own `Path`/`Query`/`Json`/`Form` extractors.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};
use crate::idempotency::BodyDigest;

/// Largest JSON body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A JSON body deserialised strictly: malformed JSON is 400, a value of the wrong shape is 422
/// naming the field, an oversized body is 413. Once read, the body's [`BodyDigest`] is left in
/// the request's extensions (for `Idempotency-Key`).
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

/// Reads a JSON request body: checks the media type and the size limit.
fn read_json_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<web::BytesMut, AppError>> {
    let content_type_ok = is_json(req);
    let declared_len =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let payload = payload.take();
    let req = req.clone();
    Box::pin(async move {
        if !content_type_ok {
            return Err(AppError::new(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the request body must be application/json",
            ));
        }
        if declared_len.is_some_and(|n| n > MAX_BODY_BYTES) {
            return Err(too_large());
        }
        let body = read_limited(payload).await?;
        req.extensions_mut().insert(BodyDigest::of(&body));
        Ok(body)
    })
}

/// Reads a payload up to [`MAX_BODY_BYTES`] (413 beyond).
async fn read_limited(mut payload: Payload) -> Result<web::BytesMut, AppError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::bad_request("unreadable_body", None, format!("cannot read the body: {e}")))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn too_large() -> AppError {
    AppError::new(
        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the request body exceeds {MAX_BODY_BYTES} bytes"),
    )
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

/// Deserialises `bytes` as `T`, mapping failures to problem details that name the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            "malformed_json",
            None,
            "the request body is empty; a JSON object is expected",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.classify() != serde_json::error::Category::Data {
            return AppError::bad_request("malformed_json", None, format!("the body is not valid JSON: {inner}"));
        }
        let (field, message) = describe_serde_error(&path, &inner.to_string());
        AppError::validation(vec![FieldError { field, code: "invalid_value".into(), message }])
    })?;
    de.end().map_err(|e| {
        AppError::bad_request("malformed_json", None, format!("trailing characters after the JSON value: {e}"))
    })?;
    Ok(value)
}

/// Turns a serde message and the path where it arose into (field, message). serde reports
/// unknown and missing fields at the parent's path, naming the field in backticks.
fn describe_serde_error(path: &str, message: &str) -> (Option<String>, String) {
    let message = message.split(" at line ").next().unwrap_or(message).to_string();
    let parent = if path == "." { None } else { Some(path.to_string()) };
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
        .map(|name| match &parent {
            // serde_path_to_error already includes an unknown field in the path.
            Some(p) if p == name || p.ends_with(&format!(".{name}")) => p.clone(),
            Some(p) => format!("{p}.{name}"),
            None => name.to_string(),
        });
    let message = if message.starts_with("unknown field") {
        "is not a known field".to_string()
    } else if message.starts_with("missing field") {
        "is required".to_string()
    } else {
        message
    };
    (named.or(parent), message)
}

/// A query string deserialised strictly; any failure is 400 naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiQuery<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

/// Deserialises a query string as `T`; failures name the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let (field, message) = describe_serde_error(&path, &err.into_inner().to_string());
        let field = field.unwrap_or_else(|| "query".into());
        AppError::bad_request("invalid_parameter", Some(&field), format!("query parameter `{field}` {message}"))
    })
}

/// Installs problem+json error handlers for actix's built-in extractors.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|err, req| {
        let params: Vec<String> = req.match_info().iter().map(|(k, _)| k.to_string()).collect();
        let name = params.join(", ");
        AppError::bad_request("invalid_parameter", Some(&name), format!("path parameter `{name}` is malformed: {err}"))
            .into()
    }))
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::bad_request("invalid_parameter", None, format!("malformed query string: {err}")).into()
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
            other => AppError::bad_request("malformed_json", None, other.to_string()).into(),
        }
    }))
    .app_data(web::FormConfig::default().limit(MAX_BODY_BYTES).error_handler(|err, _| {
        AppError::bad_request("malformed_form", None, format!("malformed form body: {err}")).into()
    }));
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
            let body = read_limited(payload).await?;
            req.extensions_mut().insert(BodyDigest::of(&body));
            let text = std::str::from_utf8(&body)
                .map_err(|_| AppError::bad_request("malformed_form", None, "the form body is not UTF-8"))?;
            let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(text.as_bytes()));
            serde_path_to_error::deserialize(de).map(JsonOrForm).map_err(|err| {
                let path = err.path().to_string();
                let (field, message) = describe_serde_error(&path, &err.into_inner().to_string());
                AppError::validation(vec![FieldError { field, code: "invalid_value".into(), message }])
            })
        })
    }
}
