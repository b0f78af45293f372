//! Reads of the audit trail (writes go through `crate::tail`, which appends with `crate::audit::record`).

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

/// A page of events in chain order after sequence number `after`.
pub fn list(conn: &mut DbConnection, f: &AuditFilter, after: Option<i64>, limit: i64) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_events::table.select(AuditRow::as_select()).order(audit_events::seq).limit(limit).into_boxed();
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
    if let Some(s) = after {
        q = q.filter(audit_events::seq.gt(s));
    }
    q.load(conn)
}
