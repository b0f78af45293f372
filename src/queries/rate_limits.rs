//! Fixed-window counters kept in the database, so a throttle holds across instances.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::rate_limits;

/// Counts one hit on `bucket`; returns `Some(seconds until the window ends)` when the hit is
/// over `max` for the current window (and is then not counted).
///
/// The bucket's row is claimed first (inserted empty when absent; a concurrent first hit waits
/// for the other insert and then does nothing) and then read under its lock
/// ([`super::locks::rate_limit`]), so racing hits are counted one after the other, on any number
/// of instances.
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    max: i32,
    window: Duration,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let fresh = (rate_limits::bucket.eq(bucket), rate_limits::window_start.eq(now), rate_limits::hits.eq(0));
    crate::db::on_backend!(conn, c => diesel::insert_into(rate_limits::table).values(fresh).on_conflict_do_nothing().execute(c)?);
    let (start, hits) = super::locks::rate_limit(conn, bucket)?;
    if start + window <= now {
        diesel::update(rate_limits::table.find(bucket))
            .set((rate_limits::window_start.eq(now), rate_limits::hits.eq(1)))
            .execute(conn)?;
        return Ok(None);
    }
    if hits >= max {
        return Ok(Some((start + window - now).num_seconds().max(1)));
    }
    diesel::update(rate_limits::table.find(bucket)).set(rate_limits::hits.eq(rate_limits::hits + 1)).execute(conn)?;
    Ok(None)
}
