//! `POST /api/v1/auth/logout` `{refresh_token}`: revokes the token's family.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::accounts::sessions;
use crate::audit::{Actor, RequestMeta};
use crate::auth::Authenticated;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    refresh_token: String,
}

/// Revokes the family of the caller's refresh token; 204 whatever the token was.
pub async fn logout(
    state: web::Data<AppState>,
    Authenticated(p): Authenticated,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    state
        .db
        .write(move |c| sessions::logout(c, &p.id.clone(), &body.refresh_token, &meta, &Actor::Principal(p)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
