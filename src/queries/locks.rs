//! Row locks of the write paths, and the one lock every write to an enterprise's records takes
//! first: the enterprise's row.
//!
//! Every rule that reads an enterprise's records before it writes — multiplicity ("is there a
//! live record already?"), tier supersession ("which tier is in force?"), the statistics
//! aggregates ("does this enterprise count already?"), pending counts — reads and writes that one
//! enterprise's records only. So a transaction that creates, edits or transitions a record locks
//! the enterprise row (`FOR NO KEY UPDATE`) before its first read, and every such transaction of
//! one enterprise runs after the previous one committed, on any instance. PostgreSQL's READ
//! COMMITTED gives each later statement a snapshot taken after the lock was granted, so the
//! reads see everything the previous holder wrote. Transactions of different enterprises do not
//! wait on each other.
//!
//! `FOR NO KEY UPDATE` rather than `FOR UPDATE`: it does not block the `FOR KEY SHARE` locks that
//! foreign-key checks take (a user or API client inserted for the enterprise), while two holders
//! still exclude each other, and an `UPDATE` of the enterprise row (profile edit, verification)
//! waits for it as well — so a submission and a verification never see each other half-done.
//!
//! SQLite needs none of this: the service runs one writer transaction at a time (`Db::write`), and
//! SQLite itself refuses a write from a transaction whose snapshot is stale. The functions
//! therefore only lock on PostgreSQL; this module is the one place that SQL lives.
//!
//! Lock order, to stay free of deadlocks: the idempotency key (claimed first), then the
//! enterprise, then the city's quota row of a recommendation into the province stage
//! (`queries::quotas::lock`), then aggregate rows (in key order), then the statistics generation,
//! then the audit head — and never two enterprises in one transaction, except an import of an
//! official list, which locks its enterprises in id order ([`enterprises`]).
//!
//! A milestone type's row is locked by the change of its review alone (no enterprise in that
//! transaction), so it takes no place in that order.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enterprises::EnterpriseRow;
use super::reference::MilestoneType;
use crate::db::DbConnection;
use crate::schema::{enterprises, milestone_types, milestones, rate_limits};

/// The enterprise `id`, its row locked until the transaction ends; `None` when there is none.
pub fn enterprise(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EnterpriseRow>> {
    match conn {
        DbConnection::Pg(c) => {
            enterprises::table.find(id).select(EnterpriseRow::as_select()).for_no_key_update().first(c).optional()
        }
        DbConnection::Sqlite(c) => enterprises::table.find(id).select(EnterpriseRow::as_select()).first(c).optional(),
    }
}

/// Locks the enterprises `ids` (an import's), in id order so that two imports never wait on each
/// other in opposite orders; transactions of one enterprise take only its lock, so an import
/// waits for them or they for it, never in a cycle. Nothing on SQLite.
pub fn enterprises(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    if let DbConnection::Pg(c) = conn {
        let mut sorted: Vec<&String> = ids.iter().collect();
        sorted.sort();
        for chunk in sorted.chunks(1_000) {
            enterprises::table
                .filter(enterprises::id.eq_any(chunk))
                .order(enterprises::id)
                .select(enterprises::id)
                .for_no_key_update()
                .load::<String>(c)?;
        }
    }
    Ok(())
}

/// Locks the enterprise of milestone `milestone_id` and returns it (nothing when there is no such
/// milestone). Call it before the first read of a transition or an edit. A query diesel prepares
/// once per connection (the enterprise is found through the milestone in a subquery, whose rows
/// are not locked). On SQLite it locks and returns nothing (the caller reads the enterprise if it
/// needs it).
pub fn enterprise_of_milestone(conn: &mut DbConnection, milestone_id: &str) -> QueryResult<Option<EnterpriseRow>> {
    if let DbConnection::Pg(c) = conn {
        let owner = milestones::table.filter(milestones::id.eq(milestone_id)).select(milestones::enterprise_id);
        return enterprises::table
            .filter(enterprises::id.eq_any(owner))
            .select(EnterpriseRow::as_select())
            .for_no_key_update()
            .first(c)
            .optional();
    }
    Ok(None)
}

/// The window start and hits of a throttle bucket that exists, its row locked until the
/// transaction ends (see [`super::rate_limits::hit`]).
pub fn rate_limit(conn: &mut DbConnection, bucket: &str) -> QueryResult<(NaiveDateTime, i32)> {
    let columns = (rate_limits::window_start, rate_limits::hits);
    match conn {
        DbConnection::Pg(c) => rate_limits::table.find(bucket).select(columns).for_update().first(c),
        DbConnection::Sqlite(c) => rate_limits::table.find(bucket).select(columns).first(c),
    }
}

/// Milestone type `code`, locked (`FOR UPDATE` on PostgreSQL) for a change of its review: two
/// racing changes run one after the other, and the later one reads what the earlier wrote.
pub fn milestone_type(conn: &mut DbConnection, code: &str) -> QueryResult<Option<MilestoneType>> {
    let row = milestone_types::table.find(code.to_string());
    match conn {
        DbConnection::Pg(c) => row.select(MilestoneType::as_select()).for_update().first(c).optional(),
        DbConnection::Sqlite(c) => row.select(MilestoneType::as_select()).first(c).optional(),
    }
}
