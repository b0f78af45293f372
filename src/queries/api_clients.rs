//! Enterprises' machine clients.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::api_clients;

/// A stored API client (secret hashed).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    /// The client id.
    pub id: String,
    /// Enterprise it acts for (or none: a provider's client).
    pub enterprise_id: Option<String>,
    /// Human label.
    pub name: String,
    /// SHA-256 of the secret.
    pub secret_hash: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Who created it.
    pub created_by: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// Last successful token grant.
    pub last_used_at: Option<NaiveDateTime>,
    /// Provider it acts for (or none: an enterprise's client).
    pub provider_id: Option<String>,
}

/// Stores a client.
pub fn insert(conn: &mut DbConnection, row: &ApiClientRow) -> QueryResult<()> {
    diesel::insert_into(api_clients::table).values(row).execute(conn).map(drop)
}

/// The client with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table.find(id).select(ApiClientRow::as_select()).first(conn).optional()
}

/// An enterprise's clients, oldest first.
pub fn list_for(conn: &mut DbConnection, enterprise_id: &str) -> QueryResult<Vec<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::enterprise_id.eq(enterprise_id))
        .order(api_clients::id)
        .select(ApiClientRow::as_select())
        .load(conn)
}

/// A provider's clients, oldest first.
pub fn list_for_provider(conn: &mut DbConnection, provider_id: &str) -> QueryResult<Vec<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::provider_id.eq(provider_id))
        .order(api_clients::id)
        .select(ApiClientRow::as_select())
        .load(conn)
}

/// Revokes a live client of a provider; returns whether one was revoked.
pub fn revoke_for_provider(
    conn: &mut DbConnection,
    provider_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        api_clients::table
            .filter(api_clients::id.eq(id))
            .filter(api_clients::provider_id.eq(provider_id))
            .filter(api_clients::revoked_at.is_null()),
    )
    .set(api_clients::revoked_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records a successful grant.
pub fn touch(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id)).set(api_clients::last_used_at.eq(Some(now))).execute(conn).map(drop)
}

/// Revokes a live client of an enterprise; returns whether one was revoked.
pub fn revoke(conn: &mut DbConnection, enterprise_id: &str, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        api_clients::table
            .filter(api_clients::id.eq(id))
            .filter(api_clients::enterprise_id.eq(enterprise_id))
            .filter(api_clients::revoked_at.is_null()),
    )
    .set(api_clients::revoked_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}
