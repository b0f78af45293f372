//! Database access: one connection type over SQLite and PostgreSQL, a pool, and the helpers
//! through which every diesel call runs on the blocking thread pool.

mod connection;
pub mod migrations;

pub use connection::{establish, DbConnection, Manager};

use std::sync::{Arc, Mutex};

use crate::config::{DatabaseSettings, DatabaseUrl};
use crate::error::AppError;
use diesel::Connection;

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

/// The application's handle on the database: a pool plus, on SQLite, the lock that serialises
/// writers (SQLite has one writer at a time; queueing them here avoids busy-wait storms).
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    write_lock: Arc<Mutex<()>>,
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
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_max_size)
            .min_idle(Some(1))
            .connection_timeout(settings.pool_timeout)
            .event_handler(events)
            .build_unchecked(Manager::new(settings.url.clone()));
        let backend = match settings.url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        };
        Ok(Self { pool, backend, write_lock: Arc::new(Mutex::new(())) })
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
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Runs `f` inside one transaction on the blocking pool; on SQLite writers are serialised.
    /// Everything `f` writes — the change and its audit entry — commits or rolls back together.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let lock = (self.backend == Backend::Sqlite).then(|| self.write_lock.clone());
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            // A poisoned lock only means another writer panicked; the database rolled it back.
            let _guard = lock.as_ref().map(|l| l.lock().unwrap_or_else(|p| p.into_inner()));
            conn.transaction(|c| f(c))
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
