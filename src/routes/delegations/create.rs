//! `POST /api/v1/enterprises/{id}/delegations` `{provider_id, types, expires_on?}` by the
//! enterprise or its city reviewer → 201. Honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::view::DelegationView;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Grantors;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::idempotency::{Idempotency, StoredResponse};
use crate::providers::delegations::{self, GrantBody};
use crate::routes::milestones::acting;
use crate::state::AppState;

/// Grants a delegation.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Grantors>,
    meta: RequestMeta,
    req: HttpRequest,
    PathId(enterprise_id): PathId<EnterpriseId>,
    ApiJson(body): ApiJson<GrantBody>,
) -> Result<HttpResponse, AppError> {
    let idem = Idempotency::from_request_parts(&req, &auth.0.id)?;
    let who = acting(auth.0, meta, &state.clock);
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let d = delegations::grant(c, &who, &enterprise_id, body)?;
            let res = StoredResponse::json(StatusCode::CREATED, &DelegationView::new(d, who.today))?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
