//! Applying a workflow action to a stored milestone, in five steps: lock and load (scope, 404),
//! authorise (role 403, `If-Match` 412, state 409, stage 403), validate the input (422), change
//! (a conditional update on state and version, so that of racing reviewers exactly one wins; the
//! history entry; tier supersession; the statistics aggregates), and the tail (pending counts,
//! then `crate::tail`: statistics generation and audit entries). Everything commits together.
//!
//! Only a transition into `approved` (an approval that ends a review without 公示) and a
//! revocation change what counts; an approval into `publicised` counts nothing until
//! `crate::publicity` finalises it.

mod change;
mod check;

pub use change::{supersede_events, supersede_tiers, Superseded};

use chrono::{NaiveDate, NaiveDateTime};

use super::effects::Effects;
use super::{chains, load_visible, quotas};
use crate::audit::{Actor, RequestMeta};
use crate::auth::Principal;
use crate::conditional::IfMatch;
use crate::db::DbConnection;
use crate::domain::id::{MilestoneId, ResourceId};
use crate::domain::milestone::review::Stage;
use crate::domain::{Action, MilestoneState};
use crate::error::AppError;
use crate::events;
use crate::queries::locks;
use crate::queries::milestones::{self as q, MilestoneRow};
use crate::stats::aggregates::catalogue::CatalogueCache;
use crate::stats::aggregates::store;

/// What a transition request carries.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Comment (required for reject, return and revoke).
    pub comment: Option<String>,
    /// Date: approval correction, or revocation date (required for revoke).
    pub effective_on: Option<String>,
    /// 文号 (the approval that ends the review).
    pub document_no: Option<String>,
    /// Batch (the approval that ends the review).
    pub batch: Option<String>,
    /// Priority (a recommendation to the next stage; 1 = first).
    pub priority: Option<i64>,
}

/// Who acts, from where, on which day (Asia/Shanghai).
#[derive(Debug, Clone)]
pub struct Acting {
    /// The caller.
    pub principal: Principal,
    /// Request origin for the audit trail.
    pub meta: RequestMeta,
    /// Now (UTC), on the instance's clock.
    pub now: NaiveDateTime,
    /// Today, for "not in the future" checks and 公示 periods.
    pub today: NaiveDate,
}

/// Applies `action` to milestone `id` on behalf of `who`, with its tail.
pub fn apply(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    who: &Acting,
    id: &MilestoneId,
    action: Action,
    input: &TransitionInput,
    if_match: IfMatch,
) -> Result<MilestoneRow, AppError> {
    let mut effects = Effects::default();
    let row = apply_in(conn, catalogue, who, id, action, input, if_match, &mut effects)?;
    effects.finish(conn, &who.meta, &Actor::Principal(who.principal.clone()))?;
    Ok(row)
}

/// [`apply`] without the tail: the pending counts, statistics generation and audit entries are
/// left in `effects` for the caller to apply (a bulk write applies every item's at its end).
#[allow(clippy::too_many_arguments)]
pub fn apply_in(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    who: &Acting,
    id: &MilestoneId,
    action: Action,
    input: &TransitionInput,
    if_match: IfMatch,
    effects: &mut Effects,
) -> Result<MilestoneRow, AppError> {
    let p = &who.principal;
    // Before the first read: every rule below reads the enterprise's records (queries::locks).
    let locked = locks::enterprise_of_milestone(conn, id.as_str())?;
    let m = load_visible(conn, p, id, who.today)?;
    let review = match action {
        Action::Submit => chains::type_review(conn, &m.milestone_type)?,
        _ => chains::record_review(&m)?,
    };
    let next = check::authorise(&m, &review, action, p, if_match)?;
    let ends_review = action == Action::Approve && next.state != MilestoneState::Submitted;
    let input = check::validate(action, ends_review, input, &m, who.today)?;
    if action == Action::Approve && next.state == MilestoneState::Submitted && next.stage == Some(Stage::Province) {
        quotas::check(conn, &m, who.today)?;
    }

    let now = who.now;
    let changes = change::columns(conn, &m, locked, action, next, &review, &input, p, (now, who.today))?;
    // Only transitions into approved and revocations change what counts: their aggregates move
    // by the difference the change makes to the enterprise's contribution.
    let counts = next.state == MilestoneState::Approved || action == Action::Revoke;
    let catalogue = catalogue.get(conn)?;
    let before = match counts {
        true => Some(store::Before::take(conn, &catalogue, &m.enterprise_id, &m.milestone_type)?),
        false => None,
    };
    let mut updated = change::record(conn, &m, action, next, &changes, &input, if_match, p, now)?;
    let superseded = match next.state {
        MilestoneState::Approved if action == Action::Approve => {
            let on = input.effective_on.unwrap_or(m.effective_on);
            change::supersede_tiers(conn, &catalogue.types, (&p.id, p.role.as_str()), &m, on, now)?
        }
        _ => change::Superseded::default(),
    };
    if superseded.itself {
        updated = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
    }
    if let Some(before) = before {
        before.settle(conn, &updated)?;
    }
    // The review queue's and 公示's counts: a record enters `submitted` by submission or
    // objection and leaves it by a decision that ends its review, or a withdrawal (a
    // recommendation leaves it and enters it again, at the next stage); it enters `publicised` by
    // the last stage's approval and leaves it by objection, withdrawal or finalisation.
    effects.leave(&m);
    effects.enter(&updated);
    let mut extra = serde_json::json!({"from": m.state.as_str(), "comment": updated.comment});
    if let Some(s) = m.stage.filter(|_| m.state == MilestoneState::Submitted) {
        extra["from_stage"] = serde_json::json!(s.as_str());
    }
    events::append(conn, events::milestone_event(action, updated.state), &updated, now, extra)?;
    audit_tail(effects, &m, action, &updated, input.effective_on, &superseded.ended);
    Ok(updated)
}

/// The tail: every transition changes pending counts (cached with the progress tables) or
/// figures; its audit entry, then one per record its tier approval ended.
fn audit_tail(
    effects: &mut Effects,
    m: &MilestoneRow,
    action: Action,
    updated: &MilestoneRow,
    effective_on: Option<NaiveDate>,
    superseded: &[(String, NaiveDate)],
) {
    let mut detail = serde_json::json!({"from": m.state.as_str(), "to": updated.state.as_str()});
    if let Some(d) = effective_on {
        detail["effective_on"] = serde_json::json!(d.to_string());
    }
    if let Some(s) = m.stage.filter(|_| m.state == MilestoneState::Submitted) {
        detail["from_stage"] = serde_json::json!(s.as_str());
    }
    if let Some(s) = updated.stage {
        detail["to_stage"] = serde_json::json!(s.as_str());
    }
    effects.figures_changed();
    effects.audit(format!("milestone.{}", action.as_str()), m.id.clone(), Some(detail));
    for e in change::supersede_events(&m.id, superseded) {
        effects.audit(e.action, e.object_id.unwrap_or_default(), e.detail);
    }
}
