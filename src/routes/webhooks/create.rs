//! `POST /api/v1/webhooks` `{url, events:[…]}` → 201 with the signing `secret`, shown this once.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::owner_of;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Subscribers;
use crate::auth::As;
use crate::config::AppEnv;
use crate::error::{AppError, FieldError};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::webhooks::{self, target, WebhookView};

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    url: String,
    events: Vec<String>,
}

/// Subscribes the caller's enterprise: `url` must be `https://` (or `http://` outside
/// production) and, in production, resolve to public addresses only (422 naming `url`); `events`
/// a non-empty list of event types. Deliveries start with the next event.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Subscribers>,
    meta: RequestMeta,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let owner = owner_of(&p)?;
    let production = state.settings.app_env == AppEnv::Production;
    let refused = |e: target::Refused| AppError::validation(vec![FieldError::new("url", "invalid_value", e.0)]);
    let url = target::parse(&b.url, production).map_err(refused)?;
    target::check_addresses(&url, production).await.map_err(refused)?;
    let types = webhooks::check_types(&b.events)?;
    let now = state.clock.now();
    let row = state.db.write(move |c| webhooks::create(c, &p, &meta, &owner, (url.as_str(), &types), now)).await?;
    let location = format!("/api/v1/webhooks/{}", row.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(WebhookView::of(row, true)))
}
