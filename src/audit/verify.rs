//! Walks every chain and the anchors, and reports the first entry whose content, order or link is
//! wrong in each chain, and whether the chains still hold what the newest anchor recorded.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::anchor::{self, anchor_hash, AnchorRow, Head};
use super::chain::{entry_hash, genesis, AuditRow, CHAINS};
use crate::db::DbConnection;
use crate::schema::{audit_anchors, audit_chains, audit_events};

const BATCH: i64 = 2_000;

/// The verdict on one chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainVerdict {
    /// The chain.
    pub chain: i16,
    /// Whether every entry is intact, the chain ends where its head says and holds what the
    /// newest anchor recorded.
    pub ok: bool,
    /// Entries checked (up to the first bad one).
    pub checked: i64,
    /// Id of the first bad entry, if an entry is bad.
    pub first_bad_id: Option<String>,
    /// What is wrong, in words.
    pub problem: Option<String>,
}

/// The verdict on the anchors' own chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnchorsVerdict {
    /// Whether every anchor links to the previous one and matches its hash.
    pub ok: bool,
    /// Anchors checked.
    pub checked: i64,
    /// The newest anchor's hash (compare it with the one the logs hold).
    pub latest_hash: Option<String>,
    /// What is wrong, in words.
    pub problem: Option<String>,
}

/// The verdict on the whole trail.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// Whether every chain and the anchors are intact.
    pub ok: bool,
    /// Entries checked, all chains together.
    pub checked: i64,
    /// Id of the first bad entry of the lowest-numbered bad chain, if an entry is bad.
    pub first_bad_id: Option<String>,
    /// The first problem found, in words.
    pub problem: Option<String>,
    /// Every chain that has entries or a problem, in chain order.
    pub chains: Vec<ChainVerdict>,
    /// The anchors.
    pub anchors: AnchorsVerdict,
}

/// Verifies every chain in batches (memory stays flat however long the trail is) and the anchors.
pub fn verify(conn: &mut DbConnection) -> QueryResult<Verdict> {
    let (anchors, anchored) = verify_anchors(conn)?;
    let heads: HashMap<i16, (i64, String)> = audit_chains::table
        .select((audit_chains::chain, audit_chains::seq, audit_chains::hash))
        .load::<(i16, i64, String)>(conn)?
        .into_iter()
        .map(|(chain, seq, hash)| (chain, (seq, hash)))
        .collect();
    let mut chains = Vec::new();
    for chain in 0..CHAINS {
        let head = heads.get(&chain).cloned().unwrap_or((0, genesis(chain)));
        let verdict = verify_chain(conn, chain, &head, anchored.get(&chain))?;
        if verdict.checked > 0 || !verdict.ok {
            chains.push(verdict);
        }
    }
    let first_bad = chains.iter().find(|c| !c.ok);
    Ok(Verdict {
        ok: anchors.ok && first_bad.is_none(),
        checked: chains.iter().map(|c| c.checked).sum(),
        first_bad_id: first_bad.and_then(|c| c.first_bad_id.clone()),
        problem: first_bad
            .map(|c| format!("chain {}: {}", c.chain, c.problem.as_deref().unwrap_or("broken")))
            .or_else(|| anchors.problem.clone()),
        chains,
        anchors,
    })
}

/// Walks chain `chain` from its start; `head` is what its head row says, `anchored` what the
/// newest anchor recorded of it.
fn verify_chain(
    conn: &mut DbConnection,
    chain: i16,
    head: &(i64, String),
    anchored: Option<&Head>,
) -> QueryResult<ChainVerdict> {
    let mut prev_hash = genesis(chain);
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    let mut anchor_seen = anchored.is_none();
    let bad = |checked, id, problem: String| ChainVerdict {
        chain,
        ok: false,
        checked,
        first_bad_id: id,
        problem: Some(problem),
    };
    loop {
        let rows: Vec<AuditRow> = audit_events::table
            .filter(audit_events::chain.eq(chain))
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
                Some(format!("entry {expected_seq} missing before this one"))
            } else if row.prev_hash != prev_hash {
                Some("link to the previous entry is broken".to_string())
            } else if entry_hash(&row) != row.hash {
                Some("content does not match its hash".to_string())
            } else if anchored.is_some_and(|a| a.seq == row.seq && a.hash != row.hash) {
                Some("this entry is not the one the newest anchor recorded".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Ok(bad(checked, Some(row.id), problem));
            }
            anchor_seen |= anchored.is_some_and(|a| a.seq == row.seq);
            checked += 1;
            expected_seq += 1;
            prev_hash = row.hash;
        }
    }
    if !anchor_seen {
        let recorded = anchored.map_or(0, |a| a.seq);
        return Ok(bad(checked, None, format!("the chain ends at entry {checked} but an anchor recorded {recorded}")));
    }
    if head.0 != checked || head.1 != prev_hash {
        return Ok(bad(checked, None, format!("the chain ends at entry {checked} but {} were written", head.0)));
    }
    Ok(ChainVerdict { chain, ok: true, checked, first_bad_id: None, problem: None })
}

/// Walks the anchors; returns their verdict and the newest anchor's heads by chain.
fn verify_anchors(conn: &mut DbConnection) -> QueryResult<(AnchorsVerdict, HashMap<i16, Head>)> {
    let mut prev_hash = anchor::GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut newest: Option<AnchorRow> = None;
    loop {
        let rows: Vec<AnchorRow> = audit_anchors::table
            .filter(audit_anchors::seq.ge(expected_seq))
            .order(audit_anchors::seq)
            .limit(BATCH)
            .select(AnchorRow::as_select())
            .load(conn)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let problem = if row.seq != expected_seq {
                Some(format!("anchor {expected_seq} missing"))
            } else if row.prev_hash != prev_hash {
                Some(format!("anchor {}: link to the previous anchor is broken", row.seq))
            } else if anchor_hash(&row) != row.hash {
                Some(format!("anchor {}: content does not match its hash", row.seq))
            } else {
                None
            };
            if problem.is_some() {
                let verdict = AnchorsVerdict { ok: false, checked: expected_seq - 1, latest_hash: None, problem };
                return Ok((verdict, HashMap::new()));
            }
            expected_seq += 1;
            prev_hash = row.hash.clone();
            newest = Some(row);
        }
    }
    let heads: Vec<Head> = match &newest {
        Some(row) => match serde_json::from_str(&row.heads) {
            Ok(heads) => heads,
            Err(_) => {
                let problem = Some(format!("anchor {}: its heads cannot be read", row.seq));
                let verdict = AnchorsVerdict {
                    ok: false,
                    checked: expected_seq - 1,
                    latest_hash: Some(row.hash.clone()),
                    problem,
                };
                return Ok((verdict, HashMap::new()));
            }
        },
        None => Vec::new(),
    };
    let verdict =
        AnchorsVerdict { ok: true, checked: expected_seq - 1, latest_hash: newest.map(|r| r.hash), problem: None };
    Ok((verdict, heads.into_iter().map(|h| (h.chain, h)).collect()))
}
