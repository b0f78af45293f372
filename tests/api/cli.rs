//! The built binary's command line (issue 20): `--help` and `--version` run nothing, usage and
//! input errors are printed once in the flags' words, `create-user` reads a piped password.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args` against `database` (a SQLite path), `stdin` piped in.
fn run(args: &[&str], database: &std::path::Path, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_enterprise-registry"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env_remove("REGISTRY_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_and_version_touch_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("registry.db");
    for args in [
        &["--help"][..],
        &["--version"],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["rebuild-stats", "--help"],
        &["rebuild-stats", "--check", "--help"],
        &["create-user", "--help"],
        &["demo-data", "--help"],
        &["demo-data", "--version"],
    ] {
        let out = run(args, &db, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        if args.contains(&"--version") {
            assert!(stdout.starts_with("enterprise-registry"), "{args:?}: {stdout}");
            assert!(stdout.trim_end().ends_with(concat!(" ", env!("CARGO_PKG_VERSION"))), "{args:?}: {stdout}");
        } else {
            assert!(stdout.contains("Usage: enterprise-registry"), "{args:?}: {stdout}");
        }
        assert!(!db.exists() && !db.parent().unwrap().exists(), "{args:?} created the database");
    }
}

#[test]
fn errors_are_printed_once_in_the_flags_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    let out = run(&["rebuild-stats", "--chek"], &db, "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unexpected argument '--chek'"), "{}", text(&out.stderr));
    assert!(!db.exists());

    let out = run(&["create-user", "--username", "hz.reviewer", "--role", "city_reviewer"], &db, "Good-Passw0rd-1\n");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr, "error: invalid input:\n  --city: is required for the city_reviewer role\n");
}

#[test]
fn create_user_reads_the_first_line_of_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    let args = ["create-user", "--username", "hz.reviewer", "--role", "city_reviewer", "--city", "330100"];
    let out = run(&args, &db, "Good-Passw0rd-1\nnot read\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("created user hz.reviewer (city_reviewer)"), "{}", text(&out.stdout));
    let again = run(&args, &db, "Good-Passw0rd-1\n");
    assert_eq!(text(&again.stderr), "error: --username: this username is already taken\n");
}

#[test]
fn import_prints_the_report_and_refuses_a_list_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.db");
    let list = |name: &str| format!("{}/tests/data/lists/{name}", env!("CARGO_MANIFEST_DIR"));
    let json = |out: &Output| serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();

    let dry = run(&["import", &list("zj-2023-eagle-enterprises.xlsx"), "--dry-run"], &db, "");
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let dry = json(&dry);
    assert_eq!(
        (&dry["dry_run"], &dry["created_records"], &dry["id"]),
        (&true.into(), &40.into(), &serde_json::Value::Null)
    );

    let first = run(&["import", &list("zj-2023-eagle-enterprises.xlsx")], &db, "");
    assert!(first.status.success(), "{}", text(&first.stderr));
    let first = json(&first);
    assert_eq!(
        (&first["created_records"], &first["created_enterprises"], &first["created_by"]),
        (&40.into(), &40.into(), &"system".into())
    );
    let again = run(&["import", &list("zj-2023-eagle-enterprises.xlsx")], &db, "");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(json(&again), first);
    assert!(text(&again.stderr).contains("imported before"), "{}", text(&again.stderr));

    let bad = run(&["import", &list("zj-2024-list-with-errors.csv")], &db, "");
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(json(&bad)["errors"].as_array().unwrap().len(), 5);
    assert_eq!(text(&bad.stderr), "error: the list has 5 fault(s); nothing was imported\n");

    let other = run(&["import", &list("zj-2023-eagle-enterprises.xls")], &db, "");
    assert_eq!(other.status.code(), Some(1));
    assert!(text(&other.stderr).contains("must be a .csv or .xlsx file"), "{}", text(&other.stderr));
}
