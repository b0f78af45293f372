//! Building and running the HTTP application: [`Application::build`] connects and migrates the
//! database, binds the listener (port 0 in tests) and returns a handle to run.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpMessage, HttpRequest, HttpResponse, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::db::{migrations, Db};
use crate::error::AppError;
use crate::metrics::{self, Metrics};
use crate::reference::Reference;
use crate::state::AppState;
use crate::telemetry::RequestSpan;

/// A built, bound, not yet running service.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartupError(pub String);

impl Application {
    /// Connects to the database, applies migrations, seeds reference data and binds `settings.bind`.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let reference = Arc::new(Reference::load().map_err(StartupError)?);
        let metrics = Metrics::new().map_err(StartupError)?;
        let db = Db::connect_with(&settings.database, Box::new(metrics.pool_events())).map_err(StartupError)?;
        metrics.watch_pool(&db).map_err(StartupError)?;
        let applied = db
            .run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
            .await
            .map_err(|e| StartupError(format!("migrations failed: {e}")))?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "applied migrations");
        }
        let built = db
            .write(crate::stats::aggregates::store::ensure_built)
            .await
            .map_err(|e| StartupError(format!("statistics aggregate: {e}")))?;
        if let Some(rows) = built {
            tracing::info!(rows, "built the statistics aggregate");
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| StartupError(format!("cannot listen on {}: {e}", settings.bind)))?;
        let port = listener.local_addr().map_err(|e| StartupError(e.to_string()))?.port();
        let workers = settings.workers;
        let hasher = crate::auth::hasher::Hasher::start(settings.auth.hash_threads)
            .map_err(|e| StartupError(format!("cannot start the hashing threads: {e}")))?;
        let dummy_hash = hasher
            .run(crate::auth::password::dummy_hash)
            .await
            .map_err(|e| StartupError(e.to_string()))?
            .map_err(|e| StartupError(e.to_string()))?;
        let state = AppState {
            db,
            reference,
            tokens: Arc::new(TokenKeys::new(&settings.auth.jwt_secret)),
            dummy_hash: Arc::new(dummy_hash),
            hasher,
            stats_cache: Arc::default(),
            catalogue: Arc::default(),
            slow_queries: Arc::new(tokio::sync::Semaphore::new(settings.slow_query_concurrency)),
            settings: Arc::new(settings),
            metrics,
            clock: crate::clock::Clock::default(),
            events: Arc::default(),
        };
        // 公示 periods that passed while no instance ran end now, before the first request.
        let finalised = crate::publicity::finalise_due(&state)
            .await
            .map_err(|e| StartupError(format!("publicity finalisation: {e}")))?;
        if finalised > 0 {
            tracing::info!(records = finalised, "finalised records whose publicity period has passed");
        }
        let server = serve(listener, state.clone(), workers).map_err(|e| StartupError(e.to_string()))?;
        Ok(Self { port, server, state })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// The shared state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until stopped (SIGTERM/SIGINT trigger a graceful shutdown), finalising passed
    /// 公示 periods every minute, numbering events every 100 ms, anchoring the audit chains every
    /// minute, folding the statistics slots every 10 s, checkpointing SQLite's log every 250 ms and
    /// delivering webhooks meanwhile
    /// (unless `BACKGROUND_TASKS=off`).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let mut background = Vec::new();
        if self.state.settings.background_tasks {
            let state = &self.state;
            background.push(tokio::spawn(crate::publicity::run_periodically(state.clone())));
            background.push(tokio::spawn(crate::events::assigner::run(state.db.clone(), state.events.clone())));
            background.push(tokio::spawn(crate::audit::anchor::run(state.db.clone())));
            background.push(tokio::spawn(crate::stats::aggregates::slots::run(state.db.clone())));
            background.push(tokio::spawn(crate::db::checkpoint::run(state.db.clone())));
            background.push(tokio::spawn(crate::webhooks::worker::run(state.clone())));
        }
        let served = self.server.await;
        for task in background {
            task.abort();
        }
        served
    }
}

fn serve(listener: TcpListener, state: AppState, workers: Option<usize>) -> std::io::Result<Server> {
    let http_metrics = state.metrics.http_middleware();
    // The request head gets the same allowance as the body (actix answers a late head itself,
    // with an empty 408).
    let read_timeout = state.settings.body_read_timeout;
    let data = web::Data::new(state);
    let console = crate::console::Console::new();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(crate::extract::configure)
            .configure(crate::routes::configure)
            // Outside `routes::table()`: the console is not an API route (src/console).
            .configure(|cfg| crate::console::configure(cfg, &console))
            .default_service(web::to(route_not_found))
            // Innermost, so that every problem (handlers', extractors', 404/405) is localised.
            .wrap(from_fn(crate::error::i18n::localise))
            .wrap(from_fn(metrics::count_db_unavailable))
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::<RequestSpan>::new())
            // Outermost, so that the latency covers every other middleware.
            .wrap(http_metrics.clone())
    })
    .client_request_timeout(read_timeout)
    .shutdown_timeout(30)
    .listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n);
    }
    Ok(server.run())
}

async fn route_not_found(req: HttpRequest) -> HttpResponse {
    // The path is not repeated: it may carry anything the client typed.
    // Answered through `from_error` so that the access line sees the problem's code.
    HttpResponse::from_error(AppError::new(
        StatusCode::NOT_FOUND,
        "route_not_found",
        format!("no route matches this {} request", req.method()),
    ))
}

async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|r| r.to_string());
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id: String| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}
