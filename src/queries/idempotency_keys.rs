//! Stored first responses of POSTs sent with an `Idempotency-Key` (see [`crate::idempotency`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::idempotency_keys;

/// One key of one principal and the response it produced.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    /// Who sent the request (user or client id, or `anon:<ip>`).
    pub principal_id: String,
    /// The `Idempotency-Key` header.
    pub idem_key: String,
    /// HTTP method of the first request.
    pub method: String,
    /// Path (and query) of the first request.
    pub path: String,
    /// SHA-256 hex of the first request's body.
    pub request_hash: String,
    /// Status of the stored response; 0 while the key is claimed by an uncommitted request.
    pub status: i32,
    /// The response body, as sent.
    pub response_body: String,
    /// The response headers to replay, as a JSON array of `[name, value]` pairs.
    pub response_headers: String,
    /// When the first request was handled.
    pub created_at: NaiveDateTime,
}

/// The row of `principal_id`'s `key`, if any.
pub fn find(conn: &mut DbConnection, principal_id: &str, key: &str) -> QueryResult<Option<IdempotencyRow>> {
    idempotency_keys::table.find((principal_id, key)).select(IdempotencyRow::as_select()).first(conn).optional()
}

/// Inserts a row; a unique violation means another request holds the same key.
pub fn insert(conn: &mut DbConnection, row: &IdempotencyRow) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table).values(row).execute(conn).map(drop)
}

/// Sets the response of a row; returns whether one was updated.
pub fn set_response(
    conn: &mut DbConnection,
    principal_id: &str,
    key: &str,
    status: i32,
    body: &str,
    headers: &str,
) -> QueryResult<bool> {
    let n = diesel::update(idempotency_keys::table.find((principal_id, key)))
        .set((
            idempotency_keys::status.eq(status),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::response_headers.eq(headers),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Deletes `principal_id`'s `key`.
pub fn delete(conn: &mut DbConnection, principal_id: &str, key: &str) -> QueryResult<()> {
    diesel::delete(idempotency_keys::table.find((principal_id, key))).execute(conn).map(drop)
}

/// Deletes every row created before `cutoff`; returns how many.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff))).execute(conn)
}
