//! The stored audit row and the hash that chains it to its predecessor.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::schema::audit_events;

/// One audit entry as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditRow {
    /// Entry id (UUIDv7).
    pub id: String,
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When it happened (UTC).
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    pub occurred_at: NaiveDateTime,
    /// `user`, `client`, `anonymous` or `system`.
    pub actor_type: String,
    /// User or client id.
    pub actor_id: Option<String>,
    /// Role at the time.
    pub actor_role: Option<String>,
    /// Action name.
    pub action: String,
    /// Object kind.
    pub object_type: Option<String>,
    /// Object id.
    pub object_id: Option<String>,
    /// `success` or `failure`.
    pub result: String,
    /// JSON detail.
    pub detail: Option<String>,
    /// Client IP.
    pub ip: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Hash of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// SHA-256 over the previous hash and every stored field of the entry, in a fixed order.
pub fn entry_hash(row: &AuditRow) -> String {
    let fields = serde_json::json!([
        row.seq,
        row.id,
        row.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        row.actor_type,
        row.actor_id,
        row.actor_role,
        row.action,
        row.object_type,
        row.object_id,
        row.result,
        row.detail,
        row.ip,
        row.request_id,
    ]);
    let mut h = Sha256::new();
    h.update(row.prev_hash.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    hex::encode(h.finalize())
}
