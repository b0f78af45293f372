//! Reads of the audit trail (writes go through `crate::tail`, which appends with `crate::audit::record`).
//! The trail is listed in time order, ties by id (a UUIDv7): the chains interleave by time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::AuditRow;
use crate::db::DbConnection;
use crate::schema::audit_events;

/// Filters for listing audit events.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    /// Actor id.
    pub actor: Option<String>,
    /// Action name.
    pub action: Option<String>,
    /// From this time (inclusive).
    pub from: Option<NaiveDateTime>,
    /// Before this time (exclusive).
    pub to: Option<NaiveDateTime>,
}

/// A page of events in time order after `(occurred_at, id)` = `after`.
pub fn list(
    conn: &mut DbConnection,
    f: &AuditFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_events::table
        .select(AuditRow::as_select())
        .order((audit_events::occurred_at, audit_events::id))
        .limit(limit)
        .into_boxed();
    if let Some(a) = &f.actor {
        q = q.filter(audit_events::actor_id.eq(a.clone()));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_events::action.eq(a.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_events::occurred_at.ge(t));
    }
    if let Some(t) = f.to {
        q = q.filter(audit_events::occurred_at.lt(t));
    }
    if let Some((t, id)) = after {
        q = q.filter(audit_events::occurred_at.gt(t).or(audit_events::occurred_at.eq(t).and(audit_events::id.gt(id))));
    }
    q.load(conn)
}
