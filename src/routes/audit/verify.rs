//! `GET /api/v1/audit-events/verify` → `{ok, checked, first_bad_id, problem, chains, anchors}`.

use actix_web::{web, HttpResponse};

use crate::audit::verify;
use crate::auth::principal::roles::Auditor;
use crate::auth::As;
use crate::error::AppError;
use crate::state::AppState;

/// Recomputes every hash chain and the anchors.
pub async fn verify(state: web::Data<AppState>, _auth: As<Auditor>) -> Result<HttpResponse, AppError> {
    let verdict = state.db.run(|c| Ok(verify::verify(c)?)).await?;
    Ok(HttpResponse::Ok().json(verdict))
}
