//! `GET /api/v1/openapi.yaml`: the contract, embedded from the project root.

use actix_web::HttpResponse;

/// The OpenAPI 3.1 document.
pub const SPEC: &str = include_str!("../../openapi.yaml");

/// Serves the contract as YAML.
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok().content_type("application/yaml; charset=utf-8").body(SPEC)
}
