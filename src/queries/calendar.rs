//! The working-day calendar's rows (`calendar_days`, §3.7): one per weekday holiday or make-up
//! working weekend.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{on_backend, DbConnection};
use crate::schema::calendar_days;

/// One listed date, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = calendar_days)]
pub struct CalendarEntry {
    /// The date.
    #[diesel(column_name = day)]
    pub date: NaiveDate,
    /// `holiday` or `workday`.
    pub kind: String,
    /// The festival or reason.
    pub name: String,
}

/// A row to store.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = calendar_days, treat_none_as_null = true)]
pub struct NewCalendarDay<'a> {
    /// The date.
    pub day: NaiveDate,
    /// `holiday` or `workday`.
    pub kind: &'a str,
    /// The festival or reason.
    pub name: &'a str,
    /// When it was set.
    pub updated_at: NaiveDateTime,
    /// Who set it (principal id; null for the embedded schedules).
    pub updated_by: Option<&'a str>,
}

fn first_of(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// The entries dated in the years `first..=last`, in date order.
pub fn in_years(conn: &mut DbConnection, first: i32, last: i32) -> QueryResult<Vec<CalendarEntry>> {
    let (Some(from), Some(until)) = (first_of(first), first_of(last.saturating_add(1))) else {
        return Ok(Vec::new());
    };
    calendar_days::table
        .filter(calendar_days::day.ge(from))
        .filter(calendar_days::day.lt(until))
        .order(calendar_days::day)
        .select(CalendarEntry::as_select())
        .load(conn)
}

/// The entry of `day`, if there is one.
pub fn find(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<Option<CalendarEntry>> {
    calendar_days::table.find(day).select(CalendarEntry::as_select()).first(conn).optional()
}

/// Creates or replaces the entry of `row.day`.
pub fn put(conn: &mut DbConnection, row: &NewCalendarDay<'_>) -> QueryResult<()> {
    on_backend!(conn, c => diesel::insert_into(calendar_days::table)
        .values(row)
        .on_conflict(calendar_days::day)
        .do_update()
        .set(row)
        .execute(c))?;
    Ok(())
}

/// Deletes the entry of `day`; whether there was one.
pub fn delete(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<bool> {
    Ok(diesel::delete(calendar_days::table.find(day)).execute(conn)? > 0)
}
