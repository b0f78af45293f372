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

#[tokio::test]
async fn postgres_migrations_apply_and_revert() {
    let Some((name, url)) = create_pg_database().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    tokio::task::spawn_blocking(move || {
        let result = std::panic::catch_unwind(|| apply_revert_apply(&DatabaseUrl::parse(&url).unwrap()));
        drop_pg_database(&name);
        if let Err(p) = result {
            std::panic::resume_unwind(p);
        }
    })
    .await
    .unwrap();
}
