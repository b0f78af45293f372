//! `GET /api/v1/webhooks`: the caller's subscriptions (without secrets).

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::owner_of;
use crate::auth::principal::roles::Subscribers;
use crate::auth::As;
use crate::error::AppError;
use crate::queries::webhooks as q;
use crate::state::AppState;
use crate::webhooks::WebhookView;

/// The subscriptions, oldest first.
pub async fn list(state: web::Data<AppState>, auth: As<Subscribers>) -> Result<HttpResponse, AppError> {
    let owner = owner_of(&auth.0)?;
    let rows = state.db.run(move |c| Ok(q::of_owner(c, &owner)?)).await?;
    let items: Vec<WebhookView> = rows.into_iter().map(|w| WebhookView::of(w, false)).collect();
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}
