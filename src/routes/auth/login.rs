//! `POST /api/v1/auth/login` `{username, password}`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::accounts::sessions::{self, Lockout};
use crate::audit::RequestMeta;
use crate::auth::password;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::queries::users;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    username: String,
    password: String,
}

/// Checks the password off the database (argon2 on the hashing threads), then records the outcome.
/// Unknown users are verified against a dummy hash so they take the same time and get the same
/// answer as wrong passwords.
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let username = body.username.trim().to_lowercase();
    if username.is_empty() || username.len() > 64 || body.password.is_empty() || body.password.len() > 1024 {
        return Err(AppError::unauthorized(
            "invalid_credentials",
            "the username or password is wrong, or the account is locked or disabled",
        ));
    }
    let name = username.clone();
    let user = state.db.run(move |c| Ok(users::find_by_username(c, &name)?)).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.to_string());
    let password_ok = state.hasher.run(move || password::verify(&body.password, &hash)).await?;
    let lockout = Lockout {
        threshold: state.settings.auth.lockout_threshold,
        duration: chrono::Duration::from_std(state.settings.auth.lockout_duration)
            .unwrap_or(chrono::Duration::minutes(30)),
    };
    let user_id = user.map(|u| u.id);
    let granted = state
        .db
        .write(move |c| sessions::finish_login(c, &username, user_id.as_deref(), password_ok, lockout, &meta))
        .await??;
    super::granted_response(&state, granted)
}
