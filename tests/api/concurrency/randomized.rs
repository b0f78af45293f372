//! Seeded random workloads of racing clients (see [`super::workload`]), then every invariant
//! checked from the database and every statistics figure compared with the reference
//! computation and with a recomputation, now and at the knowledge times between phases.
//!
//! `CONCURRENCY_SEEDS` chooses the seeds: a count (`20` → seeds 1 to 20) or a list (`7,19`);
//! three by default. A failure names its seed.

use super::invariants;
use super::workload::Workload;
use super::RACING;
use crate::helpers::{Backend, TestApp};

/// The seeds to run.
fn seeds() -> Vec<u64> {
    let raw = std::env::var("CONCURRENCY_SEEDS").unwrap_or_else(|_| "3".into());
    if raw.contains(',') {
        return raw.split(',').map(|s| s.trim().parse().expect("CONCURRENCY_SEEDS: numbers")).collect();
    }
    let n: u64 = raw.trim().parse().expect("CONCURRENCY_SEEDS: a count or a list");
    (1..=n).collect()
}

/// One seed's workload on a fresh database: four phases of 16 clients × 8 requests, the
/// knowledge time noted between phases.
async fn run_seed(seed: u64, backend: Backend) -> bool {
    let Some(app) = TestApp::spawn_with(backend, RACING).await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return false;
    };
    // On PostgreSQL half the clients talk to a second instance on the same database.
    let second = match backend {
        Backend::Postgres => Some(app.second_instance(RACING).await),
        Backend::Sqlite => None,
    };
    let instances: Vec<&TestApp> = [Some(&app), second.as_ref()].into_iter().flatten().collect();
    eprintln!("concurrency workload: seed {seed} on {backend:?}");
    let w = Workload::new(&app).await;
    let mut moments = Vec::new();
    for phase in 0..4 {
        w.phase(&instances, seed, phase, 16, 8).await;
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        moments.push(enterprise_registry::clock::now());
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    // The workload is not trivial: records were created and approved, and some requests lost
    // a race or met a rule.
    let label = format!("seed {seed} on {backend:?}");
    assert!(w.count("create", 201) > 10, "{label}: {:?}", w.statuses.lock().unwrap());
    assert!(w.count("approve", 200) > 5, "{label}: {:?}", w.statuses.lock().unwrap());
    assert!(w.count("create", 409) + w.count("approve", 409) > 0, "{label}: {:?}", w.statuses.lock().unwrap());
    invariants::check_all(&app, &label, &moments).await;
    if let Some(s) = second {
        s.teardown().await;
    }
    app.teardown().await;
    true
}

#[tokio::test]
async fn racing_workloads_keep_every_invariant_sqlite() {
    for seed in seeds() {
        run_seed(seed, Backend::Sqlite).await;
    }
}

#[tokio::test]
async fn racing_workloads_keep_every_invariant_postgres() {
    for seed in seeds() {
        if !run_seed(seed, Backend::Postgres).await {
            return;
        }
    }
}
