//! `Idempotency-Key` on the create POSTs: a retry replays the first response, a reused key with
//! another request is 422, keys are per principal, malformed keys are 400, old keys expire.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::fixtures::{enterprise_body, PASSWORD};
use crate::helpers::{TestApp, TestResponse};

const REPLAYED: &str = "idempotent-replayed";

impl TestApp {
    /// POST with an `Idempotency-Key` header.
    async fn post_keyed(&self, path: &str, body: &Value, token: Option<&str>, key: &str) -> TestResponse {
        self.request_with(Method::POST, path, Some(body), token, &[("Idempotency-Key", key)]).await
    }
}

fn header<'a>(res: &'a TestResponse, name: &str) -> Option<&'a str> {
    res.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The second response is a replay of the first: same status, body and headers that matter.
#[track_caller]
fn assert_replay(first: &TestResponse, again: &TestResponse) {
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(header(first, REPLAYED), None);
    assert_eq!(again.status, first.status, "{}", again.text);
    assert_eq!(again.text, first.text);
    assert_eq!(header(again, REPLAYED), Some("true"));
    for name in ["etag", "location", "content-type"] {
        assert_eq!(header(again, name), header(first, name), "{name}");
    }
}

fn ids(res: &TestResponse, field: &str) -> Vec<String> {
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["items"].as_array().unwrap().iter().map(|i| i[field].as_str().unwrap().to_string()).collect()
}

async fn enterprise_creation_is_replayed(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let body = enterprise_body(1, "330106");
    let first = app.post_keyed("/api/v1/enterprises", &body, Some(&province), "create-ent-1").await;
    let again = app.post_keyed("/api/v1/enterprises", &body, Some(&province), "create-ent-1").await;
    assert_replay(&first, &again);
    assert_eq!(header(&first, "etag"), Some("\"1\""));
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(ids(&app.get_as("/api/v1/enterprises", &province).await, "id"), [id]);

    // The same key with another body (or the same body reformatted) is refused.
    let res =
        app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "create-ent-1").await;
    res.assert_problem(422, "idempotency_key_reused");
    let reformatted = app
        .send(
            app.client
                .post(app.url("/api/v1/enterprises"))
                .bearer_auth(&province)
                .header("idempotency-key", "create-ent-1")
                .header("content-type", "application/json")
                .body(format!("  {body}  ")),
        )
        .await;
    reformatted.assert_problem(422, "idempotency_key_reused");

    // Without a key nothing changes: the USCC is taken.
    app.post("/api/v1/enterprises", &body, Some(&province)).await.assert_problem(409, "uscc_taken");
    // A new key is a new request.
    let res =
        app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "create-ent-2").await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_ne!(res.body["id"], first.body["id"]);
    assert_eq!(app.get_as("/api/v1/enterprises", &province).await.body["items"].as_array().unwrap().len(), 2);
}

async fn keys_are_per_principal(app: &TestApp) {
    let alice = app.token_for("prov.a", "province_officer", None, None).await;
    let bob = app.token_for("prov.b", "province_officer", None, None).await;
    let first = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&alice), "shared").await;
    assert_eq!(first.status, 201, "{}", first.text);
    // Bob's "shared" is his own: a different body is not a reuse, and the same body is not a replay.
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&bob), "shared").await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(header(&res, REPLAYED), None);
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&bob), "other").await;
    res.assert_problem(409, "uscc_taken");
    // Alice's key still replays hers.
    let again = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&alice), "shared").await;
    assert_replay(&first, &again);
    assert_eq!(app.get_as("/api/v1/enterprises", &alice).await.body["items"].as_array().unwrap().len(), 2);
}

async fn malformed_keys_are_400(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let long = "k".repeat(256);
    for key in ["", "has space", long.as_str(), "tab\tinside"] {
        let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&province), key).await;
        res.assert_problem(400, "invalid_header");
        assert_eq!(res.first_error_field(), Some("Idempotency-Key"), "{key:?}");
    }
    // Non-ASCII bytes.
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/enterprises"))
                .bearer_auth(&province)
                .header("idempotency-key", reqwest::header::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap())
                .json(&enterprise_body(1, "330106")),
        )
        .await;
    res.assert_problem(400, "invalid_header");
    assert_eq!(app.get_as("/api/v1/enterprises", &province).await.body["items"].as_array().unwrap().len(), 0);
    let max = "k".repeat(255);
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&province), &max).await;
    assert_eq!(res.status, 201, "{}", res.text);
}

async fn failures_are_not_recorded(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let mut bad = enterprise_body(1, "330106");
    bad["contact_phone"] = json!("12345");
    let res = app.post_keyed("/api/v1/enterprises", &bad, Some(&province), "k").await;
    res.assert_problem(422, "validation_failed");
    app.create_enterprise(&province, 2, "330106").await;
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "k").await;
    res.assert_problem(409, "uscc_taken");
    // Neither failure claimed the key: a corrected request with it goes through, once.
    let first = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&province), "k").await;
    let again = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&province), "k").await;
    assert_replay(&first, &again);
}

async fn user_creation_is_replayed(app: &TestApp) {
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let body = json!({"username": "rev.hz", "password": PASSWORD, "role": "city_reviewer", "city_code": "330100"});
    let first = app.post_keyed("/api/v1/users", &body, Some(&admin), "u-1").await;
    let again = app.post_keyed("/api/v1/users", &body, Some(&admin), "u-1").await;
    assert_replay(&first, &again);
    let users = app.get_as("/api/v1/users?role=city_reviewer", &admin).await;
    assert_eq!(ids(&users, "id"), [first.body["id"].as_str().unwrap()]);
    let other = json!({"username": "rev.nb", "password": PASSWORD, "role": "city_reviewer", "city_code": "330200"});
    app.post_keyed("/api/v1/users", &other, Some(&admin), "u-1").await.assert_problem(422, "idempotency_key_reused");
    assert_eq!(ids(&app.get_as("/api/v1/users?role=city_reviewer", &admin).await, "id").len(), 1);
}

async fn client_creation_replays_the_secret_to_its_principal(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let nb = app.create_enterprise(&province, 2, "330212").await;
    let owner = app.token_for("ent.hz", "enterprise", None, Some(&hz)).await;
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let path = format!("/api/v1/enterprises/{hz}/clients");

    let first = app.post_keyed(&path, &json!({"name": "ERP"}), Some(&owner), "c-1").await;
    let again = app.post_keyed(&path, &json!({"name": "ERP"}), Some(&owner), "c-1").await;
    assert_replay(&first, &again);
    assert_eq!(again.body["client_secret"], first.body["client_secret"]);
    assert_eq!(ids(&app.get_as(&path, &owner).await, "client_id"), [first.body["client_id"].as_str().unwrap()]);
    // The replayed secret is the real one.
    let token = app
        .post(
            "/api/v1/auth/token",
            &json!({"grant_type": "client_credentials", "client_id": again.body["client_id"],
                    "client_secret": again.body["client_secret"]}),
            None,
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text);

    let res = app.post_keyed(&path, &json!({"name": "MES"}), Some(&owner), "c-1").await;
    res.assert_problem(422, "idempotency_key_reused");
    // Another principal's identical request is its own: a second client, another secret.
    let theirs = app.post_keyed(&path, &json!({"name": "ERP"}), Some(&admin), "c-1").await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    assert_eq!(header(&theirs, REPLAYED), None);
    assert_ne!(theirs.body["client_secret"], first.body["client_secret"]);
    // The same key on another path (another enterprise) is a reuse.
    let res = app
        .post_keyed(&format!("/api/v1/enterprises/{nb}/clients"), &json!({"name": "ERP"}), Some(&admin), "c-1")
        .await;
    res.assert_problem(422, "idempotency_key_reused");
    assert_eq!(ids(&app.get_as(&path, &owner).await, "client_id").len(), 2);
}

async fn anonymous_registration_is_replayed_per_address(app: &TestApp) {
    let body =
        json!({"enterprise": enterprise_body(5, "330106"), "username": "erp.admin", "password": "Factory-Pass9"});
    let first = app.post_keyed("/api/v1/registrations", &body, None, "reg-1").await;
    let again = app.post_keyed("/api/v1/registrations", &body, None, "reg-1").await;
    assert_replay(&first, &again);
    assert_eq!(again.body["enterprise"]["id"], first.body["enterprise"]["id"]);
    assert_eq!(again.body["user"]["id"], first.body["user"]["id"]);
    let other = json!({"enterprise": enterprise_body(6, "330106"), "username": "erp.two", "password": "Factory-Pass9"});
    app.post_keyed("/api/v1/registrations", &other, None, "reg-1").await.assert_problem(422, "idempotency_key_reused");
    app.post("/api/v1/registrations", &body, None).await.assert_problem(409, "uscc_taken");
    let province = app.token_for("prov", "province_officer", None, None).await;
    assert_eq!(
        ids(&app.get_as("/api/v1/enterprises", &province).await, "id"),
        [first.body["enterprise"]["id"].as_str().unwrap()]
    );
    // A signed-in principal's key space is not the anonymous one.
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(6, "330106"), Some(&province), "reg-1").await;
    assert_eq!(res.status, 201, "{}", res.text);
}

async fn keys_expire_after_a_day(app: &TestApp) {
    use diesel::prelude::*;
    use enterprise_registry::schema::idempotency_keys;

    let province = app.token_for("prov", "province_officer", None, None).await;
    let first = app.post_keyed("/api/v1/enterprises", &enterprise_body(1, "330106"), Some(&province), "old").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let aged = enterprise_registry::clock::now() - chrono::Duration::hours(23);
    let set_age = move |t| {
        app.state.db.run(move |c| {
            diesel::update(idempotency_keys::table).set(idempotency_keys::created_at.eq(t)).execute(c)?;
            Ok(())
        })
    };
    set_age(aged).await.unwrap();
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "old").await;
    res.assert_problem(422, "idempotency_key_reused");
    set_age(aged - chrono::Duration::hours(2)).await.unwrap();
    let res = app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "old").await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(header(&res, REPLAYED), None);
    let again = app.post_keyed("/api/v1/enterprises", &enterprise_body(2, "330106"), Some(&province), "old").await;
    assert_replay(&res, &again);
    let rows: i64 = app.state.db.run(|c| Ok(idempotency_keys::table.count().get_result(c)?)).await.unwrap();
    assert_eq!(rows, 1);
}

/// Concurrent duplicates: exactly one creates; the others replay it or are told the key is in use.
async fn concurrent_duplicates_create_once(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let body = enterprise_body(1, "330106");
    let sends = (0..8).map(|_| app.post_keyed("/api/v1/enterprises", &body, Some(&province), "race"));
    let results = futures_util::future::join_all(sends).await;
    let mut ids = std::collections::BTreeSet::new();
    let mut fresh = 0;
    for res in &results {
        match res.status.as_u16() {
            201 => {
                ids.insert(res.body["id"].as_str().unwrap().to_string());
                fresh += usize::from(header(res, REPLAYED).is_none());
            }
            _ => res.assert_problem(409, "idempotency_key_in_use"),
        }
    }
    assert_eq!((ids.len(), fresh), (1, 1));
    assert_eq!(app.get_as("/api/v1/enterprises", &province).await.body["items"].as_array().unwrap().len(), 1);
}

both_backends!(
    enterprise_creation_is_replayed,
    keys_are_per_principal,
    malformed_keys_are_400,
    failures_are_not_recorded,
    user_creation_is_replayed,
    client_creation_replays_the_secret_to_its_principal,
    anonymous_registration_is_replayed_per_address,
    keys_expire_after_a_day,
    concurrent_duplicates_create_once,
);
