//! Walks the whole chain and reports the first entry whose content, order or link is wrong.

use diesel::prelude::*;
use serde::Serialize;

use super::chain::{entry_hash, AuditRow};
use crate::db::DbConnection;
use crate::schema::{audit_events, audit_head};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const BATCH: i64 = 2_000;

/// The verdict on the chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// Whether every entry is intact and the chain ends where the head says.
    pub ok: bool,
    /// Entries checked.
    pub checked: i64,
    /// Id of the first bad entry, if one is bad.
    pub first_bad_id: Option<String>,
    /// What is wrong, in words.
    pub problem: Option<String>,
}

/// Verifies the chain in batches (memory stays flat however long the trail is).
pub fn verify(conn: &mut DbConnection) -> QueryResult<Verdict> {
    let mut prev_hash = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    loop {
        let rows: Vec<AuditRow> = audit_events::table
            .filter(audit_events::seq.ge(expected_seq))
            .order(audit_events::seq)
            .limit(BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let problem = if row.seq != expected_seq {
                Some(format!("entry {} missing before this one", expected_seq))
            } else if row.prev_hash != prev_hash {
                Some("link to the previous entry is broken".to_string())
            } else if entry_hash(&row) != row.hash {
                Some("content does not match its hash".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Ok(Verdict { ok: false, checked, first_bad_id: Some(row.id), problem: Some(problem) });
            }
            checked += 1;
            expected_seq += 1;
            prev_hash = row.hash;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    if head_seq != checked || head_hash != prev_hash {
        return Ok(Verdict {
            ok: false,
            checked,
            first_bad_id: None,
            problem: Some(format!("the chain ends at entry {checked} but {head_seq} were written")),
        });
    }
    Ok(Verdict { ok: true, checked, first_bad_id: None, problem: None })
}
