//! Query strings: [`ApiQuery`] and [`parse_query`].

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::message::describe_serde_error;
use super::text;
use crate::error::AppError;

/// Longest query string accepted, in bytes. actix itself refuses request heads over 128 KiB
/// with an empty 431; below that, an overlong query is answered here as problem+json.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

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

/// Deserialises a query string as `T`; failures name the parameter and never repeat its value.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(AppError::new(
            StatusCode::URI_TOO_LONG,
            "query_too_long",
            format!("the query string exceeds {MAX_QUERY_BYTES} bytes"),
        ));
    }
    let pairs = form_urlencoded::parse(query.as_bytes());
    if let Some((key, _)) = pairs.clone().find(|(k, v)| text::is_forbidden(k) || text::is_forbidden(v)) {
        let field = if text::is_forbidden(&key) { "query".to_string() } else { key.into_owned() };
        return Err(AppError::invalid_parameter("query", &field, text::CODE, text::MESSAGE));
    }
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let (field, message) = describe_serde_error(&path, &err.into_inner().to_string());
        let field = field.unwrap_or_else(|| "query".into());
        AppError::bad_request("invalid_parameter", Some(&field), format!("query parameter `{field}` {message}"))
    })
}
