//! Database access: one connection type over SQLite and PostgreSQL, a pool, and the helpers
//! through which every diesel call runs on the blocking thread pool.

pub mod checkpoint;
mod connection;
pub mod migrations;

pub use connection::{establish, DbConnection, Doubt, Manager, Tracked};

use std::sync::Arc;

use actix_web::http::StatusCode;
use tokio::sync::{Mutex, Semaphore};

use crate::config::{DatabaseSettings, DatabaseUrl};
use crate::error::AppError;
use diesel::Connection;

/// Runs one diesel expression on whichever backend connection a [`DbConnection`] holds, for what
/// `MultiConnection` does not offer itself: upserts, multi-row inserts.
///
/// `on_backend!(conn, c => insert_into(t).values(&rows).execute(c))`
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// Runs the upsert `$stmt` (built with the inner connection `$c` from `$values`) over `$rows`:
/// `$chunk` rows per statement on PostgreSQL; one row per statement on SQLite, where diesel has
/// no multi-row upsert (SQLite's statements run in-process, so that costs little).
///
/// `upsert_rows!(conn, rows, 5_000, |c, values| insert_into(t).values(values).on_conflict(…)….execute(c)?)`
macro_rules! upsert_rows {
    ($conn:expr, $rows:expr, $chunk:expr, |$c:ident, $values:ident| $stmt:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg($c) => {
                for $values in $rows.chunks($chunk) {
                    $stmt;
                }
            }
            $crate::db::DbConnection::Sqlite($c) => {
                for $values in $rows.iter() {
                    $stmt;
                }
            }
        }
    };
}
pub(crate) use upsert_rows;

/// A pool of [`DbConnection`]s.
pub type Pool = r2d2::Pool<Manager>;

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// The application's handle on the database: a pool, a fair queue in front of it, and on SQLite
/// the lock that serialises writers.
///
/// Requests queue for a permit (FIFO, one per pooled connection) before they take a blocking
/// thread, so r2d2's unfair wake-ups never leave one request waiting for seconds while others
/// overtake it. SQLite has one writer at a time: writers queue (FIFO, without holding a
/// connection) on `write_lock`, so readers are never starved of connections by waiting writers.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    permits: Arc<Semaphore>,
    write_lock: Arc<Mutex<()>>,
    doubt: Doubt,
}

impl Db {
    /// Builds a pool for `settings`. The URL is first checked with a direct connection so that a
    /// wrong URL reports the real error instead of a pool time-out.
    pub fn connect(settings: &DatabaseSettings) -> Result<Self, String> {
        Self::connect_with(settings, Box::new(r2d2::NopEventHandler))
    }

    /// [`connect`](Self::connect), with `events` told of every checkout, time-out and connection
    /// (the service's metrics).
    pub fn connect_with(settings: &DatabaseSettings, events: Box<dyn r2d2::HandleEvent>) -> Result<Self, String> {
        if let DatabaseUrl::Sqlite(path) = &settings.url {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create database folder {}: {e}", dir.display()))?;
            }
        }
        establish(&settings.url).map_err(|e| format!("cannot connect to the database: {e}"))?;
        let doubt = Doubt::default();
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_max_size)
            .min_idle(Some(1))
            .connection_timeout(settings.pool_timeout)
            .test_on_check_out(false)
            .event_handler(events)
            .build_unchecked(Manager::new(settings.url.clone(), doubt.clone()));
        let backend = match settings.url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        };
        let permits = Arc::new(Semaphore::new(settings.pool_max_size as usize));
        Ok(Self { pool, backend, permits, write_lock: Arc::new(Mutex::new(())), doubt })
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` with a pooled connection on the blocking pool (reads, or writes that manage
    /// their own transaction).
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.on_connection(f).await
    }

    /// Runs `f` inside one transaction on the blocking pool; on SQLite writers are serialised.
    /// Everything `f` writes — the change and its audit entry — commits or rolls back together.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        self.on_connection(move |conn| write_transaction(conn, f)).await
    }

    /// Takes a permit, then a connection known to be good, and runs `f` on the blocking pool. A
    /// failure that says the database is unavailable makes every pooled connection suspect.
    async fn on_connection<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(|_| AppError::unavailable("database pool closed"))?;
        let (pool, doubt) = (self.pool.clone(), self.doubt.clone());
        actix_web::web::block(move || {
            let mut conn = checkout(&pool, &doubt)?;
            let out = f(&mut conn);
            if out.as_ref().is_err_and(|e| e.status() == StatusCode::SERVICE_UNAVAILABLE) {
                doubt.raise();
            }
            out
        })
        .await?
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), AppError> {
        self.run(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }

    /// The pool's state, for metrics and diagnostics.
    pub fn state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }
}

/// Runs `f` in a transaction that writes. On SQLite it begins `IMMEDIATE`, taking the write lock
/// first: a deferred `BEGIN` reads a snapshot and, if another process commits before the first
/// write (the command line beside the service, or the service beside the command line), fails at
/// once with "database is locked" instead of waiting out `busy_timeout`. PostgreSQL's `BEGIN`
/// needs nothing of the kind.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Transactions = <DbConnection as Connection>::TransactionManager;
    let DbConnection::Sqlite(c) = conn else { return conn.transaction(f) };
    AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    // Commit and roll back as diesel's own `transaction` does; they reach the same SQLite
    // connection's transaction state through `DbConnection`.
    match f(conn) {
        Ok(value) => {
            Transactions::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => match Transactions::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// A pooled connection that is usable: connections last known good before the current doubt
/// epoch are pinged first, and those that fail are dropped in favour of the next.
fn checkout(pool: &Pool, doubt: &Doubt) -> Result<r2d2::PooledConnection<Manager>, AppError> {
    for _ in 0..=pool.max_size() {
        let mut conn = pool.get()?;
        if doubt.check(&mut conn) {
            return Ok(conn);
        }
    }
    Err(AppError::unavailable("no pooled connection answered"))
}
