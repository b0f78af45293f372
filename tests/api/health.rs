//! `/healthz`, `/readyz`, request ids, and recovery from a lost database.

use crate::helpers::TestApp;

async fn health_and_readiness(app: &TestApp) {
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, serde_json::json!({"status": "ok"}));
    let res = app.get("/readyz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ok");
}

async fn every_response_carries_a_request_id(app: &TestApp) {
    let a = app.get("/healthz").await;
    let b = app.get("/no/such/route").await;
    let ida = a.headers["x-request-id"].to_str().unwrap().to_string();
    let idb = b.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&ida).is_ok(), "{ida}");
    assert_ne!(ida, idb);
}

both_backends!(health_and_readiness, every_response_carries_a_request_id);

/// Cutting PostgreSQL under a running service turns `/readyz` into 503 and data endpoints into
/// 503 problems (never 500); restoring it recovers without a restart and without a single
/// failure after the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database_and_recovers() {
    let Some((app, proxy)) = TestApp::spawn_behind_proxy().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    assert_eq!(app.get("/readyz").await.status, 200);
    // Fill the pool (4 connections in tests), so that stale connections wait in it after the cut:
    // the pool does not ping on checkout, it must notice them by itself.
    let reads = (0..8).map(|_| app.get("/api/v1/divisions?level=city"));
    for res in futures_util::future::join_all(reads).await {
        assert_eq!(res.status, 200);
    }

    proxy.cut();
    let res = app.get("/readyz").await;
    res.assert_problem(503, "service_unavailable");
    let res = app.get("/api/v1/divisions?level=city").await;
    res.assert_problem(503, "service_unavailable");

    proxy.restore();
    // The outage was noticed, so every connection left from before it is checked before its next
    // use: from the first request on, nothing fails (no stale connection is handed out).
    for _ in 0..3 {
        let reads = (0..8).map(|_| app.get("/api/v1/divisions?level=city"));
        for res in futures_util::future::join_all(reads).await {
            assert_eq!(res.body["items"].as_array().map(Vec::len), Some(11), "{}", res.text);
        }
    }
    assert_eq!(app.get("/readyz").await.status, 200);
    app.teardown().await;
}
