//! Slow, malformed and oversized requests at the HTTP level, sent over a raw socket: a body that
//! stops arriving (408 problem+json), a head that never ends (actix's own empty 408), query
//! strings too long for the service (414 problem+json) or for actix (its empty 431), and
//! invalid UTF-8 in the path.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::helpers::{Backend, TestApp};

/// The read timeout the tests configure, and the margin allowed on top of it.
const TIMEOUT_MS: u64 = 1_000;
const MARGIN: Duration = Duration::from_secs(3);

/// A raw exchange: what was answered (head and body) and how long it took.
struct Raw {
    status: u16,
    head: String,
    body: String,
    elapsed: Duration,
}

/// Writes `bytes` (and keeps the connection open) and reads until the server closes it or
/// `MARGIN` plus the timeout passes.
async fn exchange(app: &TestApp, bytes: Vec<u8>) -> Raw {
    let addr = app.address.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_millis(TIMEOUT_MS) + MARGIN)).unwrap();
        let start = Instant::now();
        s.write_all(&bytes).expect("write");
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    out.extend_from_slice(&buf[..n]);
                    if complete(&out) {
                        break;
                    }
                }
                Err(e) => panic!("no complete answer within the timeout and margin: {e}; got {out:?}"),
            }
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Raw { status, head: head.to_ascii_lowercase(), body: body.to_string(), elapsed: start.elapsed() }
    })
    .await
    .expect("join")
}

/// Whether `out` holds a whole response (head and `content-length` bytes of body).
fn complete(out: &[u8]) -> bool {
    let text = String::from_utf8_lossy(out);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let len = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>()))
        .and_then(Result::ok);
    len.is_some_and(|n| body.len() >= n)
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, &[("BODY_READ_TIMEOUT_MS", &TIMEOUT_MS.to_string())]).await
}

/// A client declares 100 bytes and sends 12: 408 problem+json once the read timeout passes.
async fn slow_body_is_408(app: &TestApp) {
    let request = b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                    Content-Length: 100\r\n\r\n{\"username\":"
        .to_vec();
    let res = exchange(app, request).await;
    assert_eq!(res.status, 408, "{} {}", res.head, res.body);
    assert!(res.head.contains("content-type: application/problem+json"), "{}", res.head);
    assert!(res.head.contains("connection: close"), "{}", res.head);
    let body: serde_json::Value = serde_json::from_str(&res.body).expect("problem body");
    assert_eq!((body["status"].as_u64(), body["code"].as_str()), (Some(408), Some("request_timeout")));
    assert!(res.elapsed >= Duration::from_millis(TIMEOUT_MS * 9 / 10), "answered after {:?}", res.elapsed);
}

/// A head that never ends: actix answers 408 itself, with an empty body.
async fn slow_head_is_408(app: &TestApp) {
    let res = exchange(app, b"GET /api/v1/divisions HTTP/1.1\r\nHost: x\r\n".to_vec()).await;
    assert_eq!(res.status, 408, "{}", res.head);
}

/// Query strings: over 8 KiB answered by the service (414 problem+json), over actix's 128 KiB
/// head limit by actix (431, empty body).
async fn long_query_strings(app: &TestApp) {
    let q = "a".repeat(20 * 1024);
    let res = app.get(&format!("/api/v1/divisions?level={q}")).await;
    res.assert_problem(414, "query_too_long");
    let q = "a".repeat(200 * 1024);
    let res = exchange(app, format!("GET /api/v1/divisions?level={q} HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes()).await;
    assert_eq!(res.status, 431, "{}", res.head);
}

/// Invalid UTF-8 in the path: percent-encoded it reaches the service (400 problem+json naming the
/// parameter); as raw bytes actix refuses the request line (400, empty body).
async fn invalid_utf8_in_the_path(app: &TestApp) {
    let token = app.token_for("prov", "province_officer", None, None).await;
    let res = app.get_as("/api/v1/enterprises/%FF%FE", &token).await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("id"));
    let res = exchange(app, b"GET /api/v1/enterprises/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()).await;
    assert_eq!(res.status, 400, "{}", res.head);
}

macro_rules! with_short_timeouts {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = super::spawn(crate::helpers::Backend::Sqlite).await.expect("sqlite");
                super::$name(&app).await;
                app.teardown().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) = super::spawn(crate::helpers::Backend::Postgres).await else {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                };
                super::$name(&app).await;
                app.teardown().await;
            }
        }
    )*};
}

with_short_timeouts!(slow_body_is_408, slow_head_is_408, long_query_strings, invalid_utf8_in_the_path);
