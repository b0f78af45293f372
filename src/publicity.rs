//! 公示 finalisation (DESIGN §3.7): a `publicised` record whose period has passed (today, Asia/
//! Shanghai, after `publicity_ends_on`) becomes `approved`, with `approved_at` the moment of the
//! change — the only way out of 公示 into `approved`.
//!
//! Each record changes in its own transaction, as an approval does: the enterprise's lock, the
//! statistics aggregates before and after (`store::Before`), a conditional update on the state
//! `publicised` (so with several instances running exactly one changes it; the others find it
//! approved and skip it), the history entry `finalise` by `system`, tier supersession, and the
//! tail (statistics generation, audit `milestone.finalise`). Pending counts do not move: a
//! publicised record is no longer pending.
//!
//! It runs at start-up ([`crate::startup`]), then every [`PERIOD`] while the service runs, and on
//! demand (`finalise-publicity` on the command line). Tests move an instance's clock instead of
//! waiting.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{Actor, Event, RequestMeta};
use crate::db::{Db, DbConnection};
use crate::domain::MilestoneState;
use crate::error::AppError;
use crate::milestones::history_entry_by;
use crate::milestones::transitions::{supersede_events, supersede_tiers};
use crate::queries::locks;
use crate::queries::milestones::{self as q, MilestoneChanges};
use crate::schema::milestones;
use crate::state::AppState;
use crate::stats::aggregates::catalogue::CatalogueCache;
use crate::stats::aggregates::{pending, store};
use crate::tail::{self, Figures};

/// How often a running service looks for records to finalise.
pub const PERIOD: Duration = Duration::from_secs(60);

/// The actor of a finalisation, in history entries and the audit trail.
pub const ACTOR: &str = "system";

/// Records read per round (a backlog is worked through in further rounds of the same call).
const BATCH: i64 = 500;

/// The ids of records whose 公示 has passed on `today`, oldest first.
fn due(conn: &mut DbConnection, today: NaiveDate) -> Result<Vec<String>, AppError> {
    Ok(milestones::table
        .filter(milestones::state.eq(MilestoneState::Publicised))
        .filter(milestones::publicity_ends_on.lt(today))
        .order(milestones::id)
        .select(milestones::id)
        .limit(BATCH)
        .load(conn)?)
}

/// Finalises record `id` if it is still publicised and due on `today`, at `now`; false when it
/// is not (another instance was first, an objection or withdrawal came in between).
pub fn finalise_one(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    id: &str,
    (now, today): (NaiveDateTime, NaiveDate),
) -> Result<bool, AppError> {
    locks::enterprise_of_milestone(conn, id)?;
    let Some(m) = q::find(conn, id)? else {
        return Ok(false);
    };
    if m.state != MilestoneState::Publicised || m.publicity_ends_on.is_none_or(|end| end >= today) {
        return Ok(false);
    }
    let catalogue = catalogue.get(conn)?;
    let before = store::Before::take(conn, &catalogue, &m.enterprise_id, &m.milestone_type)?;
    let changes =
        MilestoneChanges { state: Some(MilestoneState::Approved), approved_at: Some(now), ..Default::default() };
    let Some(mut finalised) = q::update_if(conn, &m.id, MilestoneState::Publicised, m.version, &changes, now)? else {
        return Ok(false);
    };
    let by = (ACTOR, ACTOR);
    let entry =
        history_entry_by(&m.id, "finalise", Some(MilestoneState::Publicised), MilestoneState::Approved, by, now);
    q::append_history(conn, entry)?;
    let superseded = supersede_tiers(conn, &catalogue.types, by, &m, m.effective_on, now)?;
    if superseded.itself {
        finalised = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
    }
    before.settle(conn, &finalised)?;
    pending::leave(conn, &m)?;
    let extra = json!({"from": "publicised", "finalised": true});
    crate::events::append(conn, "milestone.approved", &finalised, now, extra)?;
    let detail = json!({"from": "publicised", "to": "approved", "publicity_ends_on": m.publicity_ends_on});
    let events = std::iter::once(Event::ok("milestone.finalise", "milestone", &m.id).detail(detail))
        .chain(supersede_events(&m.id, &superseded.ended));
    tail::finish(conn, &RequestMeta::default(), &Actor::System(ACTOR), Figures::Changed, events)?;
    Ok(true)
}

/// Finalises every record due on `today` (each in its own transaction), at the moment each
/// changes as `now` gives it; returns how many this call changed.
pub async fn finalise_due_on(
    db: &Db,
    catalogue: &std::sync::Arc<CatalogueCache>,
    now: impl Fn() -> NaiveDateTime,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let mut changed = 0;
    loop {
        let ids = db.run(move |c| due(c, today)).await?;
        let round = ids.len();
        let mut moved = 0;
        for id in ids {
            let (cat, at) = (catalogue.clone(), now());
            if db.write(move |c| finalise_one(c, &cat, &id, (at, today))).await? {
                moved += 1;
            }
        }
        changed += moved;
        // A short round is the last; a full one that moved nothing was taken by another instance.
        if round < BATCH as usize || moved == 0 {
            return Ok(changed);
        }
    }
}

/// Finalises every record due by the instance's clock.
pub async fn finalise_due(state: &AppState) -> Result<usize, AppError> {
    let clock = state.clock.clone();
    finalise_due_on(&state.db, &state.catalogue, move || clock.now(), state.clock.today_shanghai()).await
}

/// Runs [`finalise_due`] every [`PERIOD`] (the first time one period from now: start-up has just
/// run it), logging what it did; until the task is dropped.
pub async fn run_periodically(state: AppState) {
    let start = tokio::time::Instant::now() + PERIOD;
    let mut ticks = tokio::time::interval_at(start, PERIOD);
    loop {
        ticks.tick().await;
        match finalise_due(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(records = n, "finalised records whose publicity period has passed"),
            Err(e) => tracing::warn!(error = %e, "publicity finalisation failed; retried next period"),
        }
    }
}
