//! The console's three handlers: the redirect to `/console/`, the page, and the assets.

use actix_web::http::header::{self, CacheDirective};
use actix_web::{web, HttpResponse};

use super::Assets;
use crate::error::AppError;

/// `GET /console` → 308 to `/console/`, so that the page's relative links resolve.
pub async fn redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/console/")).finish()
}

/// `GET /console/`: `index.html`, revalidated on every load so that a new release's assets are
/// picked up at once.
pub async fn index(assets: web::Data<Assets>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(header::CacheControl(vec![CacheDirective::NoCache]))
        .body(assets.index().to_string())
}

/// `GET /console/assets/{version}/{path}`: an embedded file of this release, cached for a year.
pub async fn asset(assets: web::Data<Assets>, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (version, file) = path.into_inner();
    if version != assets.version() {
        return Err(AppError::not_found("console asset"));
    }
    let (body, media_type) = assets.get(&file).ok_or_else(|| AppError::not_found("console asset"))?;
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body))
}
