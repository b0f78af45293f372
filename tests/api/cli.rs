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
