//! `POST /api/v1/me/password` `{current_password, new_password}`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::accounts::admin;
use crate::audit::RequestMeta;
use crate::auth::{password, Authenticated};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password, clears `must_change_password` and ends every session of the
/// account (log in again with the new password).
pub async fn change(
    state: web::Data<AppState>,
    Authenticated(p): Authenticated,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let user = super::own_account(&state, &p).await?;
    password::check_policy(&body.new_password, &user.username, "new_password")?;
    if body.new_password == body.current_password {
        return Err(AppError::invalid_field(
            "new_password",
            "password_unchanged",
            "must differ from the current password",
        ));
    }
    let (current, stored, new) = (body.current_password, user.password_hash.clone(), body.new_password);
    let new_hash = state
        .hasher
        .run(move || {
            if !password::verify(&current, &stored) {
                return Err(AppError::invalid_field("current_password", "incorrect", "is not the current password"));
            }
            password::hash(&new)
        })
        .await??;
    state.db.write(move |c| admin::change_password(c, &p, &meta, &new_hash)).await?;
    Ok(HttpResponse::NoContent().finish())
}
