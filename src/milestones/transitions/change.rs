//! What a transition changes: the record's columns, its history entry, and for a tier
//! approval (or finalisation) the enterprise's other tier records (DESIGN §3.3 exclusive groups).

use chrono::{NaiveDate, NaiveDateTime};

use super::check::{conflict_in, Checked};
use crate::audit::Event;
use crate::auth::Principal;
use crate::calendar::workdays_after;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::milestone::history_action;
use crate::domain::milestone::review::Stage;
use crate::domain::milestone::tiers::{supersession, TierRecord};
use crate::domain::{Action, MilestoneState, Position, Review};
use crate::error::AppError;
use crate::milestones::{history_entry, history_entry_by};
use crate::queries::enterprises::{self, EnterpriseRow};
use crate::queries::milestones::{self as q, MilestoneChanges, MilestoneRow};
use crate::stats::definitions::model::TypeTable;

/// The columns `action` by `p` sets on `m` at `now`, leading it to `next` under `review`. A
/// submission copies the enterprise's county and city (and needs it verified: 409
/// `enterprise_unverified`; `locked` is the enterprise when its lock returned it, else it is
/// read) and the type's review; the approval that ends the review sets the
/// 文号, batch and date, and for 公示 its period: from `today` to the `publicity_days`-th working
/// day after.
#[allow(clippy::too_many_arguments)]
pub fn columns(
    conn: &mut DbConnection,
    m: &MilestoneRow,
    locked: Option<EnterpriseRow>,
    action: Action,
    next: Position,
    review: &Review,
    input: &Checked,
    p: &Principal,
    (now, today): (NaiveDateTime, NaiveDate),
) -> Result<MilestoneChanges, AppError> {
    let mut c = MilestoneChanges {
        state: Some(next.state),
        stage: Some(next.stage),
        comment: Some(input.comment.clone()),
        ..Default::default()
    };
    match action {
        Action::Submit => {
            let e = match locked {
                Some(e) => e,
                None => enterprises::find(conn, &m.enterprise_id)?.ok_or_else(|| AppError::not_found("enterprise"))?,
            };
            if !e.verified {
                return Err(AppError::conflict(
                    "enterprise_unverified",
                    "the enterprise must be verified by its city before it can submit milestones",
                ));
            }
            c.county_code = Some(e.county_code);
            c.city_code = Some(e.city_code);
            c.submitted_at = Some(now);
            c.submitted_by = Some(p.id.clone());
            if p.role == crate::domain::Role::Provider {
                c.provider_id = p.provider_id.clone();
            }
            c.review_chain = Some(review.chain.stored());
            c.publicity_days = Some(i32::try_from(review.publicity_days).unwrap_or(0));
            // The chain starts again: an earlier recommendation no longer holds a quota place.
            c.recommended_on = Some(None);
            c.priority = Some(None);
        }
        Action::Withdraw => {}
        Action::Object => {
            c.publicity_starts_on = Some(None);
            c.publicity_ends_on = Some(None);
        }
        Action::Approve | Action::Reject | Action::Return => {
            c.decided_at = Some(now);
            c.decided_by = Some(p.id.clone());
            if action == Action::Approve && next.state != MilestoneState::Submitted {
                c.effective_on = input.effective_on;
                c.document_no = input.document_no.clone();
                c.batch = input.batch.clone();
            }
            if action == Action::Approve && next.state == MilestoneState::Submitted {
                c.priority = Some(input.priority);
                if next.stage == Some(Stage::Province) {
                    c.recommended_on = Some(Some(today));
                }
            }
            if next.state == MilestoneState::Approved {
                c.approved_at = Some(now);
            }
            if next.state == MilestoneState::Publicised {
                let (ends_on, _) = workdays_after(conn, today, review.publicity_days)?;
                c.publicity_starts_on = Some(Some(today));
                c.publicity_ends_on = Some(Some(ends_on));
            }
        }
        Action::Revoke => {
            c.revoked_at = Some(now);
            c.revoked_effective_on = input.effective_on;
            c.decided_at = Some(now);
            c.decided_by = Some(p.id.clone());
        }
    }
    Ok(c)
}

/// Applies `changes` if `m` is still in the state and version it was read in (else 412 for a
/// stale `If-Match`, 409 with the current state otherwise) and appends the history entry;
/// returns the record as changed.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &mut DbConnection,
    m: &MilestoneRow,
    action: Action,
    next: Position,
    changes: &MilestoneChanges,
    input: &Checked,
    if_match: IfMatch,
    p: &Principal,
    now: NaiveDateTime,
) -> Result<MilestoneRow, AppError> {
    let Some(updated) = q::update_if(conn, &m.id, m.state, m.version, changes, now)? else {
        let current = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
        if if_match.version().is_some_and(|v| v != current.version) {
            return Err(stale(current.version));
        }
        return Err(conflict_in(current.state));
    };
    let mut entry = history_entry(&m.id, history_action(action, next), Some(m.state), next.state, p, now);
    entry.comment = input.comment.clone();
    entry.effective_on = input.effective_on;
    // The stage acted at (a reviewer's decision) or entered (a submission, an objection).
    entry.stage = match action {
        Action::Approve | Action::Reject | Action::Return => m.stage,
        _ => next.stage,
    };
    q::append_history(conn, entry)?;
    Ok(updated)
}

/// What [`supersede_tiers`] did: the records it ended, with the day (for the caller to audit),
/// and whether it ended the approved record itself (a later tier was in force already).
#[derive(Debug, Default)]
pub struct Superseded {
    /// The records ended, with the day.
    pub ended: Vec<(String, NaiveDate)>,
    /// Whether the approved record got an end date too.
    pub itself: bool,
}

/// Applies `domain::milestone::tiers::supersession` to the newly approved record: ends the tier
/// records it ends (history entry `supersede`), and ends it when a later one exists. `by` is the
/// actor's (id, role) for the history entries; `types` the catalogue's (its exclusive groups).
pub fn supersede_tiers(
    conn: &mut DbConnection,
    types: &TypeTable,
    by: (&str, &str),
    approved: &MilestoneRow,
    effective_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<Superseded, AppError> {
    let Some(group) = types.exclusive_group(&approved.milestone_type) else {
        return Ok(Superseded::default());
    };
    let others: Vec<MilestoneRow> = q::approved_of_types(conn, &approved.enterprise_id, &types.in_group(group))?
        .into_iter()
        .filter(|o| o.id != approved.id)
        .collect();
    let records: Vec<TierRecord<'_>> = others
        .iter()
        .map(|o| TierRecord { id: &o.id, state: o.state, effective_on: o.effective_on, ended_on: o.ended_on })
        .collect();
    let s = supersession(effective_on, &records);
    let mut out = Superseded::default();
    for id in s.ends {
        q::set_ended_on(conn, id, effective_on, now)?;
        let approved_state = Some(MilestoneState::Approved);
        let mut entry = history_entry_by(id, "supersede", approved_state, MilestoneState::Approved, by, now);
        entry.effective_on = Some(effective_on);
        entry.comment = Some(format!("replaced by {}", approved.id));
        q::append_history(conn, entry)?;
        out.ended.push((id.to_string(), effective_on));
    }
    if let Some(end) = s.ended_on {
        q::set_ended_on(conn, &approved.id, end, now)?;
        out.itself = true;
    }
    Ok(out)
}

/// The audit entries of the records a tier approval of `by_record` ended (`milestone.supersede`,
/// with the replacing record and the day), as [`supersede_tiers`] returned them.
pub fn supersede_events<'a>(
    by_record: &'a str,
    superseded: &'a [(String, NaiveDate)],
) -> impl Iterator<Item = Event<'a>> + 'a {
    superseded.iter().map(move |(id, on)| {
        Event::ok("milestone.supersede", "milestone", id)
            .detail(serde_json::json!({"by": by_record, "on": on.to_string()}))
    })
}
