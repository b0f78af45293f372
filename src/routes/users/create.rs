//! `POST /api/v1/users`. Honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::view::reply;
use crate::accounts::{self, RawAccount};
use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::Sysadmin;
use crate::auth::{password, As};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::Idempotency;
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
    county_code: Option<String>,
    provider_id: Option<String>,
    display_name: Option<String>,
}

/// Creates an account; it must change its password at first login.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Sysadmin>,
    meta: RequestMeta,
    req: HttpRequest,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let idem = Idempotency::from_request_parts(&req, &auth.0.id)?;
    let raw = RawAccount {
        username: b.username,
        password: b.password,
        role: b.role,
        enterprise_id: b.enterprise_id,
        city_code: b.city_code,
        county_code: b.county_code,
        provider_id: b.provider_id,
        display_name: b.display_name,
    };
    let account = accounts::validate(raw, &state.reference, true)?;
    let pw = account.password.clone();
    let hash = state.hasher.run(move || password::hash(&pw)).await??;
    let actor = Actor::Principal(auth.0);
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let user = accounts::insert(c, &account, hash, &meta, &actor)?;
            let res = reply(StatusCode::CREATED, user)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
