//! Catalogue rules of a milestone type (§3.3): allowed levels, multiplicity, exclusive group
//! and validity.

use chrono::{Months, NaiveDate};

use super::state::MilestoneState;
use crate::reference::MilestoneTypeRow;

/// How many live records of one type an enterprise may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Multiplicity {
    /// At most one live record of the type.
    One,
    /// At most one live record of the type per level.
    OnePerLevel,
    /// Any number (e.g. several factories).
    Many,
}

impl Multiplicity {
    /// Every multiplicity.
    pub const ALL: [Multiplicity; 3] = [Multiplicity::One, Multiplicity::OnePerLevel, Multiplicity::Many];

    /// Parses `one`, `one_per_level` or `many`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "one" => Ok(Self::One),
            "one_per_level" => Ok(Self::OnePerLevel),
            "many" => Ok(Self::Many),
            other => Err(format!("`{other}` is not a multiplicity (one, one_per_level, many)")),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::One => "one",
            Self::OnePerLevel => "one_per_level",
            Self::Many => "many",
        }
    }
}

impl std::fmt::Display for Multiplicity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules of one milestone type, as the catalogue gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRules {
    /// Allowed levels; empty when the type has no level.
    pub levels: Vec<String>,
    /// How many live records an enterprise may hold.
    pub multiplicity: Multiplicity,
    /// Exclusive group (`tier`): an enterprise holds at most one of the group in force.
    pub exclusive_group: Option<String>,
    /// Years after its effective date at which a recognition lapses.
    pub validity_years: Option<i32>,
}

impl TypeRules {
    /// Reads the rules from a catalogue row, refusing an inconsistent one: an unknown
    /// multiplicity, `one_per_level` without levels, a blank or repeated level, or a
    /// non-positive validity.
    pub fn from_row(row: &MilestoneTypeRow) -> Result<Self, String> {
        let what = |msg: String| format!("milestone type `{}`: {msg}", row.code);
        let levels: Vec<String> = if row.levels.trim().is_empty() {
            Vec::new()
        } else {
            row.levels.split('|').map(|l| l.trim().to_string()).collect()
        };
        if let Some(i) = levels.iter().position(|l| l.is_empty()) {
            return Err(what(format!("level {} is blank", i + 1)));
        }
        for (i, l) in levels.iter().enumerate() {
            if levels[..i].contains(l) {
                return Err(what(format!("level `{l}` is listed twice")));
            }
        }
        let multiplicity = Multiplicity::parse(row.multiplicity.trim()).map_err(what)?;
        if multiplicity == Multiplicity::OnePerLevel && levels.is_empty() {
            return Err(what("`one_per_level` needs levels".to_string()));
        }
        if let Some(v) = row.validity_years.filter(|v| *v <= 0) {
            return Err(what(format!("validity of {v} years is not positive")));
        }
        Ok(Self {
            levels,
            multiplicity,
            exclusive_group: row
                .exclusive_group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_string),
            validity_years: row.validity_years,
        })
    }
}

/// Checks a record's level: required exactly when the type has levels, and then one of them.
/// Levels are wire codes and compared exactly; the caller trims input first.
pub fn check_level(rules: &TypeRules, level: Option<&str>) -> Result<(), String> {
    match level {
        None if rules.levels.is_empty() => Ok(()),
        None => Err(format!("a level is required for this type ({})", rules.levels.join(", "))),
        Some(_) if rules.levels.is_empty() => Err("this type has no levels, but one was given".to_string()),
        Some(l) if rules.levels.iter().any(|x| x == l) => Ok(()),
        Some(_) => Err(format!("is not a level of this type ({})", rules.levels.join(", "))),
    }
}

/// An enterprise's existing record of the same type, as far as the multiplicity rule cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRecord {
    /// The record's id (for the 409's link).
    pub id: String,
    /// Its level.
    pub level: Option<String>,
    /// Its state.
    pub state: MilestoneState,
}

/// The live record that a new record of this type and `level` would duplicate, if any (→ 409
/// with a link to it).
///
/// `live_records` are the enterprise's records of the same type. Records whose state is not
/// live are skipped here, but an approved record that has lapsed or been replaced in its
/// exclusive group is no longer in force and must be left out by the caller, who knows the
/// dates (see [`has_lapsed`]). When re-checking an existing record (a level change, a
/// submission), leave the record itself out too. The first duplicate in slice order wins.
pub fn conflicts<'a>(
    rules: &TypeRules,
    level: Option<&str>,
    live_records: &'a [ExistingRecord],
) -> Option<&'a ExistingRecord> {
    let mut live = live_records.iter().filter(|r| r.state.is_live());
    match rules.multiplicity {
        Multiplicity::One => live.next(),
        Multiplicity::OnePerLevel => live.find(|r| r.level.as_deref() == level),
        Multiplicity::Many => None,
    }
}

/// The first day on which a recognition effective on `effective_on` is no longer in force:
/// `effective_on` plus `validity_years` years, or `None` for a type without validity (and for
/// a non-positive validity, which [`TypeRules::from_row`] refuses, or a date beyond chrono's
/// range).
///
/// Years are added as 12·v calendar months with chrono's `checked_add_months`, which clamps to
/// the end of a shorter month: a recognition of 29 Feb 2024 with validity 1 lapses on
/// 28 Feb 2025 (and with validity 4 on 29 Feb 2028). That agrees with §3.6 (b), "ended when
/// effective_on + v years ≤ D", erring towards the earlier day, never a day past the year.
pub fn lapse_date(effective_on: NaiveDate, validity_years: Option<i32>) -> Option<NaiveDate> {
    let years = u32::try_from(validity_years?).ok().filter(|v| *v > 0)?;
    effective_on.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// Whether a recognition has lapsed by `on` (its [`lapse_date`] is on or before `on`).
pub fn has_lapsed(effective_on: NaiveDate, validity_years: Option<i32>, on: NaiveDate) -> bool {
    lapse_date(effective_on, validity_years).is_some_and(|lapse| lapse <= on)
}

/// Whether two types share an exclusive group, so that approving a record of one ends the
/// enterprise's record of the other in force on the new one's effective date (§3.3, §3.6 (c)).
/// A type with a group shares it with itself: 雏鹰 `recognised` replaces 雏鹰 `pool`.
pub fn shares_exclusive_group(a: &TypeRules, b: &TypeRules) -> bool {
    matches!((&a.exclusive_group, &b.exclusive_group), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;
    use proptest::prelude::*;

    fn rules(levels: &[&str], multiplicity: Multiplicity) -> TypeRules {
        TypeRules {
            levels: levels.iter().map(|l| l.to_string()).collect(),
            multiplicity,
            exclusive_group: None,
            validity_years: None,
        }
    }

    fn rec(id: &str, level: Option<&str>, state: MilestoneState) -> ExistingRecord {
        ExistingRecord { id: id.to_string(), level: level.map(str::to_string), state }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn multiplicity_names_round_trip() {
        for m in Multiplicity::ALL {
            assert_eq!(Multiplicity::parse(m.as_str()).unwrap(), m);
            assert_eq!(m.to_string(), m.as_str());
        }
        assert!(Multiplicity::parse("two").is_err());
    }

    #[test]
    fn every_catalogue_row_gives_rules() {
        let r = Reference::load().unwrap();
        for row in &r.milestone_types {
            TypeRules::from_row(row).unwrap();
        }
        let get = |code: &str| TypeRules::from_row(r.milestone_type(code).unwrap()).unwrap();
        let cloud = get("cloud_adoption");
        assert_eq!(cloud.levels, ["on_cloud", "deep_cloud_use", "benchmark"]);
        assert_eq!(cloud.multiplicity, Multiplicity::OnePerLevel);
        assert_eq!(cloud.exclusive_group, None);
        let hte = get("high_tech_enterprise");
        assert!(hte.levels.is_empty());
        assert_eq!(hte.multiplicity, Multiplicity::One);
        assert_eq!(hte.validity_years, Some(3));
        assert_eq!(get("eagle").exclusive_group.as_deref(), Some("tier"));
        assert!(shares_exclusive_group(&get("eagle"), &get("eaglet")));
        assert!(shares_exclusive_group(&get("eaglet"), &get("eaglet")));
        assert!(!shares_exclusive_group(&get("eagle"), &get("little_giant")));
        assert!(!shares_exclusive_group(&hte, &hte));
    }

    #[test]
    fn inconsistent_rows_are_refused() {
        let r = Reference::load().unwrap();
        let base = r.milestone_type("cloud_adoption").unwrap().clone();
        let with = |f: &dyn Fn(&mut MilestoneTypeRow)| {
            let mut row = base.clone();
            f(&mut row);
            TypeRules::from_row(&row)
        };
        assert!(with(&|r| r.multiplicity = "few".into()).is_err());
        assert!(with(&|r| r.levels = String::new()).is_err());
        assert!(with(&|r| r.levels = "a||b".into()).is_err());
        assert!(with(&|r| r.levels = "a|a".into()).is_err());
        assert!(with(&|r| r.validity_years = Some(0)).is_err());
        assert!(with(&|r| r.validity_years = Some(-1)).is_err());
        assert!(with(&|r| r.multiplicity = "many".into()).is_ok());
        assert!(with(&|r| {
            r.levels = String::new();
            r.multiplicity = "one".into()
        })
        .is_ok());
    }

    #[test]
    fn level_is_required_exactly_when_the_type_has_levels() {
        let levelled = rules(&["provincial", "national"], Multiplicity::OnePerLevel);
        assert!(check_level(&levelled, Some("national")).is_ok());
        assert!(check_level(&levelled, None).is_err());
        assert!(check_level(&levelled, Some("city")).is_err());
        assert!(check_level(&levelled, Some("National")).is_err());
        assert!(check_level(&levelled, Some("")).is_err());

        let plain = rules(&[], Multiplicity::One);
        assert!(check_level(&plain, None).is_ok());
        assert!(check_level(&plain, Some("national")).is_err());
        assert!(check_level(&plain, Some("")).is_err());
    }

    #[test]
    fn one_conflicts_with_any_live_record() {
        use MilestoneState::*;
        let r = rules(&[], Multiplicity::One);
        assert_eq!(conflicts(&r, None, &[]), None);
        let dead = [rec("a", None, Rejected), rec("b", None, Withdrawn), rec("c", None, Revoked)];
        assert_eq!(conflicts(&r, None, &dead), None);
        for state in [Draft, Submitted, Returned, Approved] {
            let mut records = dead.to_vec();
            records.push(rec("live", None, state));
            assert_eq!(conflicts(&r, None, &records).unwrap().id, "live");
        }
        // `one` ignores levels even if a type had them.
        let r = rules(&["x", "y"], Multiplicity::One);
        let records = [rec("x1", Some("x"), Approved)];
        assert_eq!(conflicts(&r, Some("y"), &records).unwrap().id, "x1");
    }

    #[test]
    fn one_per_level_conflicts_with_a_live_record_of_the_same_level() {
        use MilestoneState::*;
        let r = rules(&["pool", "recognised"], Multiplicity::OnePerLevel);
        let records = [rec("p-dead", Some("pool"), Rejected), rec("r-live", Some("recognised"), Submitted)];
        assert_eq!(conflicts(&r, Some("pool"), &records), None);
        assert_eq!(conflicts(&r, Some("recognised"), &records).unwrap().id, "r-live");
        let records = [rec("p-dead", Some("pool"), Revoked), rec("p-live", Some("pool"), Approved)];
        assert_eq!(conflicts(&r, Some("pool"), &records).unwrap().id, "p-live");
    }

    #[test]
    fn many_never_conflicts() {
        use MilestoneState::*;
        let r = rules(&[], Multiplicity::Many);
        let records = [rec("a", None, Approved), rec("b", None, Draft)];
        assert_eq!(conflicts(&r, None, &records), None);
    }

    #[test]
    fn lapse_adds_calendar_years() {
        assert_eq!(lapse_date(d(2021, 12, 31), Some(3)), Some(d(2024, 12, 31)));
        assert_eq!(lapse_date(d(2024, 2, 29), Some(1)), Some(d(2025, 2, 28)));
        assert_eq!(lapse_date(d(2024, 2, 29), Some(4)), Some(d(2028, 2, 29)));
        assert_eq!(lapse_date(d(2024, 2, 29), None), None);
        assert_eq!(lapse_date(d(2024, 2, 29), Some(0)), None);
        assert_eq!(lapse_date(d(2024, 2, 29), Some(-3)), None);
        assert_eq!(lapse_date(NaiveDate::MAX, Some(1)), None);
        assert_eq!(lapse_date(d(2024, 1, 1), Some(i32::MAX)), None);
    }

    #[test]
    fn a_recognition_has_lapsed_on_its_lapse_date() {
        let eff = d(2021, 6, 15);
        assert!(!has_lapsed(eff, Some(3), d(2024, 6, 14)));
        assert!(has_lapsed(eff, Some(3), d(2024, 6, 15)));
        assert!(!has_lapsed(eff, None, d(2999, 1, 1)));
    }

    proptest! {
        #[test]
        fn lapse_is_later_and_within_a_few_days_of_the_anniversary(
            days in -200_000i64..200_000,
            years in -5i32..60,
        ) {
            let eff = d(2000, 1, 1) + chrono::Duration::days(days);
            match lapse_date(eff, Some(years)) {
                None => prop_assert!(years <= 0),
                Some(lapse) => {
                    prop_assert!(years > 0 && lapse > eff);
                    prop_assert_eq!(chrono::Datelike::year(&lapse), chrono::Datelike::year(&eff) + years);
                    prop_assert_eq!(chrono::Datelike::month(&lapse), chrono::Datelike::month(&eff));
                    prop_assert!(chrono::Datelike::day(&eff) - chrono::Datelike::day(&lapse) <= 1);
                }
            }
        }

        #[test]
        fn conflicts_only_return_live_records_of_the_input(
            states in proptest::collection::vec(
                (proptest::sample::select(MilestoneState::ALL.to_vec()),
                 proptest::option::of(proptest::sample::select(vec!["a", "b"]))),
                0..8),
            level in proptest::option::of(proptest::sample::select(vec!["a", "b"])),
            m in proptest::sample::select(Multiplicity::ALL.to_vec()),
        ) {
            let records: Vec<_> = states.iter().enumerate()
                .map(|(i, (s, l))| rec(&i.to_string(), *l, *s)).collect();
            let r = rules(&["a", "b"], m);
            let got = conflicts(&r, level, &records);
            if let Some(c) = got {
                prop_assert!(c.state.is_live());
                prop_assert!(records.iter().any(|x| std::ptr::eq(x, c)));
            }
            let any_live = records.iter().any(|x| x.state.is_live());
            let same_level_live = records.iter().any(|x| x.state.is_live() && x.level.as_deref() == level);
            match m {
                Multiplicity::One => prop_assert_eq!(got.is_some(), any_live),
                Multiplicity::OnePerLevel => prop_assert_eq!(got.is_some(), same_level_live),
                Multiplicity::Many => prop_assert!(got.is_none()),
            }
        }
    }
}
