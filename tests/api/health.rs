//! `/healthz`, `/readyz`, request ids, and recovery from a lost database.

use crate::helpers::pg_proxy::{host_port, PgProxy};
use crate::helpers::{create_pg_database, pg_admin_url, with_database, Backend, TestApp};

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
/// 503 problems (never 500); restoring it recovers without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database_and_recovers() {
    let Some(admin) = pg_admin_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let (name, _) = create_pg_database().await.unwrap();
    let proxy = PgProxy::start(host_port(&admin)).await;
    let base = with_database(&admin, &name);
    let via_proxy = base.replacen(&host_port(&admin), &format!("127.0.0.1:{}", proxy.port), 1);
    let app = TestApp::spawn_on(Backend::Postgres, via_proxy, Some(name), None, &[]).await;
    assert_eq!(app.get("/readyz").await.status, 200);

    proxy.cut();
    let res = app.get("/readyz").await;
    res.assert_problem(503, "service_unavailable");
    let res = app.get("/api/v1/divisions?level=city").await;
    res.assert_problem(503, "service_unavailable");

    proxy.restore();
    let mut ready = false;
    for _ in 0..50 {
        if app.get("/readyz").await.status == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "service did not recover after the database came back");
    assert_eq!(app.get("/api/v1/divisions?level=city").await.body["items"].as_array().unwrap().len(), 11);
    app.teardown().await;
}
