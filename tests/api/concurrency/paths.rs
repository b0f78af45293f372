//! The other rules that read before they write, raced: account lockout, refresh-token rotation
//! and reuse detection, the registration throttle, city targets, enterprise verification, and
//! unique registrations (USCC, username). Each answers as it would one request at a time.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::fixtures::{enterprise_body, PASSWORD};
use crate::helpers::TestApp;

/// Twenty concurrent wrong passwords (lockout after five): the account locks exactly once and
/// the right password is then refused; every attempt answered 401.
async fn racing_wrong_passwords_lock_once(app: &TestApp) {
    app.create_user("victim", "province_officer", None, None).await;
    let attempts = join_all((0..20).map(|_| app.login("victim", "wrong-Passw0rd!"))).await;
    for r in &attempts {
        r.assert_problem(401, "invalid_credentials");
    }
    app.login("victim", PASSWORD).await.assert_problem(401, "invalid_credentials");
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let trail = app.get_as("/api/v1/audit-events?action=auth.login&limit=100", &auditor).await;
    let details: Vec<serde_json::Value> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| serde_json::from_str(e["detail"].as_str()?).ok())
        .collect();
    let locks = details.iter().filter(|d| d["extra"]["locked"] == true).count();
    let counted = details.iter().filter(|d| d["reason"] == "wrong_password").count();
    let refused_locked = details.iter().filter(|d| d["reason"] == "locked").count();
    assert_eq!(locks, 1, "{}", trail.text);
    // Five failures lock; every later attempt is refused as locked and not counted.
    assert_eq!(counted, 5, "{}", trail.text);
    assert_eq!(refused_locked, 16, "{}", trail.text);
}

/// One refresh token presented eight times at once: one rotation succeeds, the others are
/// refused (reuse detected at least once), and the whole family — the new token included — is
/// revoked.
async fn racing_refreshes_rotate_once(app: &TestApp) {
    app.create_user("user.u", "province_officer", None, None).await;
    let login = app.login("user.u", PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_string();
    let body = json!({"refresh_token": refresh});
    let results = join_all((0..8).map(|_| app.post("/api/v1/auth/refresh", &body, None))).await;
    let wins: Vec<_> = results.iter().filter(|r| r.status == 200).collect();
    assert_eq!(wins.len(), 1, "{:?}", results.iter().map(|r| &r.text).collect::<Vec<_>>());
    // The first loser finds the token used and revokes the family; later ones may find it
    // revoked already.
    let mut reused = 0;
    for r in results.iter().filter(|r| r.status != 200) {
        assert_eq!(r.status, 401, "{}", r.text);
        assert!(
            ["refresh_token_reused", "invalid_refresh_token"].contains(&r.body["code"].as_str().unwrap()),
            "{}",
            r.text
        );
        reused += usize::from(r.body["code"] == "refresh_token_reused");
    }
    assert!(reused >= 1);
    let next = json!({"refresh_token": wins[0].body["refresh_token"]});
    app.post("/api/v1/auth/refresh", &next, None).await.assert_problem(401, "invalid_refresh_token");
}

/// Thirty concurrent self-registrations from one address with a limit of ten per window: exactly
/// ten are accepted, the others answer 429.
async fn racing_registrations_respect_the_limit(app: &TestApp) {
    let bodies: Vec<serde_json::Value> = (0..30u32)
        .map(|n| {
            json!({
            "enterprise": enterprise_body(2000 + n, "330106"),
            "username": format!("self{n}"),
            "password": "Self-Passw0rd!x",
            })
        })
        .collect();
    let results = join_all(bodies.iter().map(|b| app.post("/api/v1/registrations", b, None))).await;
    let accepted = results.iter().filter(|r| r.status == 201).count();
    let limited = results.iter().filter(|r| r.status == 429).count();
    assert_eq!((accepted, limited), (10, 20), "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
}

/// Concurrent replacements of one year's city targets: the result is one of the sets sent,
/// never a mix, and each audit entry's `previous` is what the one before it left.
async fn racing_target_replacements_do_not_mix(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let path = "/api/v1/indicators/ZJ2018-SZJJ/cloud_adoption_enterprises/targets/2022";
    let sets: Vec<serde_json::Value> = (0..8i64)
        .map(|i| json!({"targets": [{"region_code": "330100", "value": 1000 + i}, {"region_code": "330200", "value": 2000 + i}]}))
        .collect();
    let results =
        join_all(sets.iter().map(|b| app.request(reqwest::Method::PUT, path, Some(b), Some(&province)))).await;
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let now =
        app.get_as("/api/v1/indicators/ZJ2018-SZJJ/cloud_adoption_enterprises/targets?year=2022", &province).await;
    let values: Vec<i64> =
        now.body["targets"].as_array().unwrap().iter().map(|t| t["value"].as_i64().unwrap()).collect();
    assert_eq!(values.len(), 2, "{}", now.text);
    assert_eq!(values[1] - values[0], 1000, "a mix of two sets: {}", now.text);
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let trail = app.get_as("/api/v1/audit-events?action=target.replace&limit=100", &auditor).await;
    let mut items: Vec<&serde_json::Value> = trail.body["items"].as_array().unwrap().iter().collect();
    items.sort_by_key(|e| e["seq"].as_i64());
    assert_eq!(items.len(), 8);
    for pair in items.windows(2) {
        let detail =
            |e: &serde_json::Value| serde_json::from_str::<serde_json::Value>(e["detail"].as_str().unwrap()).unwrap();
        assert_eq!(detail(pair[1])["previous"]["sum"], detail(pair[0])["sum"], "{}", trail.text);
    }
}

/// Eight reviewers verifying one enterprise at once: one 200, seven 409 `already_verified`, one
/// audit entry.
async fn racing_verifications_verify_once(app: &TestApp) {
    let body = json!({
        "enterprise": enterprise_body(3000, "330106"),
        "username": "selfreg",
        "password": "Self-Passw0rd!x",
    });
    let reg = app.post("/api/v1/registrations", &body, None).await;
    assert_eq!(reg.status, 201, "{}", reg.text);
    let id = reg.body["enterprise"]["id"].as_str().unwrap().to_string();
    let mut reviewers = Vec::new();
    for i in 0..8 {
        reviewers.push(app.token_for(&format!("rev{i}"), "city_reviewer", Some("330100"), None).await);
    }
    let path = format!("/api/v1/enterprises/{id}/verify");
    let empty = json!({});
    let results = join_all(reviewers.iter().map(|t| app.post(&path, &empty, Some(t)))).await;
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "already_verified");
    }
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let trail = app.get_as("/api/v1/audit-events?action=enterprise.verify", &auditor).await;
    assert_eq!(trail.body["items"].as_array().unwrap().len(), 1, "{}", trail.text);
}

/// The same USCC registered sixteen times at once, and one username created sixteen times at
/// once: one success each, and the others get the answer a late request gets
/// (409 `uscc_taken` with a link, 409 `username_taken`), not a bare conflict.
async fn racing_unique_registrations_name_the_winner(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let body = enterprise_body(4000, "330106");
    let results = join_all((0..16).map(|_| app.post("/api/v1/enterprises", &body, Some(&province)))).await;
    let created: Vec<_> = results.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), 1);
    for r in results.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "uscc_taken");
        assert_eq!(r.body["existing"], format!("/api/v1/enterprises/{}", created[0].body["id"].as_str().unwrap()));
    }
    let admin = app.token_for("admin", "sysadmin", None, None).await;
    let user = json!({"username": "same.name", "password": "Some-Passw0rd!x", "role": "province_officer"});
    let results = join_all((0..16).map(|_| app.post("/api/v1/users", &user, Some(&admin)))).await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 1);
    for r in results.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "username_taken");
    }
}

both_backends_with!(crate::concurrency::RACING;
    racing_wrong_passwords_lock_once,
    racing_refreshes_rotate_once,
    racing_registrations_respect_the_limit,
    racing_target_replacements_do_not_mix,
    racing_verifications_verify_once,
    racing_unique_registrations_name_the_winner,
);
