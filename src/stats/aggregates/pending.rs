//! `stat_pending`: records awaiting review (`n`) and records in 公示 (`publicised`) counted by
//! type, level, county and city. Every transition into or out of `submitted` or `publicised`
//! adjusts its row in the same transaction, so the pending and 公示中 columns of a progress table
//! read a few hundred rows instead of counting the records (whose index-only scan degrades into
//! heap reads as soon as writes clear the visibility map).

use std::collections::{BTreeMap, HashMap};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::MilestoneState;
use crate::error::AppError;
use crate::queries::milestones::MilestoneRow;
use crate::queries::prepared::AddPending;
use crate::schema::stat_pending;
use crate::stats::aggregates::events::PROVINCE;
use crate::stats::definitions::model::IndicatorDef;

/// The key of a `stat_pending` row: type, level (`''` without one), county, city — the table's
/// key order, so a sorted map of them upserts in key order.
pub type PendingKey = (String, String, String, String);

/// Changes to one row: (records pending, records in 公示).
pub type Deltas = (i64, i64);

/// Pending and 公示 changes gathered by key (a write's, or a bulk write's).
pub type Counts = BTreeMap<PendingKey, Deltas>;

/// The key of `record`'s row.
pub fn key_of(record: &MilestoneRow) -> PendingKey {
    let level = record.level.clone().unwrap_or_default();
    (record.milestone_type.clone(), level, record.county_code.clone(), record.city_code.clone())
}

/// Adds `delta` (1: `record` entered its state, -1: it left it) to the counter of its state in
/// `counts`; nothing for a state neither counter holds.
pub fn count(counts: &mut Counts, record: &MilestoneRow, delta: i64) {
    let change = match record.state {
        MilestoneState::Submitted => (delta, 0),
        MilestoneState::Publicised => (0, delta),
        _ => return,
    };
    let e = counts.entry(key_of(record)).or_default();
    e.0 += change.0;
    e.1 += change.1;
}

/// Counts `record` out of its row (it leaves its state), at once; call inside the change's
/// transaction, with the record as it was.
pub fn leave(conn: &mut DbConnection, record: &MilestoneRow) -> Result<(), AppError> {
    let mut counts = Counts::new();
    count(&mut counts, record, -1);
    add_counts(conn, &counts)
}

/// Adds each non-zero change of `counts` to its row, in key order (a write's pending and 公示
/// counts, taken together at its end).
pub fn add_counts(conn: &mut DbConnection, counts: &Counts) -> Result<(), AppError> {
    for ((milestone_type, level, county_code, city_code), &(n, publicised)) in
        counts.iter().filter(|(_, d)| **d != (0, 0))
    {
        AddPending {
            milestone_type: milestone_type.clone(),
            level: level.clone(),
            county_code: county_code.clone(),
            city_code: city_code.clone(),
            n,
            publicised,
        }
        .execute(conn)?;
    }
    Ok(())
}

/// Counts again from the records (after a bulk load, or to repair the table).
pub fn rebuild(conn: &mut DbConnection) -> Result<(), AppError> {
    conn.batch_execute(
        "DELETE FROM stat_pending; \
         INSERT INTO stat_pending (milestone_type, level, county_code, city_code, n, publicised) \
         SELECT milestone_type, COALESCE(level, ''), county_code, city_code, \
                SUM(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END), \
                SUM(CASE WHEN state = 'publicised' THEN 1 ELSE 0 END) \
         FROM milestones WHERE state IN ('submitted', 'publicised') \
         GROUP BY milestone_type, COALESCE(level, ''), county_code, city_code",
    )?;
    Ok(())
}

/// Records awaiting review and records in 公示 that `def` lists (of `type_codes`), per county,
/// city and the province: (pending, in 公示).
pub fn by_region(
    conn: &mut DbConnection,
    def: &IndicatorDef,
    type_codes: &[String],
) -> Result<HashMap<String, (i64, i64)>, AppError> {
    let rows = stored(conn, Some(type_codes))?;
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    for (t, level, county, city, n, publicised) in rows {
        let level = Some(level.as_str()).filter(|l| !l.is_empty());
        if def.lists(&t, level) {
            for region in [county, city, PROVINCE.to_string()] {
                let e = out.entry(region).or_default();
                e.0 += n;
                e.1 += publicised;
            }
        }
    }
    Ok(out)
}

/// A stored row: (type, level or "", county, city, records pending, records in 公示).
pub(super) type Stored = (String, String, String, String, i64, i64);

/// The non-zero rows, of `type_codes` only when given.
pub(super) fn stored(conn: &mut DbConnection, type_codes: Option<&[String]>) -> Result<Vec<Stored>, AppError> {
    let mut q = stat_pending::table
        .filter(stat_pending::n.ne(0).or(stat_pending::publicised.ne(0)))
        .select((
            stat_pending::milestone_type,
            stat_pending::level,
            stat_pending::county_code,
            stat_pending::city_code,
            stat_pending::n,
            stat_pending::publicised,
        ))
        .into_boxed();
    if let Some(codes) = type_codes {
        q = q.filter(stat_pending::milestone_type.eq_any(codes.to_vec()));
    }
    Ok(q.load(conn)?)
}
