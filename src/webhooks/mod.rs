//! Webhooks (DESIGN §3.10): an enterprise's or a provider's subscriptions to the events it may
//! read, signed deliveries
//! ([`sign`]) to checked targets ([`target`]) by the delivery [`worker`].

pub mod sign;
pub mod target;
pub mod worker;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::events::EVENT_TYPES;
use crate::queries::events as feed;
use crate::queries::webhooks::{self as q, DeliveryRow, Owner, WebhookRow};
use crate::tail::{self, Figures};

/// A subscription as the API shows it (the secret only in the answer that created it).
#[derive(Debug, Serialize)]
pub struct WebhookView {
    id: String,
    url: String,
    events: Vec<String>,
    enabled: bool,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    disabled_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    failing_since: Option<NaiveDateTime>,
    last_seq: i64,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

impl WebhookView {
    /// The view of `row`, with its secret when `reveal`.
    pub fn of(row: WebhookRow, reveal: bool) -> Self {
        Self {
            events: serde_json::from_str(&row.event_types).unwrap_or_default(),
            enabled: row.disabled_at.is_none(),
            disabled_at: row.disabled_at,
            failing_since: row.failing_since,
            last_seq: row.cursor,
            created_at: row.created_at,
            secret: reveal.then_some(row.secret),
            id: row.id,
            url: row.url,
        }
    }
}

/// An attempt as the API shows it.
#[derive(Debug, Serialize)]
pub struct DeliveryView {
    id: String,
    event_id: String,
    seq: i64,
    attempt: i32,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    attempted_at: NaiveDateTime,
    status_code: Option<i32>,
    error: Option<String>,
    duration_ms: i64,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(d: DeliveryRow) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            seq: d.seq,
            attempt: d.attempt,
            attempted_at: d.attempted_at,
            status_code: d.status_code,
            error: d.error,
            duration_ms: d.duration_ms,
        }
    }
}

/// Checks the event types asked for: a non-empty list of known types, each once (422 naming
/// `events`).
pub fn check_types(types: &[String]) -> Result<Vec<String>, AppError> {
    let bad = |m: String| AppError::validation(vec![FieldError::new("events", "invalid_value", m)]);
    if types.is_empty() {
        return Err(bad("name at least one event type".into()));
    }
    let mut out: Vec<String> = Vec::new();
    for t in types {
        if !EVENT_TYPES.contains(&t.as_str()) {
            return Err(bad(format!("must be among {}", EVENT_TYPES.join(", "))));
        }
        if out.contains(t) {
            return Err(bad(format!("`{t}` is listed more than once")));
        }
        out.push(t.clone());
    }
    Ok(out)
}

/// Creates a subscription of `owner` (the caller's enterprise or provider) to `url` for `types`
/// (already checked), starting after the latest event (a subscription receives what happens from
/// now on); audited `webhook.create` without the secret.
pub fn create(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    owner: &Owner,
    (url, types): (&str, &[String]),
    now: NaiveDateTime,
) -> Result<WebhookRow, AppError> {
    let (enterprise_id, provider_id) = match owner {
        Owner::Enterprise(e) => (Some(e.clone()), None),
        Owner::Provider(p) => (None, Some(p.clone())),
    };
    let row = WebhookRow {
        id: uuid::Uuid::now_v7().to_string(),
        enterprise_id,
        provider_id,
        created_by: p.id.clone(),
        url: url.to_string(),
        event_types: serde_json::to_string(types).map_err(|e| AppError::internal(e.to_string()))?,
        secret: sign::new_secret(),
        cursor: feed::latest(conn)?,
        attempts: 0,
        failing_since: None,
        next_attempt_at: now,
        leased_until: None,
        disabled_at: None,
        created_at: now,
    };
    q::insert(conn, &row)?;
    let event = Event::ok("webhook.create", "webhook", &row.id).detail(json!({"url": row.url, "events": types}));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    Ok(row)
}

/// Subscription `id` if `owner` owns it (404 otherwise: scope does not leak existence).
pub fn owned(conn: &mut DbConnection, owner: &Owner, id: &str) -> Result<WebhookRow, AppError> {
    q::find(conn, id)?.filter(|w| Owner::of(w).as_ref() == Some(owner)).ok_or_else(|| AppError::not_found("webhook"))
}

/// The owner `p` subscribes for: its enterprise or its provider (404 for a principal without
/// either, which the role checks leave only to a broken account).
pub fn owner_of(p: &Principal) -> Result<Owner, AppError> {
    use crate::domain::id::ResourceId;
    match (&p.enterprise_id, &p.provider_id) {
        (Some(e), _) => Ok(Owner::Enterprise(e.as_str().to_string())),
        (None, Some(v)) => Ok(Owner::Provider(v.clone())),
        (None, None) => Err(AppError::not_found("webhook")),
    }
}

/// Deletes subscription `id` of `owner` with its attempts; audited `webhook.delete`.
pub fn delete(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    owner: &Owner,
    id: &str,
) -> Result<(), AppError> {
    let w = owned(conn, owner, id)?;
    q::delete(conn, &w.id)?;
    let event = Event::ok("webhook.delete", "webhook", &w.id).detail(json!({"url": w.url}));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])
}
