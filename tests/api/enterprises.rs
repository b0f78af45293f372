//! Enterprises: USCC rules, scope, self-registration and verification, paging, edits.

use serde_json::json;

use crate::helpers::fixtures::{enterprise_body, uscc, PASSWORD};
use crate::helpers::{Backend, TestApp};

const VECTORS: &str = include_str!("../../data/reference/uscc_vectors.csv");

async fn uscc_vectors_through_the_api(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    for (i, line) in VECTORS.lines().skip(1).enumerate() {
        let mut cols = line.splitn(3, ',');
        let (code, valid) = (cols.next().unwrap(), cols.next().unwrap() == "true");
        let mut body = enterprise_body(900 + i as u32, "330106");
        body["uscc"] = json!(code);
        let res = app.post("/api/v1/enterprises", &body, Some(&province)).await;
        if code.ends_with('b') {
            // The API upper-cases input: the lower-case vector is Alibaba's code again.
            res.assert_problem(409, "uscc_taken");
        } else if valid {
            assert_eq!(res.status, 201, "{code}: {}", res.text);
            assert_eq!(res.body["uscc"], code.to_uppercase());
        } else {
            res.assert_problem(422, "validation_failed");
            assert_eq!(res.first_error_field(), Some("uscc"), "{code}");
        }
    }
    let mut body = enterprise_body(1, "330106");
    body["uscc"] = json!(format!("  {}  ", uscc(7).to_lowercase()));
    let res = app.post("/api/v1/enterprises", &body, Some(&province)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["uscc"], uscc(7));
    let id = res.body["id"].as_str().unwrap().to_string();
    let dup = app.post("/api/v1/enterprises", &body, Some(&province)).await;
    dup.assert_problem(409, "uscc_taken");
    assert_eq!(dup.body["existing"], format!("/api/v1/enterprises/{id}"));
}

async fn every_field_is_validated(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let bad = json!({
        "uscc": "123", "name": "", "county_code": "330100", "industry_code": "C12",
        "size_class": "huge", "contact_name": "", "contact_phone": "12345",
    });
    let res = app.post("/api/v1/enterprises", &bad, Some(&province)).await;
    res.assert_problem(422, "validation_failed");
    let mut fields: Vec<&str> =
        res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["contact_name", "contact_phone", "county_code", "industry_code", "name", "size_class", "uscc"]);
    let res = app.post("/api/v1/enterprises", &json!({"uscc": 5}), Some(&province)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("uscc"));
}

async fn scope_of_reads(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let nb = app.create_enterprise(&province, 2, "330212").await;
    let hz_reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let nb_reviewer = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    let hz_user = app.token_for("ent.hz", "enterprise", None, Some(&hz)).await;

    app.get_as(&format!("/api/v1/enterprises/{hz}"), &nb_reviewer).await.assert_problem(404, "not_found");
    assert_eq!(app.get_as(&format!("/api/v1/enterprises/{nb}"), &nb_reviewer).await.status, 200);
    app.get_as(&format!("/api/v1/enterprises/{nb}"), &hz_user).await.assert_problem(404, "not_found");

    let own = app.get_as("/api/v1/enterprises", &hz_user).await;
    let ids: Vec<&str> = own.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [hz.as_str()]);
    assert_eq!(own.body["items"][0]["contact_phone"], "13812341234");

    let hz_list = app.get_as("/api/v1/enterprises", &hz_reviewer).await;
    assert_eq!(hz_list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(hz_list.body["items"][0]["contact_phone"], "138****1234");
    let none = app.get_as("/api/v1/enterprises?city=330200", &hz_reviewer).await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    let all = app.get_as("/api/v1/enterprises", &province).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let found = app.get_as(&format!("/api/v1/enterprises?q={}", &uscc(2)[..16]), &province).await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    let by_name = app.get_as("/api/v1/enterprises?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A1", &province).await;
    assert_eq!(by_name.body["items"][0]["id"], hz.as_str());
    app.get_as("/api/v1/enterprises?county=330100", &province).await.assert_problem(400, "invalid_parameter");

    // A reviewer creates only in its own city.
    let res = app.post("/api/v1/enterprises", &enterprise_body(3, "330212"), Some(&hz_reviewer)).await;
    res.assert_problem(403, "outside_own_city");
    let res = app.post("/api/v1/enterprises", &enterprise_body(3, "330110"), Some(&hz_reviewer)).await;
    assert_eq!((res.status.as_u16(), res.body["verified"].clone()), (201, json!(true)));
}

async fn self_registration_waits_for_its_city(app: &TestApp) {
    let body =
        json!({"enterprise": enterprise_body(5, "330106"), "username": "erp.admin", "password": "Factory-Pass9"});
    let res = app.post("/api/v1/registrations", &body, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["enterprise"]["verified"], false);
    assert_eq!(res.body["user"]["role"], "enterprise");
    assert_eq!(res.body["user"]["must_change_password"], false);
    let id = res.body["enterprise"]["id"].as_str().unwrap().to_string();
    assert_eq!(res.body["user"]["enterprise_id"], id.as_str());

    let me = app.login("erp.admin", "Factory-Pass9").await;
    assert_eq!(me.status, 200);
    let nb_reviewer = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    app.post(&format!("/api/v1/enterprises/{id}/verify"), &json!({}), Some(&nb_reviewer))
        .await
        .assert_problem(404, "not_found");
    let hz_reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let pending = app.get_as("/api/v1/enterprises?verified=false", &hz_reviewer).await;
    assert_eq!(pending.body["items"].as_array().unwrap().len(), 1);
    let res = app.post(&format!("/api/v1/enterprises/{id}/verify"), &json!({}), Some(&hz_reviewer)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["verified"], true);
    app.post(&format!("/api/v1/enterprises/{id}/verify"), &json!({}), Some(&hz_reviewer))
        .await
        .assert_problem(409, "already_verified");

    // The same USCC cannot register twice; a bad body names nested fields.
    let again = json!({"enterprise": enterprise_body(5, "330106"), "username": "erp.two", "password": "Factory-Pass9"});
    app.post("/api/v1/registrations", &again, None).await.assert_problem(409, "uscc_taken");
    let mut bad = enterprise_body(6, "330106");
    bad["county_code"] = json!("999999");
    let res = app
        .post("/api/v1/registrations", &json!({"enterprise": bad, "username": "x", "password": "short"}), None)
        .await;
    res.assert_problem(422, "validation_failed");
    let fields: Vec<&str> =
        res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"enterprise.county_code") && fields.contains(&"username"), "{fields:?}");
    assert_eq!(app.get_as("/api/v1/enterprises", &hz_reviewer).await.body["items"].as_array().unwrap().len(), 1);
}

async fn paging_through_a_city_returns_each_once(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let mut created = Vec::new();
    for n in 0..120 {
        created.push(app.create_enterprise(&province, 1000 + n, if n % 2 == 0 { "330106" } else { "330110" }).await);
    }
    app.create_enterprise(&province, 5000, "330212").await;
    let mut seen = Vec::new();
    let mut next = Some("/api/v1/enterprises?city=330100&limit=50".to_string());
    while let Some(path) = next {
        let res = app.get_as(&path, &province).await;
        seen.extend(res.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()));
        next = res.body["next_cursor"].as_str().map(|c| format!("/api/v1/enterprises?city=330100&limit=50&cursor={c}"));
    }
    created.sort();
    assert_eq!(seen, created);
}

async fn profile_edits_need_if_match(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let id = app.create_enterprise(&province, 1, "330106").await;
    let user = app.token_for("ent.one", "enterprise", None, Some(&id)).await;
    let path = format!("/api/v1/enterprises/{id}");
    app.patch(&path, &json!({"name": "新名称有限公司"}), &user, None).await.assert_problem(428, "if_match_required");
    app.patch(&path, &json!({"name": "新名称有限公司"}), &user, Some("\"9\""))
        .await
        .assert_problem(412, "stale_version");
    let res = app.patch(&path, &json!({"uscc": uscc(99)}), &user, Some("\"1\"")).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("uscc"));
    let res = app
        .patch(&path, &json!({"county_code": "330212", "contact_phone": "0571-87654321"}), &user, Some("\"1\""))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!((res.body["city_code"].clone(), res.body["version"].clone()), (json!("330200"), json!(2)));
    assert_eq!(res.headers["etag"], "\"2\"");
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let events = app.get_as("/api/v1/audit-events?action=enterprise.update", &auditor).await;
    let detail: serde_json::Value = serde_json::from_str(events.body["items"][0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["moved"], json!({"from": "330106", "to": "330212"}));
    assert!(!events.text.contains("87654321"), "personal data in the audit trail");
    // The Hangzhou reviewer no longer sees it; Ningbo's does.
    let hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    app.get_as(&path, &hz).await.assert_problem(404, "not_found");
    let nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    let seen = app.get_as(&path, &nb).await;
    assert_ne!(seen.body["contact_phone"], "0571-87654321");
    assert!(seen.body["contact_phone"].as_str().unwrap().contains("****"));
    let res = app.patch(&path, &json!({"county_code": "330106"}), &nb, Some("\"2\"")).await;
    res.assert_problem(403, "outside_own_city");
}

async fn machine_clients_and_the_token_grant(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let id = app.create_enterprise(&province, 1, "330106").await;
    let other = app.create_enterprise(&province, 2, "330106").await;
    let user = app.token_for("ent.one", "enterprise", None, Some(&id)).await;
    let res = app.post(&format!("/api/v1/enterprises/{id}/clients"), &json!({"name": "ERP"}), Some(&user)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let (client_id, secret) =
        (res.body["client_id"].as_str().unwrap().to_string(), res.body["client_secret"].as_str().unwrap().to_string());
    app.post(&format!("/api/v1/enterprises/{other}/clients"), &json!({"name": "x"}), Some(&user))
        .await
        .assert_problem(404, "not_found");

    let grant = json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret});
    let res = app.post("/api/v1/auth/token", &grant, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let machine = res.body["access_token"].as_str().unwrap().to_string();
    let listed = app.get_as("/api/v1/enterprises", &machine).await;
    assert_eq!(listed.body["items"][0]["id"], id.as_str());
    app.post(&format!("/api/v1/enterprises/{id}/clients"), &json!({"name": "y"}), Some(&machine))
        .await
        .assert_problem(403, "forbidden_principal");

    let form = app
        .send(app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
        ]))
        .await;
    assert_eq!(form.status, 200, "{}", form.text);
    let mut wrong = grant.clone();
    wrong["client_secret"] = json!("nope");
    app.post("/api/v1/auth/token", &wrong, None).await.assert_problem(401, "invalid_client");
    let mut bad_grant = grant.clone();
    bad_grant["grant_type"] = json!("password");
    app.post("/api/v1/auth/token", &bad_grant, None).await.assert_problem(400, "unsupported_grant_type");

    let list = app.get_as(&format!("/api/v1/enterprises/{id}/clients"), &user).await;
    assert!(list.body["items"][0]["last_used_at"].is_string());
    assert!(!list.text.contains(&secret));
    let res = app
        .request(reqwest::Method::DELETE, &format!("/api/v1/enterprises/{id}/clients/{client_id}"), None, Some(&user))
        .await;
    assert_eq!(res.status, 204);
    app.post("/api/v1/auth/token", &grant, None).await.assert_problem(401, "invalid_client");
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let res = app.post(&format!("/api/v1/enterprises/{other}/clients"), &json!({"name": "by ops"}), Some(&admin)).await;
    assert_eq!(res.status, 201);
}

both_backends!(
    uscc_vectors_through_the_api,
    every_field_is_validated,
    scope_of_reads,
    self_registration_waits_for_its_city,
    paging_through_a_city_returns_each_once,
    profile_edits_need_if_match,
    machine_clients_and_the_token_grant,
);

#[tokio::test]
async fn registrations_are_throttled_per_address() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("REGISTRATION_LIMIT", "2")]).await.unwrap();
    for n in 0..2 {
        let body =
            json!({"enterprise": enterprise_body(n, "330106"), "username": format!("erp{n}"), "password": PASSWORD});
        assert_eq!(app.post("/api/v1/registrations", &body, None).await.status, 201);
    }
    let body = json!({"enterprise": enterprise_body(3, "330106"), "username": "erp3", "password": PASSWORD});
    let res = app.post("/api/v1/registrations", &body, None).await;
    res.assert_problem(429, "too_many_registrations");
    assert!(res.headers.contains_key("retry-after"));
    app.teardown().await;
}
