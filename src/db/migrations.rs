//! Embedded migrations, one tree per backend with identical names, and the start-up routine that
//! applies them (under an advisory lock on PostgreSQL) and seeds the reference data.

use diesel::migration::MigrationSource;
use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::DbConnection;

/// The SQLite migration tree.
pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migration tree.
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

// Arbitrary constant shared by every instance: only one of them migrates at a time.
const ADVISORY_LOCK_KEY: i64 = 0x5a4a_5245_4749;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations and seeds reference data; returns the names applied.
pub fn run(conn: &mut DbConnection) -> Result<Vec<String>, BoxError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE)?.iter().map(|v| v.to_string()).collect(),
        DbConnection::Pg(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({ADVISORY_LOCK_KEY})")).execute(c)?;
            let result =
                c.run_pending_migrations(POSTGRES).map(|v| v.iter().map(|v| v.to_string()).collect::<Vec<_>>());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY})")).execute(c)?;
            result?
        }
    };
    crate::reference::seed::seed(conn)?;
    Ok(applied)
}

/// Reverts every applied migration (used by tests that check the down scripts).
pub fn revert_all(conn: &mut DbConnection) -> Result<Vec<String>, BoxError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE)?,
        DbConnection::Pg(c) => c.revert_all_migrations(POSTGRES)?,
    };
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// Names of the migrations in a tree, in order.
pub fn names<DB: diesel::backend::Backend>(source: &EmbeddedMigrations) -> Vec<String>
where
    EmbeddedMigrations: MigrationSource<DB>,
{
    MigrationSource::<DB>::migrations(source)
        .map(|ms| ms.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default()
}
