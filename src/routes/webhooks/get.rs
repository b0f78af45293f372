//! `GET /api/v1/webhooks/{id}`: one subscription (without its secret).

use actix_web::{web, HttpResponse};

use super::owner_of;
use crate::auth::principal::roles::Subscribers;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;
use crate::webhooks::{self, WebhookView};

/// The subscription, 404 when it is not the caller's.
pub async fn get(
    state: web::Data<AppState>,
    auth: As<Subscribers>,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let owner = owner_of(&auth.0)?;
    let id = path.into_inner();
    let row = state.db.run(move |c| webhooks::owned(c, &owner, &id)).await?;
    Ok(HttpResponse::Ok().json(WebhookView::of(row, false)))
}
