//! Webhooks (DESIGN §3.10, issue 17 items 3–5) with a real local receiver: deliveries carry
//! Standard Webhooks v1 signatures (verified here from the specification, not with the
//! service's signer); a receiver that fails twice gets the event three times with one
//! `webhook-id`, then the next event — nothing lost, in order; two instances never deliver one
//! event twice to a receiver that accepts, and when one stops mid-stream the other delivers the
//! rest; production refuses targets inside the network.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};

use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// One request the receiver got: (webhook-id, webhook-timestamp, webhook-signature, body).
type Got = (String, String, String, String);

/// A local HTTP receiver that answers 500 to its first `failures` requests, then 200.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let got: Arc<Mutex<Vec<Got>>> = Arc::default();
        let store = got.clone();
        let server = HttpServer::new(move || {
            let store = store.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let store = store.clone();
                async move {
                    let h = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    let mut all = store.lock().unwrap();
                    all.push((
                        h("webhook-id"),
                        h("webhook-timestamp"),
                        h("webhook-signature"),
                        String::from_utf8_lossy(&body).into(),
                    ));
                    if all.len() <= failures {
                        HttpResponse::InternalServerError().finish()
                    } else {
                        HttpResponse::Ok().finish()
                    }
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hook"), got, handle }
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `n` requests came, moving `apps`' clocks on so that retries fall due.
    async fn wait_for(&self, n: usize, apps: &[&TestApp]) -> Vec<Got> {
        let until = Instant::now() + Duration::from_secs(60);
        let mut offset = chrono::Duration::zero();
        while self.got().len() < n && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(200)).await;
            offset += chrono::Duration::minutes(2);
            for app in apps {
                app.state.clock.set_offset(offset);
            }
        }
        self.got()
    }
}

/// Verifies a delivery as the Standard Webhooks specification says: the key is the secret's
/// base64 after `whsec_`; the signed content `{id}.{timestamp}.{body}`; the header `v1,<base64>`.
/// `readme_verify` is the README's Rust snippet, word for word, so that the snippet is tested.
fn verify(secret: &str, (id, timestamp, signature, body): &Got) -> bool {
    readme_verify(secret, id, timestamp, signature, body.as_bytes())
}

fn readme_verify(secret: &str, id: &str, timestamp: &str, signature: &str, body: &[u8]) -> bool {
    let Some(key) = secret.strip_prefix("whsec_").and_then(|k| STANDARD.decode(k).ok()) else { return false };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    signature.split(' ').any(|s| s == expected)
}

#[test]
fn the_readme_verifier_accepts_the_specifications_example_and_nothing_else() {
    let (secret, id, ts, body) = (
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "1614265330",
        br#"{"test": 2432232314}"#,
    );
    assert!(readme_verify(secret, id, ts, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body));
    assert!(!readme_verify(secret, id, "1614265331", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body));
    assert!(!readme_verify("whsec_", id, ts, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body));
}

async fn subscribe(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (String, String) {
    let res = app.post("/api/v1/webhooks", &json!({"url": url, "events": events}), Some(token)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    (res.body["id"].as_str().unwrap().to_string(), res.body["secret"].as_str().unwrap().to_string())
}

crate::both_backends!(deliveries_are_signed_retried_and_in_order, a_second_instance_takes_over_and_none_sends_twice);

async fn deliveries_are_signed_retried_and_in_order(app: &TestApp) {
    let receiver = Receiver::start(2).await;
    let w = crate::helpers::world::World::new(app).await;
    let (hook, secret) = subscribe(app, &w.ent, &receiver.url, &["milestone.submitted", "milestone.approved"]).await;
    // Listed without its secret; another enterprise's subscription is not there.
    let listed = app.get_as("/api/v1/webhooks", &w.ent).await;
    assert_eq!(listed.body["items"][0]["id"], hook.as_str());
    assert!(listed.body["items"][0].get("secret").is_none());

    app.city_only_reviews().await;
    let id = app.draft_id(&w.ent, &w.enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2023-03-01")).await;
    app.act_ok(&w.ent, &id, "submit", json!({})).await;
    app.act_ok(&w.rev_hz, &id, "return", json!({"comment": "不计入订阅"})).await;
    app.act_ok(&w.ent, &id, "submit", json!({})).await;
    app.act_ok(&w.rev_hz, &id, "approve", json!({})).await;

    // 500, 500, then the first submission accepted; the second submission; the approval.
    let got = receiver.wait_for(5, &[app]).await;
    assert_eq!(got.len(), 5, "{got:?}");
    assert!(got.iter().all(|g| verify(&secret, g)), "a signature does not verify");
    let bodies: Vec<Value> = got.iter().map(|g| serde_json::from_str(&g.3).unwrap()).collect();
    assert_eq!(got[0].0, got[1].0);
    assert_eq!(got[1].0, got[2].0);
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "milestone.submitted",
            "milestone.submitted",
            "milestone.submitted",
            "milestone.submitted",
            "milestone.approved"
        ]
    );
    assert!(bodies.iter().all(|b| b["milestone_id"] == id.as_str()));
    let seqs: Vec<i64> = bodies.iter().map(|b| b["seq"].as_i64().unwrap()).collect();
    assert!(seqs[2] < seqs[3] && seqs[3] < seqs[4], "{seqs:?}");
    assert_eq!(bodies[0]["id"].as_str(), Some(got[0].0.as_str()), "webhook-id is the event id");

    // Every attempt is recorded.
    let deliveries = app.get_as(&format!("/api/v1/webhooks/{hook}/deliveries"), &w.ent).await;
    assert_eq!(deliveries.status, 200, "{}", deliveries.text);
    let attempts: Vec<(i64, Value)> = deliveries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["attempt"].as_i64().unwrap(), d["status_code"].clone()))
        .collect();
    assert_eq!(attempts, [(1, json!(500)), (2, json!(500)), (3, json!(200)), (1, json!(200)), (1, json!(200))]);
    let view = app.get_as(&format!("/api/v1/webhooks/{hook}"), &w.ent).await;
    assert_eq!(view.body["last_seq"], seqs[4]);
    assert_eq!(view.body["failing_since"], Value::Null);

    // Bad subscriptions are 422 naming the field; a deleted one is gone.
    let res =
        app.post("/api/v1/webhooks", &json!({"url": "ftp://x/", "events": ["milestone.approved"]}), Some(&w.ent)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("url"));
    let res =
        app.post("/api/v1/webhooks", &json!({"url": receiver.url, "events": ["milestone.eaten"]}), Some(&w.ent)).await;
    assert_eq!(res.first_error_field(), Some("events"));
    let gone = app.request(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{hook}"), None, Some(&w.ent)).await;
    assert_eq!(gone.status, 204);
    app.get_as(&format!("/api/v1/webhooks/{hook}"), &w.ent).await.assert_problem(404, "not_found");
    receiver.handle.stop(false).await;
}

async fn a_second_instance_takes_over_and_none_sends_twice(app: &TestApp) {
    let receiver = Receiver::start(1).await;
    let w = crate::helpers::world::World::new(app).await;
    let (_, secret) = subscribe(app, &w.ent, &receiver.url, &["milestone.submitted"]).await;
    // SQLite serves one instance (DESIGN §2): there the test runs on one.
    let second = match app.backend {
        crate::helpers::Backend::Postgres => Some(app.second_instance(&[]).await),
        crate::helpers::Backend::Sqlite => None,
    };
    let mut ids = Vec::new();
    for k in 1..=4 {
        let body = milestone("digital_workshop", None, &format!("2023-0{k}-01"));
        let id = app.draft_id(&w.ent, &w.enterprise, &body).await;
        app.act_ok(&w.ent, &id, "submit", json!({})).await;
        ids.push(id);
    }
    // The first attempt fails; both instances then compete for the retry and the next events;
    // then the second stops, mid-stream, and the first delivers the rest.
    let apps: Vec<&TestApp> = std::iter::once(app).chain(second.as_ref()).collect();
    receiver.wait_for(3, &apps).await;
    if let Some(second) = second {
        second.teardown().await;
    }
    let got = receiver.wait_for(5, &[app]).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got_now = receiver.got();
    assert_eq!(got_now.len(), 5, "an event was sent twice or lost: {got_now:?}");
    assert_eq!(got.len(), 5);
    assert!(got_now.iter().all(|g| verify(&secret, g)));
    let delivered: Vec<String> = got_now[1..]
        .iter()
        .map(|g| serde_json::from_str::<Value>(&g.3).unwrap()["milestone_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(delivered, ids, "in order, each once");
    assert_eq!(got_now[0].0, got_now[1].0, "the failed event came again first");
    receiver.handle.stop(false).await;
}

#[tokio::test]
async fn production_refuses_targets_inside_the_network() {
    let Some(app) = TestApp::spawn_with(crate::helpers::Backend::Sqlite, &[("APP_ENV", "production")]).await else {
        return;
    };
    let w = crate::helpers::world::World::new(&app).await;
    for url in [
        "http://169.254.169.254/",
        "https://169.254.169.254/latest",
        "https://10.0.0.1/",
        "https://localhost/hook",
        "http://127.0.0.1:9/x",
    ] {
        let res =
            app.post("/api/v1/webhooks", &json!({"url": url, "events": ["milestone.approved"]}), Some(&w.ent)).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.first_error_field(), Some("url"), "{url}: {}", res.text);
    }
    app.teardown().await;
}

crate::both_backends!(a_provider_receives_its_delegated_records_events);

/// A provider's subscription delivers the events its feed shows: its delegation's changes and the
/// delegated type's records of the enterprise — not the enterprise's other types.
async fn a_provider_receives_its_delegated_records_events(app: &TestApp) {
    let receiver = Receiver::start(0).await;
    let w = crate::helpers::world::World::new(app).await;
    let aliyun = app.provider(&w.province, 1).await;
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let types = ["delegation.granted", "milestone.submitted"];
    let (_, secret) = subscribe(app, &staff, &receiver.url, &types).await;
    app.delegate(&w.ent, &w.enterprise, &aliyun, &["cloud_adoption"]).await;
    let cloud = app.draft_id(&staff, &w.enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2024-03-01")).await;
    app.act_ok(&staff, &cloud, "submit", json!({})).await;
    let smart = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2024-01-01")).await;
    app.act_ok(&w.ent, &smart, "submit", json!({})).await;
    let got = receiver.wait_for(2, &[app]).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let got = if receiver.got().len() > got.len() { receiver.got() } else { got };
    assert!(got.iter().all(|g| verify(&secret, g)));
    let seen: Vec<(String, String)> = got
        .iter()
        .map(|g| {
            let b: Value = serde_json::from_str(&g.3).unwrap();
            (b["type"].as_str().unwrap().to_string(), b["milestone_id"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(seen, [("delegation.granted".to_string(), String::new()), ("milestone.submitted".to_string(), cloud)]);
    receiver.handle.stop(false).await;
}
