//! Enterprises' delegations to providers (§3.9): granted by the enterprise (its users or machine
//! clients) or by its city reviewer on paper evidence, listed to whoever sees the enterprise (a
//! provider: its own, while one is in force), revoked at once.
//!
//! Grants and revocations lock the enterprise's row first, like every record write: a provider's
//! write, which checks its delegation under that lock, runs wholly before or wholly after a
//! revocation, so nothing is written for an enterprise after its revocation committed.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::audit::{Actor, Event};
use crate::auth::scope::{may_grant, Scope};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::error::{AppError, FieldError};
use crate::milestones::transitions::Acting;
use crate::milestones::type_rules;
use crate::queries::delegations::{self as q, DelegationRow};
use crate::queries::{enterprises, locks, providers};
use crate::tail;

/// Body of `POST /enterprises/{id}/delegations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// The provider.
    pub provider_id: String,
    /// The milestone types it may act on (at least one).
    pub types: Vec<String>,
    /// Its last day in force (`YYYY-MM-DD`, not in the past); none: until revoked.
    pub expires_on: Option<String>,
}

/// A delegation with its types and its provider's name.
#[derive(Debug, Clone)]
pub struct Delegation {
    /// The stored row.
    pub row: DelegationRow,
    /// The delegated types.
    pub types: Vec<String>,
    /// The provider's name.
    pub provider_name: String,
}

/// Grants a delegation of `enterprise_id`.
pub fn grant(
    conn: &mut DbConnection,
    who: &Acting,
    enterprise_id: &EnterpriseId,
    b: GrantBody,
) -> Result<Delegation, AppError> {
    let p = &who.principal;
    let e = locks::enterprise(conn, enterprise_id.as_str())?.ok_or_else(|| AppError::not_found("enterprise"))?;
    may_grant(p, &e)?;
    let mut errors = Vec::new();
    let provider_id = b.provider_id.trim().to_lowercase();
    let provider = match uuid::Uuid::parse_str(&provider_id) {
        Err(_) => {
            errors.push(FieldError::new("provider_id", "invalid_format", "must be a UUID"));
            None
        }
        Ok(_) => {
            let found = providers::find(conn, &provider_id)?;
            if found.is_none() {
                errors.push(FieldError::new("provider_id", "not_found", "no provider has this id"));
            }
            found
        }
    };
    if b.types.is_empty() {
        errors.push(FieldError::new("types", "required", "must name at least one milestone type"));
    }
    let mut types: Vec<String> = Vec::new();
    for (i, t) in b.types.iter().enumerate() {
        let t = t.trim().to_string();
        if type_rules(conn, &t)?.is_none() {
            errors.push(FieldError::new(format!("types[{i}]"), "unknown_type", "is not a milestone type"));
        } else if types.contains(&t) {
            errors.push(FieldError::new(format!("types[{i}]"), "duplicate", "is named twice"));
        } else {
            types.push(t);
        }
    }
    let expires_on = match b.expires_on.as_deref().map(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")) {
        None => None,
        Some(Err(_)) => {
            errors.push(FieldError::new("expires_on", "invalid_date", "must be a real date written YYYY-MM-DD"));
            None
        }
        Some(Ok(d)) if d < who.today => {
            errors.push(FieldError::new("expires_on", "in_past", "must not be in the past"));
            None
        }
        Some(Ok(d)) => Some(d),
    };
    let Some(provider) = provider.filter(|_| errors.is_empty()) else {
        return Err(AppError::validation(errors));
    };
    let row = DelegationRow {
        id: uuid::Uuid::now_v7().to_string(),
        enterprise_id: e.id.clone(),
        provider_id: provider.id.clone(),
        expires_on,
        created_at: who.now,
        created_by: p.id.clone(),
        revoked_at: None,
        revoked_by: None,
    };
    q::insert(conn, &row, &types)?;
    let detail = serde_json::json!({
        "enterprise_id": row.enterprise_id, "provider_id": row.provider_id, "types": types,
        "expires_on": row.expires_on.map(|d| d.to_string()),
    });
    let feed = serde_json::json!({"delegation_id": row.id, "provider_id": row.provider_id, "types": types,
        "expires_on": row.expires_on.map(|d| d.to_string())});
    crate::events::append_for_enterprise(conn, "delegation.granted", (&e, &row.provider_id), who.now, feed)?;
    let event = Event::ok("delegation.grant", "delegation", &row.id).detail(detail);
    tail::audited(conn, &who.meta, &Actor::Principal(p.clone()), event)?;
    Ok(Delegation { row, types, provider_name: provider.name })
}

/// Revokes delegation `delegation_id` of `enterprise_id` at once (404 when there is no such
/// delegation, or it was revoked already).
pub fn revoke(
    conn: &mut DbConnection,
    who: &Acting,
    enterprise_id: &EnterpriseId,
    delegation_id: &str,
) -> Result<(), AppError> {
    let p = &who.principal;
    let e = locks::enterprise(conn, enterprise_id.as_str())?.ok_or_else(|| AppError::not_found("enterprise"))?;
    may_grant(p, &e)?;
    let found = q::find(conn, &e.id, delegation_id)?.ok_or_else(|| AppError::not_found("delegation"))?;
    if !q::revoke(conn, &found.id, &p.id, who.now)? {
        return Err(AppError::not_found("delegation"));
    }
    let feed = serde_json::json!({"delegation_id": found.id, "provider_id": found.provider_id});
    crate::events::append_for_enterprise(conn, "delegation.revoked", (&e, &found.provider_id), who.now, feed)?;
    let detail = serde_json::json!({"enterprise_id": found.enterprise_id, "provider_id": found.provider_id});
    let event = Event::ok("delegation.revoke", "delegation", &found.id).detail(detail);
    tail::audited(conn, &who.meta, &Actor::Principal(p.clone()), event)
}

/// The delegations of `enterprise_id` that `p` may read on `today`: all of them for whoever sees
/// the enterprise; a provider its own, and only while one is in force (else 404, as for an
/// enterprise that never delegated to it).
pub fn list(
    conn: &mut DbConnection,
    p: &Principal,
    enterprise_id: &EnterpriseId,
    today: NaiveDate,
) -> Result<Vec<Delegation>, AppError> {
    let not_found = || AppError::not_found("enterprise");
    let e = enterprises::find(conn, enterprise_id.as_str())?.ok_or_else(not_found)?;
    let rows = match p.scope() {
        Scope::Provider(provider) => {
            if q::types_in_force(conn, provider, &e.id, today)?.is_empty() {
                return Err(not_found());
            }
            q::list_for(conn, &e.id, Some(provider))?
        }
        scope if scope.sees_enterprise(&e) => q::list_for(conn, &e.id, None)?,
        _ => return Err(not_found()),
    };
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (row, types) in rows {
        if !names.contains_key(&row.provider_id) {
            let name = providers::find(conn, &row.provider_id)?.map(|pr| pr.name).unwrap_or_default();
            names.insert(row.provider_id.clone(), name);
        }
        let provider_name = names.get(&row.provider_id).cloned().unwrap_or_default();
        out.push(Delegation { row, types, provider_name });
    }
    Ok(out)
}

/// Whether `d` is in force on `today`: not revoked, and its last day not passed.
pub fn in_force(d: &DelegationRow, today: NaiveDate) -> bool {
    d.revoked_at.is_none() && d.expires_on.is_none_or(|last| last >= today)
}
