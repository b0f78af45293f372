//! Prometheus metrics, served in the text format at `GET /metrics`.
//!
//! Every [`Metrics`] owns its own [`Registry`] — one per application instance, never the process
//! global — so that several apps in one process (the tests) do not see each other's counts.
//!
//! - `enterprise_registry_http_requests_total{endpoint,method,status}` (counter): requests
//!   answered.
//! - `enterprise_registry_http_requests_duration_seconds{endpoint,method,status}` (histogram):
//!   time from the request entering the service until its response body was sent.
//! - `enterprise_registry_db_pool_max_connections` (gauge): the pool's size (`DB_POOL_SIZE`).
//! - `enterprise_registry_db_pool_connections` (gauge): connections open now, idle or in use,
//!   read from [`Db::state`] at scrape time.
//! - `enterprise_registry_db_pool_idle_connections` (gauge): open connections not checked out
//!   now, read at scrape time.
//! - `enterprise_registry_db_pool_checkout_wait_seconds` (histogram): how long each successful
//!   checkout waited for a connection.
//! - `enterprise_registry_db_pool_timeouts_total` (counter): checkouts that gave up after
//!   `DB_POOL_TIMEOUT_MS` (pool exhausted or database unreachable); each becomes a 503.
//! - `enterprise_registry_db_unavailable_total` (counter): responses answered 503
//!   `service_unavailable` — pool time-out, connection lost mid-query, database refusing or
//!   locked (`/readyz` failures included).
//!
//! `endpoint` is the matched route pattern (`/api/v1/milestones/{id}`), never the raw path, so
//! ids do not multiply the series; requests no route matches are labelled `unmatched`.

use std::fmt;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{Encoder, Histogram, HistogramOpts, IntCounter, Opts, PullingGauge, Registry, TextEncoder};

use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

/// Prefix of every metric name.
pub const NAMESPACE: &str = "enterprise_registry";

/// The `endpoint` label of requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

/// Media type of the Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

// Checkouts are normally sub-millisecond; the top buckets reach the default pool time-out (5 s).
const CHECKOUT_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// One application's metrics: the registry and the collectors the service updates itself.
/// Cheap to clone (every part is shared).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http: PrometheusMetrics,
    pool_checkout_wait: Histogram,
    pool_timeouts: IntCounter,
    db_unavailable: IntCounter,
}

impl Metrics {
    /// A fresh registry holding the HTTP and database-error metrics. Call
    /// [`watch_pool`](Self::watch_pool) once the pool exists to add its gauges.
    pub fn new() -> Result<Self, String> {
        let registry = Registry::new();
        let http = PrometheusMetricsBuilder::new(NAMESPACE)
            .registry(registry.clone())
            .mask_unmatched_patterns(UNMATCHED)
            .build()
            .map_err(|e| format!("HTTP metrics: {e}"))?;
        let pool_checkout_wait = Histogram::with_opts(
            HistogramOpts::new(
                "db_pool_checkout_wait_seconds",
                "Time each successful database connection checkout waited for a connection.",
            )
            .namespace(NAMESPACE)
            .buckets(CHECKOUT_BUCKETS.to_vec()),
        )
        .map_err(|e| e.to_string())?;
        let pool_timeouts = IntCounter::with_opts(
            Opts::new(
                "db_pool_timeouts_total",
                "Connection checkouts that gave up after DB_POOL_TIMEOUT_MS (pool exhausted or database down).",
            )
            .namespace(NAMESPACE),
        )
        .map_err(|e| e.to_string())?;
        let db_unavailable = IntCounter::with_opts(
            Opts::new(
                "db_unavailable_total",
                "Responses answered 503 service_unavailable: the database was unreachable, lost or locked.",
            )
            .namespace(NAMESPACE),
        )
        .map_err(|e| e.to_string())?;
        registry.register(Box::new(pool_checkout_wait.clone())).map_err(|e| e.to_string())?;
        registry.register(Box::new(pool_timeouts.clone())).map_err(|e| e.to_string())?;
        registry.register(Box::new(db_unavailable.clone())).map_err(|e| e.to_string())?;
        Ok(Self { registry, http, pool_checkout_wait, pool_timeouts, db_unavailable })
    }

    /// The r2d2 event handler that feeds the checkout-wait histogram and the time-out counter;
    /// pass it to [`Db::connect_with`].
    pub fn pool_events(&self) -> PoolEvents {
        PoolEvents { checkout_wait: self.pool_checkout_wait.clone(), timeouts: self.pool_timeouts.clone() }
    }

    /// Registers the pool gauges, read from `db` at every scrape.
    pub fn watch_pool(&self, db: &Db) -> Result<(), String> {
        let max = db.max_size();
        let gauges = [
            ("db_pool_max_connections", "Size of the database connection pool (DB_POOL_SIZE).", {
                Box::new(move || f64::from(max)) as Box<dyn Fn() -> f64 + Send + Sync>
            }),
            ("db_pool_connections", "Database connections open now, idle or in use.", {
                let db = db.clone();
                Box::new(move || f64::from(db.state().connections))
            }),
            ("db_pool_idle_connections", "Open database connections not checked out now.", {
                let db = db.clone();
                Box::new(move || f64::from(db.state().idle_connections))
            }),
        ];
        for (name, help, read) in gauges {
            let gauge = PullingGauge::new(format!("{NAMESPACE}_{name}"), help, read).map_err(|e| e.to_string())?;
            self.registry.register(Box::new(gauge)).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The middleware that counts and times every request (wrap it outermost).
    pub fn http_middleware(&self) -> PrometheusMetrics {
        self.http.clone()
    }

    /// Everything in the registry, in the Prometheus text format.
    pub fn render(&self) -> Result<String, AppError> {
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(|e| AppError::internal(format!("encoding metrics: {e}")))?;
        String::from_utf8(out).map_err(|e| AppError::internal(format!("encoding metrics: {e}")))
    }
}

/// Feeds pool events into [`Metrics`] (r2d2 calls it on the blocking threads).
#[derive(Clone)]
pub struct PoolEvents {
    checkout_wait: Histogram,
    timeouts: IntCounter,
}

impl fmt::Debug for PoolEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolEvents").finish_non_exhaustive()
    }
}

impl r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        self.checkout_wait.observe(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: r2d2::event::TimeoutEvent) {
        self.timeouts.inc();
    }
}

/// Middleware: counts responses that carry a `service_unavailable` [`AppError`] — the only
/// errors the service answers 503 with, all of them the database being unusable.
pub async fn count_db_unavailable(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let counter = req.app_data::<web::Data<AppState>>().map(|s| s.metrics.db_unavailable.clone());
    let res = next.call(req).await?;
    let unavailable = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .is_some_and(|e| e.code() == "service_unavailable");
    if let (true, Some(counter)) = (unavailable, counter) {
        counter.inc();
    }
    Ok(res)
}
