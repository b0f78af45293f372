//! `POST /api/v1/enterprises` by a city reviewer (own city) or the province: starts verified.
//! Honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::view::reply;
use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::enterprises::{self, RawEnterprise};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::Idempotency;
use crate::state::AppState;

/// Registers an enterprise on behalf of the authorities.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    req: HttpRequest,
    ApiJson(raw): ApiJson<RawEnterprise>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let idem = Idempotency::from_request_parts(&req, &p.id)?;
    let valid = enterprises::validate(&raw, &state.reference, "")?;
    p.scope().may_place_in_city(&valid.city_code)?;
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let row = enterprises::insert(c, &valid, Some(&p.id), &meta, &Actor::Principal(p.clone()))?;
            let res = reply(StatusCode::CREATED, row, &p)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
