//! `/api/v1/auth/*`: login, refresh, logout (and the client-credentials grant).

pub mod login;
pub mod logout;
pub mod refresh;
pub mod token;

use actix_web::HttpResponse;
use serde::Serialize;

use crate::accounts::sessions::{self, Granted};
use crate::error::AppError;
use crate::state::AppState;

/// The token response of login and refresh.
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    /// JWT access token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: i64,
    /// Opaque refresh token (rotates on every use).
    pub refresh_token: String,
    /// The account must change its password first.
    pub must_change_password: bool,
}

/// The token response for a granted session: a fresh access token and the new refresh token.
pub fn granted_response(state: &AppState, granted: Granted) -> Result<HttpResponse, AppError> {
    let principal = sessions::principal_of(&granted.user)?;
    let (access_token, expires_in) = state.tokens.issue(&principal)?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in,
        refresh_token: granted.refresh_token,
        must_change_password: granted.user.must_change_password,
    }))
}
