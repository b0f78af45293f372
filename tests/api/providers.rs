//! Service providers (DESIGN §3.9): the register, provider accounts and machine clients,
//! delegations and the provider's scope (delegated types while in force, 404 otherwise,
//! revocation at once, racing too), and records carrying who submitted them.

use enterprise_registry::accounts::{self, RawAccount};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::fixtures::{uscc, PASSWORD};
use crate::helpers::world::{milestone, World};
use crate::helpers::{TestApp, TestResponse};

crate::both_backends!(
    providers_are_registered_with_accounts_and_clients,
    a_delegated_provider_reports_for_the_enterprise,
    delegations_are_checked_and_expire,
);
crate::both_backends_with!(&[("DB_POOL_SIZE", "12")]; a_revocation_racing_a_provider_cuts_it_off);

impl TestApp {
    /// Registers provider number `n` as `province`; returns its id.
    pub async fn provider(&self, province: &str, n: u32) -> String {
        let body = json!({"uscc": uscc(900 + n), "name": format!("浙江云服务{n}有限公司")});
        let res = self.post("/api/v1/providers", &body, Some(province)).await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    }

    /// A provider user of `provider_id`, logged in.
    pub async fn provider_token(&self, username: &str, provider_id: &str) -> String {
        let raw = RawAccount {
            username: username.into(),
            password: PASSWORD.into(),
            role: "provider".into(),
            provider_id: Some(provider_id.into()),
            ..Default::default()
        };
        let reference = self.state.reference.clone();
        self.state.db.write(move |c| accounts::create_direct(c, raw, &reference, false)).await.unwrap();
        self.token(username).await
    }

    /// Delegates `types` of `enterprise` to `provider_id` as `grantor`; returns the delegation id.
    pub async fn delegate(&self, grantor: &str, enterprise: &str, provider_id: &str, types: &[&str]) -> String {
        let body = json!({"provider_id": provider_id, "types": types});
        let res = self.post(&format!("/api/v1/enterprises/{enterprise}/delegations"), &body, Some(grantor)).await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    }

    /// `POST /bulk/milestones` with `Idempotency-Key: key`.
    pub async fn bulk(&self, token: &str, key: &str, items: &[Value]) -> TestResponse {
        let body = json!({"items": items});
        self.request_with(
            Method::POST,
            "/api/v1/bulk/milestones",
            Some(&body),
            Some(token),
            &[("Idempotency-Key", key)],
        )
        .await
    }
}

fn ids(res: &TestResponse) -> Vec<String> {
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

async fn providers_are_registered_with_accounts_and_clients(app: &TestApp) {
    let w = World::new(app).await;
    let ops = app.token_for("ops", "sysadmin", None, None).await;
    // The register: the province writes, a checked USCC, no USCC twice.
    let bad =
        app.post("/api/v1/providers", &json!({"uscc": "91330100MA27XL0E2Y", "name": "x"}), Some(&w.province)).await;
    bad.assert_problem(422, "validation_failed");
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["uscc", "name"], "{}", bad.text);
    let aliyun = app.provider(&w.province, 1).await;
    let again = json!({"uscc": format!(" {} ", uscc(901).to_lowercase()), "name": "另一家"});
    let res = app.post("/api/v1/providers", &again, Some(&w.province)).await;
    res.assert_problem(409, "uscc_taken");
    assert_eq!(res.body["existing"], aliyun.as_str());
    app.post("/api/v1/providers", &again, Some(&w.ent)).await.assert_problem(403, "forbidden_role");
    let list = app.get_as("/api/v1/providers", &w.ent).await;
    assert_eq!(ids(&list), [aliyun.as_str()]);
    assert_eq!(list.body["items"][0]["uscc"], uscc(901));
    app.get_as("/api/v1/providers", &ops).await.assert_problem(403, "forbidden_role");

    // Accounts: `provider_id` is required for, and only for, the role, and must exist.
    let user = |extra: Value| {
        let mut b = json!({"username": "ali.ops", "password": "Ali-Provider!2024", "role": "provider"});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let cases = [
        (json!({}), "required"),
        (json!({"provider_id": "nope"}), "invalid_format"),
        (json!({"provider_id": "0193a0b0-0000-7000-8000-000000000000"}), "not_found"),
    ];
    for (extra, code) in cases {
        let res = app.post("/api/v1/users", &user(extra.clone()), Some(&ops)).await;
        assert_eq!(res.status, 422, "{extra}: {}", res.text);
        assert_eq!(
            (res.body["errors"][0]["field"].as_str(), res.body["errors"][0]["code"].as_str()),
            (Some("provider_id"), Some(code))
        );
    }
    let sys = json!({"username": "sys.p", "password": "Ali-Provider!2024", "role": "sysadmin", "provider_id": aliyun});
    let res = app.post("/api/v1/users", &sys, Some(&ops)).await;
    assert_eq!(
        (res.status.as_u16(), res.body["errors"][0]["code"].as_str()),
        (422, Some("not_allowed")),
        "{}",
        res.text
    );
    let res = app.post("/api/v1/users", &user(json!({"provider_id": aliyun})), Some(&ops)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        (res.body["role"].as_str(), res.body["provider_id"].as_str()),
        (Some("provider"), Some(aliyun.as_str()))
    );
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let me = app.get_as("/api/v1/me", &staff).await;
    assert_eq!((me.body["role"].as_str(), me.body["provider_id"].as_str()), (Some("provider"), Some(aliyun.as_str())));

    // Machine clients: the provider's users and sysadmins; tokens act as the provider.
    let other = app.provider(&w.province, 2).await;
    let path = format!("/api/v1/providers/{aliyun}/clients");
    let created = app.post(&path, &json!({"name": "批量上报"}), Some(&staff)).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let (client_id, secret) =
        (created.body["client_id"].as_str().unwrap().to_string(), created.body["client_secret"].as_str().unwrap());
    let grant = json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret});
    let token = app.post("/api/v1/auth/token", &grant, None).await;
    assert_eq!(token.status, 200, "{}", token.text);
    let machine = token.body["access_token"].as_str().unwrap().to_string();
    let claims = app.state.tokens.verify(&machine).unwrap();
    assert_eq!((claims.role.as_str(), claims.provider_id.as_deref()), ("provider", Some(aliyun.as_str())));
    app.post(&path, &json!({"name": "x"}), Some(&machine)).await.assert_problem(403, "forbidden_principal");
    app.get_as(&format!("/api/v1/providers/{other}/clients"), &staff).await.assert_problem(404, "not_found");
    app.get_as(&path, &w.ent).await.assert_problem(403, "forbidden_role");
    let listed = app.get_as(&path, &ops).await;
    assert_eq!(listed.body["items"][0]["client_id"], client_id.as_str());
    assert!(listed.body["items"][0]["last_used_at"].is_string());
    let res = app.request(Method::DELETE, &format!("{path}/{client_id}"), None, Some(&staff)).await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.post("/api/v1/auth/token", &grant, None).await.assert_problem(401, "invalid_client");
    let res = app.request(Method::DELETE, &format!("{path}/{client_id}"), None, Some(&staff)).await;
    res.assert_problem(404, "not_found");
}

async fn a_delegated_provider_reports_for_the_enterprise(app: &TestApp) {
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let other = app.create_enterprise(&w.province, 2, "330212").await; // Ningbo, never delegated
    let other_user = app.token_for("ent.nb", "enterprise", None, Some(&other)).await;
    let aliyun = app.provider(&w.province, 1).await;
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let delegation = app.delegate(&w.ent, &w.enterprise, &aliyun, &["cloud_adoption"]).await;

    // Single calls: create, read, edit, submit a delegated type; its fields say who submitted.
    let body = milestone("cloud_adoption", Some("on_cloud"), "2024-03-01");
    let id = app.draft_id(&staff, &w.enterprise, &body).await;
    let res = app.get_as(&format!("/api/v1/milestones/{id}"), &staff).await;
    assert_eq!((res.status.as_u16(), res.body["provider_id"].as_str()), (200, Some(aliyun.as_str())));
    let res =
        app.patch(&format!("/api/v1/milestones/{id}"), &json!({"title": "阿里云上云"}), &staff, Some("\"1\"")).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.act_ok(&staff, &id, "submit", json!({})).await;
    let claims = app.state.tokens.verify(&staff).unwrap();
    assert_eq!(res.body["submitted_by"], claims.id.as_str());
    assert_eq!(res.body["state"], "submitted");
    // The enterprise sees it among its own; the reviewer sees who submitted it.
    let own = app.get_as("/api/v1/milestones", &w.ent).await;
    assert!(ids(&own).contains(&id));
    let queue = app.get_as("/api/v1/milestones?state=submitted", &w.rev_hz).await;
    let item = &queue.body["items"][0];
    assert_eq!((item["id"].as_str(), item["provider_id"].as_str()), (Some(id.as_str()), Some(aliyun.as_str())));
    assert_eq!(item["submitted_by"], claims.id.as_str());

    // Bulk for the same enterprise, by id and by USCC, submitted.
    let mut a = milestone("cloud_adoption", Some("deep_cloud_use"), "2024-04-01");
    a["enterprise_id"] = json!(w.enterprise);
    a["submit"] = json!(true);
    let mut b = milestone("cloud_adoption", Some("benchmark"), "2024-05-01");
    b["uscc"] = json!(uscc(1));
    let res = app.bulk(&staff, "k-1", &[a, b]).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let results = res.body["results"].as_array().unwrap();
    assert_eq!(results.iter().map(|r| r["status"].as_u64().unwrap()).collect::<Vec<_>>(), [201, 201]);
    let bulk_submitted = results[0]["id"].as_str().unwrap().to_string();
    let bulk_draft = results[1]["id"].as_str().unwrap().to_string();
    assert_eq!(app.get_as(&format!("/api/v1/milestones/{bulk_submitted}"), &w.rev_hz).await.body["state"], "submitted");
    app.get_as(&format!("/api/v1/milestones/{bulk_draft}"), &w.rev_hz).await.assert_problem(404, "not_found");

    // Another type of this enterprise, and an enterprise that did not delegate: 404.
    let smart = milestone("smart_factory", None, "2024-01-01");
    app.draft(&staff, &w.enterprise, &smart).await.assert_problem(404, "not_found");
    let theirs = app.draft_id(&other_user, &other, &milestone("cloud_adoption", Some("on_cloud"), "2024-01-01")).await;
    app.draft(&staff, &other, &body).await.assert_problem(404, "not_found");
    app.get_as(&format!("/api/v1/milestones/{theirs}"), &staff).await.assert_problem(404, "not_found");
    let own_smart = app.draft_id(&w.ent, &w.enterprise, &smart).await;
    app.get_as(&format!("/api/v1/milestones/{own_smart}"), &staff).await.assert_problem(404, "not_found");
    app.act(&staff, &own_smart, "submit", json!({})).await.assert_problem(404, "not_found");
    let mut c = smart.clone();
    c["enterprise_id"] = json!(w.enterprise);
    let res = app.bulk(&staff, "k-2", &[c]).await;
    assert_eq!(res.body["results"][0]["status"], 404, "{}", res.text);
    // It is not a reader of enterprises, but may read its own delegation.
    app.get_as(&format!("/api/v1/enterprises/{}", w.enterprise), &staff).await.assert_problem(403, "forbidden_role");
    let d = app.get_as(&format!("/api/v1/enterprises/{}/delegations", w.enterprise), &staff).await;
    assert_eq!(ids(&d), [delegation.as_str()]);
    app.get_as(&format!("/api/v1/enterprises/{other}/delegations"), &staff).await.assert_problem(404, "not_found");

    // The enterprise withdraws the provider's submission.
    let res = app.act_ok(&w.ent, &bulk_submitted, "withdraw", json!({})).await;
    assert_eq!(res.body["provider_id"], aliyun.as_str());
    // The provider's list: the delegated records only (the enterprise's own draft of that type too).
    let level = milestone("cloud_adoption", Some("deep_cloud_use"), "2023-01-01");
    let own_cloud = app.draft_id(&w.ent, &w.enterprise, &level).await;
    let mut listed = ids(&app.get_as("/api/v1/milestones?limit=500", &staff).await);
    listed.sort();
    let mut want = vec![id.clone(), bulk_submitted.clone(), bulk_draft.clone(), own_cloud];
    want.sort();
    assert_eq!(listed, want);

    // Its event feed: its delegation, and the delegated type's changes of this enterprise (the
    // two submissions and the withdrawal), not the other types' or enterprises'.
    let submit_other =
        app.draft_id(&other_user, &other, &milestone("cloud_adoption", Some("deep_cloud_use"), "2024-01-02")).await;
    app.act_ok(&other_user, &submit_other, "submit", json!({})).await;
    app.act_ok(&w.ent, &own_smart, "submit", json!({})).await;
    enterprise_registry::events::assigner::step(&app.state.db, &app.state.events).await.unwrap();
    let feed = app.get_as("/api/v1/events?limit=1000", &staff).await;
    assert_eq!(feed.status, 200, "{}", feed.text);
    let seen: Vec<(String, String)> = feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["milestone_id"].as_str().unwrap_or("").to_string()))
        .collect();
    let want = [
        ("delegation.granted".to_string(), String::new()),
        ("milestone.submitted".to_string(), id.clone()),
        ("milestone.submitted".to_string(), bulk_submitted.clone()),
        ("milestone.withdrawn".to_string(), bulk_submitted.clone()),
    ];
    assert_eq!(seen, want);

    // Revocation: at once, everything of the enterprise is 404 to the provider.
    let res = app
        .request(
            Method::DELETE,
            &format!("/api/v1/enterprises/{}/delegations/{delegation}", w.enterprise),
            None,
            Some(&w.ent),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.get_as(&format!("/api/v1/milestones/{id}"), &staff).await.assert_problem(404, "not_found");
    app.act(&staff, &bulk_draft, "submit", json!({})).await.assert_problem(404, "not_found");
    app.draft(&staff, &w.enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2022-01-01"))
        .await
        .assert_problem(404, "not_found");
    assert!(ids(&app.get_as("/api/v1/milestones", &staff).await).is_empty());
    app.get_as(&format!("/api/v1/enterprises/{}/delegations", w.enterprise), &staff)
        .await
        .assert_problem(404, "not_found");
    let mut d = milestone("cloud_adoption", Some("on_cloud"), "2022-01-01");
    d["enterprise_id"] = json!(w.enterprise);
    assert_eq!(app.bulk(&staff, "k-3", &[d]).await.body["results"][0]["status"], 404);
    // The enterprise still sees the delegation, revoked; its records stay with it.
    let list = app.get_as(&format!("/api/v1/enterprises/{}/delegations", w.enterprise), &w.ent).await;
    assert_eq!(list.body["items"][0]["in_force"], false);
    assert!(list.body["items"][0]["revoked_at"].is_string());
    assert_eq!(app.get_as(&format!("/api/v1/milestones/{id}"), &w.ent).await.body["provider_id"], aliyun.as_str());
    // The enterprise's event feed shows the grant and the revocation, once each, in order.
    enterprise_registry::events::assigner::step(&app.state.db, &app.state.events).await.unwrap();
    let feed = app.get_as("/api/v1/events?limit=1000", &w.ent).await;
    let delegation_events: Vec<&str> = feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str().filter(|t| t.starts_with("delegation.")))
        .collect();
    assert_eq!(delegation_events, ["delegation.granted", "delegation.revoked"]);
    // The provider's feed now holds only its delegation's changes: the records are out of scope.
    enterprise_registry::events::assigner::step(&app.state.db, &app.state.events).await.unwrap();
    let feed = app.get_as("/api/v1/events?limit=1000", &staff).await;
    let types: Vec<&str> = feed.body["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["delegation.granted", "delegation.revoked"]);
}

async fn delegations_are_checked_and_expire(app: &TestApp) {
    let w = World::new(app).await;
    let aliyun = app.provider(&w.province, 1).await;
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let path = format!("/api/v1/enterprises/{}/delegations", w.enterprise);
    let res =
        app.post(&path, &json!({"provider_id": "nope", "types": [], "expires_on": "2020-01-01"}), Some(&w.ent)).await;
    res.assert_problem(422, "validation_failed");
    let got: Vec<(String, String)> = res.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect();
    let want = [("provider_id", "invalid_format"), ("types", "required"), ("expires_on", "in_past")];
    assert_eq!(got, want.map(|(f, c)| (f.to_string(), c.to_string())));
    let body = json!({"provider_id": aliyun, "types": ["cloud_adoption", "nope", "cloud_adoption"]});
    let res = app.post(&path, &body, Some(&w.ent)).await;
    let fields: Vec<&str> =
        res.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(fields, ["unknown_type", "duplicate"], "{}", res.text);
    // Who grants: the enterprise and its city reviewer; another city's reviewer does not see it.
    let body = json!({"provider_id": aliyun, "types": ["cloud_adoption"]});
    app.post(&path, &body, Some(&w.rev_nb)).await.assert_problem(404, "not_found");
    app.post(&path, &body, Some(&w.province)).await.assert_problem(403, "forbidden_role");
    app.post(&path, &body, Some(&staff)).await.assert_problem(403, "forbidden_role");
    let today = app.state.clock.today_shanghai();
    let body = json!({"provider_id": aliyun, "types": ["cloud_adoption"], "expires_on": today.to_string()});
    let res = app.post(&path, &body, Some(&w.rev_hz)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        (res.body["in_force"].as_bool(), res.body["provider_name"].as_str()),
        (Some(true), Some("浙江云服务1有限公司"))
    );
    // Officials read the list; the last day is in force, the next is not.
    assert_eq!(ids(&app.get_as(&path, &w.province).await).len(), 1);
    app.get_as(&path, &w.rev_nb).await.assert_problem(404, "not_found");
    let m = milestone("cloud_adoption", Some("on_cloud"), "2024-01-01");
    let id = app.draft_id(&staff, &w.enterprise, &m).await;
    app.state.clock.set_offset(chrono::Duration::days(1));
    app.get_as(&format!("/api/v1/milestones/{id}"), &staff).await.assert_problem(404, "not_found");
    app.draft(&staff, &w.enterprise, &milestone("cloud_adoption", Some("benchmark"), "2024-01-01"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(app.get_as(&path, &w.ent).await.body["items"][0]["in_force"], false);
    app.state.clock.set_offset(chrono::Duration::zero());
    // Revoking twice, or an unknown delegation: 404.
    let d = res.body["id"].as_str().unwrap();
    let del = |tok: String, d: String| {
        let p = format!("{path}/{d}");
        async move { app.request(Method::DELETE, &p, None, Some(&tok)).await }
    };
    assert_eq!(del(w.rev_hz.clone(), d.to_string()).await.status, 204);
    del(w.ent.clone(), d.to_string()).await.assert_problem(404, "not_found");
    del(w.ent.clone(), "0193a0b0-0000-7000-8000-000000000000".into()).await.assert_problem(404, "not_found");
}

/// A revocation racing the provider's writes: every write either happened wholly before the
/// revocation committed (its record exists) or was refused with 404 — nothing is written for
/// the enterprise once the revocation is in, on either backend and across two instances.
async fn a_revocation_racing_a_provider_cuts_it_off(app: &TestApp) {
    let w = World::new(app).await;
    let aliyun = app.provider(&w.province, 1).await;
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let delegation = app.delegate(&w.ent, &w.enterprise, &aliyun, &["iip_platform"]).await;
    let revoke_path = format!("/api/v1/enterprises/{}/delegations/{delegation}", w.enterprise);
    let writes = (0..16).map(|i| {
        let staff = staff.clone();
        let enterprise = w.enterprise.clone();
        async move {
            let body = milestone("iip_platform", Some("industry"), "2024-01-01");
            let mut body = body;
            body["title"] = json!(format!("平台 {i}"));
            app.draft(&staff, &enterprise, &body).await
        }
    });
    let revoke = async { app.request(Method::DELETE, &revoke_path, None, Some(&w.ent)).await };
    let (results, revoked) = tokio::join!(join_all(writes), revoke);
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    let mut created = Vec::new();
    for r in &results {
        match r.status.as_u16() {
            201 => created.push(r.body["id"].as_str().unwrap().to_string()),
            404 => assert_eq!(r.body["code"], "not_found"),
            s => panic!("unexpected {s}: {}", r.text),
        }
    }
    // After the revocation nothing more gets in.
    let late = app.draft(&staff, &w.enterprise, &milestone("iip_platform", Some("industry"), "2024-01-01")).await;
    late.assert_problem(404, "not_found");
    // Every record the provider created was written before the revocation: writes to one
    // enterprise hold its lock until they commit and take their audit time under it, so the
    // trail's time order is their commit order, and each creation's entry comes before the
    // revocation's.
    let list = app.get_as("/api/v1/milestones?limit=500", &w.ent).await;
    let mine = list.body["items"].as_array().unwrap().iter().filter(|m| m["provider_id"] == aliyun.as_str()).count();
    assert_eq!(mine, created.len());
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let trail = app.get_as("/api/v1/audit-events?limit=500", &auditor).await;
    let seq_of = |action: &str, id: &str| {
        trail.body["items"].as_array().unwrap().iter().position(|e| e["action"] == action && e["object_id"] == id)
    };
    let revoked = seq_of("delegation.revoke", &delegation).expect("the revocation is audited");
    for id in &created {
        assert!(seq_of("milestone.create", id).unwrap() < revoked, "{id} was written after the revocation");
    }
}

crate::both_backends!(statistics_by_provider);

/// `GET /stats/providers`: each provider's actual over the records it submitted (§3.6 rules,
/// 家 here), its share of the province's actual (the progress table's), and the effect of a
/// revocation; figures computed by hand.
async fn statistics_by_provider(app: &TestApp) {
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let e2 = app.create_enterprise(&w.province, 2, "330106").await;
    let e3 = app.create_enterprise(&w.province, 3, "330106").await;
    let (u2, u3) = (
        app.token_for("ent.2", "enterprise", None, Some(&e2)).await,
        app.token_for("ent.3", "enterprise", None, Some(&e3)).await,
    );
    let (a, b, c) =
        (app.provider(&w.province, 1).await, app.provider(&w.province, 2).await, app.provider(&w.province, 3).await);
    let (sa, sb) = (app.provider_token("a.staff", &a).await, app.provider_token("b.staff", &b).await);
    app.delegate(&w.ent, &w.enterprise, &a, &["cloud_adoption"]).await;
    app.delegate(&u2, &e2, &b, &["cloud_adoption"]).await;
    // Enterprise 1: two levels by A (one enterprise); a pending one by A counts nothing.
    approved(app, &w.rev_hz, &sa, &w.enterprise, "on_cloud", "2023-03-01").await;
    approved(app, &w.rev_hz, &sa, &w.enterprise, "deep_cloud_use", "2023-05-01").await;
    let pending = app.draft_id(&sa, &w.enterprise, &milestone("cloud_adoption", Some("benchmark"), "2023-06-01")).await;
    app.act_ok(&sa, &pending, "submit", json!({})).await;
    // Enterprise 2: one by B, one by itself; enterprise 3: by itself.
    let by_b = approved(app, &w.rev_hz, &sb, &e2, "on_cloud", "2023-04-01").await;
    approved(app, &w.rev_hz, &u2, &e2, "deep_cloud_use", "2023-04-02").await;
    approved(app, &w.rev_hz, &u3, &e3, "on_cloud", "2023-02-01").await;

    let q = "plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2023&as_of=2023-12-31";
    let progress = app.get_as(&format!("/api/v1/stats/progress?{q}"), &w.province).await;
    assert_eq!(progress.body["province"]["actual"], 3, "{}", progress.text);
    let res = app.get_as(&format!("/api/v1/stats/providers?{q}"), &w.province).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!((res.body["unit"].as_str(), res.body["province_actual"].as_i64()), (Some("家"), Some(3)));
    let rows = |res: &TestResponse| -> Vec<(String, i64, Value)> {
        res.body["providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (p["provider_id"].as_str().unwrap().to_string(), p["actual"].as_i64().unwrap(), p["share"].clone())
            })
            .collect()
    };
    let mut ab = [a.clone(), b.clone()];
    ab.sort();
    let want = vec![(ab[0].clone(), 1, json!(0.3333)), (ab[1].clone(), 1, json!(0.3333)), (c.clone(), 0, json!(0.0))];
    assert_eq!(rows(&res), want);
    // As of a day before every record: nothing, and no share of nothing.
    let early = app
        .get_as(
            "/api/v1/stats/providers?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2023&as_of=2023-01-15",
            &w.province,
        )
        .await;
    assert_eq!(early.body["province_actual"], 0);
    assert!(early.body["providers"].as_array().unwrap().iter().all(|p| p["actual"] == 0 && p["share"].is_null()));
    // B's record revoked: B counts nothing; enterprise 2 still counts for the province.
    app.act_ok(&w.province, &by_b, "revoke", json!({"comment": "不实", "effective_on": "2023-04-01"})).await;
    let res = app.get_as(&format!("/api/v1/stats/providers?{q}"), &w.province).await;
    assert_eq!(res.body["province_actual"], 3);
    assert_eq!(rows(&res)[0], (a.clone(), 1, json!(0.3333)));
    assert!(rows(&res).contains(&(b.clone(), 0, json!(0.0))));
    // Only the province reads it; the parameters are checked.
    app.get_as(&format!("/api/v1/stats/providers?{q}"), &w.rev_hz).await.assert_problem(403, "forbidden_role");
    app.get_as(&format!("/api/v1/stats/providers?{q}"), &sa).await.assert_problem(403, "forbidden_role");
    let res = app.get_as("/api/v1/stats/providers?indicator=cloud_adoption_enterprises", &w.province).await;
    res.assert_problem(400, "invalid_parameter");
    let res = app.get_as("/api/v1/stats/providers?plan=ZJ2018-SZJJ&indicator=nope&year=2023", &w.province).await;
    res.assert_problem(404, "not_found");
}

/// A cloud record of `level` reported by `token` for `enterprise`, submitted and approved by
/// `reviewer`; returns its id.
async fn approved(app: &TestApp, reviewer: &str, token: &str, enterprise: &str, level: &str, on: &str) -> String {
    let id = app.draft_id(token, enterprise, &milestone("cloud_adoption", Some(level), on)).await;
    app.act_ok(token, &id, "submit", json!({})).await;
    app.act_ok(reviewer, &id, "approve", json!({})).await;
    id
}
