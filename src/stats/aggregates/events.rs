//! Pure part of the fast path: the days on which an enterprise's records start and stop being
//! counted for an indicator, as known now, turned into per-region daily deltas — and how those
//! deltas changed as knowledge grew (the knowledge history behind past `known_at` queries).
//!
//! At the current knowledge time a record counts on day D exactly when `effective_on ≤ D < end`,
//! where `end` is the earliest of its revocation's effective date, its lapse date and the
//! effective date of a later record of its exclusive group (§3.6 (a)–(c)). For 家 the intervals
//! of one enterprise are merged per region, so the enterprise is counted once.
//!
//! As known at an earlier T the same holds over the records approved by T and the revocations
//! recorded by T, so an enterprise's deltas change only at those timestamps (its change points).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::domain::milestone::rules::lapse_date;
use crate::stats::definitions::model::{IndicatorDef, RecordFacts, TypeTable, Unit};

/// The province's region code.
pub const PROVINCE: &str = "330000";

/// (region, start year — 0 for all records —, day) → change in the count.
pub type Deltas = BTreeMap<(String, i32, NaiveDate), i64>;

/// (region, start year, day, known at) → how the change in the count on that day, as known,
/// changed at that time. Summing the rows known at or before T gives the [`Deltas`] as known at T.
pub type KnownDeltas = BTreeMap<(String, i32, NaiveDate, NaiveDateTime), i64>;

/// A half-open span of days `[start, end)`; `None` = still counting.
type Span = (NaiveDate, Option<NaiveDate>);

/// The first day a record no longer counts, if it ever stops (all knowledge current).
pub fn end_of(record: &RecordFacts, enterprise_records: &[RecordFacts], types: &TypeTable) -> Option<NaiveDate> {
    let revoked = record.revocations.iter().map(|r| r.effective_on).min();
    let lapsed = lapse_date(record.effective_on, types.get(&record.milestone_type).and_then(|t| t.validity_years));
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

/// The records as known at `t`: those approved at or before `t`, each with only the
/// revocations recorded at or before `t`.
pub fn as_known_at(records: &[RecordFacts], t: NaiveDateTime) -> Vec<RecordFacts> {
    records
        .iter()
        .filter(|r| r.approved_at.is_some_and(|at| at <= t))
        .map(|r| RecordFacts {
            revocations: r.revocations.iter().filter(|v| v.recorded_at <= t).cloned().collect(),
            ..r.clone()
        })
        .collect()
}

/// The times at which what is known about these records changed: their approvals and the
/// recording of their revocations, ascending and distinct.
pub fn change_points(records: &[RecordFacts]) -> Vec<NaiveDateTime> {
    let mut out: Vec<NaiveDateTime> = records
        .iter()
        .filter(|r| r.approved_at.is_some())
        .flat_map(|r| r.approved_at.into_iter().chain(r.revocations.iter().map(|v| v.recorded_at)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One enterprise's knowledge history for `indicator`: at each change point t, the difference
/// between its deltas as known at t and as known at the previous change point, keyed by t.
/// Rows known at or before T add up to [`enterprise_deltas`] as known at T; all rows add up to
/// today's.
pub fn knowledge_history(records: &[RecordFacts], indicator: &IndicatorDef, types: &TypeTable) -> KnownDeltas {
    let points = change_points(records);
    let mut out = KnownDeltas::new();
    let mut previous = Deltas::new();
    for (i, t) in points.iter().enumerate() {
        // At the last change point everything is known: no need to copy the records.
        let now = if i + 1 == points.len() {
            enterprise_deltas(records, indicator, types)
        } else {
            enterprise_deltas(&as_known_at(records, *t), indicator, types)
        };
        for ((region, start_year, day), delta) in difference(&previous, &now) {
            out.insert((region, start_year, day, *t), delta);
        }
        previous = now;
    }
    out
}

/// `after − before` of two knowledge histories, without zero entries.
pub fn history_difference(before: &KnownDeltas, after: &KnownDeltas) -> KnownDeltas {
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
    use crate::stats::definitions::model::{Kind, Revocation, Source, TypeFacts};

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
            publicised_now: false,
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

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// The sum of the history's rows for (region, start year) known by `t`, on days up to `day`.
    fn known_sum(h: &KnownDeltas, region: &str, start_year: i32, t: NaiveDateTime, day: NaiveDate) -> i64 {
        h.iter()
            .filter(|((r, s, d, k), _)| r == region && *s == start_year && *k <= t && *d <= day)
            .map(|(_, v)| v)
            .sum()
    }

    #[test]
    fn history_follows_approvals_revocations_and_replacements() {
        let t = types();
        let mut old = rec("o", "eaglet", "2021-01-01");
        old.approved_at = Some(at("2021-01-05 10:00"));
        old.revocations.push(Revocation { recorded_at: at("2024-03-01 09:00"), effective_on: d("2023-06-01") });
        let mut new = rec("n", "eagle", "2023-01-01");
        new.approved_at = Some(at("2023-02-01 08:00"));
        let all = vec![old, new];
        assert_eq!(change_points(&all), vec![at("2021-01-05 10:00"), at("2023-02-01 08:00"), at("2024-03-01 09:00")]);
        let def = def(Unit::Records, "eaglet");
        let h = knowledge_history(&all, &def, &t);
        // Known in 2022: counting from 2021 on, with no end.
        assert_eq!(known_sum(&h, PROVINCE, 0, at("2022-06-01 00:00"), d("2025-01-01")), 1);
        // Once the eagle is approved, the eaglet ends on 2023-01-01; the later revocation
        // (effective after that) changes nothing.
        assert_eq!(known_sum(&h, PROVINCE, 0, at("2023-02-01 08:00"), d("2023-01-01")), 0);
        assert_eq!(known_sum(&h, PROVINCE, 0, at("2023-02-01 08:00"), d("2022-12-31")), 1);
        assert!(h.keys().all(|k| k.3 != at("2024-03-01 09:00")));
        // All rows together are today's deltas.
        let mut total = Deltas::new();
        for ((r, s, day, _), v) in &h {
            *total.entry((r.clone(), *s, *day)).or_default() += v;
        }
        total.retain(|_, v| *v != 0);
        assert_eq!(total, enterprise_deltas(&all, &def, &t));
    }

    /// Random records of one enterprise: the history summed up to any T agrees with the
    /// reference computation of §3.6 at (D, T).
    #[test]
    fn history_agrees_with_the_reference_computation() {
        use crate::stats::definitions::compute::region_figures;
        use crate::stats::definitions::model::{Params, Region};
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let t = types();
        let kinds = ["smart_factory", "hte", "eagle", "eaglet"];
        let base = at("2019-01-01 00:00");
        for round in 0..300 {
            let n = rng.gen_range(1..6);
            let records: Vec<RecordFacts> = (0..n)
                .map(|i| {
                    let mut r = rec(&format!("r{i}"), kinds[rng.gen_range(0..kinds.len())], "2019-01-01");
                    r.effective_on = d("2019-01-01") + chrono::Duration::days(rng.gen_range(0..2_000));
                    r.county_code = ["330106", "330212"][rng.gen_range(0..2)].into();
                    r.city_code = format!("{}00", &r.county_code[..4]);
                    let approved = base + chrono::Duration::hours(rng.gen_range(0..60_000));
                    r.approved_at = (rng.gen_range(0..8) > 0).then_some(approved);
                    if rng.gen_range(0..3) == 0 {
                        r.revocations.push(Revocation {
                            recorded_at: approved + chrono::Duration::hours(rng.gen_range(0..20_000)),
                            effective_on: r.effective_on + chrono::Duration::days(rng.gen_range(0..1_500)),
                        });
                    }
                    r
                })
                .collect();
            for unit in [Unit::Enterprises, Unit::Records] {
                for ty in ["eaglet", "hte", "smart_factory"] {
                    let mut def = def(unit, ty);
                    if ty == "eaglet" {
                        def.sources.push(Source { milestone_type: "eagle".into(), levels: vec![] });
                    }
                    let h = knowledge_history(&records, &def, &t);
                    for _ in 0..10 {
                        let known = base + chrono::Duration::hours(rng.gen_range(0..90_000));
                        let as_of = d("2019-01-01") + chrono::Duration::days(rng.gen_range(0..3_000));
                        let params = Params::new(as_of.year(), as_of, known).unwrap();
                        for (region, code) in [(Region::Province, PROVINCE), (Region::City("330200".into()), "330200")]
                        {
                            let want = region_figures(&records, &def, &t, &params, &region);
                            let cumulative = known_sum(&h, code, 0, known, as_of);
                            let increment = known_sum(&h, code, as_of.year(), known, as_of);
                            assert_eq!((cumulative, increment), (want.cumulative, want.increment), "round {round}");
                        }
                    }
                }
            }
        }
    }
}
