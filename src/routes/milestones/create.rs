//! `POST /api/v1/enterprises/{id}/milestones` by the enterprise or a provider it delegated the
//! type to → a draft. Honours
//! `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::acting;
use super::view::reply;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Reporters;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::idempotency::Idempotency;
use crate::milestones::content::{self, CreateBody};
use crate::state::AppState;

/// Reports a new milestone as a draft.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Reporters>,
    meta: RequestMeta,
    req: HttpRequest,
    PathId(enterprise_id): PathId<EnterpriseId>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<HttpResponse, AppError> {
    let idem = Idempotency::from_request_parts(&req, &auth.0.id)?;
    let who = acting(auth.0, meta, &state.clock);
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let res = reply(StatusCode::CREATED, content::create(c, &who, &enterprise_id, body)?)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
