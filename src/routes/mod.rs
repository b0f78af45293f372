//! HTTP routes, one handler per file grouped by resource. [`table`] is the single list of every
//! served route: the app is built from it and the contract test compares it with `openapi.yaml`.

pub mod audit;
pub mod auth;
pub mod bulk;
pub mod calendar;
pub mod clients;
pub mod delegations;
pub mod enterprises;
pub mod events;
pub mod filters;
pub mod health;
pub mod imports;
pub mod me;
pub mod metrics;
pub mod milestones;
pub mod openapi;
pub mod providers;
pub mod publicity;
pub mod reference;
pub mod registrations;
pub mod stats;
pub mod targets;
pub mod users;
pub mod webhooks;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, Route};

use crate::error::AppError;

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
    ApiRoute { method, path, route }
}

/// Every route the service serves.
pub fn table() -> Vec<ApiRoute> {
    vec![
        r(Method::GET, "/healthz", || web::get().to(health::healthz)),
        r(Method::GET, "/readyz", || web::get().to(health::readyz)),
        r(Method::GET, "/metrics", || web::get().to(metrics::metrics)),
        r(Method::GET, "/api/v1/openapi.yaml", || web::get().to(openapi::spec)),
        r(Method::GET, "/api/v1/divisions", || web::get().to(reference::divisions::list)),
        r(Method::GET, "/api/v1/milestone-types", || web::get().to(reference::milestone_types::list)),
        r(Method::PUT, "/api/v1/milestone-types/{code}/review", || {
            web::put().to(reference::milestone_types::put_review)
        }),
        r(Method::GET, "/api/v1/milestone-types/{code}/quotas/{year}", || web::get().to(reference::quotas::get)),
        r(Method::PUT, "/api/v1/milestone-types/{code}/quotas/{year}", || web::put().to(reference::quotas::put)),
        r(Method::GET, "/api/v1/plans", || web::get().to(reference::plans::list)),
        r(Method::GET, "/api/v1/events", || web::get().to(events::feed::feed)),
        r(Method::POST, "/api/v1/webhooks", || web::post().to(webhooks::create::create)),
        r(Method::GET, "/api/v1/webhooks", || web::get().to(webhooks::list::list)),
        r(Method::GET, "/api/v1/webhooks/{id}", || web::get().to(webhooks::get::get)),
        r(Method::DELETE, "/api/v1/webhooks/{id}", || web::delete().to(webhooks::delete::delete)),
        r(Method::GET, "/api/v1/webhooks/{id}/deliveries", || web::get().to(webhooks::deliveries::deliveries)),
        r(Method::GET, "/api/v1/indicators", || web::get().to(reference::indicators::list)),
        r(Method::GET, "/api/v1/indicators/{plan}/{code}/targets", || web::get().to(targets::get::get)),
        r(Method::PUT, "/api/v1/indicators/{plan}/{code}/targets/{year}", || web::put().to(targets::replace::replace)),
        r(Method::POST, "/api/v1/auth/login", || web::post().to(auth::login::login)),
        r(Method::POST, "/api/v1/auth/refresh", || web::post().to(auth::refresh::refresh)),
        r(Method::POST, "/api/v1/auth/logout", || web::post().to(auth::logout::logout)),
        r(Method::POST, "/api/v1/auth/token", || web::post().to(auth::token::token)),
        r(Method::GET, "/api/v1/me", || web::get().to(me::get::me)),
        r(Method::POST, "/api/v1/me/password", || web::post().to(me::password::change)),
        r(Method::POST, "/api/v1/users", || web::post().to(users::create::create)),
        r(Method::GET, "/api/v1/users", || web::get().to(users::list::list)),
        r(Method::GET, "/api/v1/users/{id}", || web::get().to(users::get::get)),
        r(Method::PATCH, "/api/v1/users/{id}", || web::patch().to(users::update::update)),
        r(Method::POST, "/api/v1/users/{id}/unlock", || web::post().to(users::unlock::unlock)),
        r(Method::GET, "/api/v1/audit-events", || web::get().to(audit::list::list)),
        r(Method::GET, "/api/v1/audit-events/verify", || web::get().to(audit::verify::verify)),
        r(Method::POST, "/api/v1/registrations", || web::post().to(registrations::create::create)),
        r(Method::POST, "/api/v1/enterprises", || web::post().to(enterprises::create::create)),
        r(Method::GET, "/api/v1/enterprises", || web::get().to(enterprises::list::list)),
        r(Method::GET, "/api/v1/enterprises/{id}", || web::get().to(enterprises::get::get)),
        r(Method::PATCH, "/api/v1/enterprises/{id}", || web::patch().to(enterprises::update::update)),
        r(Method::POST, "/api/v1/enterprises/{id}/verify", || web::post().to(enterprises::verify::verify)),
        r(Method::POST, "/api/v1/enterprises/{id}/clients", || web::post().to(clients::create::create)),
        r(Method::GET, "/api/v1/enterprises/{id}/clients", || web::get().to(clients::list::list)),
        r(Method::DELETE, "/api/v1/enterprises/{id}/clients/{client_id}", || web::delete().to(clients::revoke::revoke)),
        r(Method::POST, "/api/v1/enterprises/{id}/delegations", || web::post().to(delegations::create::create)),
        r(Method::GET, "/api/v1/enterprises/{id}/delegations", || web::get().to(delegations::list::list)),
        r(Method::DELETE, "/api/v1/enterprises/{id}/delegations/{delegation_id}", || {
            web::delete().to(delegations::revoke::revoke)
        }),
        r(Method::POST, "/api/v1/enterprises/{id}/milestones", || web::post().to(milestones::create::create)),
        r(Method::GET, "/api/v1/milestones", || web::get().to(milestones::list::list)),
        r(Method::GET, "/api/v1/milestones/{id}", || web::get().to(milestones::get::get)),
        r(Method::PATCH, "/api/v1/milestones/{id}", || web::patch().to(milestones::update::update)),
        r(Method::GET, "/api/v1/milestones/{id}/history", || web::get().to(milestones::history::history)),
        r(Method::POST, "/api/v1/milestones/{id}/submit", || web::post().to(milestones::transition::submit)),
        r(Method::POST, "/api/v1/milestones/{id}/withdraw", || web::post().to(milestones::transition::withdraw)),
        r(Method::POST, "/api/v1/milestones/{id}/approve", || web::post().to(milestones::transition::approve)),
        r(Method::POST, "/api/v1/milestones/{id}/reject", || web::post().to(milestones::transition::reject)),
        r(Method::POST, "/api/v1/milestones/{id}/return", || web::post().to(milestones::transition::return_)),
        r(Method::POST, "/api/v1/milestones/{id}/revoke", || web::post().to(milestones::transition::revoke)),
        r(Method::POST, "/api/v1/milestones/{id}/object", || web::post().to(milestones::transition::object)),
        r(Method::GET, "/api/v1/stats/progress", || web::get().to(stats::progress::progress)),
        // Before `{city_code}`, which would also match `330100.csv`.
        r(Method::GET, "/api/v1/stats/progress/{city_code}.csv", || web::get().to(stats::export::city)),
        r(Method::GET, "/api/v1/stats/progress/{city_code}.xlsx", || web::get().to(stats::export::city)),
        r(Method::GET, "/api/v1/stats/progress/{city_code}", || web::get().to(stats::city::city)),
        r(Method::GET, "/api/v1/stats/overview", || web::get().to(stats::overview::overview)),
        r(Method::GET, "/api/v1/stats/progress.csv", || web::get().to(stats::export::province)),
        r(Method::GET, "/api/v1/stats/progress.xlsx", || web::get().to(stats::export::province)),
        r(Method::GET, "/api/v1/calendar", || web::get().to(calendar::list::list)),
        // Before `{date}`, which would also match `workdays`.
        r(Method::GET, "/api/v1/calendar/workdays", || web::get().to(calendar::workdays::workdays)),
        r(Method::PUT, "/api/v1/calendar/{date}", || web::put().to(calendar::put::put)),
        r(Method::DELETE, "/api/v1/calendar/{date}", || web::delete().to(calendar::delete::delete)),
        r(Method::GET, "/api/v1/publicity", || web::get().to(publicity::list::list)),
        r(Method::POST, "/api/v1/imports", || web::post().to(imports::create::create)),
        r(Method::GET, "/api/v1/imports", || web::get().to(imports::list::list)),
        r(Method::GET, "/api/v1/imports/{id}", || web::get().to(imports::get::get)),
        // Service providers (§3.9).
        r(Method::POST, "/api/v1/providers", || web::post().to(providers::create::create)),
        r(Method::GET, "/api/v1/providers", || web::get().to(providers::list::list)),
        r(Method::POST, "/api/v1/providers/{id}/clients", || web::post().to(providers::clients::create::create)),
        r(Method::GET, "/api/v1/providers/{id}/clients", || web::get().to(providers::clients::list::list)),
        r(Method::DELETE, "/api/v1/providers/{id}/clients/{client_id}", || {
            web::delete().to(providers::clients::revoke::revoke)
        }),
        r(Method::POST, "/api/v1/bulk/milestones", || web::post().to(bulk::milestones::milestones)),
        r(Method::GET, "/api/v1/stats/providers", || web::get().to(stats::providers::providers)),
    ]
}

/// Registers every route of [`table`], one resource per path; any other method on a served path
/// is 405 with `Allow` listing the path's methods (RFC 9110 §15.5.6).
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
        let mut methods = Vec::new();
        for route in routes.iter().filter(|r| r.path == path) {
            resource = resource.route((route.route)());
            methods.push(route.method.as_str());
        }
        let allow = methods.join(", ");
        cfg.service(resource.default_service(web::to(move |req: HttpRequest| {
            let allow = allow.clone();
            async move { method_not_allowed(&req, &allow) }
        })));
    }
}

fn method_not_allowed(req: &HttpRequest, allow: &str) -> HttpResponse {
    HttpResponse::from_error(
        AppError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{} is not allowed here; allowed: {allow}", req.method()),
        )
        .with_header(header::ALLOW, allow),
    )
}
