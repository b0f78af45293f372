//! HTTP routes, one handler per file grouped by resource. [`table`] is the single list of every
//! served route: the app is built from it and the contract test compares it with `openapi.yaml`.

pub mod health;
pub mod openapi;
pub mod reference;

use actix_web::http::Method;
use actix_web::{web, Route};

/// One served route: method, full path (actix pattern syntax) and its handler.
pub struct ApiRoute {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, e.g. `/api/v1/divisions`.
    pub path: &'static str,
    /// Builds the actix route (called once per worker).
    pub route: fn() -> Route,
}

const fn r(method: Method, path: &'static str, route: fn() -> Route) -> ApiRoute {
    ApiRoute {
        method,
        path,
        route,
    }
}

/// Every route the service serves.
pub fn table() -> Vec<ApiRoute> {
    vec![
        r(Method::GET, "/healthz", || web::get().to(health::healthz)),
        r(Method::GET, "/readyz", || web::get().to(health::readyz)),
        r(Method::GET, "/api/v1/openapi.yaml", || {
            web::get().to(openapi::spec)
        }),
        r(Method::GET, "/api/v1/divisions", || {
            web::get().to(reference::divisions::list)
        }),
        r(Method::GET, "/api/v1/milestone-types", || {
            web::get().to(reference::milestone_types::list)
        }),
        r(Method::GET, "/api/v1/plans", || {
            web::get().to(reference::plans::list)
        }),
        r(Method::GET, "/api/v1/indicators", || {
            web::get().to(reference::indicators::list)
        }),
    ]
}

/// Registers every route of [`table`], one resource per path.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let routes = table();
    let mut paths: Vec<&'static str> = Vec::new();
    for route in &routes {
        if !paths.contains(&route.path) {
            paths.push(route.path);
        }
    }
    for path in paths {
        let mut resource = web::resource(path);
        for route in routes.iter().filter(|r| r.path == path) {
            resource = resource.route((route.route)());
        }
        cfg.service(resource);
    }
}
