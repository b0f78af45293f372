//! The two migration trees hold the same names, and every migration applies and reverts cleanly.

use diesel::pg::Pg;
use diesel::sqlite::Sqlite;
use enterprise_registry::config::DatabaseUrl;
use enterprise_registry::db::{establish, migrations};

use crate::helpers::{create_pg_database, drop_pg_database};

#[test]
fn both_trees_hold_the_same_migrations() {
    let sqlite = migrations::names::<Sqlite>(&migrations::SQLITE);
    let postgres = migrations::names::<Pg>(&migrations::POSTGRES);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    let dir = |b: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{}/migrations/{b}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(dir("sqlite"), dir("postgres"));
}

fn apply_revert_apply(url: &DatabaseUrl) {
    let mut conn = establish(url).expect("connect");
    let first = migrations::run(&mut conn).expect("apply");
    assert!(!first.is_empty());
    let reverted = migrations::revert_all(&mut conn).expect("revert");
    assert_eq!(reverted.len(), first.len());
    let again = migrations::run(&mut conn).expect("re-apply");
    assert_eq!(again, first);
    assert!(migrations::run(&mut conn).expect("idempotent").is_empty());
}

#[test]
fn sqlite_migrations_apply_and_revert() {
    let dir = tempfile::tempdir().unwrap();
    apply_revert_apply(&DatabaseUrl::Sqlite(dir.path().join("m.db")));
}

/// Runs `check` on a fresh PostgreSQL database, dropped afterwards whatever happens.
async fn on_fresh_postgres(check: fn(&DatabaseUrl)) {
    let Some((name, url)) = create_pg_database().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    tokio::task::spawn_blocking(move || {
        let result = std::panic::catch_unwind(|| check(&DatabaseUrl::parse(&url).unwrap()));
        drop_pg_database(&name);
        if let Err(p) = result {
            std::panic::resume_unwind(p);
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn postgres_migrations_apply_and_revert() {
    on_fresh_postgres(apply_revert_apply).await;
}

/// A count and a sum read back after a migration.
#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Folded {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total: i64,
}

/// Migration 000020's revert folds every slot of a row into one row with the sum, and applying
/// it again keeps that row (in slot 0): the figures never change across it.
fn slots_fold_on_revert(url: &DatabaseUrl) {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    use enterprise_registry::db::DbConnection;
    let mut conn = establish(url).expect("connect");
    migrations::run(&mut conn).expect("apply");
    conn.batch_execute(
        "INSERT INTO stat_daily (plan_code, indicator_code, region_code, start_year, day, slot, delta) VALUES \
         ('P', 'I', '330000', 0, '2024-05-01', 0, 1), ('P', 'I', '330000', 0, '2024-05-01', 3, 2), \
         ('P', 'I', '330000', 0, '2024-05-01', 7, 4); \
         INSERT INTO stat_known_year (plan_code, indicator_code, region_code, start_year, known_year, day, slot, delta) \
         VALUES ('P', 'I', '330100', 0, 2024, '2024-05-01', 0, 10), ('P', 'I', '330100', 0, 2024, '2024-05-01', 5, -3)",
    )
    .unwrap();
    let read = |conn: &mut DbConnection, sql: &str| -> Folded {
        match conn {
            DbConnection::Pg(c) => diesel::sql_query(sql).get_result(c).unwrap(),
            DbConnection::Sqlite(c) => diesel::sql_query(sql).get_result(c).unwrap(),
        }
    };
    let daily = "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(delta) AS BIGINT) AS total FROM stat_daily";
    let years = "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(delta) AS BIGINT) AS total FROM stat_known_year";
    assert_eq!(read(&mut conn, daily), Folded { n: 3, total: 7 });
    crate::helpers::migrate::revert_through(&mut conn, "000020");
    assert_eq!(read(&mut conn, daily), Folded { n: 1, total: 7 });
    assert_eq!(read(&mut conn, years), Folded { n: 1, total: 7 });
    migrations::run(&mut conn).expect("re-apply");
    let slot0 =
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(delta) AS BIGINT) AS total FROM stat_daily WHERE slot = 0";
    assert_eq!(read(&mut conn, slot0), Folded { n: 1, total: 7 });
}

#[test]
fn sqlite_slots_fold_on_revert() {
    let dir = tempfile::tempdir().unwrap();
    slots_fold_on_revert(&DatabaseUrl::Sqlite(dir.path().join("m.db")));
}

#[tokio::test]
async fn postgres_slots_fold_on_revert() {
    on_fresh_postgres(slots_fold_on_revert).await;
}
