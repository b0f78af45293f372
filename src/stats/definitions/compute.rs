//! The counting rules of §3.6, applied record by record: whether a record *counts* for an
//! indicator at (D, T), why it had ended if it had, and the figures (cumulative, increment,
//! actual, pending) of a region. Written for clarity, not speed: it is the yardstick the
//! database-backed statistics are checked against.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::model::{IndicatorDef, Kind, Params, RecordFacts, Region, TypeTable, Unit};
use crate::domain::milestone::rules::lapse_date;

/// Why a record had ended by D as known at T; the clauses of §3.6 "counts".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// (a) A revocation recorded at or before T takes effect on this date, on or before D.
    Revoked {
        /// The revocation's effective date.
        effective_on: NaiveDate,
    },
    /// (b) The recognition lapsed on this date (effective date + validity years), on or
    /// before D.
    Lapsed {
        /// The lapse date.
        on: NaiveDate,
    },
    /// (c) Another record of the enterprise in the same exclusive group, approved at or
    /// before T, took effect after this one and on or before D.
    Replaced {
        /// The replacing record's id.
        by: String,
        /// The replacing record's effective date.
        on: NaiveDate,
    },
}

/// Why `record` had ended by D as known at T, or `None` if it had not.
///
/// `same_enterprise` supplies the candidates for clause (c): records that are not of the
/// record's enterprise, or are the record itself, are ignored, so passing every record is
/// correct (only slower). When several causes apply, the first in the order (a), (b), (c)
/// is reported, and within a clause the earliest date; which one is reported never changes
/// whether the record counts.
///
/// Clause (c) is applied literally: the replacing record need only have been approved at or
/// before T and have taken effect strictly after this record and on or before D. A replacing
/// record that was itself revoked, or has lapsed, still ended this one on its effective date;
/// two records of a group taking effect on the same day do not end each other.
pub fn ending<'a>(
    record: &RecordFacts,
    types: &TypeTable,
    same_enterprise: impl IntoIterator<Item = &'a RecordFacts>,
    params: &Params,
) -> Option<Ending> {
    let as_of = params.as_of();
    let known_at = params.known_at();

    let revoked_on = record
        .revocations
        .iter()
        .filter(|r| r.recorded_at <= known_at && r.effective_on <= as_of)
        .map(|r| r.effective_on)
        .min();
    if let Some(effective_on) = revoked_on {
        return Some(Ending::Revoked { effective_on });
    }

    let lapsed_on = lapse_date(record.effective_on, types.get(&record.milestone_type).and_then(|t| t.validity_years))
        .filter(|on| *on <= as_of);
    if let Some(on) = lapsed_on {
        return Some(Ending::Lapsed { on });
    }

    let group = types.exclusive_group(&record.milestone_type)?;
    same_enterprise
        .into_iter()
        .filter(|other| {
            other.enterprise_id == record.enterprise_id
                && other.id != record.id
                && types.exclusive_group(&other.milestone_type) == Some(group)
                && other.approved_at.is_some_and(|at| at <= known_at)
                && record.effective_on < other.effective_on
                && other.effective_on <= as_of
        })
        .min_by(|a, b| (a.effective_on, &a.id).cmp(&(b.effective_on, &b.id)))
        .map(|other| Ending::Replaced { by: other.id.clone(), on: other.effective_on })
}

/// Whether `record` counts for `indicator` at (D, T): its type and level are listed by the
/// indicator, it was approved at or before T, it took effect on or before D, and it had not
/// ended by D as known at T (see [`ending`], which explains `same_enterprise`).
pub fn counts<'a>(
    record: &RecordFacts,
    indicator: &IndicatorDef,
    types: &TypeTable,
    same_enterprise: impl IntoIterator<Item = &'a RecordFacts>,
    params: &Params,
) -> bool {
    indicator.lists(&record.milestone_type, record.level.as_deref())
        && record.approved_at.is_some_and(|at| at <= params.known_at())
        && record.effective_on <= params.as_of()
        && ending(record, types, same_enterprise, params).is_none()
}

/// Whether `record` is pending for `indicator`: of a listed type and level, and `submitted`
/// now. This reads the current state, not (D, T).
pub fn is_pending(record: &RecordFacts, indicator: &IndicatorDef) -> bool {
    record.submitted_now && indicator.lists(&record.milestone_type, record.level.as_deref())
}

/// Whether `record` is in 公示 for `indicator`: of a listed type and level, and `publicised` now
/// (the current state, like [`is_pending`]).
pub fn is_in_publicity(record: &RecordFacts, indicator: &IndicatorDef) -> bool {
    record.publicised_now && indicator.lists(&record.milestone_type, record.level.as_deref())
}

/// The figures of one indicator in one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// Counting records in the region (distinct enterprises for 家).
    pub cumulative: i64,
    /// The same, restricted to records effective within [Y-01-01, D].
    pub increment: i64,
    /// `cumulative` for cumulative indicators, `increment` for increment ones.
    pub actual: i64,
    /// Records in the region of the indicator's types and levels that are `submitted` now.
    /// Always a number of records, also for 家 indicators.
    pub pending: i64,
    /// Records in the region of the indicator's types and levels in 公示 now (records, like
    /// `pending`).
    pub in_publicity: i64,
}

/// The figures of `indicator` in `region` at (Y, D, T), computed from every record in
/// `records`.
///
/// `records` must hold every record of the enterprises concerned, whatever region it is
/// attributed to: a replacing record in another region (the enterprise moved) still ends a
/// record in this one.
pub fn region_figures(
    records: &[RecordFacts],
    indicator: &IndicatorDef,
    types: &TypeTable,
    params: &Params,
    region: &Region,
) -> Figures {
    let mut by_enterprise: BTreeMap<&str, Vec<&RecordFacts>> = BTreeMap::new();
    for r in records {
        by_enterprise.entry(r.enterprise_id.as_str()).or_default().push(r);
    }

    let mut cumulative = BTreeSet::new();
    let mut increment = BTreeSet::new();
    let mut pending = 0_i64;
    let mut in_publicity = 0_i64;
    for r in records.iter().filter(|r| region.contains(r)) {
        if is_pending(r, indicator) {
            pending += 1;
        }
        if is_in_publicity(r, indicator) {
            in_publicity += 1;
        }
        let same_enterprise = by_enterprise.get(r.enterprise_id.as_str()).map(Vec::as_slice).unwrap_or_default();
        if counts(r, indicator, types, same_enterprise.iter().copied(), params) {
            cumulative.insert(unit_key(indicator.unit, r));
            if params.in_increment_window(r.effective_on) {
                increment.insert(unit_key(indicator.unit, r));
            }
        }
    }

    let cumulative = count(cumulative.len());
    let increment = count(increment.len());
    Figures {
        cumulative,
        increment,
        actual: match indicator.kind {
            Kind::Cumulative => cumulative,
            Kind::Increment => increment,
        },
        pending,
        in_publicity,
    }
}

/// What is counted as distinct: the enterprise for 家, the record for 个.
fn unit_key(unit: Unit, record: &RecordFacts) -> &str {
    match unit {
        Unit::Enterprises => &record.enterprise_id,
        Unit::Records => &record.id,
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::super::model::{Revocation, Source, TypeFacts};
    use super::*;
    use crate::reference::Reference;

    const HANGZHOU: &str = "330100";
    const XIHU: &str = "330106";
    const BINJIANG: &str = "330108";
    const NINGBO: &str = "330200";
    const HAISHU: &str = "330203";

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn types() -> TypeTable {
        TypeTable::from_reference(&Reference::load().unwrap())
    }

    fn indicator(unit: Unit, kind: Kind, sources: &[(&str, &[&str])]) -> IndicatorDef {
        IndicatorDef {
            unit,
            kind,
            sources: sources
                .iter()
                .map(|(t, levels)| Source {
                    milestone_type: t.to_string(),
                    levels: levels.iter().map(|l| l.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn params(year: i32, as_of: &str, known_at: &str) -> Params {
        Params::new(year, date(as_of), at(known_at)).unwrap()
    }

    /// A draft record in Xihu, Hangzhou; the builder methods move it through the workflow.
    fn rec(id: &str, enterprise: &str, ty: &str, level: Option<&str>, eff: &str) -> RecordFacts {
        RecordFacts {
            id: id.into(),
            enterprise_id: enterprise.into(),
            milestone_type: ty.into(),
            level: level.map(str::to_string),
            effective_on: date(eff),
            county_code: XIHU.into(),
            city_code: HANGZHOU.into(),
            approved_at: None,
            revocations: vec![],
            submitted_now: false,
            publicised_now: false,
        }
    }

    impl RecordFacts {
        fn approved(mut self, when: &str) -> Self {
            self.approved_at = Some(at(when));
            self
        }
        fn revoked(mut self, recorded_at: &str, effective_on: &str) -> Self {
            self.revocations.push(Revocation { recorded_at: at(recorded_at), effective_on: date(effective_on) });
            self
        }
        fn submitted(mut self) -> Self {
            self.submitted_now = true;
            self
        }
        fn in_county(mut self, city: &str, county: &str) -> Self {
            self.city_code = city.into();
            self.county_code = county.into();
            self
        }
    }

    fn figures(cumulative: i64, increment: i64, actual: i64, pending: i64) -> Figures {
        Figures { cumulative, increment, actual, pending, in_publicity: 0 }
    }

    /// Smart factories and digital workshops in 2023 (as ZJ2023-GWR counts them), with one
    /// case of each rule. Unless noted, records are in Xihu, Hangzhou.
    fn factory_workload() -> Vec<RecordFacts> {
        vec![
            // e1: three smart factories (two new in 2023) and a workshop awaiting review.
            rec("f1", "e1", "smart_factory", None, "2023-02-01").approved("2023-02-10 02:00:00"),
            rec("f2", "e1", "smart_factory", None, "2022-05-01").approved("2022-06-01 02:00:00"),
            rec("f3", "e1", "smart_factory", None, "2023-03-01").approved("2023-03-09 02:00:00"),
            rec("w1", "e1", "digital_workshop", None, "2023-06-01").submitted(),
            // e2: rejected — never approved, never counts.
            rec("w2", "e2", "digital_workshop", None, "2023-03-01"),
            // e3: one revoked with effect before D, one with effect after D.
            rec("f4", "e3", "smart_factory", None, "2023-01-15")
                .approved("2023-01-20 02:00:00")
                .revoked("2023-05-01 02:00:00", "2023-04-30"),
            rec("f5", "e3", "smart_factory", None, "2023-01-16")
                .approved("2023-01-20 02:00:00")
                .revoked("2023-05-01 02:00:00", "2023-09-01"),
            // e4: revoked with effect before D, but recorded only on 1 August.
            rec("w3", "e4", "digital_workshop", None, "2023-04-01")
                .approved("2023-04-05 02:00:00")
                .revoked("2023-08-01 02:00:00", "2023-05-01"),
            // e5: effective before D, approved only on 20 July.
            rec("f6", "e5", "smart_factory", None, "2023-06-01").approved("2023-07-20 02:00:00"),
            // e6: approved before T but effective after D.
            rec("f7", "e6", "smart_factory", None, "2023-07-01").approved("2023-07-02 02:00:00"),
            // e7: submitted, awaiting review.
            rec("f8", "e7", "smart_factory", None, "2023-05-01").submitted(),
            // e8: in Ningbo.
            rec("w4", "e8", "digital_workshop", None, "2023-05-05")
                .approved("2023-05-06 02:00:00")
                .in_county(NINGBO, HAISHU),
            // e9: a type the indicator does not list.
            rec("x1", "e9", "future_factory", Some("named"), "2023-02-01").approved("2023-02-02 02:00:00"),
        ]
    }

    #[test]
    fn each_rule_decides_whether_a_record_counts() {
        let records = factory_workload();
        let types = types();
        let ind = indicator(Unit::Records, Kind::Increment, &[("smart_factory", &[]), ("digital_workshop", &[])]);
        let p = params(2023, "2023-06-30", "2023-07-15 00:00:00");
        let counting: Vec<&str> =
            records.iter().filter(|r| counts(r, &ind, &types, &records, &p)).map(|r| r.id.as_str()).collect();
        assert_eq!(counting, ["f1", "f2", "f3", "f5", "w3", "w4"]);

        let find = |id: &str| records.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            ending(find("f4"), &types, &records, &p),
            Some(Ending::Revoked { effective_on: date("2023-04-30") })
        );
        assert_eq!(ending(find("f5"), &types, &records, &p), None);
        assert_eq!(ending(find("w3"), &types, &records, &p), None);

        // Known a month later: w3's revocation is known, f6 is approved.
        let later = params(2023, "2023-06-30", "2023-08-15 00:00:00");
        assert!(!counts(find("w3"), &ind, &types, &records, &later));
        assert!(counts(find("f6"), &ind, &types, &records, &later));
        // The revocation is known from the instant it was recorded.
        let just = params(2023, "2023-06-30", "2023-08-01 02:00:00");
        assert!(!counts(find("w3"), &ind, &types, &records, &just));
        let before = params(2023, "2023-06-30", "2023-08-01 01:59:59");
        assert!(counts(find("w3"), &ind, &types, &records, &before));
        // Before w3's revocation takes effect it counts, whatever T.
        let april = params(2023, "2023-04-30", "2023-08-15 00:00:00");
        assert!(counts(find("w3"), &ind, &types, &records, &april));
        // A revocation ends the record on its effective date itself.
        let f4_eve = params(2023, "2023-04-29", "2023-08-15 00:00:00");
        assert!(counts(find("f4"), &ind, &types, &records, &f4_eve));
    }

    #[test]
    fn figures_of_a_region_count_records_or_enterprises() {
        let records = factory_workload();
        let types = types();
        let sources: &[(&str, &[&str])] = &[("smart_factory", &[]), ("digital_workshop", &[])];
        let p = params(2023, "2023-06-30", "2023-07-15 00:00:00");

        // 个: f1 f2 f3 f5 w3 w4 count; f2 took effect in 2022; w1 and f8 are pending.
        let per_record = indicator(Unit::Records, Kind::Increment, sources);
        assert_eq!(region_figures(&records, &per_record, &types, &p, &Region::Province), figures(6, 5, 5, 2));
        // 家: e1 (three factories) is one enterprise; e1 e3 e4 e8 count, all in 2023.
        let per_enterprise = indicator(Unit::Enterprises, Kind::Increment, sources);
        assert_eq!(region_figures(&records, &per_enterprise, &types, &p, &Region::Province), figures(4, 4, 4, 2));
        // A cumulative indicator reports the cumulative figure as actual.
        let stock = indicator(Unit::Records, Kind::Cumulative, sources);
        assert_eq!(region_figures(&records, &stock, &types, &p, &Region::Province), figures(6, 5, 6, 2));

        // Regions.
        let hangzhou = Region::City(HANGZHOU.into());
        assert_eq!(region_figures(&records, &per_record, &types, &p, &hangzhou), figures(5, 4, 4, 2));
        let ningbo = Region::City(NINGBO.into());
        assert_eq!(region_figures(&records, &per_record, &types, &p, &ningbo), figures(1, 1, 1, 0));
        assert_eq!(
            region_figures(&records, &per_record, &types, &p, &Region::County(XIHU.into())),
            figures(5, 4, 4, 2)
        );
        assert_eq!(
            region_figures(&records, &per_record, &types, &p, &Region::County(BINJIANG.into())),
            Figures::default()
        );

        // Only smart factories: w1 is no longer pending, f8 still is.
        let factories = indicator(Unit::Records, Kind::Increment, &[("smart_factory", &[])]);
        assert_eq!(region_figures(&records, &factories, &types, &p, &Region::Province), figures(4, 3, 3, 1));

        // Known on 15 August: w3's revocation is known, f6 has been approved.
        let later = params(2023, "2023-06-30", "2023-08-15 00:00:00");
        assert_eq!(region_figures(&records, &per_record, &types, &later, &Region::Province), figures(6, 5, 5, 2));
        assert_eq!(region_figures(&records, &per_enterprise, &types, &later, &Region::Province), figures(4, 4, 4, 2));
    }

    #[test]
    fn nothing_recorded_after_t_changes_the_figures() {
        let types = types();
        let ind = indicator(
            Unit::Enterprises,
            Kind::Increment,
            &[("smart_factory", &[]), ("digital_workshop", &[]), ("eaglet", &[])],
        );
        let p = params(2023, "2023-06-30", "2023-07-15 00:00:00");
        let mut records = factory_workload();
        records.push(rec("t1", "e11", "eaglet", Some("pool"), "2021-01-01").approved("2021-02-01 00:00:00"));
        let known = region_figures(&records, &ind, &types, &p, &Region::Province);
        assert_eq!(known, figures(5, 4, 4, 2));

        // An approval, a revocation and a replacing tier, all recorded after T.
        records.push(rec("f9", "e10", "smart_factory", None, "2023-03-01").approved("2023-07-15 00:00:01"));
        records[0] = records[0].clone().revoked("2023-09-01 00:00:00", "2023-01-01");
        records.push(rec("t2", "e11", "eagle", None, "2023-05-01").approved("2023-08-01 00:00:00"));
        assert_eq!(region_figures(&records, &ind, &types, &p, &Region::Province), known);
        // Known later, they take effect: e1 keeps f3, e4's workshop is revoked, e5 and e10
        // join, e11's eaglet was replaced.
        let later = params(2023, "2023-06-30", "2023-09-01 00:00:00");
        assert_eq!(region_figures(&records, &ind, &types, &later, &Region::Province), figures(5, 5, 5, 2));
    }

    #[test]
    fn recognitions_lapse_after_their_validity() {
        let types = types();
        let ind = indicator(Unit::Enterprises, Kind::Cumulative, &[("high_tech_enterprise", &[])]);
        let records = vec![
            rec("h1", "e1", "high_tech_enterprise", None, "2020-03-15").approved("2020-04-01 00:00:00"),
            // Leap day: three years later is 28 February.
            rec("h2", "e2", "high_tech_enterprise", None, "2020-02-29").approved("2020-04-01 00:00:00"),
        ];
        let known = "2024-01-01 00:00:00";
        let on =
            |d: &str| region_figures(&records, &ind, &types, &params(2023, d, known), &Region::Province).cumulative;
        assert_eq!(on("2023-02-27"), 2);
        assert_eq!(on("2023-02-28"), 1);
        assert_eq!(on("2023-03-14"), 1);
        assert_eq!(on("2023-03-15"), 0);
        assert_eq!(
            ending(&records[0], &types, &records, &params(2023, "2023-03-15", known)),
            Some(Ending::Lapsed { on: date("2023-03-15") })
        );

        // Re-certified on the lapse date: counted again, once.
        let mut renewed = records.clone();
        renewed.push(rec("h3", "e1", "high_tech_enterprise", None, "2023-03-15").approved("2023-04-01 00:00:00"));
        let p = params(2023, "2023-06-30", known);
        assert_eq!(region_figures(&renewed, &ind, &types, &p, &Region::Province).cumulative, 1);

        // Technology-based SMEs hold for one year.
        let sme = vec![rec("s1", "e1", "tech_sme", None, "2022-06-30").approved("2022-07-01 00:00:00")];
        let ind = indicator(Unit::Enterprises, Kind::Cumulative, &[("tech_sme", &[])]);
        let at_d = |d: &str| region_figures(&sme, &ind, &types, &params(2023, d, known), &Region::Province).cumulative;
        assert_eq!((at_d("2023-06-29"), at_d("2023-06-30")), (1, 0));
    }

    fn tier_workload() -> Vec<RecordFacts> {
        vec![
            // e1: eaglet pool 2018, recognised eaglet 2019, eagle from 1 September 2022.
            rec("p1", "e1", "eaglet", Some("pool"), "2018-01-01").approved("2018-01-10 00:00:00"),
            rec("r1", "e1", "eaglet", Some("recognised"), "2019-05-01").approved("2019-05-10 00:00:00"),
            rec("g1", "e1", "eagle", None, "2022-09-01").approved("2022-09-20 00:00:00"),
            // e2: recognised eaglet throughout.
            rec("r2", "e2", "eaglet", Some("recognised"), "2020-01-01").approved("2020-01-02 00:00:00"),
        ]
    }

    #[test]
    fn a_tier_promotion_ends_the_lower_tier_on_its_effective_date() {
        let records = tier_workload();
        let types = types();
        let eaglets = indicator(Unit::Enterprises, Kind::Cumulative, &[("eaglet", &["recognised"])]);
        let eagles = indicator(Unit::Enterprises, Kind::Cumulative, &[("eagle", &[])]);
        let fig = |ind: &IndicatorDef, d: &str, t: &str| {
            region_figures(&records, ind, &types, &params(2022, d, t), &Region::Province).cumulative
        };
        let known = "2023-01-01 00:00:00";
        assert_eq!((fig(&eaglets, "2022-08-31", known), fig(&eagles, "2022-08-31", known)), (2, 0));
        assert_eq!((fig(&eaglets, "2022-09-01", known), fig(&eagles, "2022-09-01", known)), (1, 1));
        // Before the eagle was approved, the eaglet still counted on 1 September.
        let before = "2022-09-10 00:00:00";
        assert_eq!((fig(&eaglets, "2022-09-01", before), fig(&eagles, "2022-09-01", before)), (2, 0));

        let p = params(2022, "2022-09-01", known);
        assert_eq!(
            ending(&records[1], &types, &records, &p),
            Some(Ending::Replaced { by: "g1".into(), on: date("2022-09-01") })
        );
        // The pool entry was ended by the recognition, the earliest replacement.
        assert_eq!(
            ending(&records[0], &types, &records, &p),
            Some(Ending::Replaced { by: "r1".into(), on: date("2019-05-01") })
        );
        let pool = indicator(Unit::Enterprises, Kind::Cumulative, &[("eaglet", &["pool"])]);
        assert_eq!(fig(&pool, "2019-04-30", known), 1);
        assert_eq!(fig(&pool, "2019-05-01", known), 0);
        // Records of other enterprises do not replace anything.
        assert_eq!(ending(&records[3], &types, &records, &p), None);
    }

    #[test]
    fn a_replacement_later_revoked_still_ended_the_old_tier() {
        let mut records = tier_workload();
        records[2] = records[2].clone().revoked("2023-01-10 00:00:00", "2023-01-01");
        let types = types();
        let eaglets = indicator(Unit::Enterprises, Kind::Cumulative, &[("eaglet", &[])]);
        let eagles = indicator(Unit::Enterprises, Kind::Cumulative, &[("eagle", &[])]);
        let p = params(2023, "2023-06-30", "2023-07-01 00:00:00");
        assert_eq!(region_figures(&records, &eaglets, &types, &p, &Region::Province).cumulative, 1);
        assert_eq!(region_figures(&records, &eagles, &types, &p, &Region::Province).cumulative, 0);
    }

    #[test]
    fn tiers_taking_effect_on_the_same_day_do_not_end_each_other() {
        let records = vec![
            rec("r1", "e1", "eaglet", Some("recognised"), "2022-09-01").approved("2022-09-02 00:00:00"),
            rec("g1", "e1", "eagle", None, "2022-09-01").approved("2022-09-03 00:00:00"),
        ];
        let types = types();
        let p = params(2022, "2022-12-31", "2023-01-01 00:00:00");
        assert_eq!(ending(&records[0], &types, &records, &p), None);
        assert_eq!(ending(&records[1], &types, &records, &p), None);
    }

    #[test]
    fn a_replacement_attributed_to_another_region_still_counts() {
        // e1 moved from Hangzhou to Ningbo before becoming an eagle.
        let mut records = tier_workload();
        records[2] = records[2].clone().in_county(NINGBO, HAISHU);
        let types = types();
        let eaglets = indicator(Unit::Enterprises, Kind::Cumulative, &[("eaglet", &[])]);
        let eagles = indicator(Unit::Enterprises, Kind::Cumulative, &[("eagle", &[])]);
        let p = params(2022, "2022-12-31", "2023-01-01 00:00:00");
        let hangzhou = Region::City(HANGZHOU.into());
        let ningbo = Region::City(NINGBO.into());
        assert_eq!(region_figures(&records, &eaglets, &types, &p, &hangzhou).cumulative, 1);
        assert_eq!(region_figures(&records, &eagles, &types, &p, &ningbo).cumulative, 1);
        assert_eq!(region_figures(&records, &eagles, &types, &p, &hangzhou).cumulative, 0);
    }

    #[test]
    fn as_of_is_clamped_and_may_precede_the_year() {
        let types = types();
        let records = vec![
            rec("f1", "e1", "smart_factory", None, "2022-06-01").approved("2022-06-02 00:00:00"),
            rec("f2", "e2", "smart_factory", None, "2023-12-31").approved("2024-01-02 00:00:00"),
            rec("f3", "e3", "smart_factory", None, "2024-01-10").approved("2024-01-11 00:00:00"),
        ];
        let ind = indicator(Unit::Records, Kind::Increment, &[("smart_factory", &[])]);
        let known = "2024-03-01 00:00:00";
        // As of 1 March 2024 for 2023 means as of 31 December 2023.
        assert_eq!(
            region_figures(&records, &ind, &types, &params(2023, "2024-03-01", known), &Region::Province),
            figures(2, 1, 1, 0)
        );
        // As of a date before 2024 for 2024: the stock at that date, no increment.
        assert_eq!(
            region_figures(&records, &ind, &types, &params(2024, "2023-06-30", known), &Region::Province),
            figures(1, 0, 0, 0)
        );
        // The increment window starts on 1 January.
        assert_eq!(
            region_figures(&records, &ind, &types, &params(2024, "2024-01-10", known), &Region::Province),
            figures(3, 1, 1, 0)
        );
    }

    #[test]
    fn levels_restrict_what_an_indicator_counts() {
        let types = types();
        let records = vec![
            rec("c1", "e1", "cloud_adoption", Some("on_cloud"), "2018-01-01").approved("2018-01-02 00:00:00"),
            rec("c2", "e1", "cloud_adoption", Some("benchmark"), "2019-01-01").approved("2019-01-02 00:00:00"),
            rec("c3", "e2", "cloud_adoption", Some("benchmark"), "2019-01-01").submitted(),
            rec("c4", "e3", "cloud_adoption", Some("on_cloud"), "2019-01-01").submitted(),
        ];
        let p = params(2020, "2020-12-31", "2021-01-01 00:00:00");
        let all = indicator(Unit::Enterprises, Kind::Cumulative, &[("cloud_adoption", &[])]);
        let benchmark = indicator(Unit::Enterprises, Kind::Cumulative, &[("cloud_adoption", &["benchmark"])]);
        assert_eq!(region_figures(&records, &all, &types, &p, &Region::Province), figures(1, 0, 1, 2));
        assert_eq!(region_figures(&records, &benchmark, &types, &p, &Region::Province), figures(1, 0, 1, 1));
        let untracked = indicator(Unit::Enterprises, Kind::Cumulative, &[]);
        assert_eq!(region_figures(&records, &untracked, &types, &p, &Region::Province), Figures::default());
    }

    #[test]
    fn unknown_types_only_end_by_revocation() {
        let types = TypeTable::new([TypeFacts {
            code: "eagle".into(),
            validity_years: None,
            exclusive_group: Some("tier".into()),
        }]);
        let records = vec![
            rec("n1", "e1", "new_type", None, "2000-01-01").approved("2000-01-02 00:00:00"),
            rec("g1", "e1", "eagle", None, "2001-01-01").approved("2001-01-02 00:00:00"),
        ];
        let p = params(2023, "2023-12-31", "2024-01-01 00:00:00");
        assert_eq!(ending(&records[0], &types, &records, &p), None);
    }
}
