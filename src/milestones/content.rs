//! Creating and editing a milestone's content (the enterprise's own drafts and returned records,
//! and those of the types it delegated to a provider, by that provider).

use serde::Deserialize;

use super::effects::Effects;
use super::input::{check_details, check_evidence, check_title, parse_effective_on, Details, Evidence};
use super::transitions::Acting;
use super::{check_multiplicity, check_type_level, history_entry, load_visible, type_rules};
use crate::audit::{Actor, Event};
use crate::auth::scope::Scope;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, MilestoneId, ResourceId};
use crate::domain::{MilestoneState, Role};
use crate::error::{AppError, FieldError};
use crate::queries::milestones::{self as q, Draft, MilestoneChanges, MilestoneRow};
use crate::queries::{delegations, locks};
use crate::tail::{self, Figures};

/// Body of `POST /enterprises/{id}/milestones`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Catalogue code.
    #[serde(rename = "type")]
    pub milestone_type: String,
    /// Level, when the type has levels.
    pub level: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    pub effective_on: String,
    /// 1–200 characters.
    pub title: String,
    /// Optional details.
    pub details: Option<Details>,
    /// Optional evidence references.
    pub evidence: Option<Vec<Evidence>>,
}

/// Body of `PATCH /milestones/{id}`: only the fields to change (the type is fixed).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// Rejected: the type of a record cannot change.
    #[serde(rename = "type")]
    pub milestone_type: Option<String>,
    /// New level.
    pub level: Option<String>,
    /// New date.
    pub effective_on: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New details (replace the old ones).
    pub details: Option<Details>,
    /// New evidence (replaces the old list).
    pub evidence: Option<Vec<Evidence>>,
}

/// Creates a draft for the caller's own enterprise, or for an enterprise that delegated the type
/// to the calling provider.
pub fn create(
    conn: &mut DbConnection,
    who: &Acting,
    enterprise_id: &EnterpriseId,
    b: CreateBody,
) -> Result<MilestoneRow, AppError> {
    let mut effects = Effects::default();
    let row = create_in(conn, who, enterprise_id, b, &mut effects)?;
    effects.finish(conn, &who.meta, &Actor::Principal(who.principal.clone()))?;
    Ok(row)
}

/// [`create`] without the tail: the audit entry is left in `effects` (a bulk write applies
/// every item's at its end).
pub fn create_in(
    conn: &mut DbConnection,
    who: &Acting,
    enterprise_id: &EnterpriseId,
    b: CreateBody,
    effects: &mut Effects,
) -> Result<MilestoneRow, AppError> {
    let p = &who.principal;
    let enterprise_id = enterprise_id.as_str();
    let provider = match p.scope() {
        Scope::Enterprise(own) if own == enterprise_id => None,
        Scope::Provider(provider) => Some(provider),
        _ => return Err(AppError::not_found("enterprise")),
    };
    let type_code = b.milestone_type.trim().to_string();
    // Locked before the multiplicity check reads the enterprise's records (queries::locks).
    let e = locks::enterprise(conn, enterprise_id)?.ok_or_else(|| AppError::not_found("enterprise"))?;
    // A provider acts only for the types delegated to it, while in force; read under the
    // enterprise's lock, which a revocation takes too: one committed before is seen here.
    if let Some(provider) = provider {
        if !delegations::covers(conn, provider, enterprise_id, &type_code, who.today)? {
            return Err(AppError::not_found("enterprise"));
        }
    }
    let mut errors = Vec::new();
    let rules = type_rules(conn, &type_code)?;
    if rules.is_none() {
        errors.push(FieldError::new("type", "unknown_type", "is not a milestone type"));
    }
    let level = b.level.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    if let Some(r) = &rules {
        if let Err(e) = check_type_level(r, level.as_deref()) {
            errors.extend(e.field_errors().iter().cloned());
        }
    }
    let effective_on = parse_effective_on(&b.effective_on, who.today, "effective_on").map_err(|e| errors.push(e)).ok();
    let title = check_title(&b.title, &mut errors);
    let details = check_details(b.details, &mut errors);
    let evidence = check_evidence(b.evidence, &mut errors);
    let (Some(rules), Some(effective_on), true) = (rules, effective_on, errors.is_empty()) else {
        return Err(AppError::validation(errors));
    };
    check_multiplicity(conn, enterprise_id, &type_code, &rules, level.as_deref(), None, who.today)?;
    let now = crate::clock::now();
    let row = Draft {
        id: uuid::Uuid::now_v7().to_string(),
        enterprise_id: enterprise_id.to_string(),
        milestone_type: type_code,
        level,
        effective_on,
        title,
        details,
        evidence,
        county_code: e.county_code,
        city_code: e.city_code,
        created_by: p.id.clone(),
        provider_id: p.provider_id.clone(),
    }
    .into_row(now);
    q::insert(conn, &row)?;
    q::append_history(conn, history_entry(&row.id, "create", None, MilestoneState::Draft, p, now))?;
    let mut detail = serde_json::json!({"type": row.milestone_type, "enterprise_id": enterprise_id});
    if let Some(provider) = &row.provider_id {
        detail["provider_id"] = serde_json::json!(provider);
    }
    effects.audit("milestone.create", row.id.clone(), Some(detail));
    Ok(row)
}

/// Edits a draft or returned record of the caller's own enterprise.
pub fn edit(
    conn: &mut DbConnection,
    who: &Acting,
    id: &MilestoneId,
    if_match: IfMatch,
    b: EditBody,
) -> Result<MilestoneRow, AppError> {
    let p = &who.principal;
    locks::enterprise_of_milestone(conn, id.as_str())?;
    let m = load_visible(conn, p, id, who.today)?;
    // A provider reached here through a delegation in force for the record's type.
    if !p.scope().is_enterprise(&m.enterprise_id) && p.role != Role::Provider {
        return Err(AppError::forbidden("forbidden_role", "only the enterprise edits its own milestones"));
    }
    if_match.check(m.version)?;
    if !m.state.is_editable() {
        return Err(AppError::conflict("not_editable", format!("a {} milestone cannot be edited", m.state))
            .with("state", m.state.as_str()));
    }
    let mut errors = Vec::new();
    if b.milestone_type.as_deref().is_some_and(|t| t.trim() != m.milestone_type) {
        errors.push(FieldError::new("type", "not_editable", "the type of a milestone cannot change; create a new one"));
    }
    let rules = type_rules(conn, &m.milestone_type)?.ok_or_else(|| AppError::internal("milestone of unknown type"))?;
    let level = match b.level {
        Some(l) => Some(l.trim().to_string()).filter(|l| !l.is_empty()),
        None => m.level.clone(),
    };
    if let Err(e) = check_type_level(&rules, level.as_deref()) {
        errors.extend(e.field_errors().iter().cloned());
    }
    let effective_on = match &b.effective_on {
        Some(s) => parse_effective_on(s, who.today, "effective_on").map_err(|e| errors.push(e)).ok(),
        None => Some(m.effective_on),
    };
    let title = b.title.as_deref().map(|t| check_title(t, &mut errors));
    let details = b.details.map(|d| check_details(Some(d), &mut errors));
    let evidence = b.evidence.map(|e| check_evidence(Some(e), &mut errors));
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if level != m.level {
        check_multiplicity(
            conn,
            &m.enterprise_id,
            &m.milestone_type,
            &rules,
            level.as_deref(),
            Some(&m.id),
            who.today,
        )?;
    }
    let now = crate::clock::now();
    let changes = MilestoneChanges { level: Some(level), effective_on, title, details, evidence, ..Default::default() };
    let updated = q::update_if(conn, &m.id, m.state, m.version, &changes, now)?.ok_or_else(|| stale(m.version))?;
    q::append_history(conn, history_entry(&m.id, "edit", Some(m.state), m.state, p, now))?;
    let event = Event::ok("milestone.update", "milestone", &m.id);
    tail::finish(conn, &who.meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    Ok(updated)
}
