//! What a transition changes: the record's columns, its history entry, and for a tier
//! approval the enterprise's other tier records (DESIGN §3.3 exclusive groups).

use chrono::{NaiveDate, NaiveDateTime};

use super::check::{conflict_in, Checked};
use crate::auth::Principal;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::milestone::tiers::{supersession, TierRecord};
use crate::domain::{Action, MilestoneState};
use crate::error::AppError;
use crate::milestones::{history_entry, type_rules};
use crate::queries::enterprises;
use crate::queries::milestones::{self as q, MilestoneChanges, MilestoneRow};

/// The columns `action` by `p` sets on `m` at `now` (a submission copies the enterprise's
/// county and city, and needs it verified: 409 `enterprise_unverified`).
pub fn columns(
    conn: &mut DbConnection,
    m: &MilestoneRow,
    action: Action,
    next: MilestoneState,
    input: &Checked,
    p: &Principal,
    now: NaiveDateTime,
) -> Result<MilestoneChanges, AppError> {
    let mut c = MilestoneChanges { state: Some(next), comment: Some(input.comment.clone()), ..Default::default() };
    match action {
        Action::Submit => {
            let e = enterprises::find(conn, &m.enterprise_id)?.ok_or_else(|| AppError::not_found("enterprise"))?;
            if !e.verified {
                return Err(AppError::conflict(
                    "enterprise_unverified",
                    "the enterprise must be verified by its city before it can submit milestones",
                ));
            }
            c.county_code = Some(e.county_code);
            c.city_code = Some(e.city_code);
            c.submitted_at = Some(now);
        }
        Action::Withdraw => {}
        Action::Approve | Action::Reject | Action::Return => {
            c.decided_at = Some(now);
            c.decided_by = Some(p.id.clone());
            if action == Action::Approve {
                c.approved_at = Some(now);
                c.effective_on = input.effective_on;
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
/// stale `If-Match`, 409 with the current state otherwise) and appends the history entry.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &mut DbConnection,
    m: &MilestoneRow,
    action: Action,
    next: MilestoneState,
    changes: &MilestoneChanges,
    input: &Checked,
    if_match: IfMatch,
    p: &Principal,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if !q::update_if(conn, &m.id, m.state, m.version, changes, now)? {
        let current = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
        if if_match.version().is_some_and(|v| v != current.version) {
            return Err(stale(current.version));
        }
        return Err(conflict_in(current.state));
    }
    let mut entry = history_entry(&m.id, action.as_str(), Some(m.state), next, p, now);
    entry.comment = input.comment.clone();
    entry.effective_on = input.effective_on;
    q::append_history(conn, entry)?;
    Ok(())
}

/// Applies `domain::milestone::tiers::supersession` to the newly approved record: ends the tier
/// records it ends (history entry `supersede`), and ends it when a later one exists. Returns the
/// records it ended, with the day, for the caller to audit.
pub fn supersede_tiers(
    conn: &mut DbConnection,
    p: &Principal,
    approved: &MilestoneRow,
    effective_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<Vec<(String, NaiveDate)>, AppError> {
    let Some(rules) = type_rules(conn, &approved.milestone_type)? else {
        return Ok(Vec::new());
    };
    let Some(group) = rules.exclusive_group else {
        return Ok(Vec::new());
    };
    let types = q::types_in_group(conn, &group)?;
    let others: Vec<MilestoneRow> = q::approved_of_types(conn, &approved.enterprise_id, &types)?
        .into_iter()
        .filter(|o| o.id != approved.id)
        .collect();
    let records: Vec<TierRecord<'_>> = others
        .iter()
        .map(|o| TierRecord { id: &o.id, state: o.state, effective_on: o.effective_on, ended_on: o.ended_on })
        .collect();
    let s = supersession(effective_on, &records);
    let mut superseded = Vec::new();
    for id in s.ends {
        q::set_ended_on(conn, id, effective_on, now)?;
        let approved_state = Some(MilestoneState::Approved);
        let mut entry = history_entry(id, "supersede", approved_state, MilestoneState::Approved, p, now);
        entry.effective_on = Some(effective_on);
        entry.comment = Some(format!("replaced by {}", approved.id));
        q::append_history(conn, entry)?;
        superseded.push((id.to_string(), effective_on));
    }
    if let Some(end) = s.ended_on {
        q::set_ended_on(conn, &approved.id, end, now)?;
    }
    Ok(superseded)
}
