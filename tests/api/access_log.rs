//! The access log: one line per request with the route pattern, status, duration, request id and
//! principal; a 4xx in one short INFO line naming its code and fields; no colour codes when the
//! log is not a terminal.
//!
//! Uses the process-wide captured log of `logs.rs` (the production JSON format); other tests
//! write into it meanwhile, so lines are picked by the request ids of this test's requests.

use std::process::{Command, Stdio};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::logs::{captured, log_text};

const ACCESS: [&str; 3] = ["request", "request refused", "request failed"];

/// The access lines of request `id` in `log`.
fn access_lines(log: &str, id: &str) -> Vec<(String, Value)> {
    log.lines()
        .filter(|l| l.contains(id))
        .filter_map(|l| Some((l.to_string(), serde_json::from_str::<Value>(l).ok()?)))
        .filter(|(_, v)| v["span"]["request_id"] == id && ACCESS.contains(&v["message"].as_str().unwrap_or("")))
        .collect()
}

async fn one_access_line_per_request(app: &TestApp) {
    captured();
    let province = app.token_for("access.prov", "province_officer", None, None).await;
    let me = app.get_as("/api/v1/me", &province).await.body["id"].as_str().unwrap().to_string();
    let enterprise = app.create_enterprise(&province, 4812, "330106").await;

    // (method, path, token sent, route pattern the line names, principal it names: the caller
    // once an endpoint has authenticated it, `-` otherwise)
    let calls = [
        (
            Method::GET,
            format!("/api/v1/enterprises/{enterprise}?q=13700001111"),
            true,
            "/api/v1/enterprises/{id}",
            true,
        ),
        (Method::GET, "/api/v1/enterprises?limit=0".to_string(), true, "/api/v1/enterprises", true),
        (Method::GET, "/api/v1/enterprises".to_string(), false, "/api/v1/enterprises", false),
        (
            Method::POST,
            "/api/v1/milestones/not-a-uuid/submit".to_string(),
            true,
            "/api/v1/milestones/{id}/submit",
            true,
        ),
        (Method::GET, "/api/v1/no/such/13700001111".to_string(), true, "unmatched", false),
        (Method::GET, "/readyz".to_string(), false, "/readyz", false),
    ];
    let mut seen = Vec::new();
    for (method, path, auth, route, named) in &calls {
        let token = auth.then_some(province.as_str());
        let body = (*method == Method::POST).then(|| json!({}));
        let res = app.request(method.clone(), path, body.as_ref(), token).await;
        let id = res.headers["x-request-id"].to_str().unwrap().to_string();
        seen.push((method.clone(), path.clone(), *named, *route, id, res.status.as_u16(), res.body.clone()));
    }
    // The request's span closes just after the response is written: give the line a moment.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = log_text();
    for (method, path, named, route, id, status, body) in seen {
        let lines = access_lines(&log, &id);
        assert_eq!(lines.len(), 1, "{method} {path}: {lines:?}");
        let (text, line) = &lines[0];
        assert_eq!(line["span"]["route"], route, "{text}");
        assert_eq!(line["span"]["method"], method.as_str(), "{text}");
        assert_eq!(line["status"], status, "{text}");
        assert_eq!(line["level"], "INFO", "{text}");
        assert!(line["duration_ms"].as_f64().is_some_and(|d| d >= 0.0), "{text}");
        assert_eq!(line["principal"], if named { me.as_str() } else { "-" }, "{text}");
        assert!(!text.contains("13700001111") && !text.contains(&province), "{text}");
        if status >= 400 {
            assert_eq!(line["message"], "request refused", "{text}");
            assert_eq!(line["code"], body["code"], "{text}");
            let fields: Vec<&str> =
                body["errors"].as_array().into_iter().flatten().filter_map(|e| e["field"].as_str()).collect();
            assert_eq!(line["fields"], fields.join(","), "{text}");
            assert!(text.len() < 600 && !text.contains("AppError") && !text.contains("detail"), "{text}");
        }
    }
    assert!(!log.contains('\u{1b}'), "colour codes in the captured log");
}

both_backends!(one_access_line_per_request);

/// The real binary in development format, its standard error a pipe: access lines, no colour.
#[tokio::test]
async fn a_piped_log_has_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_enterprise-registry"))
        .arg("serve")
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("registry.db").display()))
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("APP_ENV", "development")
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if client.get(format!("{url}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let refused = client.get(format!("{url}/api/v1/enterprises")).send().await.map(|r| r.status().as_u16());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(ready, "the server did not start:\n{stderr}");
    assert_eq!(refused.ok(), Some(401));
    assert!(!stderr.contains('\u{1b}'), "colour codes in a piped log:\n{stderr}");
    let line = stderr.lines().find(|l| l.contains("route=/api/v1/enterprises")).unwrap_or_default();
    assert!(
        line.contains("status=401") && line.contains("code=\"missing_token\"") || line.contains("code=missing_token"),
        "{stderr}"
    );
}

/// A 5xx is one ERROR line naming its code and internal cause (never sent to the client).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_logged_at_error_with_its_cause() {
    captured();
    let Some((app, proxy)) = TestApp::spawn_behind_proxy().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    proxy.cut();
    let res = app.get("/api/v1/divisions?level=city").await;
    res.assert_problem(503, "service_unavailable");
    let id = res.headers["x-request-id"].to_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let lines = access_lines(&log_text(), &id);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let (text, line) = &lines[0];
    assert_eq!((line["level"].as_str(), line["message"].as_str()), (Some("ERROR"), Some("request failed")), "{text}");
    assert_eq!((line["status"].as_u64(), line["code"].as_str()), (Some(503), Some("service_unavailable")), "{text}");
    assert_eq!(line["span"]["route"], "/api/v1/divisions", "{text}");
    assert!(line["cause"].as_str().is_some_and(|c| !c.is_empty()), "{text}");
    assert!(!res.text.contains(line["cause"].as_str().unwrap()), "the cause reached the client: {}", res.text);
    proxy.restore();
    app.teardown().await;
}
