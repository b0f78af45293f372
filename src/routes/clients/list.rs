//! `GET /api/v1/enterprises/{id}/clients` (never the secrets).

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::auth::principal::roles::EnterpriseOrSysadmin;
use crate::auth::scope::may_manage_clients;
use crate::auth::As;
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::error::AppError;
use crate::extract::PathId;
use crate::queries::api_clients::ApiClientRow;
use crate::queries::{api_clients, enterprises};
use crate::routes::reference::Items;
use crate::state::AppState;

/// A client as listed (never the secret; also for providers' clients).
#[derive(Debug, Serialize)]
pub struct ClientView {
    client_id: String,
    name: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    last_used_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    revoked_at: Option<NaiveDateTime>,
}

impl From<ApiClientRow> for ClientView {
    fn from(r: ApiClientRow) -> Self {
        ClientView {
            client_id: r.id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// Lists an enterprise's clients, revoked ones included.
pub async fn list(
    state: web::Data<AppState>,
    auth: As<EnterpriseOrSysadmin>,
    PathId(enterprise_id): PathId<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    may_manage_clients(&auth.0, &enterprise_id)?;
    let rows = state
        .db
        .run(move |c| {
            if !enterprises::exists(c, enterprise_id.as_str())? {
                return Err(AppError::not_found("enterprise"));
            }
            Ok(api_clients::list_for(c, enterprise_id.as_str())?)
        })
        .await?;
    let items: Vec<ClientView> = rows.into_iter().map(ClientView::from).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
