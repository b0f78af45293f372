//! Webhook subscriptions and their delivery attempts (`webhooks`, `webhook_deliveries`, §3.10).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::queries::events::{EventRow, Visible};
use crate::schema::{events, webhook_deliveries, webhooks};

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    /// Id.
    pub id: String,
    /// The enterprise whose events it receives (or none: a provider's).
    pub enterprise_id: Option<String>,
    /// The provider whose delegated records' events it receives (or none: an enterprise's).
    pub provider_id: Option<String>,
    /// The user or client that created it.
    pub created_by: String,
    /// Target URL.
    pub url: String,
    /// JSON array of event types.
    pub event_types: String,
    /// Signing secret (`whsec_…`).
    pub secret: String,
    /// The last event it is done with.
    pub cursor: i64,
    /// Failed attempts of the event after `cursor`.
    pub attempts: i32,
    /// Since when its deliveries fail.
    pub failing_since: Option<NaiveDateTime>,
    /// When the next attempt is due.
    pub next_attempt_at: NaiveDateTime,
    /// Until when a delivery worker holds it.
    pub leased_until: Option<NaiveDateTime>,
    /// When it was disabled (after three days of failures).
    pub disabled_at: Option<NaiveDateTime>,
    /// Creation time.
    pub created_at: NaiveDateTime,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    /// Id (UUIDv7: attempts in time order).
    pub id: String,
    /// The subscription.
    pub webhook_id: String,
    /// The event delivered (the `webhook-id` header).
    pub event_id: String,
    /// Its `seq`.
    pub seq: i64,
    /// 1 for the first attempt of this event, 2 for the first retry, …
    pub attempt: i32,
    /// When it was sent.
    pub attempted_at: NaiveDateTime,
    /// The receiver's status, if it answered.
    pub status_code: Option<i32>,
    /// What went wrong, when it did (time-out, refused address, connection error, non-2xx).
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Stores a new subscription.
pub fn insert(conn: &mut DbConnection, row: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(webhooks::table).values(row).execute(conn)?;
    Ok(())
}

/// Who owns a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// An enterprise (its users and clients).
    Enterprise(String),
    /// A provider (its users and clients).
    Provider(String),
}

impl Owner {
    /// The owner of `row`.
    pub fn of(row: &WebhookRow) -> Option<Owner> {
        match (&row.enterprise_id, &row.provider_id) {
            (Some(e), None) => Some(Owner::Enterprise(e.clone())),
            (None, Some(p)) => Some(Owner::Provider(p.clone())),
            _ => None,
        }
    }
}

/// The subscriptions of `owner`, oldest first.
pub fn of_owner(conn: &mut DbConnection, owner: &Owner) -> QueryResult<Vec<WebhookRow>> {
    let q = webhooks::table.order(webhooks::id).select(WebhookRow::as_select()).into_boxed();
    let q = match owner {
        Owner::Enterprise(e) => q.filter(webhooks::enterprise_id.eq(e.clone())),
        Owner::Provider(p) => q.filter(webhooks::provider_id.eq(p.clone())),
    };
    q.load(conn)
}

/// Subscription `id`.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookRow>> {
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn).optional()
}

/// Deletes subscription `id` with its attempts; whether it existed.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? > 0)
}

/// Up to `limit` attempts of subscription `id` after attempt `after` (newest last).
pub fn deliveries(conn: &mut DbConnection, id: &str, after: Option<&str>, limit: i64) -> QueryResult<Vec<DeliveryRow>> {
    let mut q = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .order(webhook_deliveries::id)
        .limit(limit)
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(webhook_deliveries::id.gt(a.to_string()));
    }
    q.load(conn)
}

/// Enabled subscriptions due at `now` that no worker holds, at most `limit`.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::disabled_at.is_null())
        .filter(webhooks::next_attempt_at.le(now))
        .filter(webhooks::leased_until.is_null().or(webhooks::leased_until.lt(now)))
        .order(webhooks::next_attempt_at)
        .limit(limit)
        .select(WebhookRow::as_select())
        .load(conn)
}

/// Takes subscription `id` until `until` if no worker holds it at `now`: one conditional update,
/// so of two workers exactly one gets it. The row as leased, or `None`.
pub fn lease(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<WebhookRow>> {
    let n = diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::disabled_at.is_null())
            .filter(webhooks::leased_until.is_null().or(webhooks::leased_until.lt(now))),
    )
    .set(webhooks::leased_until.eq(Some(until)))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Up to `limit` numbered events after `cursor` that `visible` allows, among `types`, in `seq`
/// order.
pub fn next_events(
    conn: &mut DbConnection,
    visible: &Visible,
    cursor: i64,
    types: &[String],
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    crate::queries::events::visible_to(visible)
        .filter(events::seq.gt(cursor))
        .filter(events::event_type.eq_any(types.to_vec()))
        .order(events::seq)
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

/// What an attempt (or finding nothing to send) changes on its subscription.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = webhooks, treat_none_as_null = true)]
pub struct Outcome {
    /// The last event done with.
    pub cursor: i64,
    /// Failed attempts of the next event.
    pub attempts: i32,
    /// Since when it fails.
    pub failing_since: Option<NaiveDateTime>,
    /// When to try next.
    pub next_attempt_at: NaiveDateTime,
    /// Still held until then (a run that goes on), or released (`None`).
    pub leased_until: Option<NaiveDateTime>,
    /// Disabled, when it failed too long.
    pub disabled_at: Option<NaiveDateTime>,
}

/// Applies `outcome` to subscription `id` if the lease `held` is still the one it holds (a
/// worker whose lease ran out changes nothing); whether it applied.
pub fn settle(conn: &mut DbConnection, id: &str, held: NaiveDateTime, outcome: &Outcome) -> QueryResult<bool> {
    let n = diesel::update(webhooks::table.find(id).filter(webhooks::leased_until.eq(Some(held))))
        .set(outcome)
        .execute(conn)?;
    Ok(n > 0)
}

/// Records attempts.
pub fn record(conn: &mut DbConnection, rows: &[DeliveryRow]) -> QueryResult<()> {
    crate::db::on_backend!(conn, c => diesel::insert_into(webhook_deliveries::table).values(rows).execute(c)?);
    Ok(())
}
