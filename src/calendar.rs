//! The working-day calendar (DESIGN §3.7): counting working days over the stored calendar
//! ([`workdays_after`], also what 公示 end dates are computed with), reading a year, and the
//! province's maintenance (create/replace and delete an entry), each write audited through the
//! write tail (`crate::tail`). The rule itself is `crate::domain::calendar`, pure.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::calendar::{check_name, Calendar, DayKind};
use crate::error::{AppError, FieldError};
use crate::queries::calendar::{self as q, CalendarEntry, NewCalendarDay};
use crate::tail::{self, Figures};

/// The `n`-th working day after `from` (`from` itself not counted; `n` = 0 gives `from`), and
/// whether every year the count passed through has a calendar entry (when not, Monday–Friday
/// was assumed for those years).
pub fn workdays_after(conn: &mut DbConnection, from: NaiveDate, n: u32) -> Result<(NaiveDate, bool), AppError> {
    // Load the start's year and the next; a count that runs further (many holidays) loads up to
    // the year it reached and counts again.
    let mut last = from.year().saturating_add(1);
    loop {
        let entries = q::in_years(conn, from.year(), last)?;
        let calendar = Calendar::new(entries.iter().filter_map(|e| DayKind::parse(&e.kind).map(|k| (e.date, k))));
        let count = calendar.count(from, n).ok_or_else(|| AppError::internal("working-day count out of range"))?;
        if count.date.year() <= last {
            return Ok((count.date, count.published));
        }
        last = count.date.year();
    }
}

/// A year of the calendar (`GET /calendar?year=`).
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    /// The year.
    pub year: i32,
    /// Whether the year has any entry (the State Council's schedule has been entered).
    pub calendar_published: bool,
    /// The year's entries in date order.
    pub items: Vec<CalendarEntry>,
}

/// Reads the entries of `year`.
pub fn year(conn: &mut DbConnection, year: i32) -> Result<YearView, AppError> {
    let items = q::in_years(conn, year, year)?;
    Ok(YearView { year, calendar_published: !items.is_empty(), items })
}

/// Body of `PUT /calendar/{date}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    kind: String,
    name: String,
}

/// Checks an entry for `date`: a known kind that changes the date (a holiday on Monday–Friday,
/// a workday on a weekend) and a name; every wrong field is reported (422).
fn validate(date: NaiveDate, input: &EntryInput) -> Result<(DayKind, String), AppError> {
    let mut errors = Vec::new();
    let kind = DayKind::parse(&input.kind);
    match kind {
        None => errors.push(FieldError::new("kind", "invalid_value", "must be `holiday` or `workday`")),
        Some(k) if !k.changes(date) => errors.push(FieldError::new(
            "kind",
            "no_effect",
            "a holiday must fall on Monday to Friday and a workday on a Saturday or Sunday",
        )),
        Some(_) => {}
    }
    let name = check_name(&input.name).map_err(|m| errors.push(FieldError::new("name", "invalid_value", m)));
    match (kind, name) {
        (Some(k), Ok(n)) if errors.is_empty() => Ok((k, n)),
        _ => Err(AppError::validation(errors)),
    }
}

/// Creates or replaces the entry of `date` as `p`; audited (`calendar.put`) with the new and the
/// previous entry.
pub fn put(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    date: NaiveDate,
    input: &EntryInput,
) -> Result<CalendarEntry, AppError> {
    let (kind, name) = validate(date, input)?;
    let previous = q::find(conn, date)?;
    let row = NewCalendarDay {
        day: date,
        kind: kind.as_str(),
        name: &name,
        updated_at: crate::clock::now(),
        updated_by: Some(&p.id),
    };
    q::put(conn, &row)?;
    let object_id = date.to_string();
    let event = Event::ok("calendar.put", "calendar", &object_id).detail(json!({
        "kind": kind.as_str(),
        "name": name,
        "previous": previous.as_ref().map(|e| json!({"kind": e.kind, "name": e.name})),
    }));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    Ok(CalendarEntry { date, kind: kind.as_str().to_string(), name })
}

/// Deletes the entry of `date` as `p` (404 when there is none); audited (`calendar.delete`) with
/// the entry removed.
pub fn delete(conn: &mut DbConnection, p: &Principal, meta: &RequestMeta, date: NaiveDate) -> Result<(), AppError> {
    let previous = q::find(conn, date)?.ok_or_else(|| AppError::not_found("calendar entry"))?;
    if !q::delete(conn, date)? {
        return Err(AppError::not_found("calendar entry"));
    }
    let object_id = date.to_string();
    let event = Event::ok("calendar.delete", "calendar", &object_id)
        .detail(json!({"previous": {"kind": previous.kind, "name": previous.name}}));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, name: &str) -> EntryInput {
        EntryInput { kind: kind.into(), name: name.into() }
    }

    fn fields(date: &str, i: &EntryInput) -> Vec<(String, String)> {
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        match validate(date, i) {
            Ok(_) => Vec::new(),
            Err(e) => e.field_errors().iter().map(|f| (f.field.clone().unwrap(), f.code.clone())).collect(),
        }
    }

    #[test]
    fn entries_are_validated() {
        assert!(fields("2027-02-08", &input("holiday", "春节")).is_empty());
        assert!(fields("2027-02-06", &input("workday", "Spring Festival")).is_empty());
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(fields("2027-02-06", &input("holiday", "x")), vec![s("kind", "no_effect")]);
        assert_eq!(fields("2027-02-08", &input("workday", "x")), vec![s("kind", "no_effect")]);
        assert_eq!(
            fields("2027-02-08", &input("off", " ")),
            vec![s("kind", "invalid_value"), s("name", "invalid_value")]
        );
    }
}
