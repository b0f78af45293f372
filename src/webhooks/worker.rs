//! The delivery worker: on every instance, every [`PERIOD`], takes the subscriptions that are due
//! and that no other worker holds (a lease by conditional update, so two instances never both
//! send one attempt), and sends each its next event — at least once, in `seq` order per
//! subscription (the next event waits until this one is delivered; a lease sends one after the
//! other while there are more, the leased subscriptions side by side), retried with exponential
//! backoff and jitter, the subscription disabled after three days of failures. Each attempt is
//! recorded.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use rand::Rng;

use super::{sign, target};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::events::EventView;
use crate::queries::events::{EventRow, Visible};
use crate::queries::webhooks::{self as q, DeliveryRow, Outcome, WebhookRow};
use crate::state::AppState;

/// How often each instance looks for due subscriptions.
pub const PERIOD: StdDuration = StdDuration::from_millis(500);
/// How long a worker holds a subscription (longer than an attempt's time-out).
const LEASE: Duration = Duration::seconds(60);
/// A receiver's time to answer.
pub const TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// How long a subscription may fail before it is disabled.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);
/// Subscriptions taken per look (drained concurrently).
const BATCH: i64 = 16;
/// Events read at once for one subscription (sent one after the other, recorded together).
const BATCH_EVENTS: i64 = 100;
/// Most events sent to one subscription per lease.
const RUN: usize = 1_000;
/// How long one lease keeps sending (well inside [`LEASE`], with a [`TIMEOUT`] to spare).
const KEEP_FOR: StdDuration = StdDuration::from_secs(30);

/// The wait before retry `n` (1 = the first retry): 5 s, 1 min, 5 min, 30 min, 2 h, then every
/// 5 h, each ±20 % — retries span more than a day before the subscription is given up.
pub fn backoff<R: Rng>(rng: &mut R, n: i32) -> Duration {
    let base = match n {
        ..=1 => 5,
        2 => 60,
        3 => 300,
        4 => 1_800,
        5 => 7_200,
        _ => 18_000,
    };
    let jitter = rng.gen_range(0.8..1.2);
    Duration::milliseconds((base as f64 * 1_000.0 * jitter) as i64)
}

/// A lease's end, to the millisecond (stored and compared exactly on both backends).
fn lease_until(now: NaiveDateTime) -> NaiveDateTime {
    let t = now + LEASE;
    t.with_nanosecond(t.nanosecond() / 1_000_000 * 1_000_000).unwrap_or(t)
}

/// The HTTP client of deliveries: no redirects (a redirect could lead anywhere), the time-out.
pub fn client() -> Result<reqwest::Client, AppError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .user_agent("enterprise-registry-webhooks/1")
        .build()
        .map_err(|e| AppError::internal(format!("webhook client: {e}")))
}

/// One look: leases the due subscriptions and drains each — concurrently — of what it has to
/// send; returns how many attempts it made.
pub async fn step(state: &AppState, http: &reqwest::Client) -> Result<usize, AppError> {
    let now = state.clock.now();
    let today = state.clock.today_shanghai();
    // A subscription with nothing to send is left alone: looking costs a read, not a write.
    let waiting: Vec<String> = state
        .db
        .run(move |c| {
            let mut waiting = Vec::new();
            for w in q::due(c, now, BATCH)? {
                if !next_of(c, &w, today, 1)?.is_empty() {
                    waiting.push(w.id);
                }
            }
            Ok(waiting)
        })
        .await?;
    let until = lease_until(now);
    let mut leased = Vec::new();
    for id in waiting {
        if let Some(w) = state.db.write(move |c| Ok(q::lease(c, &id, now, until)?)).await? {
            leased.push(w);
        }
    }
    let started = Instant::now();
    let drained =
        futures_util::future::join_all(leased.into_iter().map(|w| drain(state, http, w, until, started))).await;
    let mut attempts = 0;
    for result in drained {
        attempts += result?;
    }
    Ok(attempts)
}

/// Up to `limit` events subscription `w` has to deliver on `today`: its owner's feed scope (a
/// provider's of the day), its types, after its cursor.
fn next_of(
    conn: &mut DbConnection,
    w: &WebhookRow,
    today: NaiveDate,
    limit: i64,
) -> diesel::QueryResult<Vec<EventRow>> {
    let types: Vec<String> = serde_json::from_str(&w.event_types).unwrap_or_default();
    let visible = match q::Owner::of(w) {
        Some(q::Owner::Enterprise(e)) => Visible::Enterprise(e),
        Some(q::Owner::Provider(p)) => Visible::Provider(p, today),
        None => return Ok(Vec::new()),
    };
    q::next_events(conn, &visible, w.cursor, &types, limit)
}

/// Sends subscription `w`'s events (held until `held`) one after the other, in `seq` order: a
/// batch of up to [`BATCH_EVENTS`] read at once, sent in turn until one fails, then the attempts
/// recorded and the cursor stored together — so a batch costs two database round trips however
/// many it sends (a crash before the record resends the batch: at least once). Goes on until the
/// subscription has nothing left, one fails (retried after its backoff), [`RUN`] were sent or the
/// lease nears its end ([`KEEP_FOR`]). Returns how many attempts it made.
async fn drain(
    state: &AppState,
    http: &reqwest::Client,
    mut w: WebhookRow,
    held: NaiveDateTime,
    started: Instant,
) -> Result<usize, AppError> {
    let mut attempts = 0;
    loop {
        let today = state.clock.today_shanghai();
        let sub = w.clone();
        let batch = state.db.run(move |c| Ok(next_of(c, &sub, today, BATCH_EVENTS)?)).await?;
        if batch.is_empty() {
            let idle = Outcome {
                cursor: w.cursor,
                attempts: w.attempts,
                failing_since: w.failing_since,
                next_attempt_at: state.clock.now() + Duration::seconds(1),
                leased_until: None,
                disabled_at: None,
            };
            let id = w.id.clone();
            state.db.write(move |c| Ok(q::settle(c, &id, held, &idle)?)).await?;
            return Ok(attempts);
        }
        let mut rows = Vec::with_capacity(batch.len());
        let mut failed = false;
        for event in &batch {
            let now = state.clock.now();
            let sent = Instant::now();
            let result = send(state, http, &w, event).await;
            let duration_ms = i64::try_from(sent.elapsed().as_millis()).unwrap_or(i64::MAX);
            attempts += 1;
            let (status_code, error) = match result {
                Ok(code) if (200..300).contains(&code) => (Some(i32::from(code)), None),
                Ok(code) => (Some(i32::from(code)), Some(format!("the receiver answered {code}"))),
                Err(e) => (None, Some(e)),
            };
            failed = error.is_some();
            let seq = event.seq.unwrap_or_default();
            rows.push(DeliveryRow {
                id: uuid::Uuid::now_v7().to_string(),
                webhook_id: w.id.clone(),
                event_id: event.id.clone(),
                seq,
                attempt: w.attempts + 1,
                attempted_at: now,
                status_code,
                error,
                duration_ms,
            });
            if failed {
                break;
            }
            // The next event is a first attempt.
            w.cursor = seq;
            w.attempts = 0;
            w.failing_since = None;
            if attempts >= RUN || started.elapsed() >= KEEP_FOR {
                break;
            }
        }
        let now = state.clock.now();
        let keep = !failed && attempts < RUN && started.elapsed() < KEEP_FOR;
        let outcome = if failed {
            let since = w.failing_since.unwrap_or(now);
            let attempt = w.attempts + 1;
            Outcome {
                cursor: w.cursor,
                attempts: attempt,
                failing_since: Some(since),
                next_attempt_at: now + backoff(&mut rand::thread_rng(), attempt),
                leased_until: None,
                disabled_at: (now - since >= GIVE_UP_AFTER).then_some(now),
            }
        } else {
            Outcome {
                cursor: w.cursor,
                attempts: 0,
                failing_since: None,
                next_attempt_at: now,
                // Held on while there may be more to send in this run.
                leased_until: keep.then_some(held),
                disabled_at: None,
            }
        };
        if outcome.disabled_at.is_some() {
            tracing::warn!(webhook = %w.id, "webhook disabled after three days of failed deliveries");
        }
        let id = w.id.clone();
        let settled = state
            .db
            .write(move |c| {
                q::record(c, &rows)?;
                Ok(q::settle(c, &id, held, &outcome)?)
            })
            .await?;
        if !keep || !settled {
            return Ok(attempts);
        }
    }
}

/// Posts `event` to `w`'s target, signed; the status, or why there is none.
async fn send(state: &AppState, http: &reqwest::Client, w: &WebhookRow, event: &EventRow) -> Result<u16, String> {
    let production = state.settings.app_env == crate::config::AppEnv::Production;
    let url = target::parse(&w.url, production).map_err(|e| format!("target {}", e.0))?;
    target::check_addresses(&url, production).await.map_err(|e| format!("target {}", e.0))?;
    let body = serde_json::to_string(&EventView::from(event.clone())).map_err(|e| e.to_string())?;
    let timestamp = chrono::Utc::now().timestamp();
    let signature = sign::signature(&w.secret, &event.id, timestamp, &body).ok_or("the secret cannot sign")?;
    let res = http
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| if e.is_timeout() { "timed out".to_string() } else { "could not connect or send".to_string() })?;
    Ok(res.status().as_u16())
}

/// Runs [`step`] every [`PERIOD`] until the task is dropped; failures are logged and retried.
pub async fn run(state: AppState) {
    let http = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook deliveries are off: no HTTP client");
            return;
        }
    };
    crate::periodic::every(PERIOD, "webhook deliveries", || step(&state, &http)).await;
}
