//! `POST /api/v1/providers/{id}/clients` `{name}` → the secret, shown once. Honours
//! `Idempotency-Key` (as `routes::clients::create`, whose view it shares).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::accounts::{clients, names};
use crate::audit::RequestMeta;
use crate::auth::principal::roles::ProviderOrSysadmin;
use crate::auth::scope::may_manage_provider_clients;
use crate::auth::As;
use crate::domain::id::{ProviderId, ResourceId};
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::idempotency::{Idempotency, StoredResponse};
use crate::routes::clients::create::{Body, Created};
use crate::state::AppState;

/// Creates a client of the provider; its secret is returned now and never again.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<ProviderOrSysadmin>,
    meta: RequestMeta,
    PathId(provider_id): PathId<ProviderId>,
    req: HttpRequest,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let idem = Idempotency::from_request_parts(&req, &p.id)?;
    may_manage_provider_clients(&p, provider_id.as_str())?;
    let name = names::client_name(b.name())?;
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let created = Created::from(clients::create_for_provider(c, &p, &meta, provider_id.as_str(), name)?);
            let res = StoredResponse::json(StatusCode::CREATED, &created)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
