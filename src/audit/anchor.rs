//! Anchors: every [`PERIOD`], the heads of all audit chains that moved, written as one row
//! hash-chained to the previous anchor. A chain's own links show a changed, removed or reordered
//! entry; what they cannot show is the newest entries removed together with the head row rewound
//! — the anchor that recorded the head does. Each new anchor's hash is also logged, so a copy of
//! the logs pins the anchors themselves.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::schema::{audit_anchors, audit_chains};

/// How often each instance anchors (when some chain moved since the last anchor).
pub const PERIOD: Duration = Duration::from_secs(60);

/// The advisory lock key that keeps anchor writers one at a time on PostgreSQL.
const ANCHOR_LOCK: i64 = 0x0a_5c_40_72_11;

/// Where the anchors' own chain starts.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One chain's head as an anchor records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// The chain.
    pub chain: i16,
    /// Its last entry's position.
    pub seq: i64,
    /// Its last entry's hash.
    pub hash: String,
}

/// One stored anchor.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_anchors)]
pub struct AnchorRow {
    /// Position among the anchors, from 1.
    pub seq: i64,
    /// When it was made (UTC).
    pub made_at: NaiveDateTime,
    /// JSON array of [`Head`]s: every chain with at least one entry.
    pub heads: String,
    /// The previous anchor's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This anchor's hash.
    pub hash: String,
}

/// SHA-256 over the previous anchor's hash, the position, the time and the heads.
pub fn anchor_hash(row: &AnchorRow) -> String {
    let mut h = Sha256::new();
    h.update(row.prev_hash.as_bytes());
    h.update(b"\n");
    h.update(format!("{}\n{}\n", row.seq, row.made_at.format("%Y-%m-%dT%H:%M:%S%.6f")).as_bytes());
    h.update(row.heads.as_bytes());
    hex::encode(h.finalize())
}

/// The heads of every chain that has entries, in chain order (committed ones only: a head row
/// and its entries commit together).
pub fn heads(conn: &mut DbConnection) -> QueryResult<Vec<Head>> {
    let rows: Vec<(i16, i64, String)> = audit_chains::table
        .filter(audit_chains::seq.gt(0))
        .order(audit_chains::chain)
        .select((audit_chains::chain, audit_chains::seq, audit_chains::hash))
        .load(conn)?;
    Ok(rows.into_iter().map(|(chain, seq, hash)| Head { chain, seq, hash }).collect())
}

/// The newest anchor, if any.
pub fn latest(conn: &mut DbConnection) -> QueryResult<Option<AnchorRow>> {
    audit_anchors::table.order(audit_anchors::seq.desc()).select(AnchorRow::as_select()).first(conn).optional()
}

/// Writes an anchor of the current heads unless they are what the newest anchor holds; returns
/// its position. Call inside a transaction of its own: on PostgreSQL a transaction advisory lock
/// keeps two instances from anchoring at once.
pub fn make(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    if let DbConnection::Pg(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({ANCHOR_LOCK})"))?;
    }
    let heads =
        serde_json::to_string(&heads(conn)?).map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
    let previous = latest(conn)?;
    if heads == "[]" || previous.as_ref().is_some_and(|p| p.heads == heads) {
        return Ok(None);
    }
    let (seq, prev_hash) = previous.map_or((1, GENESIS.to_string()), |p| (p.seq + 1, p.hash));
    let row = AnchorRow { seq, made_at: crate::clock::now(), heads, prev_hash, hash: String::new() };
    let row = AnchorRow { hash: anchor_hash(&row), ..row };
    diesel::insert_into(audit_anchors::table).values(&row).execute(conn)?;
    tracing::info!(anchor = row.seq, hash = %row.hash, "audit chains anchored");
    Ok(Some(row.seq))
}

/// One anchoring step in a transaction of its own.
pub async fn step(db: &Db) -> Result<Option<i64>, AppError> {
    db.write(|c| Ok(make(c)?)).await
}

/// Runs [`step`] every [`PERIOD`] until the task is dropped; a failure is logged and retried.
pub async fn run(db: Db) {
    crate::periodic::every(PERIOD, "anchoring the audit chains", || step(&db)).await;
}
