//! Applying a workflow action to a stored milestone, in five steps: lock and load (scope, 404),
//! authorise (role 403, `If-Match` 412, state 409), validate the input (422), change (a
//! conditional update on state and version, so that of racing reviewers exactly one wins; the
//! history entry; tier supersession; the statistics aggregates), and the tail (pending counts,
//! then `crate::tail`: statistics generation and audit entries). Everything commits together.

mod change;
mod check;

use chrono::NaiveDate;

use super::load_visible;
use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::conditional::IfMatch;
use crate::db::DbConnection;
use crate::domain::id::{MilestoneId, ResourceId};
use crate::domain::{Action, MilestoneState};
use crate::error::AppError;
use crate::queries::locks;
use crate::queries::milestones::{self as q, MilestoneRow};
use crate::stats::aggregates::catalogue::CatalogueCache;
use crate::stats::aggregates::{pending, store};
use crate::tail::{self, Figures};

/// What a transition request carries.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Comment (required for reject, return and revoke).
    pub comment: Option<String>,
    /// Date: approval correction, or revocation date (required for revoke).
    pub effective_on: Option<String>,
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
    id: &MilestoneId,
    action: Action,
    input: &TransitionInput,
    if_match: IfMatch,
) -> Result<MilestoneRow, AppError> {
    let p = &who.principal;
    // Before the first read: every rule below reads the enterprise's records (queries::locks).
    locks::enterprise_of_milestone(conn, id.as_str())?;
    let m = load_visible(conn, p, id)?;
    let next = check::authorise(&m, action, p, if_match)?;
    let input = check::validate(action, input, &m, who.today)?;

    let now = crate::clock::now();
    let changes = change::columns(conn, &m, action, next, &input, p, now)?;
    // Only approvals and revocations change what counts: their aggregates move by the
    // difference the change makes to the enterprise's contribution.
    let catalogue = catalogue.get(conn)?;
    let before = match action {
        Action::Approve | Action::Revoke => {
            Some(store::Before::take(conn, &catalogue, &m.enterprise_id, &m.milestone_type)?)
        }
        _ => None,
    };
    change::record(conn, &m, action, next, &changes, &input, if_match, p, now)?;
    let superseded = match action {
        Action::Approve => change::supersede_tiers(conn, p, &m, input.effective_on.unwrap_or(m.effective_on), now)?,
        _ => Vec::new(),
    };
    if let Some(before) = before {
        before.settle(conn)?;
    }
    let updated = q::find(conn, &m.id)?.ok_or_else(|| AppError::not_found("milestone"))?;
    // The review queue's counts: a record enters `submitted` only by submission and leaves it by
    // any decision or withdrawal.
    if m.state == MilestoneState::Submitted {
        pending::add(conn, &m, -1)?;
    }
    if updated.state == MilestoneState::Submitted {
        pending::add(conn, &updated, 1)?;
    }
    audit_tail(conn, who, &m, action, next, input.effective_on, &superseded)?;
    Ok(updated)
}

/// The tail: every transition changes pending counts or figures; its audit entry, then one per
/// record its tier approval ended.
fn audit_tail(
    conn: &mut DbConnection,
    who: &Acting,
    m: &MilestoneRow,
    action: Action,
    next: MilestoneState,
    effective_on: Option<NaiveDate>,
    superseded: &[(String, NaiveDate)],
) -> Result<(), AppError> {
    let mut detail = serde_json::json!({"from": m.state.as_str(), "to": next.as_str()});
    if let Some(d) = effective_on {
        detail["effective_on"] = serde_json::json!(d.to_string());
    }
    let name = format!("milestone.{}", action.as_str());
    let ended: Vec<(serde_json::Value, &str)> = superseded
        .iter()
        .map(|(id, on)| (serde_json::json!({"by": m.id, "on": on.to_string()}), id.as_str()))
        .collect();
    let events = std::iter::once(Event::ok(&name, "milestone", &m.id).detail(detail))
        .chain(ended.into_iter().map(|(detail, id)| Event::ok("milestone.supersede", "milestone", id).detail(detail)));
    tail::finish(conn, &who.meta, &Actor::Principal(who.principal.clone()), Figures::Changed, events)
}
