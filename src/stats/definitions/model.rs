//! Inputs of the reference computation: the facts about milestone records, milestone types and
//! indicators that the §3.6 definitions read, and the query parameters (year Y, as-of date D,
//! knowledge time T). Everything here is plain data; nothing reads a clock or a database.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::reference::{MilestoneTypeRow, Reference};

/// A revocation of an approved record, as the province recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// When the revocation was recorded (UTC). Only revocations recorded at or before the
    /// knowledge time T are known to a query.
    pub recorded_at: NaiveDateTime,
    /// The date from which the recognition no longer holds.
    pub effective_on: NaiveDate,
}

/// What the statistics need to know about one milestone record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    /// Record id.
    pub id: String,
    /// The enterprise the record belongs to.
    pub enterprise_id: String,
    /// Milestone type code (`smart_factory`, `eagle`, …).
    pub milestone_type: String,
    /// Level code, `None` for types without levels.
    pub level: Option<String>,
    /// Date the milestone took effect (as approved, including a reviewer's correction).
    pub effective_on: NaiveDate,
    /// County the record is attributed to (copied at submission).
    pub county_code: String,
    /// City the record is attributed to (copied at submission).
    pub city_code: String,
    /// When the record was approved (UTC), `None` if it never was (draft, submitted,
    /// returned, rejected, withdrawn).
    pub approved_at: Option<NaiveDateTime>,
    /// Revocations of the record, in any order.
    pub revocations: Vec<Revocation>,
    /// Whether the record's current state is `submitted` (awaiting review). With
    /// `publicised_now` the only "now" facts: it feeds `pending` and nothing else.
    pub submitted_now: bool,
    /// Whether the record's current state is `publicised` (公示中); feeds `in_publicity` only.
    pub publicised_now: bool,
}

/// What the statistics need to know about one milestone type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFacts {
    /// Type code.
    pub code: String,
    /// A recognition of this type lapses this many years after its effective date.
    pub validity_years: Option<i32>,
    /// Exclusive group (`tier`): an enterprise holds at most one record of the group at a time.
    pub exclusive_group: Option<String>,
}

impl TypeFacts {
    /// The facts of a row of `milestone_types.csv`.
    pub fn from_row(row: &MilestoneTypeRow) -> Self {
        Self {
            code: row.code.clone(),
            validity_years: row.validity_years,
            exclusive_group: row.exclusive_group.clone(),
        }
    }
}

/// Milestone types by code.
///
/// A record whose type is not in the table is treated as a type with neither a validity
/// period nor an exclusive group: it can then only end by revocation.
#[derive(Debug, Clone, Default)]
pub struct TypeTable {
    by_code: HashMap<String, TypeFacts>,
}

impl TypeTable {
    /// A table of these types; a later entry with the same code replaces an earlier one.
    pub fn new(types: impl IntoIterator<Item = TypeFacts>) -> Self {
        Self { by_code: types.into_iter().map(|t| (t.code.clone(), t)).collect() }
    }

    /// The catalogue carried by the binary (`data/reference/milestone_types.csv`).
    pub fn from_reference(reference: &Reference) -> Self {
        Self::new(reference.milestone_types.iter().map(TypeFacts::from_row))
    }

    /// The type with this code.
    pub fn get(&self, code: &str) -> Option<&TypeFacts> {
        self.by_code.get(code)
    }

    /// The exclusive group of the type with this code, if it has one.
    pub fn exclusive_group(&self, code: &str) -> Option<&str> {
        self.get(code).and_then(|t| t.exclusive_group.as_deref())
    }

    /// The codes of the types in exclusive group `group`, sorted.
    pub fn in_group(&self, group: &str) -> Vec<String> {
        let mut codes: Vec<String> = self
            .by_code
            .values()
            .filter(|t| t.exclusive_group.as_deref() == Some(group))
            .map(|t| t.code.clone())
            .collect();
        codes.sort();
        codes
    }
}

/// What an indicator counts: distinct enterprises or records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// 家 — distinct enterprises.
    Enterprises,
    /// 个 — records.
    Records,
}

impl Unit {
    /// Parses `家` or `个`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "家" => Ok(Self::Enterprises),
            "个" => Ok(Self::Records),
            other => Err(format!("`{other}` is not an indicator unit (家, 个)")),
        }
    }

    /// The wire name (`家` or `个`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprises => "家",
            Self::Records => "个",
        }
    }
}

/// Whether an indicator measures a stock or the new ones within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Stock to reach by a year: `actual` is the cumulative figure.
    Cumulative,
    /// New ones within a year: `actual` is the increment, and time progress applies.
    Increment,
}

impl Kind {
    /// Parses `cumulative` or `increment`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "cumulative" => Ok(Self::Cumulative),
            "increment" => Ok(Self::Increment),
            other => Err(format!("`{other}` is not an indicator kind (cumulative, increment)")),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cumulative => "cumulative",
            Self::Increment => "increment",
        }
    }
}

/// One milestone type an indicator counts, optionally restricted to some of its levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Milestone type code.
    pub milestone_type: String,
    /// Levels counted; empty = every level (and records without a level).
    pub levels: Vec<String>,
}

impl Source {
    /// Whether a record of this type and level is one this source lists.
    pub fn lists(&self, milestone_type: &str, level: Option<&str>) -> bool {
        self.milestone_type == milestone_type
            && (self.levels.is_empty() || level.is_some_and(|l| self.levels.iter().any(|x| x == l)))
    }
}

/// What the computation needs to know about an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorDef {
    /// 家 or 个.
    pub unit: Unit,
    /// Cumulative or increment.
    pub kind: Kind,
    /// The milestone types (and levels) it counts; empty = not tracked, nothing counts.
    pub sources: Vec<Source>,
}

impl IndicatorDef {
    /// Whether a record of this type and level is one the indicator lists.
    pub fn lists(&self, milestone_type: &str, level: Option<&str>) -> bool {
        self.sources.iter().any(|s| s.lists(milestone_type, level))
    }

    /// The definition of a plan's indicator from the reference data carried by the binary:
    /// unit and kind from `plan_targets.csv`, sources from `indicator_sources.csv` (none when
    /// the indicator is not tracked). Errs when the plan has no such indicator or its unit or
    /// kind is malformed.
    pub fn from_reference(reference: &Reference, plan_code: &str, indicator_code: &str) -> Result<Self, String> {
        let row = reference
            .plan_targets
            .iter()
            .find(|r| r.plan_code == plan_code && r.indicator_code == indicator_code)
            .ok_or_else(|| format!("plan `{plan_code}` has no indicator `{indicator_code}`"))?;
        let sources = reference
            .indicator_sources
            .iter()
            .filter(|s| s.plan_code == plan_code && s.indicator_code == indicator_code)
            .map(|s| Source {
                milestone_type: s.milestone_type.clone(),
                levels: s.levels.split('|').map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
            })
            .collect();
        Ok(Self { unit: Unit::parse(&row.unit)?, kind: Kind::parse(&row.kind)?, sources })
    }
}

/// The region a figure is computed for. Records are attributed by the county and city stored
/// on them, never by where the enterprise is registered now.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Region {
    /// The whole province: every record.
    Province,
    /// The records attributed to this city (six-digit code).
    City(String),
    /// The records attributed to this county (six-digit code).
    County(String),
}

impl Region {
    /// Whether the record is attributed to this region.
    pub fn contains(&self, record: &RecordFacts) -> bool {
        match self {
            Self::Province => true,
            Self::City(code) => record.city_code == *code,
            Self::County(code) => record.county_code == *code,
        }
    }
}

/// The year is outside the range of calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("year {0} is out of range")]
pub struct YearOutOfRange(pub i32);

/// The parameters of a statistics query: year Y, as-of date D and knowledge time T.
///
/// Built only through [`Params::new`], so D never lies after Y-12-31. D may lie *before*
/// Y-01-01: the cumulative figure is then the stock at D, the increment window
/// [Y-01-01, D] is empty so the increment is 0, and time progress is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    year: i32,
    year_start: NaiveDate,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
}

impl Params {
    /// Parameters for year `year`, as of `as_of` (clamped to `year`-12-31) and as known at
    /// `known_at` (UTC). The caller supplies the defaults (today in Asia/Shanghai, now).
    pub fn new(year: i32, as_of: NaiveDate, known_at: NaiveDateTime) -> Result<Self, YearOutOfRange> {
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(YearOutOfRange(year))?;
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(YearOutOfRange(year))?;
        Ok(Self { year, year_start, as_of: as_of.min(year_end), known_at })
    }

    /// The year Y.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The as-of date D, already clamped to Y-12-31.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The knowledge time T (UTC).
    pub fn known_at(&self) -> NaiveDateTime {
        self.known_at
    }

    /// Y-01-01, the first day of the increment window.
    pub fn year_start(&self) -> NaiveDate {
        self.year_start
    }

    /// Whether a date lies in the increment window [Y-01-01, D].
    pub fn in_increment_window(&self, date: NaiveDate) -> bool {
        self.year_start <= date && date <= self.as_of
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn noon(d: NaiveDate) -> NaiveDateTime {
        d.and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn as_of_is_clamped_to_the_end_of_the_year() {
        let p = Params::new(2017, date(2019, 3, 1), noon(date(2020, 1, 1))).unwrap();
        assert_eq!(p.as_of(), date(2017, 12, 31));
        assert_eq!(p.known_at(), noon(date(2020, 1, 1)));
        let p = Params::new(2017, date(2017, 6, 30), noon(date(2020, 1, 1))).unwrap();
        assert_eq!(p.as_of(), date(2017, 6, 30));
        assert_eq!(p.year_start(), date(2017, 1, 1));
    }

    #[test]
    fn as_of_before_the_year_is_kept_and_the_window_is_empty() {
        let p = Params::new(2018, date(2017, 12, 31), noon(date(2020, 1, 1))).unwrap();
        assert_eq!(p.as_of(), date(2017, 12, 31));
        assert!(!p.in_increment_window(date(2017, 12, 31)));
        assert!(!p.in_increment_window(date(2018, 1, 1)));
    }

    #[test]
    fn increment_window_is_closed_at_both_ends() {
        let p = Params::new(2017, date(2017, 6, 30), noon(date(2020, 1, 1))).unwrap();
        assert!(!p.in_increment_window(date(2016, 12, 31)));
        assert!(p.in_increment_window(date(2017, 1, 1)));
        assert!(p.in_increment_window(date(2017, 6, 30)));
        assert!(!p.in_increment_window(date(2017, 7, 1)));
    }

    #[test]
    fn out_of_range_year_is_refused() {
        assert_eq!(Params::new(i32::MAX, date(2017, 1, 1), noon(date(2017, 1, 1))), Err(YearOutOfRange(i32::MAX)));
    }

    #[test]
    fn units_kinds_and_sources_parse() {
        assert_eq!(Unit::parse("家"), Ok(Unit::Enterprises));
        assert_eq!(Unit::parse("个"), Ok(Unit::Records));
        assert!(Unit::parse("万家").is_err());
        assert_eq!(Kind::parse("increment"), Ok(Kind::Increment));
        assert!(Kind::parse("stock").is_err());
        for u in [Unit::Enterprises, Unit::Records] {
            assert_eq!(Unit::parse(u.as_str()), Ok(u));
        }
        for k in [Kind::Cumulative, Kind::Increment] {
            assert_eq!(Kind::parse(k.as_str()), Ok(k));
        }
        let any = Source { milestone_type: "cloud_adoption".into(), levels: vec![] };
        assert!(any.lists("cloud_adoption", Some("benchmark")));
        assert!(any.lists("cloud_adoption", None));
        assert!(!any.lists("smart_factory", None));
        let bench = Source { milestone_type: "cloud_adoption".into(), levels: vec!["benchmark".into()] };
        assert!(bench.lists("cloud_adoption", Some("benchmark")));
        assert!(!bench.lists("cloud_adoption", Some("on_cloud")));
        assert!(!bench.lists("cloud_adoption", None));
    }

    #[test]
    fn definitions_come_from_the_reference_data() {
        let r = Reference::load().unwrap();
        let d = IndicatorDef::from_reference(&r, "ZJ2023-GWR", "smart_factories_and_digital_workshops").unwrap();
        assert_eq!(d.kind, Kind::Increment);
        assert!(d.lists("smart_factory", None));
        assert!(d.lists("digital_workshop", None));
        assert!(!d.lists("future_factory", Some("named")));
        let d = IndicatorDef::from_reference(&r, "ZJ2018-SZJJ", "cloud_benchmark_enterprises").unwrap();
        assert_eq!((d.unit, d.kind), (Unit::Enterprises, Kind::Cumulative));
        assert!(d.lists("cloud_adoption", Some("benchmark")));
        assert!(!d.lists("cloud_adoption", Some("on_cloud")));
        let untracked = IndicatorDef::from_reference(&r, "ZJ2018-SZJJ", "world_class_enterprises").unwrap();
        assert!(untracked.sources.is_empty());
        assert!(IndicatorDef::from_reference(&r, "ZJ2018-SZJJ", "nope").is_err());

        let types = TypeTable::from_reference(&r);
        assert_eq!(types.exclusive_group("eagle"), Some("tier"));
        assert_eq!(types.exclusive_group("eaglet"), Some("tier"));
        assert_eq!(types.exclusive_group("smart_factory"), None);
        assert_eq!(types.get("high_tech_enterprise").and_then(|t| t.validity_years), Some(3));
        assert!(types.get("nope").is_none());
    }
}
