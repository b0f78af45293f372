//! Applying a workflow action to a stored milestone: scope, role, `If-Match`, state, input,
//! then a conditional update on (state, version) so that concurrent reviewers cannot both win.
//! The change, its history entry and its audit entry commit together; approving a tier
//! recognition ends the enterprise's other tier on the new one's effective date.

use chrono::{NaiveDate, NaiveDateTime};

use super::input::parse_effective_on;
use super::{history_entry, load_visible, type_rules};
use crate::audit::{self, Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::milestone::{clean_comment, validate_transition_input};
use crate::domain::{transition, Action, MilestoneState, TransitionError};
use crate::error::{AppError, FieldError};
use crate::queries::milestones::{self as q, MilestoneChanges, MilestoneRow};
use crate::queries::{enterprises, locks};
use crate::stats;
use crate::stats::fast::catalogue::CatalogueCache;

/// What a transition request carries.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Comment (required for reject, return and revoke).
    pub comment: Option<String>,
    /// Date: approval correction, or revocation date (required for revoke).
    pub effective_on: Option<String>,
}

fn conflict_in(state: &str) -> AppError {
    AppError::conflict("invalid_transition", format!("the milestone is {state}; this action does not apply"))
        .with("state", state.to_string())
}

/// Who acts, from where, on which day (Asia/Shanghai).
#[derive(Debug, Clone)]
pub struct Acting {
    /// The caller.
    pub principal: Principal,
    /// Request origin for the audit trail.
    pub meta: RequestMeta,
    /// Today, for "not in the future" checks.
    pub today: NaiveDate,
}

/// Applies `action` to milestone `id` on behalf of `who`.
pub fn apply(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    who: &Acting,
    id: &str,
    action: Action,
    input: &TransitionInput,
    if_match: IfMatch,
) -> Result<MilestoneRow, AppError> {
    let (p, meta, today) = (&who.principal, &who.meta, who.today);
    // Before the first read: every rule below reads the enterprise's records (queries::locks).
    locks::enterprise_of_milestone(conn, id)?;
    let m = load_visible(conn, p, id)?;
    let state = MilestoneState::parse(&m.state).map_err(AppError::internal)?;
    let next = match transition(state, action, p.role) {
        Ok(next) => next,
        Err(e @ TransitionError::WrongRole { .. }) => return Err(AppError::forbidden("forbidden_role", e.to_string())),
        Err(TransitionError::IllegalState { .. }) => {
            if_match.check(m.version)?;
            return Err(conflict_in(&m.state));
        }
    };
    if_match.check(m.version)?;

    let comment = clean_comment(input.comment.as_deref());
    let mut errors: Vec<FieldError> = Vec::new();
    let effective_on = match &input.effective_on {
        Some(s) => parse_effective_on(s, today, "effective_on").map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    if let Err(list) = validate_transition_input(action, input.comment.as_deref(), effective_on, today) {
        errors.extend(list.into_iter().map(FieldError::from));
    }
    if action == Action::Revoke && effective_on.is_some_and(|d| d < m.effective_on) {
        errors.push(FieldError::new(
            "effective_on",
            "before_milestone",
            "must not be before the milestone took effect",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }

    let now = crate::clock::now();
    let mut changes = MilestoneChanges { state: Some(next.as_str().to_string()), ..Default::default() };
    match action {
        Action::Submit => {
            let e = enterprises::find(conn, &m.enterprise_id)?.ok_or_else(|| AppError::not_found("enterprise"))?;
            if !e.verified {
                return Err(AppError::conflict(
                    "enterprise_unverified",
                    "the enterprise must be verified by its city before it can submit milestones",
                ));
            }
            changes.county_code = Some(e.county_code);
            changes.city_code = Some(e.city_code);
            changes.submitted_at = Some(now);
            changes.comment = Some(comment.clone());
        }
        Action::Withdraw => changes.comment = Some(comment.clone()),
        Action::Approve | Action::Reject | Action::Return => {
            changes.decided_at = Some(now);
            changes.decided_by = Some(p.id.clone());
            changes.comment = Some(comment.clone());
            if action == Action::Approve {
                changes.approved_at = Some(now);
                changes.effective_on = effective_on;
            }
        }
        Action::Revoke => {
            changes.revoked_at = Some(now);
            changes.revoked_effective_on = effective_on;
            changes.decided_at = Some(now);
            changes.decided_by = Some(p.id.clone());
            changes.comment = Some(comment.clone());
        }
    }
    // Returns the records that the approval superseded (their audit entries come last, below).
    let record = |conn: &mut DbConnection| -> Result<Vec<(String, NaiveDate)>, AppError> {
        if !q::update_if(conn, &m.id, &m.state, m.version, &changes, now)? {
            let current = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
            if if_match.version().is_some_and(|v| v != current.version) {
                return Err(stale(current.version));
            }
            return Err(conflict_in(&current.state));
        }
        let mut entry = history_entry(&m.id, action.as_str(), Some(&m.state), next.as_str(), p, now);
        entry.comment = comment;
        entry.effective_on = effective_on;
        q::append_history(conn, entry)?;
        if action == Action::Approve {
            return supersede_tiers(conn, p, &m, effective_on.unwrap_or(m.effective_on), now);
        }
        Ok(Vec::new())
    };
    // Only approvals and revocations change what counts; they keep the statistics aggregate in
    // step within the same transaction.
    let superseded = if matches!(action, Action::Approve | Action::Revoke) {
        let catalogue = catalogue.get(conn)?;
        stats::fast::store::around(conn, &catalogue, &m.enterprise_id, &m.milestone_type, record)?
    } else {
        record(conn)?
    };
    let updated = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
    // The review queue's counts: a record enters `submitted` only by submission and leaves it by
    // any decision or withdrawal.
    if m.state == MilestoneState::Submitted.as_str() {
        stats::fast::pending::add(conn, &m, -1)?;
    }
    if updated.state == MilestoneState::Submitted.as_str() {
        stats::fast::pending::add(conn, &updated, 1)?;
    }
    // The two rows every transition updates — the statistics generation and the audit chain's
    // head — are taken last and always in this order, so concurrent transitions wait on them only
    // until this commits and never deadlock on them.
    // Pending counts change with every transition, the figures with approvals and revocations.
    stats::fast::cache::bump(conn)?;
    let mut detail = serde_json::json!({"from": m.state, "to": next.as_str()});
    if let Some(d) = effective_on {
        detail["effective_on"] = serde_json::json!(d.to_string());
    }
    audit::record(
        conn,
        meta,
        &Actor::Principal(p.clone()),
        Event::ok(&format!("milestone.{}", action.as_str()), "milestone", &m.id).detail(detail),
    )?;
    for (id, on) in superseded {
        audit::record(
            conn,
            meta,
            &Actor::Principal(p.clone()),
            Event::ok("milestone.supersede", "milestone", &id)
                .detail(serde_json::json!({"by": m.id, "on": on.to_string()})),
        )?;
    }
    Ok(updated)
}

/// An enterprise holds one tier at a time: the newly approved record ends every approved tier
/// record that took effect before it, and is itself ended by one that took effect after it.
/// Returns the records it ended, with the day, for the caller to audit.
fn supersede_tiers(
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
    let mut own_end: Option<NaiveDate> = None;
    let mut superseded = Vec::new();
    for o in others {
        if o.state == "approved" && o.effective_on < effective_on && o.ended_on.is_none_or(|d| d > effective_on) {
            q::set_ended_on(conn, &o.id, effective_on, now)?;
            let mut entry = history_entry(&o.id, "supersede", Some("approved"), "approved", p, now);
            entry.effective_on = Some(effective_on);
            entry.comment = Some(format!("replaced by {}", approved.id));
            q::append_history(conn, entry)?;
            superseded.push((o.id, effective_on));
        } else if o.effective_on > effective_on {
            own_end = Some(own_end.map_or(o.effective_on, |d| d.min(o.effective_on)));
        }
    }
    if let Some(end) = own_end {
        q::set_ended_on(conn, &approved.id, end, now)?;
    }
    Ok(superseded)
}
