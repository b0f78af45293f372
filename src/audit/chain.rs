//! The stored audit row, the hash that chains it to its predecessor, and which of the
//! [`CHAINS`] chains an entry joins.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::schema::audit_events;

/// One audit entry as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct AuditRow {
    /// Entry id (UUIDv7).
    pub id: String,
    /// The chain it belongs to (`0..CHAINS`).
    pub chain: i16,
    /// Position in its chain, from 1.
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
    /// Hash of the previous entry in its chain ([`genesis`] for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// How many chains the trail is spread over (the rows of `audit_chains`).
pub const CHAINS: i16 = 64;

/// Where chain `chain` starts: its number as 64 hex digits (chain 0's start is the single chain's
/// 64 zeros of the first release, whose trail became chain 0).
pub fn genesis(chain: i16) -> String {
    format!("{chain:064x}")
}

/// The chain for entries about `key` (an object's id, else the actor's): FNV-1a, stable across
/// builds and instances, so one object's entries stay in one chain, in order.
pub fn chain_for(key: &str) -> i16 {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    // The remainder is below CHAINS, so it fits.
    (hash % CHAINS as u64) as i16
}

/// SHA-256 over the previous hash and every stored field of the entry, in a fixed order (the
/// chain is not among them: the link to its predecessor and the chain's start pin it).
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
