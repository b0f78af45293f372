//! `POST /api/v1/auth/refresh` `{refresh_token}`: rotates the refresh token.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::accounts::sessions;
use crate::audit::RequestMeta;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    refresh_token: String,
}

/// Exchanges a refresh token for a new access and refresh token.
pub async fn refresh(
    state: web::Data<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let granted = state.db.write(move |c| sessions::rotate(c, &body.refresh_token, &meta)).await??;
    super::granted_response(&state, granted)
}
