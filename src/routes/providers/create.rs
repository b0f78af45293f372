//! `POST /api/v1/providers` `{uscc, name}` by the province → 201. Honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::view::ProviderView;
use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{Idempotency, StoredResponse};
use crate::providers::{self, ProviderBody};
use crate::state::AppState;

/// Registers a provider.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    req: HttpRequest,
    ApiJson(body): ApiJson<ProviderBody>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let idem = Idempotency::from_request_parts(&req, &p.id)?;
    let valid = providers::validate(&body)?;
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let row = providers::register(c, &valid, &meta, &Actor::Principal(p.clone()), &p.id)?;
            let res = StoredResponse::json(StatusCode::CREATED, &ProviderView::from(row))?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
