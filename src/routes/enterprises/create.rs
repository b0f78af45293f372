//! `POST /api/v1/enterprises` by a city reviewer (own city) or the province: starts verified.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::enterprises::{self, RawEnterprise};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Registers an enterprise on behalf of the authorities.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    ApiJson(raw): ApiJson<RawEnterprise>,
) -> Result<HttpResponse, AppError> {
    let valid = enterprises::validate(&raw, &state.reference, "")?;
    let p = auth.0;
    enterprises::require_own_city(&p, &valid.city_code)?;
    let viewer = p.clone();
    let row = state
        .db
        .write(move |c| enterprises::insert(c, &valid, Some(&p.id.clone()), &meta, &Actor::Principal(p)))
        .await?;
    Ok(respond(StatusCode::CREATED, row, &viewer))
}
