//! `GET /healthz` (the process is up) and `GET /readyz` (the database answers).

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::error::AppError;
use crate::state::AppState;

/// 200 `{"status":"ok"}` while the process runs.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        AppError::unavailable(e.to_string()).with("checks", json!({"database": "unreachable"}))
    })?;
    Ok(HttpResponse::Ok().json(json!({"status": "ok", "checks": {"database": "ok"}})))
}
