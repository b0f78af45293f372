//! `GET /api/v1/me`.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::auth::{Authenticated, PrincipalKind};
use crate::error::AppError;
use crate::queries::users;
use crate::state::AppState;

#[derive(Debug, Serialize)]
struct MeView {
    id: String,
    username: String,
    display_name: Option<String>,
    role: String,
    enterprise_id: Option<String>,
    city_code: Option<String>,
    must_change_password: bool,
}

/// The caller's account (users only; machine clients have none).
pub async fn me(state: web::Data<AppState>, Authenticated(p): Authenticated) -> Result<HttpResponse, AppError> {
    if p.kind != PrincipalKind::User {
        return Err(AppError::forbidden("not_a_user", "machine clients have no user account"));
    }
    let user = state
        .db
        .run(move |c| {
            users::find(c, &p.id)?
                .ok_or_else(|| AppError::unauthorized("invalid_token", "the account no longer exists"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeView {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        enterprise_id: user.enterprise_id,
        city_code: user.city_code,
        must_change_password: user.must_change_password,
    }))
}
