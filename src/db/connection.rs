//! The connection enum over both backends and the r2d2 manager that opens the right one.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

use crate::config::DatabaseUrl;

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL (production).
    Pg(PgConnection),
    /// SQLite (embedded default).
    Sqlite(SqliteConnection),
}

// WAL lets readers proceed while one writer writes; busy_timeout must be set before switching
// journal mode, or a concurrent opener gets SQLITE_BUSY immediately.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// Process-wide SQLite settings, applied before the first connection opens (SQLite refuses
/// them, harmlessly, once it is initialised). Profiling the read benchmark found every SQLite
/// allocation taking a process-wide mutex to keep memory statistics nobody reads, and every call
/// locking its connection's mutex although a pooled connection is used by one thread at a time.
#[allow(unsafe_code)] // sqlite3_config: see the SAFETY comment inside.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: both options take the documented arguments (an int; none) and touch only
        // SQLite's global configuration, before any connection exists.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD);
        }
    });
}

/// Opens one connection of the backend named by `url`, with SQLite's pragmas applied.
pub fn establish(url: &DatabaseUrl) -> Result<DbConnection, ConnectionError> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            configure_sqlite();
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
            conn.batch_execute(SQLITE_PRAGMAS).map_err(ConnectionError::CouldntSetupConfiguration)?;
            // The commit-time checkpoint is only a backstop (`db::checkpoint`).
            conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {}", super::checkpoint::BACKSTOP_PAGES))
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            conn.batch_execute("SET TIME ZONE 'UTC'").map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Pg(conn))
        }
    }
}

/// A pooled connection with what the pool knows of its health: the doubt epoch it was last
/// known good in, and whether it must be thrown away when returned.
pub struct Tracked {
    conn: DbConnection,
    good_in: u64,
    broken: bool,
}

impl Tracked {
    /// Marks the connection for disposal when it goes back to the pool.
    pub fn discard(&mut self) {
        self.broken = true;
    }
}

impl Deref for Tracked {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl DerefMut for Tracked {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// Shared count of "doubts": bumped whenever a request meets an unavailable database. A
/// connection last known good in an older epoch is pinged before its next use, so a database
/// restart costs each stale connection one `SELECT 1` instead of a ping on every checkout.
#[derive(Debug, Clone, Default)]
pub struct Doubt(Arc<AtomicU64>);

impl Doubt {
    /// The current epoch.
    pub fn epoch(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Starts a new epoch: every connection is checked before its next use.
    pub fn raise(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether `conn` can be used as it is, pinging it if it predates the current epoch. A
    /// connection that fails the ping is marked for disposal.
    pub fn check(&self, conn: &mut Tracked) -> bool {
        let now = self.epoch();
        if conn.good_in == now {
            return true;
        }
        if conn.conn.ping().is_ok() {
            conn.good_in = now;
            true
        } else {
            conn.broken = true;
            false
        }
    }
}

/// r2d2 manager that opens connections of the configured backend directly (the derived
/// `establish` would try each backend in turn and hide the real error). It does not ping on
/// checkout (that doubled the cost of a primary-key read); see [`Doubt`].
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    doubt: Doubt,
}

impl Manager {
    /// A manager for `url`, sharing `doubt` with the [`Db`](super::Db) that uses it.
    pub fn new(url: DatabaseUrl, doubt: Doubt) -> Self {
        Self { url, doubt }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Tracked;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Tracked, Self::Error> {
        let good_in = self.doubt.epoch();
        let conn = establish(&self.url).map_err(diesel::r2d2::Error::ConnectionError)?;
        Ok(Tracked { conn, good_in, broken: false })
    }

    fn is_valid(&self, conn: &mut Tracked) -> Result<(), Self::Error> {
        conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Tracked) -> bool {
        conn.broken || conn.conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` builds the bundled SQLite with the planner's stability guarantee;
    /// without it every `LIMIT ?` query is re-planned on each execution.
    #[test]
    fn bundled_sqlite_keeps_its_plans() {
        let DbConnection::Sqlite(mut conn) = establish(&DatabaseUrl::Sqlite(":memory:".into())).unwrap() else {
            unreachable!()
        };
        let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options").load(&mut conn).unwrap();
        assert!(options.iter().any(|o| o.compile_options == "ENABLE_QPSG"), "SQLite built without ENABLE_QPSG");
    }
}
