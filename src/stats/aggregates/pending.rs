//! `stat_pending`: records awaiting review counted by type, level, county and city. Every
//! transition into or out of `submitted` adjusts its row in the same transaction, so the pending
//! column of a progress table reads a few hundred rows instead of counting the records (whose
//! index-only scan degrades into heap reads as soon as writes clear the visibility map).

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::queries::milestones::MilestoneRow;
use crate::schema::stat_pending;
use crate::stats::aggregates::events::PROVINCE;
use crate::stats::definitions::model::IndicatorDef;

/// A row of `stat_pending`.
#[derive(Debug, Insertable)]
#[diesel(table_name = stat_pending)]
struct PendingRow<'a> {
    milestone_type: &'a str,
    level: &'a str,
    county_code: &'a str,
    city_code: &'a str,
    n: i64,
}

/// Adds `delta` (1 when `record` enters `submitted`, -1 when it leaves) to its row; call inside
/// the transition's transaction.
pub fn add(conn: &mut DbConnection, record: &MilestoneRow, delta: i64) -> Result<(), AppError> {
    use diesel::upsert::excluded;
    let row = PendingRow {
        milestone_type: &record.milestone_type,
        level: record.level.as_deref().unwrap_or(""),
        county_code: &record.county_code,
        city_code: &record.city_code,
        n: delta,
    };
    db::on_backend!(conn, c => diesel::insert_into(stat_pending::table)
        .values(&row)
        .on_conflict((
            stat_pending::milestone_type,
            stat_pending::level,
            stat_pending::county_code,
            stat_pending::city_code,
        ))
        .do_update()
        .set(stat_pending::n.eq(stat_pending::n + excluded(stat_pending::n)))
        .execute(c)?);
    Ok(())
}

/// The key of a `stat_pending` row: type, level (`''` without one), county, city — the table's
/// key order, so a sorted map of them upserts in key order.
pub type PendingKey = (String, String, String, String);

/// The key of `record`'s row.
pub fn key_of(record: &MilestoneRow) -> PendingKey {
    let level = record.level.clone().unwrap_or_default();
    (record.milestone_type.clone(), level, record.county_code.clone(), record.city_code.clone())
}

/// Adds each non-zero delta of `counts` to its row, in key order (a bulk write's pending counts,
/// taken together at its end).
pub fn add_counts(
    conn: &mut DbConnection,
    counts: &std::collections::BTreeMap<PendingKey, i64>,
) -> Result<(), AppError> {
    use diesel::upsert::excluded;
    for ((milestone_type, level, county_code, city_code), &n) in counts.iter().filter(|(_, n)| **n != 0) {
        let row = PendingRow { milestone_type, level, county_code, city_code, n };
        db::on_backend!(conn, c => diesel::insert_into(stat_pending::table)
            .values(&row)
            .on_conflict((
                stat_pending::milestone_type,
                stat_pending::level,
                stat_pending::county_code,
                stat_pending::city_code,
            ))
            .do_update()
            .set(stat_pending::n.eq(stat_pending::n + excluded(stat_pending::n)))
            .execute(c)?);
    }
    Ok(())
}

/// Counts again from the records (after a bulk load, or to repair the table).
pub fn rebuild(conn: &mut DbConnection) -> Result<(), AppError> {
    conn.batch_execute(
        "DELETE FROM stat_pending; \
         INSERT INTO stat_pending (milestone_type, level, county_code, city_code, n) \
         SELECT milestone_type, COALESCE(level, ''), county_code, city_code, COUNT(*) \
         FROM milestones WHERE state = 'submitted' \
         GROUP BY milestone_type, COALESCE(level, ''), county_code, city_code",
    )?;
    Ok(())
}

/// Records awaiting review that `def` lists (of `type_codes`), per county, city and the
/// province.
pub fn by_region(
    conn: &mut DbConnection,
    def: &IndicatorDef,
    type_codes: &[String],
) -> Result<HashMap<String, i64>, AppError> {
    let rows = stored(conn, Some(type_codes))?;
    let mut out = HashMap::new();
    for (t, level, county, city, n) in rows {
        let level = Some(level.as_str()).filter(|l| !l.is_empty());
        if def.lists(&t, level) {
            for region in [county, city, PROVINCE.to_string()] {
                *out.entry(region).or_insert(0) += n;
            }
        }
    }
    Ok(out)
}

/// A stored row: (type, level or "", county, city, records).
pub(super) type Stored = (String, String, String, String, i64);

/// The non-zero rows, of `type_codes` only when given.
pub(super) fn stored(conn: &mut DbConnection, type_codes: Option<&[String]>) -> Result<Vec<Stored>, AppError> {
    let mut q = stat_pending::table
        .filter(stat_pending::n.ne(0))
        .select((
            stat_pending::milestone_type,
            stat_pending::level,
            stat_pending::county_code,
            stat_pending::city_code,
            stat_pending::n,
        ))
        .into_boxed();
    if let Some(codes) = type_codes {
        q = q.filter(stat_pending::milestone_type.eq_any(codes.to_vec()));
    }
    Ok(q.load(conn)?)
}
