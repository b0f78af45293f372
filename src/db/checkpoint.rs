//! SQLite's write-ahead log copied back into the database file off the write path.
//!
//! By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that
//! writer copies the log's pages into the file and syncs it while it still holds the service's
//! one write turn (`Db::write`), so every write queued behind it waits for the disk. An approval
//! writes a few dozen pages, so that was a checkpoint — with its `fsync`s — every couple of dozen
//! writes (`strace -c` over approvals: 90 `fsync`s of 3.4 ms in 6 s). Here an instance
//! checkpoints every [`PERIOD`] on a pooled connection, outside the write turn (a passive
//! checkpoint never waits for readers or the writer), and a page written many times between two
//! checkpoints is copied once. The commit-time checkpoint stays as a backstop at
//! [`BACKSTOP_PAGES`] (set with the connection's other pragmas), for the command-line tools and
//! for a log that grows faster than the period drains it.

use std::time::Duration;

use diesel::sql_types::Integer;
use diesel::{QueryableByName, RunQueryDsl};

use super::{Backend, Db, DbConnection};
use crate::error::AppError;

/// How often an instance checkpoints the log.
pub const PERIOD: Duration = Duration::from_millis(250);

/// The log's length, in pages, at which a commit checkpoints it itself.
pub const BACKSTOP_PAGES: u32 = 20_000;

/// What a checkpoint did (SQLite's `wal_checkpoint` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct Checkpointed {
    /// 1 if it could not run at all (another checkpoint was running).
    #[diesel(sql_type = Integer)]
    pub busy: i32,
    /// Pages in the log.
    #[diesel(sql_type = Integer)]
    pub log: i32,
    /// Pages of the log now in the database file.
    #[diesel(sql_type = Integer)]
    pub checkpointed: i32,
}

/// One passive checkpoint on SQLite (`None` on PostgreSQL).
pub fn once(conn: &mut DbConnection) -> Result<Option<Checkpointed>, AppError> {
    let DbConnection::Sqlite(c) = conn else { return Ok(None) };
    Ok(Some(diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result(c)?))
}

/// Checkpoints every [`PERIOD`] until the task is dropped; returns at once on PostgreSQL.
pub async fn run(db: Db) {
    if db.backend() != Backend::Sqlite {
        return;
    }
    crate::periodic::every(PERIOD, "checkpointing the SQLite log", || db.run(once)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseUrl;
    use diesel::connection::SimpleConnection;

    #[test]
    fn the_log_waits_for_the_checkpointer_and_it_empties_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("c.db"));
        let mut conn = super::super::establish(&url).unwrap();
        let DbConnection::Sqlite(c) = &mut conn else { unreachable!() };
        c.batch_execute("CREATE TABLE t (x TEXT); ").unwrap();
        // 1,500 commits: past SQLite's default 1,000 pages, below the backstop.
        for i in 0..1_500 {
            c.batch_execute(&format!("INSERT INTO t VALUES ('{i:0>200}')")).unwrap();
        }
        let done = once(&mut conn).unwrap().unwrap();
        assert_eq!(done.busy, 0);
        assert!(done.log >= 1_500, "the commits left their pages in the log: {done:?}");
        assert_eq!(done.checkpointed, done.log, "{done:?}");
    }
}
