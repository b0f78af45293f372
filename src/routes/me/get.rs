//! `GET /api/v1/me`.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::auth::Authenticated;
use crate::error::AppError;
use crate::routes::users::view::AccountIdentity;
use crate::state::AppState;

#[derive(Debug, Serialize)]
struct MeView {
    #[serde(flatten)]
    identity: AccountIdentity,
    must_change_password: bool,
}

/// The caller's account (users only; machine clients have none).
pub async fn me(state: web::Data<AppState>, Authenticated(p): Authenticated) -> Result<HttpResponse, AppError> {
    let user = super::own_account(&state, &p).await?;
    Ok(HttpResponse::Ok()
        .json(MeView { identity: AccountIdentity::of(&user), must_change_password: user.must_change_password }))
}
