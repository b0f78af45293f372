//! `GET /stats/providers` (§3.9): per provider, the actual of an indicator (§3.6 rules, same
//! unit) over the records it submitted, beside the province's actual, and its share.
//!
//! The province's actual is the progress table's (the maintained aggregates). A provider's is
//! computed from the facts with the reference definitions (`stats::definitions::compute::counts`),
//! over every record of the enterprises concerned — a record counts or not whoever reported it
//! (a tier replaced by another provider's record has ended all the same) — and kept when its
//! `provider_id` is the provider's. No aggregate is maintained per provider: the request reads
//! the indicator's records once, like the reference path of the progress table.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;

use super::load::{self, FactScope};
use super::report::{self, ProgressQuery};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::queries::providers;
use crate::reference::Reference;
use crate::schema::milestones;
use crate::stats::definitions::compute::counts;
use crate::stats::definitions::model::{IndicatorDef, Kind, Params, RecordFacts, Unit};
use crate::stats::definitions::rates::completion_rate;

/// One provider's figure.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFigure {
    /// Its id.
    pub provider_id: String,
    /// Its name.
    pub name: String,
    /// The actual over the records it submitted.
    pub actual: i64,
    /// actual ÷ the province's actual, 4 decimals (None when that is 0).
    pub share: Option<f64>,
}

/// The whole answer.
#[derive(Debug, Clone)]
pub struct ProviderReport {
    /// The request, with D clamped.
    pub query: ProgressQuery,
    /// `家` or `个`.
    pub unit: &'static str,
    /// The province's actual (None for an indicator no milestone feeds).
    pub province_actual: Option<i64>,
    /// Every registered provider, largest actual first (then by id).
    pub providers: Vec<ProviderFigure>,
}

/// Builds the table for `q`.
pub fn build(conn: &mut DbConnection, reference: &Reference, q: ProgressQuery) -> Result<ProviderReport, AppError> {
    let table = report::build(conn, reference, q.clone(), None)?;
    let query = table.query.clone();
    let province_actual = table.total.map(|p| p.actual);
    let info = load::indicator(conn, &q.plan, &q.indicator)?;
    let params = Params::new(query.year, query.as_of, query.known_at)
        .map_err(|e| AppError::bad_request("invalid_parameter", Some("year"), e.to_string()))?;
    let actuals = if info.tracked { actual_by_provider(conn, &info.def, &params)? } else { HashMap::new() };
    let mut figures: Vec<ProviderFigure> = providers::all(conn)?
        .into_iter()
        .map(|p| {
            let actual = actuals.get(&p.id).copied().unwrap_or(0);
            let share = province_actual.and_then(|total| completion_rate(actual, Some(total)));
            ProviderFigure { provider_id: p.id, name: p.name, actual, share }
        })
        .collect();
    figures.sort_by(|a, b| b.actual.cmp(&a.actual).then_with(|| a.provider_id.cmp(&b.provider_id)));
    Ok(ProviderReport { query, unit: info.def.unit.as_str(), province_actual, providers: figures })
}

/// The actual of `def` at `params` over each provider's records (the reference definitions).
pub fn actual_by_provider(
    conn: &mut DbConnection,
    def: &IndicatorDef,
    params: &Params,
) -> Result<HashMap<String, i64>, AppError> {
    let types = load::types(conn)?;
    let codes = load::type_codes(conn)?;
    let relevant = load::relevant_types(def, &types, &codes);
    let scope = FactScope::AtTime { as_of: params.as_of(), known_at: params.known_at(), city: None };
    let facts = load::facts(conn, &relevant, scope)?;
    let listed: Vec<String> = def.sources.iter().map(|s| s.milestone_type.clone()).collect();
    let by_record: HashMap<String, String> = milestones::table
        .filter(milestones::provider_id.is_not_null())
        .filter(milestones::milestone_type.eq_any(&listed))
        .filter(milestones::approved_at.is_not_null())
        .select((milestones::id, milestones::provider_id.assume_not_null()))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut same_enterprise: BTreeMap<&str, Vec<&RecordFacts>> = BTreeMap::new();
    for r in &facts {
        same_enterprise.entry(r.enterprise_id.as_str()).or_default().push(r);
    }
    let mut cumulative: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut increment: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for r in &facts {
        let Some(provider) = by_record.get(&r.id) else { continue };
        let others = same_enterprise.get(r.enterprise_id.as_str()).map(Vec::as_slice).unwrap_or_default();
        if counts(r, def, &types, others.iter().copied(), params) {
            let key = match def.unit {
                Unit::Enterprises => r.enterprise_id.as_str(),
                Unit::Records => r.id.as_str(),
            };
            cumulative.entry(provider).or_default().insert(key);
            if params.in_increment_window(r.effective_on) {
                increment.entry(provider).or_default().insert(key);
            }
        }
    }
    let chosen = match def.kind {
        Kind::Cumulative => cumulative,
        Kind::Increment => increment,
    };
    Ok(chosen.into_iter().map(|(p, set)| (p.to_string(), i64::try_from(set.len()).unwrap_or(i64::MAX))).collect())
}
