//! Milestone rules that need the database: catalogue lookups, multiplicity over live records,
//! scope, creation and editing. The pure workflow is `crate::domain::milestone`; transitions are
//! in [`transitions`].

pub mod bulk;
pub mod chains;
pub mod content;
pub mod effects;
pub mod input;
pub mod quotas;
pub mod transitions;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::scope::Scope;
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::id::{MilestoneId, ResourceId};
use crate::domain::milestone::rules::{check_level, conflicts, has_lapsed};
use crate::domain::{ExistingRecord, MilestoneState, Multiplicity, TypeRules};
use crate::error::AppError;
use crate::queries::delegations;
use crate::queries::milestones::{self as q, HistoryRow, MilestoneRow};
use crate::reference::MilestoneTypeRow;
use crate::schema::milestone_types;

/// The catalogue rules of a type, read from the database (the province may add types), checked
/// as the seeded catalogue is (`TypeRules::from_row`): one definition of how a row reads.
pub fn type_rules(conn: &mut DbConnection, code: &str) -> Result<Option<TypeRules>, AppError> {
    let row: Option<(String, String, Option<String>, Option<i32>)> = milestone_types::table
        .find(code)
        .select((
            milestone_types::levels,
            milestone_types::multiplicity,
            milestone_types::exclusive_group,
            milestone_types::validity_years,
        ))
        .first(conn)
        .optional()?;
    let Some((levels, multiplicity, exclusive_group, validity_years)) = row else {
        return Ok(None);
    };
    let row = MilestoneTypeRow {
        code: code.to_string(),
        levels,
        multiplicity,
        exclusive_group,
        validity_years,
        name_zh: String::new(),
        name_en: String::new(),
        recognised_by: String::new(),
        review_chain: String::new(),
        publicity_days: 0,
    };
    TypeRules::from_row(&row).map(Some).map_err(AppError::internal)
}

/// Whether a record still holds its place under the multiplicity rule on `today`: open states,
/// or approved and neither lapsed nor replaced in its tier.
pub fn is_live(m: &MilestoneRow, rules: &TypeRules, today: NaiveDate) -> bool {
    match m.state {
        MilestoneState::Approved => {
            !has_lapsed(m.effective_on, rules.validity_years, today) && m.ended_on.is_none_or(|d| d > today)
        }
        s => s.is_live(),
    }
}

/// 409 with a link when a new (or edited) record would duplicate a live one.
pub fn check_multiplicity(
    conn: &mut DbConnection,
    enterprise_id: &str,
    type_code: &str,
    rules: &TypeRules,
    level: Option<&str>,
    exclude_id: Option<&str>,
    today: NaiveDate,
) -> Result<(), AppError> {
    if rules.multiplicity == Multiplicity::Many {
        return Ok(());
    }
    let existing: Vec<ExistingRecord> = q::open_of_types(conn, enterprise_id, &[type_code.to_string()])?
        .into_iter()
        .filter(|m| Some(m.id.as_str()) != exclude_id && is_live(m, rules, today))
        .map(|m| ExistingRecord { state: m.state, id: m.id, level: m.level })
        .collect();
    if let Some(dup) = conflicts(rules, level, &existing) {
        return Err(AppError::conflict(
            "duplicate_milestone",
            format!("the enterprise already has a live `{type_code}` record of this kind"),
        )
        .with("existing", format!("/api/v1/milestones/{}", dup.id))
        .with("state", dup.state.as_str()));
    }
    Ok(())
}

/// 422 naming `level` unless it fits the type.
pub fn check_type_level(rules: &TypeRules, level: Option<&str>) -> Result<(), AppError> {
    check_level(rules, level).map_err(|m| AppError::invalid_field("level", "invalid_level", m))
}

/// Loads a milestone the caller may see on `today` (404 for absent and out of scope alike). A
/// provider sees a record while a delegation of its enterprise covering its type is in force.
pub fn load_visible(
    conn: &mut DbConnection,
    p: &Principal,
    id: &MilestoneId,
    today: NaiveDate,
) -> Result<MilestoneRow, AppError> {
    let not_found = || AppError::not_found("milestone");
    let m = q::find(conn, id.as_str())?.ok_or_else(not_found)?;
    let visible = match p.scope() {
        Scope::Provider(provider) => delegations::covers(conn, provider, &m.enterprise_id, &m.milestone_type, today)?,
        scope => scope.sees_record(&m),
    };
    visible.then_some(m).ok_or_else(not_found)
}

/// A history entry for milestone `m_id` by `p` (set `comment`/`effective_on` on the result).
pub fn history_entry(
    m_id: &str,
    action: &str,
    from: Option<MilestoneState>,
    to: MilestoneState,
    p: &Principal,
    at: NaiveDateTime,
) -> HistoryRow {
    history_entry_by(m_id, action, from, to, (&p.id, p.role.as_str()), at)
}

/// A history entry for milestone `m_id` by the actor `(id, role)` (`("system", "system")` for
/// the service's own changes).
pub fn history_entry_by(
    m_id: &str,
    action: &str,
    from: Option<MilestoneState>,
    to: MilestoneState,
    (actor_id, actor_role): (&str, &str),
    at: NaiveDateTime,
) -> HistoryRow {
    HistoryRow {
        id: uuid::Uuid::now_v7().to_string(),
        milestone_id: m_id.to_string(),
        seq: 0,
        action: action.to_string(),
        from_state: from,
        to_state: to,
        actor_id: actor_id.to_string(),
        actor_role: actor_role.to_string(),
        at,
        comment: None,
        effective_on: None,
        stage: None,
    }
}
