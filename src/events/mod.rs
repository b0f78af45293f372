//! The event outbox and its feed (DESIGN §3.10): every state change appends an event in its own
//! transaction ([`append`]); the [`assigner`] numbers committed events in commit order as readers
//! see it; the [`Hub`] tells waiting readers (long polls) when the highest number moved.
//!
//! Why numbering happens after the commit: on PostgreSQL concurrent transactions commit out of
//! order, so a number taken at insert time (a sequence) can become visible after a higher one a
//! reader already passed — the reader would skip it for ever. Numbering only committed rows, one
//! assigner at a time, makes every number given later higher than every number given before, and
//! the writes themselves share no row (no global hot row on the write path).

pub mod assigner;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::watch;

use crate::db::DbConnection;
use crate::domain::{Action, MilestoneState};
use crate::error::AppError;
use crate::queries::events::{self as q, EventRow};
use crate::queries::milestones::MilestoneRow;

/// Every event type (DESIGN §3.10).
pub const EVENT_TYPES: [&str; 12] = [
    "milestone.submitted",
    "milestone.recommended",
    "milestone.returned",
    "milestone.rejected",
    "milestone.publicised",
    "milestone.objected",
    "milestone.approved",
    "milestone.withdrawn",
    "milestone.revoked",
    "milestone.imported",
    "delegation.granted",
    "delegation.revoked",
];

/// The event type of `action` leading a record into `to`: `milestone.submitted`,
/// `.recommended` (an approval before the chain's last stage), `.publicised`, `.approved`,
/// `.returned`, `.rejected`, `.withdrawn`, `.revoked` or `.objected`.
pub fn milestone_event(action: Action, to: MilestoneState) -> &'static str {
    match (action, to) {
        (Action::Submit, _) => "milestone.submitted",
        (Action::Approve, MilestoneState::Submitted) => "milestone.recommended",
        (Action::Approve, MilestoneState::Publicised) => "milestone.publicised",
        (Action::Approve, _) => "milestone.approved",
        (Action::Return, _) => "milestone.returned",
        (Action::Reject, _) => "milestone.rejected",
        (Action::Withdraw, _) => "milestone.withdrawn",
        (Action::Revoke, _) => "milestone.revoked",
        (Action::Object, _) => "milestone.objected",
    }
}

/// Appends the event `event_type` of record `m` (as it is after the change) at `at`, with its
/// state, stage and version and `extra` fields in `data`; call inside the change's transaction.
pub fn append(
    conn: &mut DbConnection,
    event_type: &str,
    m: &MilestoneRow,
    at: NaiveDateTime,
    extra: Value,
) -> Result<(), AppError> {
    q::insert(conn, &row(event_type, m, at, extra))?;
    Ok(())
}

/// Appends the event `event_type` of enterprise `e` about provider `provider_id` (a delegation
/// change) at `at` with `data`; call inside the change's transaction. Reviewers see it by the
/// enterprise's county and city, the provider by its id.
pub fn append_for_enterprise(
    conn: &mut DbConnection,
    event_type: &str,
    (e, provider_id): (&crate::queries::enterprises::EnterpriseRow, &str),
    at: NaiveDateTime,
    data: Value,
) -> Result<(), AppError> {
    let mut row = unnumbered(event_type, at, (&e.id, &e.county_code, &e.city_code), data);
    row.provider_id = Some(provider_id.to_string());
    q::insert(conn, &row)?;
    Ok(())
}

/// A new event about enterprise `(id, county, city)`, not yet numbered.
fn unnumbered(
    event_type: &str,
    at: NaiveDateTime,
    (enterprise, county, city): (&str, &str, &str),
    data: Value,
) -> EventRow {
    EventRow {
        id: uuid::Uuid::now_v7().to_string(),
        seq: None,
        event_type: event_type.to_string(),
        occurred_at: at,
        milestone_id: None,
        enterprise_id: enterprise.to_string(),
        county_code: Some(county.to_string()),
        city_code: Some(city.to_string()),
        milestone_type: None,
        provider_id: None,
        data: data.to_string(),
    }
}

/// The event row [`append`] writes (for writers that insert many at once).
pub fn row(event_type: &str, m: &MilestoneRow, at: NaiveDateTime, extra: Value) -> EventRow {
    let mut data = serde_json::json!({
        "type": m.milestone_type,
        "level": m.level,
        "state": m.state.as_str(),
        "stage": m.stage.map(|s| s.as_str()),
        "version": m.version,
    });
    if let (Some(obj), Value::Object(more)) = (data.as_object_mut(), extra) {
        obj.extend(more);
    }
    let mut row = unnumbered(event_type, at, (&m.enterprise_id, &m.county_code, &m.city_code), data);
    row.milestone_id = Some(m.id.clone());
    row.milestone_type = Some(m.milestone_type.clone());
    row
}

/// One event as the feed (and a webhook delivery) shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    id: String,
    seq: i64,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    occurred_at: NaiveDateTime,
    milestone_id: Option<String>,
    enterprise_id: String,
    data: Value,
}

impl From<EventRow> for EventView {
    fn from(r: EventRow) -> Self {
        Self {
            id: r.id,
            seq: r.seq.unwrap_or_default(),
            event_type: r.event_type,
            occurred_at: r.occurred_at,
            milestone_id: r.milestone_id,
            enterprise_id: r.enterprise_id,
            data: serde_json::from_str(&r.data).unwrap_or(Value::Null),
        }
    }
}

/// Where this instance tells its waiting readers the highest event number it has seen.
#[derive(Debug)]
pub struct Hub {
    latest: watch::Sender<i64>,
}

impl Default for Hub {
    fn default() -> Self {
        Self { latest: watch::channel(0).0 }
    }
}

impl Hub {
    /// A receiver that changes when the highest number does.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.latest.subscribe()
    }

    /// Records `seq` as the highest number seen (waking the readers if it is higher).
    pub fn saw(&self, seq: i64) {
        self.latest.send_if_modified(|v| {
            let higher = seq > *v;
            if higher {
                *v = seq;
            }
            higher
        });
    }
}
