//! Reverting migrations in tests that check what a migration keeps.

use diesel_migrations::MigrationHarness;
use enterprise_registry::db::{migrations, DbConnection};

/// Reverts the newest migrations one by one until the one whose name contains `through` is
/// reverted too; returns their names, newest first.
pub fn revert_through(conn: &mut DbConnection, through: &str) -> Vec<String> {
    let mut reverted = Vec::new();
    while !reverted.iter().any(|name: &String| name.contains(through)) {
        let name = match conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(migrations::SQLITE).unwrap().to_string(),
            DbConnection::Pg(c) => c.revert_last_migration(migrations::POSTGRES).unwrap().to_string(),
        };
        assert!(reverted.len() < 30, "migration {through} was never reverted: {reverted:?}");
        reverted.push(name);
    }
    reverted
}
