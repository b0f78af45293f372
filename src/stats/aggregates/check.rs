//! `rebuild-stats --check`: recomputes every maintained aggregate in memory, as a rebuild would
//! write it, and reports each row where the stored tables differ — without changing them. An
//! operator's way to verify a production database, and the tests' way to verify the aggregates
//! after racing writers.
//!
//! Compared per (plan, indicator): `stat_daily` rows, `stat_known` rows summed per key (the table
//! is append-only: equal keys add up), `stat_known_year` rows; and `stat_pending` per type, level,
//! county and city. Rows whose sum is zero count as absent on both sides. One indicator group's
//! expected rows are held in memory at a time.

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::catalogue::Catalogue;
use super::events::{knowledge_history, Deltas, KnownDeltas};
use super::known::{encode, year_sums, YearSums};
use super::store::groups;
use crate::db::DbConnection;
use crate::domain::MilestoneState;
use crate::error::AppError;
use crate::schema::{milestones, stat_daily, stat_known, stat_known_year};
use crate::stats::reports::load::{self, FactScope};

/// One row where a maintained table and the recomputation disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The table.
    pub table: &'static str,
    /// The row's key, as `plan/indicator` then the key columns.
    pub key: String,
    /// What the table holds (0 when the row is absent).
    pub stored: i64,
    /// What a rebuild would write (0 when it writes no such row).
    pub expected: i64,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: stored {}, expected {}", self.table, self.key, self.stored, self.expected)
    }
}

/// [`differences`] in a transaction of its own that sees one snapshot of the database (on
/// PostgreSQL `REPEATABLE READ, READ ONLY`; a SQLite read transaction is one snapshot), so that
/// writes committed meanwhile by a running service cannot show up as differences.
pub fn check(conn: &mut DbConnection) -> Result<Vec<Difference>, AppError> {
    conn.transaction(|c| {
        if let DbConnection::Pg(pg) = c {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(pg)?;
        }
        differences(c)
    })
}

/// Every difference between the maintained aggregates and a recomputation from the records
/// (empty when they agree), as the caller's connection sees them. Changes nothing.
pub fn differences(conn: &mut DbConnection) -> Result<Vec<Difference>, AppError> {
    let Catalogue { types, tracked } = Catalogue::load(conn)?;
    let mut out = Vec::new();
    for (def, codes, indicators) in groups(tracked) {
        let facts = load::facts(conn, &codes, FactScope::AllApproved)?;
        let mut daily = Deltas::new();
        let mut raw = KnownDeltas::new();
        for chunk in facts.chunk_by(|a, b| a.enterprise_id == b.enterprise_id) {
            let history = knowledge_history(chunk, &def, &types);
            for ((region, start_year, day, _), v) in &history {
                *daily.entry((region.clone(), *start_year, *day)).or_default() += v;
            }
            for (key, v) in encode(history) {
                *raw.entry(key).or_default() += v;
            }
        }
        let years = year_sums(&raw);
        for (plan, code) in &indicators {
            let name = format!("{plan}/{code}");
            compare("stat_daily", &name, stored_daily(conn, plan, code)?, &daily, &mut out);
            compare("stat_known", &name, stored_known(conn, plan, code)?, &raw, &mut out);
            compare("stat_known_year", &name, stored_years(conn, plan, code)?, &years, &mut out);
        }
    }
    compare("stat_pending", "", stored_pending(conn)?, &expected_pending(conn)?, &mut out);
    Ok(out)
}

/// Adds a [`Difference`] for every key whose non-zero sums differ.
fn compare<K: Ord + Debug>(
    table: &'static str,
    name: &str,
    mut stored: BTreeMap<K, i64>,
    expected: &BTreeMap<K, i64>,
    out: &mut Vec<Difference>,
) {
    stored.retain(|_, v| *v != 0);
    for (key, want) in expected.iter().filter(|(_, v)| **v != 0) {
        let have = stored.remove(key).unwrap_or(0);
        if have != *want {
            out.push(Difference { table, key: format!("{name} {key:?}"), stored: have, expected: *want });
        }
    }
    for (key, have) in stored {
        out.push(Difference { table, key: format!("{name} {key:?}"), stored: have, expected: 0 });
    }
}

fn stored_daily(conn: &mut DbConnection, plan: &str, code: &str) -> Result<Deltas, AppError> {
    let rows: Vec<(String, i32, NaiveDate, i64)> = stat_daily::table
        .filter(stat_daily::plan_code.eq(plan))
        .filter(stat_daily::indicator_code.eq(code))
        .select((stat_daily::region_code, stat_daily::start_year, stat_daily::day, stat_daily::delta))
        .load(conn)?;
    let mut out = Deltas::new();
    for (region, start_year, day, delta) in rows {
        *out.entry((region, start_year, day)).or_default() += delta;
    }
    Ok(out)
}

fn stored_known(conn: &mut DbConnection, plan: &str, code: &str) -> Result<KnownDeltas, AppError> {
    let rows: Vec<(String, i32, NaiveDate, NaiveDateTime, i64)> = stat_known::table
        .filter(stat_known::plan_code.eq(plan))
        .filter(stat_known::indicator_code.eq(code))
        .select((
            stat_known::region_code,
            stat_known::start_year,
            stat_known::day,
            stat_known::known_at,
            stat_known::delta,
        ))
        .load(conn)?;
    let mut out = KnownDeltas::new();
    for (region, start_year, day, known_at, delta) in rows {
        *out.entry((region, start_year, day, known_at)).or_default() += delta;
    }
    Ok(out)
}

fn stored_years(conn: &mut DbConnection, plan: &str, code: &str) -> Result<YearSums, AppError> {
    let rows: Vec<(String, i32, i32, NaiveDate, i64)> = stat_known_year::table
        .filter(stat_known_year::plan_code.eq(plan))
        .filter(stat_known_year::indicator_code.eq(code))
        .select((
            stat_known_year::region_code,
            stat_known_year::known_year,
            stat_known_year::start_year,
            stat_known_year::day,
            stat_known_year::delta,
        ))
        .load(conn)?;
    let mut out = YearSums::new();
    for (region, known_year, start_year, day, delta) in rows {
        *out.entry((region, known_year, start_year, day)).or_default() += delta;
    }
    Ok(out)
}

/// (state, type, level or "", county, city) → records, for the states `stat_pending` counts.
type PendingCounts = BTreeMap<(&'static str, String, String, String, String), i64>;

fn stored_pending(conn: &mut DbConnection) -> Result<PendingCounts, AppError> {
    let mut out = PendingCounts::new();
    for (t, l, county, city, n, publicised) in super::pending::stored(conn, None)? {
        out.insert((MilestoneState::Submitted.as_str(), t.clone(), l.clone(), county.clone(), city.clone()), n);
        out.insert((MilestoneState::Publicised.as_str(), t, l, county, city), publicised);
    }
    Ok(out)
}

fn expected_pending(conn: &mut DbConnection) -> Result<PendingCounts, AppError> {
    let rows: Vec<(MilestoneState, String, Option<String>, String, String)> = milestones::table
        .filter(milestones::state.eq_any([MilestoneState::Submitted, MilestoneState::Publicised]))
        .select((
            milestones::state,
            milestones::milestone_type,
            milestones::level,
            milestones::county_code,
            milestones::city_code,
        ))
        .load(conn)?;
    let mut out = PendingCounts::new();
    for (state, t, level, county, city) in rows {
        *out.entry((state.as_str(), t, level.unwrap_or_default(), county, city)).or_default() += 1;
    }
    Ok(out)
}
