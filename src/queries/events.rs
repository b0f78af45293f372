//! The event outbox's rows (`events`, DESIGN §3.10): appended unnumbered by the writes, numbered
//! by the assigner, read by the feed in `seq` order.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::queries::delegations;
use crate::schema::events;

/// The advisory lock key that makes the assigner one at a time on PostgreSQL (any fixed number
/// the service uses for nothing else).
const ASSIGNER_LOCK: i64 = 0x0e_7e_47_5e_90;

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = events, treat_none_as_default_value = false)]
pub struct EventRow {
    /// Event id (UUIDv7); the `webhook-id` of its deliveries.
    pub id: String,
    /// Position in the feed; `None` until numbered.
    pub seq: Option<i64>,
    /// `milestone.submitted`, `milestone.approved`, …
    pub event_type: String,
    /// When the change happened (UTC).
    pub occurred_at: NaiveDateTime,
    /// The record concerned, if any.
    pub milestone_id: Option<String>,
    /// The enterprise concerned.
    pub enterprise_id: String,
    /// The record's county (reviewers' scope).
    pub county_code: Option<String>,
    /// The record's city (reviewers' scope).
    pub city_code: Option<String>,
    /// The record's type (providers' scope).
    pub milestone_type: Option<String>,
    /// The provider a delegation change concerns.
    pub provider_id: Option<String>,
    /// The event's data, JSON.
    pub data: String,
}

/// Appends `row` (unnumbered); call inside the change's transaction.
pub fn insert(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(events::table).values(row).execute(conn)?;
    Ok(())
}

/// Appends `rows` (unnumbered), many per statement; call inside the change's transaction.
pub fn insert_many(conn: &mut DbConnection, rows: &[EventRow]) -> QueryResult<()> {
    // 9 columns: 500 rows stay under SQLite's and PostgreSQL's bind-parameter limits.
    for chunk in rows.chunks(500) {
        crate::db::on_backend!(conn, c => diesel::insert_into(events::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// Numbers every committed unnumbered row, after the highest number given so far, in one
/// statement. Call inside a transaction of its own: on PostgreSQL it first takes a transaction
/// advisory lock, so that two assigners (two instances) never number rows at the same time —
/// the later one waits and then numbers after the earlier one's rows. On SQLite the service's
/// writes already run one at a time. Returns how many rows it numbered.
pub fn assign(conn: &mut DbConnection) -> QueryResult<usize> {
    if let DbConnection::Pg(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({ASSIGNER_LOCK})"))?;
    }
    diesel::sql_query(
        "UPDATE events SET seq = numbered.n FROM ( \
           SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM events) + ROW_NUMBER() OVER (ORDER BY id) AS n \
           FROM events WHERE seq IS NULL \
         ) AS numbered \
         WHERE events.id = numbered.id",
    )
    .execute(conn)
}

/// Whether some committed row waits for its number.
pub fn any_unnumbered(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(events::table.filter(events::seq.is_null()))).get_result(conn)
}

/// The highest number given so far (0 before the first).
pub fn latest(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(events::table.select(diesel::dsl::max(events::seq)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Which events a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    /// One enterprise's.
    Enterprise(String),
    /// One city's records'.
    City(String),
    /// One county's records'.
    County(String),
    /// A provider's: the records of the types enterprises delegate to it on the day, and the
    /// changes of its delegations.
    Provider(String, NaiveDate),
    /// All.
    All,
    /// None (a reader without scope).
    Nothing,
}

/// The events `visible` allows (a boxed query to narrow further).
pub fn visible_to(visible: &Visible) -> events::BoxedQuery<'_, <DbConnection as Connection>::Backend> {
    let q = events::table.into_boxed();
    match visible {
        Visible::Enterprise(e) => q.filter(events::enterprise_id.eq(e.clone())),
        Visible::City(c) => q.filter(events::city_code.eq(c.clone())),
        Visible::County(c) => q.filter(events::county_code.eq(c.clone())),
        Visible::Provider(p, on) => {
            // The same delegations in force as the provider's record list.
            q.filter(
                events::provider_id
                    .eq(p.clone())
                    .or(events::milestone_type.is_not_null().and(delegations::covers_event(p, *on))),
            )
        }
        Visible::All => q,
        // No event has an empty enterprise id.
        Visible::Nothing => q.filter(events::enterprise_id.eq("")),
    }
}

/// Up to `limit` numbered events after `after` that `visible` allows, in `seq` order.
pub fn page(conn: &mut DbConnection, visible: &Visible, after: i64, limit: i64) -> QueryResult<Vec<EventRow>> {
    visible_to(visible)
        .filter(events::seq.gt(after))
        .order(events::seq)
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}
