//! The project's copy of the State Council's holiday schedules (`data/reference/cn_calendar.csv`:
//! weekday holidays and make-up working weekends, 2017–2026), embedded at compile time and
//! seeded into `calendar_days`.
//!
//! Seeding is idempotent and never undoes the province's maintenance: each embedded date is
//! seeded once (remembered in `calendar_seeded`), so an entry the province changed or deleted
//! stays as the province left it across restarts, while dates a newer binary adds (a new year's
//! schedule) are seeded at its first start.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::{upsert_rows, DbConnection};
use crate::domain::calendar::DayKind;
use crate::schema::{calendar_days, calendar_seeded};

const CN_CALENDAR_CSV: &str = include_str!("../../data/reference/cn_calendar.csv");

/// A row of `cn_calendar.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct CalendarRow {
    /// The date.
    pub date: NaiveDate,
    /// `holiday` or `workday`.
    pub kind: String,
    /// The festival it belongs to (English name).
    pub holiday: String,
}

impl CalendarRow {
    /// The row's kind; `None` for a kind the service does not know.
    pub fn day_kind(&self) -> Option<DayKind> {
        DayKind::parse(&self.kind)
    }
}

/// Parses the embedded schedules, checking that every row names a known kind that changes its
/// date (a weekday holiday or a weekend workday).
pub fn rows() -> Result<Vec<CalendarRow>, String> {
    let rows: Vec<CalendarRow> = super::rows::parse(CN_CALENDAR_CSV)?;
    for r in &rows {
        match r.day_kind() {
            Some(kind) if kind.changes(r.date) => {}
            _ => return Err(format!("embedded calendar: {} is not a weekday holiday or weekend workday", r.date)),
        }
    }
    Ok(rows)
}

#[derive(Insertable)]
#[diesel(table_name = calendar_days)]
struct NewDay<'a> {
    day: NaiveDate,
    kind: &'a str,
    name: &'a str,
    updated_at: chrono::NaiveDateTime,
    updated_by: Option<&'a str>,
}

/// Seeds every embedded date not seeded before (in the caller's transaction). A date the
/// province already entered itself keeps the province's entry.
pub(super) fn seed(conn: &mut DbConnection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let rows = rows()?;
    let seeded: HashSet<NaiveDate> =
        calendar_seeded::table.select(calendar_seeded::day).load(conn)?.into_iter().collect();
    let now = crate::clock::now();
    let fresh: Vec<&CalendarRow> = rows.iter().filter(|r| !seeded.contains(&r.date)).collect();
    let days: Vec<NewDay<'_>> = fresh
        .iter()
        .map(|r| NewDay { day: r.date, kind: &r.kind, name: &r.holiday, updated_at: now, updated_by: None })
        .collect();
    let marks: Vec<_> = fresh.iter().map(|r| calendar_seeded::day.eq(r.date)).collect();
    // Several instances may start at once: whoever inserts first wins, the others skip.
    upsert_rows!(conn, days, 1_000, |c, values| diesel::insert_into(calendar_days::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c)?);
    upsert_rows!(conn, marks, 1_000, |c, values| diesel::insert_into(calendar_seeded::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn embedded_schedules_are_complete() {
        let rows = rows().unwrap();
        let years: HashSet<i32> = rows.iter().map(|r| r.date.year()).collect();
        assert_eq!(years, (2017..=2026).collect());
        assert_eq!(rows.len(), 244);
        let dates: HashSet<NaiveDate> = rows.iter().map(|r| r.date).collect();
        assert_eq!(dates.len(), rows.len(), "each date once");
    }
}
