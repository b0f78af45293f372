//! The tail of every write: what a change does last, inside its transaction, in one fixed order.
//!
//! 1. the statistics generation, when the change can alter a statistics table (transitions into
//!    or out of counting, target changes, rebuilds) — cached tables of older generations are
//!    then recomputed;
//! 2. the audit entries, appended to the hash chain;
//! 3. (second release) the event outbox, DESIGN §3.10.
//!
//! Each write updates one of the generation's 64 slots (at random) and one of the audit trail's
//! 64 chain heads (by the object concerned): no row that every write in the province waits on
//! (issue 19). Taken last, and always in this order, they are held only until the commit and two
//! writes can never wait on each other for them in opposite orders (no deadlock). Writes call
//! [`finish`] instead of touching either row themselves.

use crate::audit::{self, Actor, Event, RequestMeta};
use crate::db::DbConnection;
use crate::error::AppError;

/// Whether a write can change what the statistics report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    /// It can (cached tables must be recomputed).
    Changed,
    /// It cannot.
    Unchanged,
}

/// Runs the tail of a write: the statistics generation if `figures` changed, then `events` in
/// the audit trail, all by `actor`.
pub fn finish<'e>(
    conn: &mut DbConnection,
    meta: &RequestMeta,
    actor: &Actor,
    figures: Figures,
    events: impl IntoIterator<Item = Event<'e>>,
) -> Result<(), AppError> {
    if figures == Figures::Changed {
        crate::stats::aggregates::cache::bump(conn)?;
    }
    audit::record_all(conn, meta, actor, events.into_iter().collect())?;
    Ok(())
}

/// The tail of a write that changes no statistics and records one audit entry (logins, token
/// grants, exports, account and enterprise creation).
pub fn audited(conn: &mut DbConnection, meta: &RequestMeta, actor: &Actor, event: Event<'_>) -> Result<(), AppError> {
    finish(conn, meta, actor, Figures::Unchanged, [event])
}

/// The tail of a write whose audit entry its caller records elsewhere (a statistics rebuild by the
/// command line or at start-up): the statistics generation only.
pub fn figures_changed(conn: &mut DbConnection) -> Result<(), AppError> {
    crate::stats::aggregates::cache::bump(conn)
}
