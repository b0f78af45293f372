//! Shared application state handed to every handler.

use std::sync::Arc;

use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::reference::Reference;

/// What handlers need: the database, the reference data, token keys, the settings and the metrics.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: Db,
    /// Embedded reference data (divisions, milestone catalogue).
    pub reference: Arc<Reference>,
    /// Validated configuration.
    pub settings: Arc<Settings>,
    /// Access-token keys.
    pub tokens: Arc<TokenKeys>,
    /// The threads that run argon2.
    pub hasher: crate::auth::hasher::Hasher,
    /// Hash verified against for unknown usernames (equal timing).
    pub dummy_hash: Arc<String>,
    /// Permits for slow statistics (a past `known_at`): beyond them the service answers 503
    /// rather than queueing work that outlives impatient clients.
    pub slow_queries: Arc<tokio::sync::Semaphore>,
    /// Current-knowledge progress tables, reused while the statistics generation holds.
    pub stats_cache: Arc<crate::stats::aggregates::cache::StatsCache>,
    /// The milestone catalogue as approvals read it, loaded on first use.
    pub catalogue: Arc<crate::stats::aggregates::catalogue::CatalogueCache>,
    /// This instance's Prometheus registry.
    pub metrics: Metrics,
    /// The clock reviews and 公示 finalisation read (shifted in tests).
    pub clock: crate::clock::Clock,
    /// The highest event number seen, for the feed's long polls.
    pub events: Arc<crate::events::Hub>,
}
