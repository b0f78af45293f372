//! Writes to the API clients (machine accounts) of an enterprise or a provider: creation with a
//! secret shown once (only its SHA-256 is stored) and revocation. Who may manage them is
//! `auth::scope`'s `may_manage_clients` / `may_manage_provider_clients`, checked by the caller
//! before the transaction.

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::tokens::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::id::{ClientId, EnterpriseId, ResourceId};
use crate::error::AppError;
use crate::queries::api_clients::{self, ApiClientRow};
use crate::queries::{enterprises, providers};
use crate::tail::{self, Figures};

/// A new client and its secret, in clear this once.
#[derive(Debug)]
pub struct NewClient {
    /// The stored client.
    pub row: ApiClientRow,
    /// The secret (the client's password for `POST /auth/token`).
    pub secret: String,
}

/// Creates a client named `name` for `enterprise_id` (404 when it does not exist).
pub fn create(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    enterprise_id: &EnterpriseId,
    name: String,
) -> Result<NewClient, AppError> {
    let enterprise_id = enterprise_id.as_str();
    if !enterprises::exists(conn, enterprise_id)? {
        return Err(AppError::not_found("enterprise"));
    }
    insert(conn, p, meta, (Some(enterprise_id.to_string()), None), name)
}

/// Creates a client named `name` for provider `provider_id` (404 when it does not exist).
pub fn create_for_provider(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    provider_id: &str,
    name: String,
) -> Result<NewClient, AppError> {
    if providers::find(conn, provider_id)?.is_none() {
        return Err(AppError::not_found("provider"));
    }
    insert(conn, p, meta, (None, Some(provider_id.to_string())), name)
}

/// Stores a client of `(enterprise, provider)` (exactly one is given) and audits it.
fn insert(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    (enterprise_id, provider_id): (Option<String>, Option<String>),
    name: String,
) -> Result<NewClient, AppError> {
    let secret = new_secret();
    let row = ApiClientRow {
        id: uuid::Uuid::new_v4().to_string(),
        enterprise_id,
        name,
        secret_hash: hash_secret(&secret),
        created_at: crate::clock::now(),
        created_by: Some(p.id.clone()),
        revoked_at: None,
        last_used_at: None,
        provider_id,
    };
    api_clients::insert(conn, &row)?;
    let detail = match (&row.enterprise_id, &row.provider_id) {
        (Some(e), _) => serde_json::json!({"enterprise_id": e}),
        (None, p) => serde_json::json!({"provider_id": p}),
    };
    let event = Event::ok("client.create", "api_client", &row.id).detail(detail);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    Ok(NewClient { row, secret })
}

/// Revokes client `client_id` of `enterprise_id` (404 when there is no such live client): its
/// secret stops working at once; tokens already granted live out their 15 minutes.
pub fn revoke(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    enterprise_id: &EnterpriseId,
    client_id: &ClientId,
) -> Result<(), AppError> {
    let (enterprise_id, client_id) = (enterprise_id.as_str(), client_id.as_str());
    if !api_clients::revoke(conn, enterprise_id, client_id, crate::clock::now())? {
        return Err(AppError::not_found("client"));
    }
    let event = Event::ok("client.revoke", "api_client", client_id);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])
}

/// Revokes client `client_id` of provider `provider_id` (404 when there is no such live client).
pub fn revoke_for_provider(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    provider_id: &str,
    client_id: &ClientId,
) -> Result<(), AppError> {
    if !api_clients::revoke_for_provider(conn, provider_id, client_id.as_str(), crate::clock::now())? {
        return Err(AppError::not_found("client"));
    }
    let event = Event::ok("client.revoke", "api_client", client_id.as_str());
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])
}
