//! Fixed-window counters kept in the database, so a throttle holds across instances.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::rate_limits;

/// Counts one hit on `bucket`; returns `Some(seconds until the window ends)` when the hit is
/// over `max` for the current window (and is then not counted).
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    max: i32,
    window: Duration,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let current: Option<(NaiveDateTime, i32)> = rate_limits::table
        .find(bucket)
        .select((rate_limits::window_start, rate_limits::hits))
        .first(conn)
        .optional()?;
    match current {
        None => {
            diesel::insert_into(rate_limits::table)
                .values((rate_limits::bucket.eq(bucket), rate_limits::window_start.eq(now), rate_limits::hits.eq(1)))
                .execute(conn)?;
            Ok(None)
        }
        Some((start, _)) if start + window <= now => {
            diesel::update(rate_limits::table.find(bucket))
                .set((rate_limits::window_start.eq(now), rate_limits::hits.eq(1)))
                .execute(conn)?;
            Ok(None)
        }
        Some((start, hits)) if hits >= max => Ok(Some((start + window - now).num_seconds().max(1))),
        Some(_) => {
            diesel::update(rate_limits::table.find(bucket))
                .set(rate_limits::hits.eq(rate_limits::hits + 1))
                .execute(conn)?;
            Ok(None)
        }
    }
}
