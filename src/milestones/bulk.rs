//! `POST /bulk/milestones` (§3.9): up to 1,000 records created (and optionally submitted) in one
//! request by a provider or an enterprise, each item succeeding or failing alone with the status
//! and problem body the single calls (`POST /enterprises/{id}/milestones`, then
//! `POST /milestones/{id}/submit`) would give.
//!
//! How:
//! - The whole request is one transaction (so that its `Idempotency-Key` stores the results with
//!   the records, and a replay answers the same results). Each item runs in a savepoint with the
//!   very code of the single calls (`content::create_in`, `transitions::apply_in`): an item that
//!   fails is rolled back to its savepoint, and the others are untouched. An item with
//!   `submit: true` is one unit: created and submitted, or nothing.
//! - Items are processed in the order of their enterprise's id (then their index): each takes its
//!   enterprise's lock (`queries::locks`), so two bulk requests lock their enterprises in the same
//!   order and cannot deadlock; items of one enterprise run one after another, as sequential
//!   single calls would (the second duplicate of a `one` type gets 409 with the first's link).
//! - The shared rows — pending counts in key order, the statistics generation, the audit head —
//!   are written once, at the end, for every item that succeeded (`effects::Effects`), after all
//!   enterprise locks, as the lock order requires.
//! - USCCs are resolved to enterprises in one query. A failure of the service itself (5xx) fails
//!   the whole request, so nothing half-done is ever reported.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::content::{create_in, CreateBody};
use super::effects::Effects;
use super::input::{Details, Evidence};
use super::transitions::{apply_in, Acting, TransitionInput};
use crate::audit::Actor;
use crate::conditional::IfMatch;
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, MilestoneId, ResourceId};
use crate::domain::{Action, Uscc};
use crate::error::{AppError, FieldError};
use crate::extract::parse_value;
use crate::queries::enterprises;
use crate::stats::aggregates::catalogue::CatalogueCache;
use diesel::Connection;

/// Most items in one request.
pub const MAX_ITEMS: usize = 1_000;

/// One item: the single call's body, its enterprise (by id or USCC) and whether to submit it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkItem {
    /// The enterprise, by id …
    pub enterprise_id: Option<String>,
    /// … or by USCC (exactly one of the two).
    pub uscc: Option<String>,
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
    /// Submit the record once created.
    pub submit: Option<bool>,
}

/// The result of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    /// Its position in the request, from 0.
    pub index: usize,
    /// The status the single call would answer (201 when created).
    pub status: u16,
    /// The record's id, when created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The problem body the single call would answer, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

impl ItemResult {
    fn failed(index: usize, e: &AppError) -> Self {
        Self { index, status: e.status().as_u16(), id: None, error: Some(e.body()) }
    }
}

/// An item ready to run: its index, enterprise, body and whether to submit it.
struct Work {
    index: usize,
    enterprise_id: EnterpriseId,
    body: CreateBody,
    submit: bool,
}

/// Runs every item of a bulk request (already known to hold 1 to [`MAX_ITEMS`]) on behalf of
/// `who`, inside the caller's transaction; returns the results in item order.
pub fn run(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    who: &Acting,
    items: Vec<Value>,
) -> Result<Vec<ItemResult>, AppError> {
    let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
    let mut parsed: Vec<(usize, BulkItem, Target)> = Vec::new();
    for (index, value) in items.into_iter().enumerate() {
        match parse_value::<BulkItem>(value).and_then(|item| target(&item).map(|t| (item, t))) {
            Ok((item, t)) => parsed.push((index, item, t)),
            Err(e) => results[index] = Some(ItemResult::failed(index, &e)),
        }
    }
    let usccs: Vec<String> = parsed
        .iter()
        .filter_map(|(_, _, t)| match t {
            Target::Uscc(u) => Some(u.as_str().to_string()),
            Target::Id(_) => None,
        })
        .collect();
    let by_uscc = enterprises::ids_by_usccs(conn, &usccs)?;
    let mut work = Vec::with_capacity(parsed.len());
    for (index, item, t) in parsed {
        let enterprise_id = match t {
            Target::Id(id) => id,
            Target::Uscc(uscc) => match by_uscc.get(uscc.as_str()) {
                Some(id) => EnterpriseId::from_stored(id.clone()),
                None => {
                    results[index] = Some(ItemResult::failed(index, &AppError::not_found("enterprise")));
                    continue;
                }
            },
        };
        let submit = item.submit.unwrap_or(false);
        work.push(Work { index, enterprise_id, body: create_body(item), submit });
    }
    work.sort_by(|a, b| (a.enterprise_id.as_str(), a.index).cmp(&(b.enterprise_id.as_str(), b.index)));

    let mut effects = Effects::default();
    for w in work {
        let index = w.index;
        match conn.transaction(|c| one(c, catalogue, who, w)) {
            Ok((id, fx)) => {
                effects.merge(fx);
                results[index] = Some(ItemResult { index, status: 201, id: Some(id), error: None });
            }
            Err(e) if e.status().is_server_error() => return Err(e),
            Err(e) => results[index] = Some(ItemResult::failed(index, &e)),
        }
    }
    effects.finish(conn, &who.meta, &Actor::Principal(who.principal.clone()))?;
    results.into_iter().collect::<Option<Vec<_>>>().ok_or_else(|| AppError::internal("a bulk item has no result"))
}

/// One item in its savepoint: the single calls' code, with the tail left in the effects.
fn one(
    conn: &mut DbConnection,
    catalogue: &CatalogueCache,
    who: &Acting,
    w: Work,
) -> Result<(String, Effects), AppError> {
    let mut fx = Effects::default();
    let row = create_in(conn, who, &w.enterprise_id, w.body, &mut fx)?;
    if w.submit {
        let id = MilestoneId::from_stored(row.id.clone());
        apply_in(conn, catalogue, who, &id, Action::Submit, &TransitionInput::default(), IfMatch::Absent, &mut fx)?;
    }
    Ok((row.id, fx))
}

/// How an item names its enterprise.
enum Target {
    /// By id.
    Id(EnterpriseId),
    /// By USCC, to look up.
    Uscc(Uscc),
}

/// The item's enterprise: 400 for a malformed id (as in the single call's path), 422 for a wrong
/// USCC or not exactly one of `enterprise_id` and `uscc`.
fn target(item: &BulkItem) -> Result<Target, AppError> {
    match (&item.enterprise_id, &item.uscc) {
        (Some(id), None) => Ok(Target::Id(EnterpriseId::parse(id, "enterprise_id")?)),
        (None, Some(u)) => Uscc::parse_input(u)
            .map(Target::Uscc)
            .map_err(|m| AppError::validation(vec![FieldError::new("uscc", "invalid_uscc", m)])),
        _ => Err(AppError::validation(vec![FieldError::new(
            "enterprise_id",
            "required",
            "give exactly one of `enterprise_id` and `uscc`",
        )])),
    }
}

fn create_body(item: BulkItem) -> CreateBody {
    CreateBody {
        milestone_type: item.milestone_type,
        level: item.level,
        effective_on: item.effective_on,
        title: item.title,
        details: item.details,
        evidence: item.evidence,
    }
}
