//! The knowledge-time aggregate behind past `known_at` queries: `stat_known`, each enterprise's
//! knowledge history (see [`super::events::knowledge_history`]) added up per indicator, and
//! `stat_known_year`, the same rows summed per calendar year of `known_at`. A figure as known at
//! T is the yearly sums of the years before T's plus the raw rows of T's year up to T, over the
//! days up to D — so a query reads at most one year of raw rows whatever T is.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::pg::{CopyFormat, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::events::KnownDeltas;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::schema::{stat_known, stat_known_year};

/// Raw rows buffered by a rebuild before they are written.
const FLUSH_ROWS: usize = 50_000;

/// (region, start year, known year, day) → summed delta.
type YearSums = BTreeMap<(String, i32, i32, NaiveDate), i64>;

/// Adds the rows of a knowledge-history difference of one indicator (inside the changing
/// transaction): appended to `stat_known`, and added to the yearly sums of their years.
pub fn add(conn: &mut DbConnection, plan: &str, code: &str, rows: &KnownDeltas) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let raw: Vec<Raw> = rows.iter().map(|((r, s, d, k), v)| (r.clone(), *s, *d, *k, *v)).collect();
    insert_raw(conn, plan, code, &raw)?;
    for ((region, start_year, known_year, day), delta) in year_sums(rows) {
        let key = stat_known_year::table
            .filter(stat_known_year::plan_code.eq(plan))
            .filter(stat_known_year::indicator_code.eq(code))
            .filter(stat_known_year::region_code.eq(&region))
            .filter(stat_known_year::start_year.eq(start_year))
            .filter(stat_known_year::known_year.eq(known_year))
            .filter(stat_known_year::day.eq(day));
        let n = diesel::update(key).set(stat_known_year::delta.eq(stat_known_year::delta + delta)).execute(conn)?;
        if n == 0 {
            diesel::insert_into(stat_known_year::table)
                .values(YearRow {
                    plan_code: plan,
                    indicator_code: code,
                    region_code: &region,
                    start_year,
                    known_year,
                    day,
                    delta,
                })
                .execute(conn)?;
        }
    }
    Ok(())
}

fn year_sums(rows: &KnownDeltas) -> YearSums {
    let mut out = YearSums::new();
    for ((region, start_year, day, known_at), delta) in rows {
        *out.entry((region.clone(), *start_year, known_at.year(), *day)).or_default() += delta;
    }
    out.retain(|_, v| *v != 0);
    out
}

/// Empties both tables (before a rebuild).
pub fn clear(conn: &mut DbConnection) -> Result<(), AppError> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("TRUNCATE stat_known, stat_known_year")?,
        DbConnection::Sqlite(c) => c.batch_execute("DELETE FROM stat_known; DELETE FROM stat_known_year")?,
    }
    Ok(())
}

/// Lets the planner see the new sizes (after a rebuild).
pub fn analyze(conn: &mut DbConnection) -> Result<(), AppError> {
    conn.batch_execute("ANALYZE stat_known; ANALYZE stat_known_year")?;
    Ok(())
}

/// Writes one indicator's rows from scratch, enterprise by enterprise, holding at most
/// [`FLUSH_ROWS`] raw rows and the indicator's yearly sums in memory.
#[derive(Debug)]
pub struct Rebuild<'a> {
    plan: &'a str,
    code: &'a str,
    raw: Vec<Raw>,
    years: YearSums,
    rows: usize,
}

impl<'a> Rebuild<'a> {
    /// A rebuild of indicator `plan`/`code` (the tables must hold none of its rows).
    pub fn new(plan: &'a str, code: &'a str) -> Self {
        Self { plan, code, raw: Vec::new(), years: YearSums::new(), rows: 0 }
    }

    /// Adds one enterprise's knowledge history.
    pub fn push(&mut self, conn: &mut DbConnection, history: KnownDeltas) -> Result<(), AppError> {
        for ((region, start_year, day, known_at), delta) in history {
            *self.years.entry((region.clone(), start_year, known_at.year(), day)).or_default() += delta;
            self.raw.push((region, start_year, day, known_at, delta));
        }
        if self.raw.len() >= FLUSH_ROWS {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        insert_raw(conn, self.plan, self.code, &self.raw)?;
        self.rows += self.raw.len();
        self.raw.clear();
        Ok(())
    }

    /// Writes what is left and the yearly sums; returns the rows written to both tables.
    pub fn finish(mut self, conn: &mut DbConnection) -> Result<usize, AppError> {
        self.flush(conn)?;
        self.years.retain(|_, v| *v != 0);
        let rows: Vec<YearRow<'_>> = self
            .years
            .iter()
            .map(|((region, start_year, known_year, day), delta)| YearRow {
                plan_code: self.plan,
                indicator_code: self.code,
                region_code: region,
                start_year: *start_year,
                known_year: *known_year,
                day: *day,
                delta: *delta,
            })
            .collect();
        // SQLite binds at most 32766 parameters per statement: 7 per row.
        for chunk in rows.chunks(4_000) {
            match conn {
                DbConnection::Pg(c) => diesel::insert_into(stat_known_year::table).values(chunk).execute(c)?,
                DbConnection::Sqlite(c) => diesel::insert_into(stat_known_year::table).values(chunk).execute(c)?,
            };
        }
        Ok(self.rows + rows.len())
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
}

/// Appends raw rows: `COPY` on PostgreSQL, multi-row inserts on SQLite (`MultiConnection` has
/// neither, so the inner connection does it).
fn insert_raw(conn: &mut DbConnection, plan: &str, code: &str, raw: &[Raw]) -> Result<(), AppError> {
    match conn {
        DbConnection::Pg(c) => {
            copy_raw(c, plan, code, raw)?;
        }
        DbConnection::Sqlite(c) => {
            let rows: Vec<KnownRow<'_>> = raw
                .iter()
                .map(|(region, start_year, day, known_at, delta)| KnownRow {
                    plan_code: plan,
                    indicator_code: code,
                    region_code: region,
                    start_year: *start_year,
                    day: *day,
                    known_at: *known_at,
                    delta: *delta,
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
fn copy_raw(conn: &mut PgConnection, plan: &str, code: &str, raw: &[Raw]) -> QueryResult<usize> {
    let mut text = String::with_capacity(raw.len() * 80);
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
        .filter(stat_known_year::start_year.eq_any([0, year]))
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
        .filter(stat_known::start_year.eq_any([0, year]))
        .filter(stat_known::known_at.ge(year_start))
        .filter(stat_known::known_at.le(known_at))
        .filter(stat_known::day.le(as_of))
        .group_by((stat_known::region_code, stat_known::start_year))
        .select((stat_known::region_code, stat_known::start_year, sql::<BigInt>("CAST(SUM(delta) AS BIGINT)")))
        .load(conn)?;
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    for (region, start_year, n) in before.into_iter().chain(within) {
        let e = out.entry(region).or_default();
        if start_year == 0 {
            e.0 += n;
        }
        if start_year == year {
            e.1 += n;
        }
    }
    Ok(out)
}
