//! `GET /api/v1/plans`.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::Items;
use crate::error::AppError;
use crate::queries::reference as q;
use crate::state::AppState;

/// A plan as the API shows it.
#[derive(Debug, Serialize)]
struct PlanView {
    code: String,
    name_zh: String,
    issued: String,
}

/// Lists the plans whose targets are tracked.
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(|conn| Ok(q::list_plans(conn)?)).await?;
    let items: Vec<PlanView> =
        rows.into_iter().map(|p| PlanView { code: p.code, name_zh: p.name_zh, issued: p.issued }).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
