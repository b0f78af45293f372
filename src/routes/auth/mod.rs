//! `/api/v1/auth/*`: login, refresh, logout (and the client-credentials grant).

pub mod login;
pub mod logout;
pub mod refresh;
pub mod token;

use serde::Serialize;

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
