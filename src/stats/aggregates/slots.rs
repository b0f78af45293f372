//! Slots of the rows of `stat_daily` and `stat_known_year` (issue 19). The province's row and a
//! city's row of one (indicator, start year, day) take every approval of that day; an upsert
//! holds its row until commit, so concurrent approvals passed those rows one at a time. A write
//! adds its deltas to one of [`SLOTS`] copies of each of its rows, drawn at random; readers sum
//! over the slots as they sum over days. [`fold`], every [`FOLD_PERIOD`], adds the other slots
//! into slot 0 and removes them, so the rows a statistic reads do not grow with the writes.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::schema::{stat_daily, stat_known_year};

/// Copies of a row (the migration's `CHECK` holds the same bound).
pub const SLOTS: i16 = 32;

/// How often an instance folds the slots.
pub const FOLD_PERIOD: Duration = Duration::from_secs(10);

/// The advisory lock that lets one instance fold at a time ("stat_slots" in ASCII).
const FOLD_LOCK: i64 = 0x7374_6174_736c_6f74;

/// The slot one write adds its rows to: at random on PostgreSQL; 0 on SQLite, whose one writer
/// never waits on a row.
pub fn pick(conn: &DbConnection) -> i16 {
    match conn {
        DbConnection::Pg(_) => rand::Rng::gen_range(&mut rand::thread_rng(), 0..SLOTS),
        DbConnection::Sqlite(_) => 0,
    }
}

/// The fold of each table: the other slots added to slot 0 (in key order), then removed.
const FOLD: &str = "\
    INSERT INTO stat_daily (plan_code, indicator_code, region_code, start_year, day, slot, delta) \
    SELECT plan_code, indicator_code, region_code, start_year, day, 0, CAST(SUM(delta) AS BIGINT) \
    FROM stat_daily WHERE slot > 0 GROUP BY plan_code, indicator_code, region_code, start_year, day \
    ORDER BY plan_code, indicator_code, region_code, start_year, day \
    ON CONFLICT (plan_code, indicator_code, region_code, start_year, day, slot) \
    DO UPDATE SET delta = stat_daily.delta + excluded.delta; \
    DELETE FROM stat_daily WHERE slot > 0; \
    INSERT INTO stat_known_year (plan_code, indicator_code, region_code, known_year, start_year, day, slot, delta) \
    SELECT plan_code, indicator_code, region_code, known_year, start_year, day, 0, CAST(SUM(delta) AS BIGINT) \
    FROM stat_known_year WHERE slot > 0 \
    GROUP BY plan_code, indicator_code, region_code, known_year, start_year, day \
    ORDER BY plan_code, indicator_code, region_code, known_year, start_year, day \
    ON CONFLICT (plan_code, indicator_code, region_code, known_year, start_year, day, slot) \
    DO UPDATE SET delta = stat_known_year.delta + excluded.delta; \
    DELETE FROM stat_known_year WHERE slot > 0;";

/// Folds the slots into slot 0 (inside a transaction); returns whether there was anything to
/// fold. Nothing on SQLite, while another instance folds, or when the tables stay busy for 200 ms.
///
/// The tables are locked `SHARE ROW EXCLUSIVE` for the fold: it waits for the writes in flight
/// and holds new ones back for its few milliseconds, so no row is added between the sum and the
/// removal; readers are not held. Writers take `stat_daily` before `stat_known_year`, and so does
/// the fold (one `LOCK` names them in that order). A write that took only `stat_known_year` so
/// far could still meet the fold in a cycle; the fold waits at most 200 ms for its locks — far
/// less than PostgreSQL's deadlock check (1 s) — and gives up until the next period, so it is
/// always the fold, never a write, that yields.
pub fn fold(conn: &mut DbConnection) -> Result<bool, AppError> {
    let DbConnection::Pg(c) = conn else { return Ok(false) };
    let unfolded = diesel::select(diesel::dsl::exists(stat_daily::table.filter(stat_daily::slot.gt(0))))
        .get_result::<bool>(c)?
        || diesel::select(diesel::dsl::exists(stat_known_year::table.filter(stat_known_year::slot.gt(0))))
            .get_result::<bool>(c)?;
    if !unfolded {
        return Ok(false);
    }
    let locked: bool =
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("pg_try_advisory_xact_lock({FOLD_LOCK})")))
            .get_result(c)?;
    if !locked {
        return Ok(false);
    }
    // In a savepoint: a lock timeout ends it, not the transaction, and the fold gives way.
    let locked = c.transaction(|c| {
        c.batch_execute(
            "SET LOCAL lock_timeout = '200ms'; \
             LOCK TABLE stat_daily, stat_known_year IN SHARE ROW EXCLUSIVE MODE; \
             SET LOCAL lock_timeout = DEFAULT",
        )
    });
    if let Err(e) = locked {
        tracing::debug!(error = %e, "the statistics slots were not folded: their tables were busy");
        return Ok(false);
    }
    c.batch_execute(FOLD)?;
    Ok(true)
}

/// Folds every [`FOLD_PERIOD`] until the task is dropped; a failure is logged and retried. On
/// SQLite it returns at once: every row is in slot 0, and a fold would only take the one writer's
/// turn every period for nothing.
pub async fn run(db: Db) {
    if db.backend() == crate::db::Backend::Sqlite {
        return;
    }
    crate::periodic::every(FOLD_PERIOD, "folding the statistics slots", || db.write(fold)).await;
}
