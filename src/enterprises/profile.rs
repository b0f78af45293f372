//! Writes to an enterprise's profile: edits (by the enterprise or an official in scope) and
//! verification (by a reviewer of its city). Each runs in the caller's transaction and ends with
//! the write tail (`crate::tail`).

use serde::Deserialize;

use super::{load_visible, validate, RawEnterprise};
use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::error::AppError;
use crate::queries::enterprises::{self as q, EnterpriseRow};
use crate::reference::Reference;
use crate::tail::{self, Figures};

/// Body of `PATCH /enterprises/{id}`: only the fields to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileChanges {
    uscc: Option<String>,
    name: Option<String>,
    county_code: Option<String>,
    industry_code: Option<String>,
    size_class: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
}

/// Changes enterprise `id`'s profile as `p` (the USCC is fixed; a city reviewer may not move it
/// out of its city); audited with the names of the changed fields and any move.
pub fn update(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    reference: &Reference,
    id: &EnterpriseId,
    if_match: IfMatch,
    b: ProfileChanges,
) -> Result<EnterpriseRow, AppError> {
    let current = load_visible(conn, p, id)?;
    if_match.check(current.version)?;
    if b.uscc.as_deref().is_some_and(|u| u.trim().to_uppercase() != current.uscc) {
        return Err(AppError::invalid_field("uscc", "not_editable", "the USCC cannot be changed"));
    }
    let raw = RawEnterprise {
        uscc: current.uscc.clone(),
        name: b.name.unwrap_or_else(|| current.name.clone()),
        county_code: b.county_code.unwrap_or_else(|| current.county_code.clone()),
        // Unknown for an enterprise created by an import: its first edit must give them.
        industry_code: b.industry_code.or_else(|| current.industry_code.clone()).unwrap_or_default(),
        size_class: b.size_class.or_else(|| current.size_class.clone()).unwrap_or_default(),
        contact_name: b.contact_name.unwrap_or_else(|| current.contact_name.clone()),
        contact_phone: b.contact_phone.unwrap_or_else(|| current.contact_phone.clone()),
    };
    let v = validate(&raw, reference, "")?;
    p.scope().may_place_in_city(&v.city_code)?;
    let next = v.apply_to(current.clone(), crate::clock::now());
    if !q::update_profile(conn, &next, current.version)? {
        return Err(stale(current.version));
    }
    let mut detail = serde_json::json!({ "changed": changed_fields(&current, &next) });
    if current.county_code != next.county_code {
        detail["moved"] = serde_json::json!({"from": current.county_code, "to": next.county_code});
    }
    let event = Event::ok("enterprise.update", "enterprise", id.as_str()).detail(detail);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    q::find(conn, id.as_str())?.ok_or_else(|| AppError::not_found("enterprise"))
}

fn changed_fields(a: &EnterpriseRow, b: &EnterpriseRow) -> Vec<&'static str> {
    let pairs = [
        ("name", &a.name, &b.name),
        ("county_code", &a.county_code, &b.county_code),
        ("contact_name", &a.contact_name, &b.contact_name),
        ("contact_phone", &a.contact_phone, &b.contact_phone),
    ];
    let optional =
        [("industry_code", &a.industry_code, &b.industry_code), ("size_class", &a.size_class, &b.size_class)];
    let mut changed: Vec<&'static str> = pairs.iter().filter(|(_, x, y)| x != y).map(|(n, _, _)| *n).collect();
    changed.extend(optional.iter().filter(|(_, x, y)| x != y).map(|(n, _, _)| *n));
    changed
}

/// Verifies self-registered enterprise `id` (409 `already_verified` the second time, also when
/// two reviewers race); from then on it may submit milestones.
pub fn verify(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    id: &EnterpriseId,
) -> Result<EnterpriseRow, AppError> {
    let e = load_visible(conn, p, id)?;
    if !q::verify(conn, &e.id, &p.id, crate::clock::now())? {
        return Err(AppError::conflict("already_verified", "the enterprise is already verified"));
    }
    let event = Event::ok("enterprise.verify", "enterprise", &e.id);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    q::find(conn, &e.id)?.ok_or_else(|| AppError::not_found("enterprise"))
}
