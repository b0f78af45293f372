//! The browser console (DESIGN §3.11): static files from the repository's `console/` folder,
//! compiled into the binary and served at `/console/`.
//!
//! The console is not part of the API: it calls only the public `/api/v1` routes, so its own
//! routes stay out of [`crate::routes::table`] (the list `openapi.yaml` is compared with) and are
//! registered here, by [`configure`], as one scope. Paths under `/console/` that match nothing
//! fall through to the application's `route_not_found` problem, with the console's headers.
//!
//! - `GET /console` redirects to `/console/`;
//! - `GET /console/` is `index.html`, never cached (`no-cache`), with the assets' prefix
//!   written into it;
//! - `GET /console/assets/{version}/{path}` serves the other files; `version` is a hash of every
//!   embedded file, so each release has its own URLs and the assets are cached for a year as
//!   immutable. A request for another version is 404 (never the new file under an old name).
//!
//! Every answer carries the security headers of [`headers`], and is compressed when the browser
//! accepts it.

mod assets;
mod handlers;
pub mod headers;

use std::sync::Arc;

use actix_web::middleware::{from_fn, Compress};
use actix_web::web;

pub use assets::Assets;

/// The console's files and their version, built once at start-up and shared by the workers.
#[derive(Clone)]
pub struct Console(Arc<Assets>);

impl Console {
    /// Reads the embedded files and computes their version hash.
    pub fn new() -> Self {
        Self(Arc::new(Assets::embedded()))
    }

    /// The version hash in the assets' URLs.
    pub fn version(&self) -> &str {
        self.0.version()
    }
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

/// Registers the `/console` scope.
pub fn configure(cfg: &mut web::ServiceConfig, console: &Console) {
    cfg.service(
        web::scope("/console")
            .app_data(web::Data::from(console.0.clone()))
            .route("", web::get().to(handlers::redirect))
            .route("/", web::get().to(handlers::index))
            .route("/assets/{version}/{path:.*}", web::get().to(handlers::asset))
            .wrap(from_fn(headers::security_headers))
            // ECharts is 1.1 MB as it is, a third of that compressed.
            .wrap(Compress::default()),
    );
}
