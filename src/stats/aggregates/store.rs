//! Keeping `stat_daily` and the knowledge-time aggregate ([`super::known`]) in step, and reading
//! `stat_daily`: the maintenance hook run inside approval and revocation transactions, a full
//! rebuild, and the sums the current progress tables need.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::catalogue::Catalogue;
use super::events::{difference, enterprise_deltas, history_difference, knowledge_history, Deltas, KnownDeltas};
use super::{known, slots};
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::queries::milestones::MilestoneRow;
use crate::schema::stat_daily;
use crate::stats::definitions::model::{IndicatorDef, RecordFacts, TypeTable};
use crate::stats::reports::load::{self, FactScope};

/// A tracked indicator with what it needs to compute deltas.
#[derive(Debug, Clone)]
pub struct TrackedIndicator {
    /// Plan code.
    pub plan: String,
    /// Indicator code.
    pub code: String,
    /// Definition.
    pub def: IndicatorDef,
    /// Types whose records can affect it (its sources and their exclusive groups).
    pub types: Vec<String>,
}

/// Every tracked indicator with the types whose records can affect it (three queries).
pub fn tracked(conn: &mut DbConnection, types: &TypeTable) -> Result<Vec<TrackedIndicator>, AppError> {
    let all_codes = load::type_codes(conn)?;
    Ok(load::tracked_indicators(conn)?
        .into_iter()
        .map(|(plan, code, def)| {
            let types = load::relevant_types(&def, types, &all_codes);
            TrackedIndicator { plan, code, def, types }
        })
        .collect())
}

/// What an enterprise contributes to one indicator: its deltas and its knowledge history.
type Contribution = (Deltas, KnownDeltas);

/// What `enterprise_id` currently contributes to each indicator of `list`, and the facts it comes
/// from. One query loads the records of every type the list reads.
fn snapshot(
    conn: &mut DbConnection,
    enterprise_id: &str,
    list: &[&TrackedIndicator],
    types: &TypeTable,
) -> Result<(Vec<Contribution>, Vec<RecordFacts>), AppError> {
    let facts = load::facts(conn, &codes_read(list), FactScope::Enterprise(enterprise_id))?;
    Ok((contributions(&facts, list, types), facts))
}

/// The types whose records the indicators of `list` read, sorted.
fn codes_read(list: &[&TrackedIndicator]) -> Vec<String> {
    let mut codes: Vec<String> = list.iter().flat_map(|t| t.types.iter().cloned()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// What one enterprise's `facts` contribute to each indicator of `list`.
fn contributions(facts: &[RecordFacts], list: &[&TrackedIndicator], types: &TypeTable) -> Vec<Contribution> {
    list.iter()
        .map(|t| {
            let mine: Vec<RecordFacts> =
                facts.iter().filter(|f| t.types.contains(&f.milestone_type)).cloned().collect();
            (enterprise_deltas(&mine, &t.def, types), knowledge_history(&mine, &t.def, types))
        })
        .collect()
}

/// Adds the deltas of several indicators to their stored rows (on PostgreSQL in one statement), so
/// concurrent approvals that create the same (region, year, day) row both land (an
/// update-then-insert let the second fail on the primary key). Rows go in key order, which keeps
/// concurrent transactions from deadlocking on them; they go to one slot drawn for the write
/// ([`slots`]).
pub fn add<'a>(
    conn: &mut DbConnection,
    changes: impl IntoIterator<Item = (&'a str, &'a str, &'a Deltas)>,
) -> Result<(), AppError> {
    use diesel::upsert::excluded;
    let picked = slots::pick(conn);
    let mut rows: Vec<StatRow<'a>> = changes
        .into_iter()
        .flat_map(|(plan, code, deltas)| {
            deltas.iter().filter(|(_, delta)| **delta != 0).map(move |((region, start_year, day), delta)| {
                StatRow::new(plan, code, (region, *start_year, *day), *delta).in_slot(picked)
            })
        })
        .collect();
    rows.sort_by(|a, b| a.key().cmp(&b.key()));
    // 7 parameters per row (PostgreSQL binds at most 65535 per statement).
    db::upsert_rows!(conn, rows, 5_000, |c, values| diesel::insert_into(stat_daily::table)
        .values(values)
        .on_conflict((
            stat_daily::plan_code,
            stat_daily::indicator_code,
            stat_daily::region_code,
            stat_daily::start_year,
            stat_daily::day,
            stat_daily::slot,
        ))
        .do_update()
        .set(stat_daily::delta.eq(stat_daily::delta + excluded(stat_daily::delta)))
        .execute(c)?);
    Ok(())
}

/// What one enterprise contributes to the indicators a change of one of its records can affect,
/// taken before the change (inside its transaction, under the enterprise's lock);
/// [`settle`](Self::settle) after the change brings `stat_daily` and the knowledge-time aggregate
/// in step by the difference. Whole histories are compared, so the result is exact whatever the
/// change's timestamps.
pub struct Before<'c> {
    types: &'c TypeTable,
    list: Vec<&'c TrackedIndicator>,
    snapshot: Vec<Contribution>,
    facts: Vec<RecordFacts>,
}

impl<'c> Before<'c> {
    /// Takes the snapshot before a change of one of `enterprise_id`'s records of `type_code`.
    pub fn take(
        conn: &mut DbConnection,
        catalogue: &'c Catalogue,
        enterprise_id: &str,
        type_code: &str,
    ) -> Result<Self, AppError> {
        let (types, list) = (&catalogue.types, catalogue.affected_by(type_code));
        let (snapshot, facts) = snapshot(conn, enterprise_id, &list, types)?;
        Ok(Self { types, list, snapshot, facts })
    }

    /// Adds the difference the change of `changed` (the record as it is now) made to the
    /// aggregates. The facts after the change are the facts before with that record's replaced
    /// — no second read: the change touches no other fact the statistics read (a tier
    /// supersession sets other records' end dates, which the deltas derive from the records
    /// themselves).
    pub fn settle(self, conn: &mut DbConnection, changed: &MilestoneRow) -> Result<(), AppError> {
        let mut facts: Vec<RecordFacts> = self.facts.into_iter().filter(|f| f.id != changed.id).collect();
        if changed.approved_at.is_some() && self.list.iter().any(|t| t.types.contains(&changed.milestone_type)) {
            facts.push(RecordFacts::from(changed));
        }
        let after = contributions(&facts, &self.list, self.types);
        let mut daily = Vec::with_capacity(self.list.len());
        let mut known = Vec::with_capacity(self.list.len());
        for ((t, (b, bh)), (a, ah)) in self.list.iter().zip(&self.snapshot).zip(&after) {
            daily.push((t, difference(b, a)));
            known.push((t.plan.as_str(), t.code.as_str(), history_difference(bh, ah)));
        }
        add(conn, daily.iter().map(|(t, d)| (t.plan.as_str(), t.code.as_str(), d)))?;
        known::add(conn, known)
    }
}

/// Builds the aggregates when one is empty but approved records exist (a database that
/// predates it, or rows loaded around the service); returns the rows built, if any.
pub fn ensure_built(conn: &mut DbConnection) -> Result<Option<usize>, AppError> {
    // Both aggregates: a database may predate the knowledge-time one only.
    let has_rows: bool = diesel::select(diesel::dsl::exists(stat_daily::table.select(stat_daily::delta)))
        .get_result::<bool>(conn)?
        && diesel::select(diesel::dsl::exists(
            crate::schema::stat_known::table.select(crate::schema::stat_known::delta),
        ))
        .get_result::<bool>(conn)?;
    let approved: bool = diesel::select(diesel::dsl::exists(
        crate::schema::milestones::table.filter(crate::schema::milestones::approved_at.is_not_null()),
    ))
    .get_result(conn)?;
    if has_rows || !approved {
        return Ok(None);
    }
    rebuild(conn).map(Some)
}

/// Recomputes `stat_daily` and the knowledge-time aggregate from the records (after a bulk
/// load, or to repair them); returns the rows written.
pub fn rebuild(conn: &mut DbConnection) -> Result<usize, AppError> {
    // Millions of rows: on SQLite a large page cache saves re-reading pages of the transaction
    // from the WAL; the connection gets SQLite's default back afterwards, even on failure.
    sqlite_cache_kib(conn, 262_144)?;
    let out = rebuild_all(conn);
    sqlite_cache_kib(conn, 2_000)?;
    out
}

fn sqlite_cache_kib(conn: &mut DbConnection, kib: u32) -> Result<(), AppError> {
    if let DbConnection::Sqlite(c) = conn {
        diesel::connection::SimpleConnection::batch_execute(c, &format!("PRAGMA cache_size = -{kib}"))?;
    }
    Ok(())
}

/// Indicators counting the same: a definition, its relevant types, and the (plan, indicator)s.
pub(super) type Group = (IndicatorDef, Vec<String>, Vec<(String, String)>);

/// The tracked indicators grouped by what they count: indicators of several plans may count the
/// same (their kind, which the deltas do not read, aside), and their rows are computed once.
pub(super) fn groups(tracked: Vec<TrackedIndicator>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for t in tracked {
        let same =
            |(def, codes, _): &&mut Group| def.unit == t.def.unit && def.sources == t.def.sources && *codes == t.types;
        match groups.iter_mut().find(same) {
            Some(group) => group.2.push((t.plan, t.code)),
            None => groups.push((t.def, t.types, vec![(t.plan, t.code)])),
        }
    }
    groups
}

fn rebuild_all(conn: &mut DbConnection) -> Result<usize, AppError> {
    diesel::delete(stat_daily::table).execute(conn)?;
    known::clear(conn)?;
    let Catalogue { types, tracked } = Catalogue::load(conn)?;
    let mut rows = 0;
    for (def, codes, indicators) in &groups(tracked) {
        let facts = load::facts(conn, codes, FactScope::AllApproved)?;
        let mut total: BTreeMap<(String, i32, NaiveDate), i64> = BTreeMap::new();
        let mut history = known::Rebuild::new(indicators.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect());
        for chunk in facts.chunk_by(|a, b| a.enterprise_id == b.enterprise_id) {
            let h = knowledge_history(chunk, def, &types);
            // The whole history adds up to today's deltas.
            for ((region, start_year, day, _), v) in &h {
                *total.entry((region.clone(), *start_year, *day)).or_default() += v;
            }
            history.push(conn, h)?;
        }
        rows += history.finish(conn)?;
        total.retain(|_, v| *v != 0);
        for (plan, code) in indicators {
            rows += total.len();
            insert_fresh(conn, plan, code, &total)?;
        }
    }
    // The planner must know the new sizes, or it scans the whole table for a few regions.
    diesel::sql_query("ANALYZE stat_daily").execute(conn)?;
    known::finish_rebuild(conn)?;
    super::pending::rebuild(conn)?;
    crate::tail::figures_changed(conn)?;
    Ok(rows)
}

/// A stored row of `stat_daily`.
#[derive(Debug, Insertable)]
#[diesel(table_name = stat_daily)]
struct StatRow<'a> {
    plan_code: &'a str,
    indicator_code: &'a str,
    region_code: &'a str,
    start_year: i32,
    day: NaiveDate,
    delta: i64,
    slot: i16,
}

impl<'a> StatRow<'a> {
    /// The row of `plan`/`code` for one (region, start year, day) key, in slot 0.
    fn new(plan: &'a str, code: &'a str, (region, start_year, day): (&'a str, i32, NaiveDate), delta: i64) -> Self {
        Self { plan_code: plan, indicator_code: code, region_code: region, start_year, day, delta, slot: 0 }
    }

    /// The same row in `slot`.
    fn in_slot(self, slot: i16) -> Self {
        Self { slot, ..self }
    }

    /// The primary key, in the table's order.
    fn key(&self) -> (&str, &str, &str, i32, NaiveDate, i16) {
        (self.plan_code, self.indicator_code, self.region_code, self.start_year, self.day, self.slot)
    }
}

/// Inserts rows known to be absent, many per statement (the rebuild writes hundreds of
/// thousands; `MultiConnection` has no multi-row insert, so the inner connection does it).
fn insert_fresh(conn: &mut DbConnection, plan: &str, code: &str, deltas: &Deltas) -> Result<(), AppError> {
    let rows: Vec<StatRow<'_>> = deltas
        .iter()
        .map(|((region, start_year, day), delta)| StatRow::new(plan, code, (region, *start_year, *day), *delta))
        .collect();
    // SQLite binds at most 32766 parameters per statement: 7 per row.
    for chunk in rows.chunks(4_000) {
        db::on_backend!(conn, c => diesel::insert_into(stat_daily::table).values(chunk).execute(c)?);
    }
    Ok(())
}

/// (cumulative, increment) at `as_of` for each of `regions`.
pub fn sums(
    conn: &mut DbConnection,
    plan: &str,
    code: &str,
    regions: &[String],
    year: i32,
    as_of: NaiveDate,
) -> Result<HashMap<String, (i64, i64)>, AppError> {
    let rows: Vec<(String, i32, i64)> = stat_daily::table
        .filter(stat_daily::plan_code.eq(plan))
        .filter(stat_daily::indicator_code.eq(code))
        .filter(stat_daily::region_code.eq_any(regions))
        .filter(stat_daily::start_year.eq_any([0, year]))
        .filter(stat_daily::day.le(as_of))
        .group_by((stat_daily::region_code, stat_daily::start_year))
        .select((stat_daily::region_code, stat_daily::start_year, sql::<BigInt>("CAST(SUM(delta) AS BIGINT)")))
        .load(conn)?;
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    for (region, start_year, n) in rows {
        let e = out.entry(region).or_default();
        if start_year == 0 {
            e.0 = n;
        }
        if start_year == year {
            e.1 = n;
        }
    }
    Ok(out)
}
