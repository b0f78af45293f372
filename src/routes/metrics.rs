//! `GET /metrics`: this instance's Prometheus metrics (see [`crate::metrics`]). Unauthenticated,
//! like `/healthz`; firewall it in production.

use actix_web::{web, HttpResponse};

use crate::error::AppError;
use crate::metrics::CONTENT_TYPE;
use crate::state::AppState;

/// The metrics in the Prometheus text format; answers while the database is down.
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let body = state.metrics.render()?;
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}
