//! Path parameters: [`ApiPath`], actix's `Path` with forbidden characters refused first, and
//! [`PathId`], the route's `{id}` as a typed resource id.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::text;
use crate::domain::id::ResourceId;
use crate::error::AppError;

/// Path parameters deserialised as `T`; a parameter holding NUL (`%00`) or failing to
/// deserialise is 400 `invalid_parameter` naming it.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T> ApiPath<T> {
    /// The parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ApiPath<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiPath<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(extract(req))
    }
}

/// The route's `{id}` parsed as the resource id `T`; a malformed one is 400 `invalid_parameter`
/// naming `id`.
#[derive(Debug)]
pub struct PathId<T>(pub T);

impl<T> PathId<T> {
    /// The id.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: ResourceId + 'static> FromRequest for PathId<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(extract::<String>(req).and_then(|raw| T::parse(&raw.0, "id").map(PathId)))
    }
}

fn extract<T: DeserializeOwned>(req: &HttpRequest) -> Result<ApiPath<T>, AppError> {
    // actix keeps some escapes (`%2F`, `%25`) in the matched segment and decodes them while
    // deserialising, so look at both forms.
    let bad = req.match_info().iter().find(|(_, v)| text::is_forbidden(v) || v.to_ascii_lowercase().contains("%00"));
    if let Some((name, _)) = bad {
        return Err(AppError::invalid_parameter("path", name, text::CODE, text::MESSAGE));
    }
    match web::Path::<T>::extract(req).into_inner() {
        Ok(path) => Ok(ApiPath(path.into_inner())),
        Err(_) => Err(malformed(req)),
    }
}

/// 400 naming the path parameters (actix does not say which one failed).
pub fn malformed(req: &HttpRequest) -> AppError {
    let params: Vec<String> = req.match_info().iter().map(|(k, _)| k.to_string()).collect();
    let name = params.join(", ");
    AppError::bad_request("invalid_parameter", Some(&name), format!("path parameter `{name}` is malformed"))
}
