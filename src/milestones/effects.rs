//! What a record write leaves for the end of its transaction: pending and 公示 count changes, whether the
//! statistics changed, and audit entries. A single write applies them at once; a bulk write
//! gathers every item's and applies them together at its end ([`Effects::finish`]), so that a
//! transaction holding several enterprises' locks takes the shared rows (pending counts in key
//! order, then the statistics generation and the audit head) only once, last, in the order
//! `queries::locks` gives — and an item rolled back to its savepoint leaves nothing behind.

use serde_json::Value;

use crate::audit::{Actor, Event, RequestMeta};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::queries::milestones::MilestoneRow;
use crate::stats::aggregates::pending::{self, Counts};
use crate::tail::{self, Figures};

/// One audit entry about a milestone.
#[derive(Debug, Clone)]
struct Entry {
    action: String,
    object_id: String,
    detail: Option<Value>,
}

/// The deferred tail of one or more record writes.
#[derive(Debug, Clone)]
pub struct Effects {
    pending: Counts,
    figures: Figures,
    entries: Vec<Entry>,
}

impl Default for Effects {
    fn default() -> Self {
        Self { pending: Counts::new(), figures: Figures::Unchanged, entries: Vec::new() }
    }
}

impl Effects {
    /// `record`, as it was, leaves its state (the pending or 公示 count of its row, if any).
    pub fn leave(&mut self, record: &MilestoneRow) {
        pending::count(&mut self.pending, record, -1);
    }

    /// `record`, as it is now, enters its state.
    pub fn enter(&mut self, record: &MilestoneRow) {
        pending::count(&mut self.pending, record, 1);
    }

    /// The write can change what the statistics report.
    pub fn figures_changed(&mut self) {
        self.figures = Figures::Changed;
    }

    /// An audit entry `action` on milestone `id`.
    pub fn audit(&mut self, action: impl Into<String>, id: impl Into<String>, detail: Option<Value>) {
        self.entries.push(Entry { action: action.into(), object_id: id.into(), detail });
    }

    /// Adds another write's effects (a bulk item that succeeded).
    pub fn merge(&mut self, other: Effects) {
        for (k, (n, publicised)) in other.pending {
            let e = self.pending.entry(k).or_default();
            e.0 += n;
            e.1 += publicised;
        }
        if other.figures == Figures::Changed {
            self.figures = Figures::Changed;
        }
        self.entries.extend(other.entries);
    }

    /// Applies them: the pending counts (in key order), then `crate::tail` (statistics
    /// generation, audit entries by `actor`).
    pub fn finish(self, conn: &mut DbConnection, meta: &RequestMeta, actor: &Actor) -> Result<(), AppError> {
        pending::add_counts(conn, &self.pending)?;
        let events = self.entries.iter().map(|e| {
            let event = Event::ok(&e.action, "milestone", &e.object_id);
            match &e.detail {
                Some(d) => event.detail(d.clone()),
                None => event,
            }
        });
        tail::finish(conn, meta, actor, self.figures, events)
    }
}
