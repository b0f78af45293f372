//! The knowledge-time aggregate behind past `known_at` queries: `stat_known`, each enterprise's
//! knowledge history (see [`super::events::knowledge_history`]) added up per indicator, and
//! `stat_known_year`, the same rows summed per calendar year of `known_at`. A figure as known at
//! T is the yearly sums of the years before T's plus the raw rows of T's year up to T, over the
//! days up to D — so a query reads at most one year of raw rows whatever T is.
//!
//! Rows are stored per start year only, not also under start year 0 as in `stat_daily`: a row
//! of start year 0 holds just the *rest* — the all-records delta minus the sum of the start-year
//! deltas, which is zero for 个 and for an enterprise whose counting spans of different start
//! years do not overlap. Cumulative figures add every start year, increments read start year Y.
//! This halves the rows (and a rebuild's time).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::pg::{CopyFormat, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::events::KnownDeltas;
use super::slots;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::schema::{stat_known, stat_known_year};

/// Raw rows buffered by a rebuild before they are written.
const FLUSH_ROWS: usize = 50_000;

/// (region, known year, start year, day) → summed delta, in the order of the table's key.
pub(super) type YearSums = BTreeMap<(String, i32, i32, NaiveDate), i64>;

/// Knowledge rows as stored: per start year, with start year 0 holding only the rest (see the
/// module doc). Linear, so it maps a difference of histories to the difference of the stored
/// rows.
pub fn encode(rows: KnownDeltas) -> KnownDeltas {
    let mut out = KnownDeltas::new();
    for ((region, start_year, day, known_at), delta) in rows {
        if start_year != 0 {
            *out.entry((region.clone(), 0, day, known_at)).or_default() -= delta;
        }
        *out.entry((region, start_year, day, known_at)).or_default() += delta;
    }
    out.retain(|_, v| *v != 0);
    out
}

/// Adds the knowledge-history differences of several indicators (inside the changing
/// transaction): their stored rows are appended to `stat_known` and added to the yearly sums of
/// their years — one statement for each table.
pub fn add(conn: &mut DbConnection, changes: Vec<(&str, &str, KnownDeltas)>) -> Result<(), AppError> {
    use diesel::upsert::excluded;
    let encoded: Vec<(&str, &str, KnownDeltas)> =
        changes.into_iter().map(|(plan, code, d)| (plan, code, encode(d))).filter(|(_, _, d)| !d.is_empty()).collect();
    if encoded.is_empty() {
        return Ok(());
    }
    let raw: Vec<(&str, &str, Vec<Raw>)> = encoded
        .iter()
        .map(|(plan, code, rows)| {
            (*plan, *code, rows.iter().map(|((r, s, d, k), v)| (r.clone(), *s, *d, *k, *v)).collect())
        })
        .collect();
    insert_raw(conn, raw.iter().map(|(plan, code, rows)| (*plan, *code, rows.as_slice())))?;
    let sums: Vec<(&str, &str, YearSums)> =
        encoded.iter().map(|(plan, code, rows)| (*plan, *code, year_sums(rows))).collect();
    let picked = slots::pick(conn);
    let mut rows: Vec<YearRow<'_>> = sums
        .iter()
        .flat_map(|(plan, code, sums)| {
            sums.iter().map(move |(key, delta)| YearRow::new(plan, code, key, *delta).in_slot(picked))
        })
        .collect();
    // Key order, so concurrent approvals never wait on each other's rows in opposite orders.
    rows.sort_by(|a, b| a.key().cmp(&b.key()));
    // An upsert, so concurrent approvals that create the same row both land; 8 parameters per
    // row (PostgreSQL binds at most 65535 per statement). They go to one slot drawn for the
    // write (`super::slots`).
    db::upsert_rows!(conn, rows, 4_000, |c, values| diesel::insert_into(stat_known_year::table)
        .values(values)
        .on_conflict((
            stat_known_year::plan_code,
            stat_known_year::indicator_code,
            stat_known_year::region_code,
            stat_known_year::known_year,
            stat_known_year::start_year,
            stat_known_year::day,
            stat_known_year::slot,
        ))
        .do_update()
        .set(stat_known_year::delta.eq(stat_known_year::delta + excluded(stat_known_year::delta)))
        .execute(c)?);
    Ok(())
}

/// The rows of `stat_known_year` that `rows` (stored raw rows) add up to.
pub(super) fn year_sums(rows: &KnownDeltas) -> YearSums {
    let mut out = YearSums::new();
    for ((region, start_year, day, known_at), delta) in rows {
        *out.entry((region.clone(), known_at.year(), *start_year, *day)).or_default() += delta;
    }
    out.retain(|_, v| *v != 0);
    out
}

/// The lookup index of `stat_known`, as the migration creates it. A rebuild drops it and
/// creates it again after the load: sorting once is far cheaper than millions of inserts at
/// random places of the index.
const LOOKUP_INDEX: &str = "CREATE INDEX stat_known_lookup_idx \
    ON stat_known (plan_code, indicator_code, region_code, known_at, start_year, day, delta)";

/// Empties both tables and drops the lookup index (before a rebuild, inside its transaction;
/// [`finish_rebuild`] restores the index).
pub fn clear(conn: &mut DbConnection) -> Result<(), AppError> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("TRUNCATE stat_known, stat_known_year")?,
        DbConnection::Sqlite(c) => c.batch_execute("DELETE FROM stat_known; DELETE FROM stat_known_year")?,
    }
    conn.batch_execute("DROP INDEX IF EXISTS stat_known_lookup_idx")?;
    Ok(())
}

/// Creates the lookup index again and lets the planner see the new sizes (after a rebuild).
pub fn finish_rebuild(conn: &mut DbConnection) -> Result<(), AppError> {
    conn.batch_execute(LOOKUP_INDEX)?;
    conn.batch_execute("ANALYZE stat_known; ANALYZE stat_known_year")?;
    Ok(())
}

/// Writes the rows of one indicator — or of several with the same definition, which share
/// them — from scratch, enterprise by enterprise, holding at most [`FLUSH_ROWS`] raw rows and
/// the yearly sums in memory.
#[derive(Debug)]
pub struct Rebuild<'a> {
    indicators: Vec<(&'a str, &'a str)>,
    raw: Vec<Raw>,
    years: YearSums,
    rows: usize,
}

impl<'a> Rebuild<'a> {
    /// A rebuild of these (plan, indicator) pairs (the tables must hold none of their rows).
    pub fn new(indicators: Vec<(&'a str, &'a str)>) -> Self {
        Self { indicators, raw: Vec::new(), years: YearSums::new(), rows: 0 }
    }

    /// Adds one enterprise's knowledge history.
    pub fn push(&mut self, conn: &mut DbConnection, history: KnownDeltas) -> Result<(), AppError> {
        for ((region, start_year, day, known_at), delta) in encode(history) {
            *self.years.entry((region.clone(), known_at.year(), start_year, day)).or_default() += delta;
            self.raw.push((region, start_year, day, known_at, delta));
        }
        if self.raw.len() >= FLUSH_ROWS {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        insert_raw(conn, self.indicators.iter().map(|(plan, code)| (*plan, *code, self.raw.as_slice())))?;
        self.rows += self.raw.len() * self.indicators.len();
        self.raw.clear();
        Ok(())
    }

    /// Writes what is left and the yearly sums; returns the rows written to both tables.
    pub fn finish(mut self, conn: &mut DbConnection) -> Result<usize, AppError> {
        self.flush(conn)?;
        self.years.retain(|_, v| *v != 0);
        let mut written = self.rows;
        for (plan, code) in &self.indicators {
            let rows: Vec<YearRow<'_>> =
                self.years.iter().map(|(key, delta)| YearRow::new(plan, code, key, *delta)).collect();
            // SQLite binds at most 32766 parameters per statement: 8 per row.
            for chunk in rows.chunks(4_000) {
                db::on_backend!(conn, c => diesel::insert_into(stat_known_year::table).values(chunk).execute(c)?);
            }
            written += rows.len();
        }
        Ok(written)
    }
}

/// A raw row without its indicator: (region, start year, day, known at, delta).
type Raw = (String, i32, NaiveDate, NaiveDateTime, i64);

/// A row of `stat_known`.
#[derive(Debug, Insertable)]
#[diesel(table_name = stat_known)]
struct KnownRow<'a> {
    plan_code: &'a str,
    indicator_code: &'a str,
    region_code: &'a str,
    start_year: i32,
    day: NaiveDate,
    known_at: NaiveDateTime,
    delta: i64,
}

/// A row of `stat_known_year`.
#[derive(Debug, Insertable)]
#[diesel(table_name = stat_known_year)]
struct YearRow<'a> {
    plan_code: &'a str,
    indicator_code: &'a str,
    region_code: &'a str,
    start_year: i32,
    known_year: i32,
    day: NaiveDate,
    delta: i64,
    slot: i16,
}

impl<'a> YearRow<'a> {
    /// The row of `plan`/`code` for one key of [`YearSums`].
    fn new(
        plan: &'a str,
        code: &'a str,
        (region, known_year, start_year, day): &'a (String, i32, i32, NaiveDate),
        delta: i64,
    ) -> Self {
        Self {
            plan_code: plan,
            indicator_code: code,
            region_code: region,
            start_year: *start_year,
            known_year: *known_year,
            day: *day,
            delta,
            slot: 0,
        }
    }

    /// The same row in `slot`.
    fn in_slot(self, slot: i16) -> Self {
        Self { slot, ..self }
    }

    /// The primary key, in the table's order.
    fn key(&self) -> (&str, &str, &str, i32, i32, NaiveDate, i16) {
        (self.plan_code, self.indicator_code, self.region_code, self.known_year, self.start_year, self.day, self.slot)
    }
}

/// Raw rows of several indicators: (plan, indicator, rows).
type RawBatch<'r> = (&'r str, &'r str, &'r [Raw]);

/// Appends raw rows: one `COPY` on PostgreSQL, multi-row inserts on SQLite (`MultiConnection`
/// has neither, so the inner connection does it).
fn insert_raw<'r>(
    conn: &mut DbConnection,
    batches: impl Iterator<Item = RawBatch<'r>> + Clone,
) -> Result<(), AppError> {
    match conn {
        DbConnection::Pg(c) => {
            copy_raw(c, batches)?;
        }
        DbConnection::Sqlite(c) => {
            let rows: Vec<KnownRow<'_>> = batches
                .flat_map(|(plan, code, raw)| {
                    raw.iter().map(move |(region, start_year, day, known_at, delta)| KnownRow {
                        plan_code: plan,
                        indicator_code: code,
                        region_code: region,
                        start_year: *start_year,
                        day: *day,
                        known_at: *known_at,
                        delta: *delta,
                    })
                })
                .collect();
            // 7 parameters per row.
            for chunk in rows.chunks(4_000) {
                diesel::insert_into(stat_known::table).values(chunk).execute(c)?;
            }
        }
    }
    Ok(())
}

/// Streams raw rows with `COPY stat_known FROM STDIN` (text format, columns in table order).
fn copy_raw<'r>(conn: &mut PgConnection, batches: impl Iterator<Item = RawBatch<'r>> + Clone) -> QueryResult<usize> {
    let mut text = String::with_capacity(batches.clone().map(|(_, _, raw)| raw.len()).sum::<usize>() * 80);
    for (plan, code, raw) in batches {
        let (plan, code) = (copy_text(plan), copy_text(code));
        for (region, start_year, day, known_at, delta) in raw {
            let region = copy_text(region);
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "{plan}\t{code}\t{region}\t{start_year}\t{day}\t{}\t{delta}",
                known_at.format("%Y-%m-%d %H:%M:%S%.6f")
            );
        }
    }
    if text.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(stat_known::table)
        .from_raw_data(stat_known::table, |sink: &mut dyn std::io::Write| {
            sink.write_all(text.as_bytes()).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .with_format(CopyFormat::Text)
        .execute(conn)
}

/// A value escaped for COPY text format.
fn copy_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

/// (cumulative, increment) at `as_of` as known at `known_at`, for each of `regions`.
pub fn sums(
    conn: &mut DbConnection,
    plan: &str,
    code: &str,
    regions: &[String],
    year: i32,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<HashMap<String, (i64, i64)>, AppError> {
    let known_year = known_at.year();
    let year_start = NaiveDate::from_ymd_opt(known_year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| AppError::internal("knowledge time out of range"))?;
    let before: Vec<(String, i32, i64)> = stat_known_year::table
        .filter(stat_known_year::plan_code.eq(plan))
        .filter(stat_known_year::indicator_code.eq(code))
        .filter(stat_known_year::region_code.eq_any(regions))
        .filter(stat_known_year::known_year.lt(known_year))
        .filter(stat_known_year::day.le(as_of))
        .group_by((stat_known_year::region_code, stat_known_year::start_year))
        .select((
            stat_known_year::region_code,
            stat_known_year::start_year,
            sql::<BigInt>("CAST(SUM(delta) AS BIGINT)"),
        ))
        .load(conn)?;
    let within: Vec<(String, i32, i64)> = stat_known::table
        .filter(stat_known::plan_code.eq(plan))
        .filter(stat_known::indicator_code.eq(code))
        .filter(stat_known::region_code.eq_any(regions))
        .filter(stat_known::known_at.ge(year_start))
        .filter(stat_known::known_at.le(known_at))
        .filter(stat_known::day.le(as_of))
        .group_by((stat_known::region_code, stat_known::start_year))
        .select((stat_known::region_code, stat_known::start_year, sql::<BigInt>("CAST(SUM(delta) AS BIGINT)")))
        .load(conn)?;
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    for (region, start_year, n) in before.into_iter().chain(within) {
        let e = out.entry(region).or_default();
        e.0 += n;
        if start_year == year {
            e.1 += n;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_year_zero_keeps_only_the_rest() {
        let day = NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
        let later = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let t = day.and_hms_opt(8, 0, 0).unwrap();
        let mut history = KnownDeltas::new();
        // One record: the same delta under start year 0 and its own year.
        history.insert(("330000".into(), 0, day, t), 1);
        history.insert(("330000".into(), 2023, day, t), 1);
        // An enterprise counted once overall from `day`, but in two start years (overlapping
        // spans of records effective on `day` and `later`).
        history.insert(("330100".into(), 0, day, t), 1);
        history.insert(("330100".into(), 2023, day, t), 1);
        history.insert(("330100".into(), 2024, later, t), 1);
        let stored = encode(history);
        assert_eq!(stored.get(&("330000".into(), 0, day, t)), None);
        assert_eq!(stored.get(&("330000".into(), 2023, day, t)), Some(&1));
        assert_eq!(stored.get(&("330100".into(), 0, day, t)), None);
        assert_eq!(stored.get(&("330100".into(), 0, later, t)), Some(&-1));
        // Summing every start year gives back the all-records figure.
        let all: i64 = stored.iter().filter(|(k, _)| k.0 == "330100").map(|(_, v)| v).sum();
        assert_eq!(all, 1);
    }
}
