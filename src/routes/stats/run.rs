//! Running a progress report: `stat_daily` for the current knowledge time, or the knowledge-time
//! aggregate for a past one — the latter still capped in concurrency and, on PostgreSQL, bounded
//! by a statement timeout (it reads up to a year of raw knowledge rows and is not cached), so
//! abandoned requests cannot pile up work.

use actix_web::http::{header, StatusCode};
use actix_web::web;
use diesel::{Connection, RunQueryDsl};

use crate::db::{Backend, DbConnection};
use crate::error::AppError;
use crate::state::AppState;

/// A permit to run slow statistics, or `None` when the request is fast (T is now).
pub fn permit(
    state: &web::Data<AppState>,
    current: bool,
) -> Result<Option<tokio::sync::OwnedSemaphorePermit>, AppError> {
    if current {
        return Ok(None);
    }
    state.slow_queries.clone().try_acquire_owned().map(Some).map_err(|_| {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "statistics_busy",
            "too many historical (known_at) statistics are running; retry shortly",
        )
        .with_header(header::RETRY_AFTER, "2")
    })
}

/// Runs `f` in a read transaction; a slow run on PostgreSQL gets a statement timeout.
pub fn bounded<T>(
    conn: &mut DbConnection,
    backend: Backend,
    slow: bool,
    timeout_ms: u64,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    if !slow || backend != Backend::Postgres {
        return f(conn);
    }
    conn.transaction(|c| {
        diesel::sql_query(format!("SET LOCAL statement_timeout = {timeout_ms}")).execute(c)?;
        f(c)
    })
}

/// The province table (or with `city` its drill-down), guarded as above. Current-knowledge
/// tables come from the instance's cache while the statistics generation is unchanged.
pub async fn report(
    state: &web::Data<AppState>,
    q: crate::stats::reports::report::ProgressQuery,
    city: Option<String>,
) -> Result<crate::stats::reports::report::Report, AppError> {
    use crate::stats::aggregates::cache;
    use crate::stats::reports::report::{build, Report};

    let permit = permit(state, q.current)?;
    let reference = state.reference.clone();
    let stats_cache = state.stats_cache.clone();
    let (backend, timeout) = (state.db.backend(), state.settings.slow_query_timeout_ms);
    let slow = !q.current;
    state
        .db
        .run(move |c| {
            // Held until the computation ends, even if the client has gone.
            let _permit = permit;
            if slow {
                return bounded(c, backend, slow, timeout, |c| build(c, &reference, q, city.as_deref()));
            }
            let key = (q.plan.clone(), q.indicator.clone(), q.year, q.as_of, city.clone());
            let generation = cache::generation(c)?;
            let known_at = q.known_at;
            // Cached: nothing changed since it was computed, so the same figures hold now.
            let table = stats_cache.get_or_compute(key, generation, || build(c, &reference, q, city.as_deref()))?;
            let mut r = Report::clone(&table);
            r.query.known_at = known_at;
            Ok(r)
        })
        .await
}
