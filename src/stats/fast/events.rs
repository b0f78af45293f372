//! Pure part of the fast path: the days on which an enterprise's records start and stop being
//! counted for an indicator, as known now, turned into per-region daily deltas.
//!
//! At the current knowledge time a record counts on day D exactly when `effective_on ≤ D < end`,
//! where `end` is the earliest of its revocation's effective date, its lapse date and the
//! effective date of a later record of its exclusive group (§3.6 (a)–(c)). For 家 the intervals
//! of one enterprise are merged per region, so the enterprise is counted once.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::stats::compute::lapse_date;
use crate::stats::model::{IndicatorDef, RecordFacts, TypeTable, Unit};

/// The province's region code.
pub const PROVINCE: &str = "330000";

/// (region, start year — 0 for all records —, day) → change in the count.
pub type Deltas = BTreeMap<(String, i32, NaiveDate), i64>;

/// A half-open span of days `[start, end)`; `None` = still counting.
type Span = (NaiveDate, Option<NaiveDate>);

/// The first day a record no longer counts, if it ever stops (all knowledge current).
pub fn end_of(record: &RecordFacts, enterprise_records: &[RecordFacts], types: &TypeTable) -> Option<NaiveDate> {
    let revoked = record.revocations.iter().map(|r| r.effective_on).min();
    let lapsed = types
        .get(&record.milestone_type)
        .and_then(|t| t.validity_years)
        .and_then(|v| lapse_date(record.effective_on, v));
    let replaced = types.exclusive_group(&record.milestone_type).and_then(|group| {
        enterprise_records
            .iter()
            .filter(|o| {
                o.id != record.id
                    && o.approved_at.is_some()
                    && types.exclusive_group(&o.milestone_type) == Some(group)
                    && o.effective_on > record.effective_on
            })
            .map(|o| o.effective_on)
            .min()
    });
    [revoked, lapsed, replaced].into_iter().flatten().min()
}

/// Merges half-open intervals (None = open-ended); touching intervals merge.
fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::new();
    for (start, end) in spans {
        match out.last_mut() {
            Some((_, last_end)) if last_end.is_none_or(|e| e >= start) => {
                *last_end = match (*last_end, end) {
                    (None, _) | (_, None) => None,
                    (Some(a), Some(b)) => Some(a.max(b)),
                };
            }
            _ => out.push((start, end)),
        }
    }
    out
}

/// The deltas one enterprise contributes to `indicator`, from all its approved records of the
/// indicator's types and of the types sharing their exclusive groups.
pub fn enterprise_deltas(records: &[RecordFacts], indicator: &IndicatorDef, types: &TypeTable) -> Deltas {
    // (region, start year, entity) → intervals
    let mut spans: BTreeMap<(String, i32, String), Vec<Span>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.approved_at.is_some()) {
        if !indicator.lists(&r.milestone_type, r.level.as_deref()) {
            continue;
        }
        let end = end_of(r, records, types);
        if end.is_some_and(|e| e <= r.effective_on) {
            continue;
        }
        let entity = match indicator.unit {
            Unit::Enterprises => r.enterprise_id.clone(),
            Unit::Records => r.id.clone(),
        };
        for region in [r.county_code.as_str(), r.city_code.as_str(), PROVINCE] {
            for start_year in [0, r.effective_on.year()] {
                spans.entry((region.to_string(), start_year, entity.clone())).or_default().push((r.effective_on, end));
            }
        }
    }
    let mut deltas = Deltas::new();
    for ((region, start_year, _), list) in spans {
        for (start, end) in union(list) {
            *deltas.entry((region.clone(), start_year, start)).or_default() += 1;
            if let Some(end) = end {
                *deltas.entry((region.clone(), start_year, end)).or_default() -= 1;
            }
        }
    }
    deltas.retain(|_, v| *v != 0);
    deltas
}

/// `after − before`, without zero entries.
pub fn difference(before: &Deltas, after: &Deltas) -> Deltas {
    let mut out = after.clone();
    for (k, v) in before {
        *out.entry(k.clone()).or_default() -= v;
    }
    out.retain(|_, v| *v != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::model::{Kind, Revocation, Source, TypeFacts};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rec(id: &str, ty: &str, eff: &str) -> RecordFacts {
        RecordFacts {
            id: id.into(),
            enterprise_id: "e1".into(),
            milestone_type: ty.into(),
            level: None,
            effective_on: d(eff),
            county_code: "330106".into(),
            city_code: "330100".into(),
            approved_at: Some(d("2024-01-01").and_hms_opt(0, 0, 0).unwrap()),
            revocations: vec![],
            submitted_now: false,
        }
    }

    fn types() -> TypeTable {
        TypeTable::new([
            TypeFacts { code: "smart_factory".into(), validity_years: None, exclusive_group: None },
            TypeFacts { code: "hte".into(), validity_years: Some(3), exclusive_group: None },
            TypeFacts { code: "eagle".into(), validity_years: None, exclusive_group: Some("tier".into()) },
            TypeFacts { code: "eaglet".into(), validity_years: None, exclusive_group: Some("tier".into()) },
        ])
    }

    fn def(unit: Unit, ty: &str) -> IndicatorDef {
        IndicatorDef {
            unit,
            kind: Kind::Cumulative,
            sources: vec![Source { milestone_type: ty.into(), levels: vec![] }],
        }
    }

    #[test]
    fn enterprises_are_counted_once_records_each() {
        let records = vec![rec("a", "smart_factory", "2023-01-01"), rec("b", "smart_factory", "2023-03-01")];
        let per_enterprise = enterprise_deltas(&records, &def(Unit::Enterprises, "smart_factory"), &types());
        assert_eq!(per_enterprise.get(&("330000".into(), 0, d("2023-01-01"))), Some(&1));
        assert_eq!(per_enterprise.get(&("330000".into(), 0, d("2023-03-01"))), None);
        let per_record = enterprise_deltas(&records, &def(Unit::Records, "smart_factory"), &types());
        assert_eq!(per_record.get(&("330000".into(), 0, d("2023-03-01"))), Some(&1));
    }

    #[test]
    fn lapse_revocation_and_replacement_end_a_record() {
        let mut hte = rec("h", "hte", "2019-01-01");
        let t = types();
        assert_eq!(end_of(&hte, &[], &t), Some(d("2022-01-01")));
        hte.revocations.push(Revocation {
            recorded_at: d("2020-01-01").and_hms_opt(0, 0, 0).unwrap(),
            effective_on: d("2020-06-01"),
        });
        assert_eq!(end_of(&hte, &[], &t), Some(d("2020-06-01")));
        let old = rec("o", "eaglet", "2021-01-01");
        let new = rec("n", "eagle", "2023-01-01");
        let all = vec![old.clone(), new.clone()];
        assert_eq!(end_of(&old, &all, &t), Some(d("2023-01-01")));
        assert_eq!(end_of(&new, &all, &t), None);
        let deltas = enterprise_deltas(&all, &def(Unit::Enterprises, "eaglet"), &t);
        assert_eq!(deltas.get(&("330100".into(), 0, d("2023-01-01"))), Some(&-1));
        assert_eq!(deltas.get(&("330100".into(), 2021, d("2023-01-01"))), Some(&-1));
    }
}
