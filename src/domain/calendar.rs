//! The working-day rule (DESIGN §3.7), pure: a working day is Monday–Friday unless the calendar
//! lists it as a `holiday`, or a Saturday/Sunday the calendar lists as a `workday` (调休).
//! [`Calendar`] holds the listed dates of some years and counts working days over them; the
//! database side (which years to load) is `crate::calendar`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use super::year::{MAX_YEAR, MIN_YEAR};

/// The most working days `GET /calendar/workdays` counts (`add`).
pub const MAX_ADD: u32 = 250;

/// Longest entry name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// What a calendar entry makes of its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// A Monday–Friday that is a public holiday.
    Holiday,
    /// A Saturday or Sunday that is worked (调休).
    Workday,
}

impl DayKind {
    /// Wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::Workday => "workday",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(Self::Holiday),
            "workday" => Some(Self::Workday),
            _ => None,
        }
    }

    /// Whether an entry of this kind changes what `date` is: a holiday must fall on a weekday
    /// and a make-up workday on a weekend (the State Council lists nothing else).
    pub fn changes(self, date: NaiveDate) -> bool {
        match self {
            Self::Holiday => !is_weekend(date),
            Self::Workday => is_weekend(date),
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses a calendar date: strictly `YYYY-MM-DD`, a real date, in the years 2000–2100.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| "must be a date written YYYY-MM-DD".to_string())?;
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!("must be a date in the years {MIN_YEAR} to {MAX_YEAR}"))
    }
}

/// Checks an entry's name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
pub fn check_name(s: &str) -> Result<String, &'static str> {
    let name = s.trim();
    if name.is_empty() {
        return Err("must not be empty");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err("must be at most 60 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("must not hold control characters");
    }
    Ok(name.to_string())
}

/// The result of counting working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// The N-th working day after the start (the start itself for N = 0).
    pub date: NaiveDate,
    /// Whether every year the count passed through (start to result) has a calendar entry.
    pub published: bool,
}

/// The listed dates of some years.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    years: BTreeSet<i32>,
}

impl Calendar {
    /// A calendar of these entries; a year is *published* when it holds at least one.
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        let days: BTreeMap<NaiveDate, DayKind> = entries.into_iter().collect();
        let years = days.keys().map(Datelike::year).collect();
        Self { days, years }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(date),
        }
    }

    /// Whether the calendar has any entry in `year`.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The `n`-th working day after `from` (`from` itself not counted; `n` = 0 gives `from`);
    /// `None` only past the last date chrono represents.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt()?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// [`add_working_days`](Self::add_working_days), and whether every year from `from`'s to
    /// the result's has an entry (otherwise Monday–Friday was assumed for some of it).
    pub fn count(&self, from: NaiveDate, n: u32) -> Option<Count> {
        let date = self.add_working_days(from, n)?;
        let published = (from.year()..=date.year()).all(|y| self.has_year(y));
        Some(Count { date, published })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn national_day_2024() -> Calendar {
        // The lines of data/reference/cn_calendar.csv for National Day 2024.
        Calendar::new([
            (d("2024-09-29"), DayKind::Workday),
            (d("2024-10-01"), DayKind::Holiday),
            (d("2024-10-02"), DayKind::Holiday),
            (d("2024-10-03"), DayKind::Holiday),
            (d("2024-10-04"), DayKind::Holiday),
            (d("2024-10-07"), DayKind::Holiday),
            (d("2024-10-12"), DayKind::Workday),
        ])
    }

    #[test]
    fn national_day_week_counts_the_make_up_sunday() {
        let c = national_day_2024();
        assert!(c.is_working_day(d("2024-09-29")), "make-up Sunday");
        assert!(!c.is_working_day(d("2024-10-01")), "weekday holiday");
        assert!(!c.is_working_day(d("2024-10-05")), "plain Saturday");
        assert!(c.is_working_day(d("2024-10-12")), "make-up Saturday");
        assert_eq!(c.add_working_days(d("2024-09-27"), 5), Some(d("2024-10-10")));
        assert_eq!(c.add_working_days(d("2024-09-27"), 0), Some(d("2024-09-27")));
        // A start that is not a working day is not counted either.
        assert_eq!(c.add_working_days(d("2024-10-05"), 1), Some(d("2024-10-08")));
        assert_eq!(c.count(d("2024-09-27"), 5), Some(Count { date: d("2024-10-10"), published: true }));
        assert_eq!(c.count(d("2024-12-30"), 3).map(|r| (r.date, r.published)), Some((d("2025-01-02"), false)));
        assert_eq!(c.count(d("2025-03-03"), 0).map(|r| r.published), Some(false));
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(parse_date("2024-02-29"), Ok(d("2024-02-29")));
        assert_eq!(parse_date("2100-12-31"), Ok(d("2100-12-31")));
        for bad in
            ["2023-02-29", "2024-9-27", "20240927", "2024-09-27T00:00:00", " 2024-09-27", "1999-12-31", "2101-01-01"]
        {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn entries_must_change_their_date() {
        assert!(DayKind::Holiday.changes(d("2024-10-01")));
        assert!(!DayKind::Holiday.changes(d("2024-10-05")));
        assert!(DayKind::Workday.changes(d("2024-09-29")));
        assert!(!DayKind::Workday.changes(d("2024-09-30")));
        assert_eq!(DayKind::parse("workday"), Some(DayKind::Workday));
        assert_eq!(DayKind::parse("Holiday"), None);
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("  春节 "), Ok("春节".to_string()));
        assert!(check_name("   ").is_err());
        assert!(check_name(&"节".repeat(61)).is_err());
        assert!(check_name("a\tb").is_err());
    }

    fn entries() -> impl Strategy<Value = Vec<(NaiveDate, DayKind)>> {
        let day = (0i64..800).prop_map(|n| d("2024-01-01") + chrono::Duration::days(n));
        let kind = prop_oneof![Just(DayKind::Holiday), Just(DayKind::Workday)];
        proptest::collection::vec((day, kind), 0..120)
    }

    fn start() -> impl Strategy<Value = NaiveDate> {
        (0i64..700).prop_map(|n| d("2024-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_result_is_the_nth_working_day(entries in entries(), from in start(), n in 0u32..=MAX_ADD) {
            let c = Calendar::new(entries);
            let date = c.add_working_days(from, n).unwrap();
            prop_assert!(date >= from);
            let working = from.iter_days().skip(1).take_while(|x| *x <= date).filter(|x| c.is_working_day(*x)).count();
            prop_assert_eq!(working, n as usize);
            if n > 0 {
                prop_assert!(c.is_working_day(date));
            }
        }

        #[test]
        fn counts_compose(entries in entries(), from in start(), a in 0u32..120, b in 0u32..120) {
            let c = Calendar::new(entries);
            let mid = c.add_working_days(from, a).unwrap();
            prop_assert_eq!(c.add_working_days(mid, b), c.add_working_days(from, a + b));
            prop_assert!(c.add_working_days(from, a + 1).unwrap() > mid);
        }

        #[test]
        fn without_entries_a_week_has_five_working_days(
            from in start().prop_filter("a weekday", |x| !is_weekend(*x)),
            weeks in 0u32..50,
        ) {
            let c = Calendar::default();
            let date = c.add_working_days(from, 5 * weeks).unwrap();
            prop_assert_eq!(date, from + chrono::Duration::weeks(i64::from(weeks)));
            prop_assert!(!c.count(from, 5 * weeks).unwrap().published);
        }
    }
}
