//! `POST /api/v1/users`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::respond;
use crate::accounts::{self, RawAccount};
use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::Sysadmin;
use crate::auth::{password, As};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    username: String,
    password: String,
    role: String,
    enterprise_id: Option<String>,
    city_code: Option<String>,
    display_name: Option<String>,
}

/// Creates an account; it must change its password at first login.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Sysadmin>,
    meta: RequestMeta,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let raw = RawAccount {
        username: b.username,
        password: b.password,
        role: b.role,
        enterprise_id: b.enterprise_id,
        city_code: b.city_code,
        display_name: b.display_name,
    };
    let account = accounts::validate(raw, &state.reference, true)?;
    let pw = account.password.clone();
    let hash = web::block(move || password::hash(&pw)).await??;
    let actor = Actor::Principal(auth.0);
    let user = state.db.write(move |c| accounts::insert(c, &account, hash, &meta, &actor)).await?;
    Ok(respond(StatusCode::CREATED, user))
}
