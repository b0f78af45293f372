//! Nothing secret or personal reaches the logs (DESIGN §5): a workload with known phone numbers,
//! passwords, tokens and client secrets — sent correctly, as wrong JSON types, in query strings
//! and paths — and then the captured log is scanned for each of them.
//!
//! The log is captured by installing the service's own subscriber (`telemetry::install`, the
//! production JSON format) for the whole test process, writing to a shared buffer. Other tests
//! running meanwhile write into it too; the values searched for are used by this test only.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use enterprise_registry::config::AppEnv;
use reqwest::Method;
use serde_json::json;

use crate::helpers::fixtures::{enterprise_body, PASSWORD};
use crate::helpers::{TestApp, TestResponse};

#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process-wide captured log (installed on first use).
pub fn captured() -> &'static Buffer {
    static LOG: OnceLock<Buffer> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        assert!(
            enterprise_registry::telemetry::install(AppEnv::Production, move || writer.clone(), false),
            "another subscriber was installed first"
        );
        buffer
    })
}

pub fn log_text() -> String {
    String::from_utf8_lossy(&captured().0.lock().unwrap()).into_owned()
}

const PHONE: &str = "13611112222";
const OTHER_PHONE: &str = "13933334444";
const WRONG_PASSWORD: &str = "Canary-Wr0ng-Pass-5821";
const NUMERIC_PASSWORD: i64 = 987654321012;

async fn raw(app: &TestApp, method: Method, path: &str, body: &str, token: Option<&str>) -> TestResponse {
    let mut req =
        app.client.request(method, app.url(path)).header("content-type", "application/json").body(body.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    app.send(req).await
}

async fn secrets_never_reach_the_logs(app: &TestApp) {
    captured();
    let mut secrets: Vec<String> =
        vec![PHONE.into(), OTHER_PHONE.into(), WRONG_PASSWORD.into(), NUMERIC_PASSWORD.to_string(), PASSWORD.into()];
    let mut request_ids = Vec::new();

    let province = app.token_for("canary.prov", "province_officer", None, None).await;
    secrets.push(province.clone());
    let mut body = enterprise_body(4711, "330106");
    body["contact_phone"] = json!(PHONE);
    let res = app.post("/api/v1/enterprises", &body, Some(&province)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let enterprise = res.body["id"].as_str().unwrap().to_string();

    // Logins: right, wrong, and passwords of the wrong JSON type.
    let login = app.login("canary.prov", PASSWORD).await;
    secrets.push(login.body["refresh_token"].as_str().unwrap().to_string());
    secrets.push(login.body["access_token"].as_str().unwrap().to_string());
    app.login("canary.prov", WRONG_PASSWORD).await.assert_problem(401, "invalid_credentials");
    for body in [
        json!({"username": "canary.prov", "password": NUMERIC_PASSWORD}),
        json!({"username": "canary.prov", "password": [WRONG_PASSWORD]}),
        json!({"username": PHONE, "password": {"p": WRONG_PASSWORD}}),
    ] {
        let res = app.post("/api/v1/auth/login", &body, None).await;
        res.assert_problem(422, "validation_failed");
        request_ids.push(res.headers["x-request-id"].to_str().unwrap().to_string());
    }
    let res = raw(
        app,
        Method::POST,
        "/api/v1/auth/login",
        &format!("{{\"username\":{PHONE},\"password\":\"{WRONG_PASSWORD}\""),
        None,
    )
    .await;
    res.assert_problem(422, "validation_failed");
    let unterminated = format!("{{\"username\":\"{PHONE}\",\"password\":\"{WRONG_PASSWORD}");
    raw(app, Method::POST, "/api/v1/auth/login", &unterminated, None).await.assert_problem(400, "malformed_json");

    // Refresh tokens: used, reused, and sent as the wrong type.
    let refresh = login.body["refresh_token"].as_str().unwrap();
    let res = app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}), None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    secrets.push(res.body["refresh_token"].as_str().unwrap().to_string());
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}), None).await;
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": [refresh]}), None)
        .await
        .assert_problem(422, "validation_failed");

    // A machine client: its secret used right, wrong, as a number, in a form and in a query.
    let ent_user = app.token_for("canary.ent", "enterprise", None, Some(&enterprise)).await;
    secrets.push(ent_user.clone());
    let res =
        app.post(&format!("/api/v1/enterprises/{enterprise}/clients"), &json!({"name": "ERP"}), Some(&ent_user)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let client_id = res.body["client_id"].as_str().unwrap().to_string();
    let secret = res.body["client_secret"].as_str().unwrap().to_string();
    secrets.push(secret.clone());
    let grant =
        |s: serde_json::Value| json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": s});
    let res = app.post("/api/v1/auth/token", &grant(json!(secret)), None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    secrets.push(res.body["access_token"].as_str().unwrap().to_string());
    app.post("/api/v1/auth/token", &grant(json!(format!("{secret}x"))), None).await;
    app.post("/api/v1/auth/token", &grant(json!(NUMERIC_PASSWORD)), None)
        .await
        .assert_problem(422, "validation_failed");
    app.post("/api/v1/auth/token", &grant(json!(true)), None).await.assert_problem(422, "validation_failed");
    let form = format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}&extra={PHONE}");
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    res.assert_problem(422, "validation_failed");

    // Phone numbers, passwords and secrets in query strings and paths.
    for path in [
        format!("/api/v1/enterprises?q={PHONE}&limit=0"),
        format!("/api/v1/enterprises?q={PHONE}"),
        format!("/api/v1/enterprises?password={WRONG_PASSWORD}"),
        format!("/api/v1/enterprises/{PHONE}"),
        format!("/api/v1/divisions?parent={secret}"),
        format!("/api/v1/nothing/{secret}?phone={PHONE}"),
        format!("/api/v1/indicators?plan={OTHER_PHONE}"),
    ] {
        let res = app.request(Method::GET, &path, None, Some(&province)).await;
        assert!(res.status.as_u16() < 500, "{path}: {}", res.text);
        if res.status.is_client_error() {
            request_ids.push(res.headers["x-request-id"].to_str().unwrap().to_string());
        }
    }

    // Personal data of the wrong type and in the wrong place.
    let res = app.get_as(&format!("/api/v1/enterprises/{enterprise}"), &province).await;
    let etag = res.headers["etag"].to_str().unwrap().to_string();
    let path = format!("/api/v1/enterprises/{enterprise}");
    for body in [
        json!({"contact_phone": 13933334444_i64}),
        json!({"contact_phone": format!("{OTHER_PHONE}x")}),
        json!({"size_class": OTHER_PHONE}),
    ] {
        app.patch(&path, &body, &province, Some(&etag)).await.assert_problem(422, "validation_failed");
    }
    let res = app
        .post(
            "/api/v1/me/password",
            &json!({"current_password": WRONG_PASSWORD, "new_password": NUMERIC_PASSWORD}),
            Some(&province),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    let res = app
        .post(
            "/api/v1/registrations",
            &json!({"enterprise": {"contact_phone": NUMERIC_PASSWORD}, "username": "x", "password": WRONG_PASSWORD}),
            None,
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.text);

    let log = log_text();
    // The capture works: the 4xx answers above were logged with their request ids.
    for id in &request_ids {
        assert!(log.contains(id.as_str()), "request {id} is not in the captured log:\n{}", &log[..log.len().min(3000)]);
    }
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "the log holds `{s}`:\n{}", lines_with(&log, s));
    }
}

fn lines_with(log: &str, s: &str) -> String {
    log.lines().filter(|l| l.contains(s)).take(5).collect::<Vec<_>>().join("\n")
}

both_backends!(secrets_never_reach_the_logs);
