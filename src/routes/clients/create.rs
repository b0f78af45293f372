//! `POST /api/v1/enterprises/{id}/clients` `{name}` → the secret, shown once. Honours
//! `Idempotency-Key`: a retry by the same principal with the same key and body replays the first
//! response, secret included (it is the same client, and only its creator can replay it). So when
//! a key is sent, the secret is kept in clear in `idempotency_keys` until the row is purged (48 h);
//! `api_clients` still holds only its hash.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::accounts::clients::{self, NewClient};
use crate::accounts::names;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::EnterpriseOrSysadmin;
use crate::auth::scope::may_manage_clients;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::idempotency::{Idempotency, StoredResponse};
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    name: String,
}

impl Body {
    /// The name as sent.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A new client with its secret, shown once (also for providers' clients).
#[derive(Debug, Serialize)]
pub struct Created {
    client_id: String,
    client_secret: String,
    name: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
}

impl From<NewClient> for Created {
    fn from(NewClient { row, secret }: NewClient) -> Self {
        Created { client_id: row.id, client_secret: secret, name: row.name, created_at: row.created_at }
    }
}

/// Creates a client; its secret is returned now and never again (only a hash is stored).
pub async fn create(
    state: web::Data<AppState>,
    auth: As<EnterpriseOrSysadmin>,
    meta: RequestMeta,
    PathId(enterprise_id): PathId<EnterpriseId>,
    req: HttpRequest,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let idem = Idempotency::from_request_parts(&req, &p.id)?;
    may_manage_clients(&p, &enterprise_id)?;
    let name = names::client_name(&b.name)?;
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let created = Created::from(clients::create(c, &p, &meta, &enterprise_id, name)?);
            let res = StoredResponse::json(StatusCode::CREATED, &created)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
