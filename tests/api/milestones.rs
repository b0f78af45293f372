//! Milestones: the review workflow, concurrency, catalogue rules, scope and bad input.

use serde_json::json;

use crate::helpers::world::{milestone, World};
use crate::helpers::TestApp;

async fn the_whole_workflow_for_the_right_roles_only(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let body = json!({
        "type": "smart_factory", "effective_on": "2023-06-30", "title": "年产10万台智能工厂",
        "details": {"project_name": "智能工厂一期", "investment_cny": 12500000.5, "document_number": "浙经信〔2023〕12号"},
        "evidence": [{"url": "https://example.org/notice.pdf"}, {"file_name": "认定文件.pdf", "sha256": "a".repeat(64)}],
    });
    let res = app.draft(&w.ent, &w.enterprise, &body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["state"], "draft");
    assert_eq!(res.body["details"]["investment_cny"], 12500000.5);
    let id = res.body["id"].as_str().unwrap().to_string();

    // Officials do not see drafts; nobody but the enterprise submits.
    app.get_as(&format!("/api/v1/milestones/{id}"), &w.rev_hz).await.assert_problem(404, "not_found");
    app.act(&w.rev_hz, &id, "submit", json!({})).await.assert_problem(404, "not_found");
    let res = app.act_ok(&w.ent, &id, "submit", json!({})).await;
    assert_eq!((res.body["state"].clone(), res.body["city_code"].clone()), (json!("submitted"), json!("330100")));

    app.act(&w.ent, &id, "approve", json!({})).await.assert_problem(403, "forbidden_role");
    app.act(&w.rev_nb, &id, "approve", json!({})).await.assert_problem(404, "not_found");
    let res = app.act(&w.province, &id, "approve", json!({})).await;
    res.assert_problem(403, "forbidden_role");
    assert_eq!(res.body["stage"], "city");
    let res = app.act(&w.rev_hz, &id, "return", json!({})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("comment"));
    let res = app.act_ok(&w.rev_hz, &id, "return", json!({"comment": "请补充认定文件"})).await;
    assert_eq!(res.body["comment"], "请补充认定文件");

    let path = format!("/api/v1/milestones/{id}");
    let res = app.patch(&path, &json!({"title": "年产12万台智能工厂"}), &w.ent, None).await;
    res.assert_problem(428, "if_match_required");
    let etag = app.get_as(&path, &w.ent).await.headers["etag"].to_str().unwrap().to_string();
    let res = app.patch(&path, &json!({"title": "年产12万台智能工厂"}), &w.ent, Some(&etag)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.act_ok(&w.ent, &id, "submit", json!({})).await;
    app.patch(&path, &json!({"title": "x"}), &w.ent, Some(&etag)).await.assert_problem(412, "stale_version");

    let res = app.act(&w.rev_hz, &id, "approve", json!({"effective_on": "2099-01-01"})).await;
    assert_eq!(res.first_error_field(), Some("effective_on"));
    let res = app.act_ok(&w.rev_hz, &id, "approve", json!({"effective_on": "2023-07-01"})).await;
    assert_eq!((res.body["state"].clone(), res.body["effective_on"].clone()), (json!("approved"), json!("2023-07-01")));
    assert!(res.body["approved_at"].is_string());
    let res = app.patch(&path, &json!({"title": "y"}), &w.ent, Some(res.headers["etag"].to_str().unwrap())).await;
    res.assert_problem(409, "not_editable");

    app.act(&w.rev_hz, &id, "revoke", json!({"comment": "x", "effective_on": "2024-01-01"}))
        .await
        .assert_problem(403, "forbidden_role");
    let res = app.act(&w.province, &id, "revoke", json!({"comment": "撤销"})).await;
    assert_eq!(res.first_error_field(), Some("effective_on"));
    let res = app.act(&w.province, &id, "revoke", json!({"comment": "撤销", "effective_on": "2023-01-01"})).await;
    assert_eq!(res.first_error_field(), Some("effective_on"));
    let res =
        app.act_ok(&w.province, &id, "revoke", json!({"comment": "企业已搬迁", "effective_on": "2024-03-01"})).await;
    assert_eq!(
        (res.body["state"].clone(), res.body["revoked_effective_on"].clone()),
        (json!("revoked"), json!("2024-03-01"))
    );
    app.act(&w.province, &id, "revoke", json!({"comment": "again", "effective_on": "2024-03-01"}))
        .await
        .assert_problem(409, "invalid_transition");

    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &w.rev_hz).await;
    let steps: Vec<(&str, &str)> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["action"].as_str().unwrap(), h["actor_role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("create", "enterprise"),
            ("submit", "enterprise"),
            ("return", "city_reviewer"),
            ("edit", "enterprise"),
            ("submit", "enterprise"),
            ("approve", "city_reviewer"),
            ("revoke", "province_officer"),
        ]
    );
    assert_eq!(history.body["items"][2]["comment"], "请补充认定文件");
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let audit = app.get_as("/api/v1/audit-events?action=milestone.approve", &auditor).await;
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.get_as("/api/v1/audit-events/verify", &auditor).await.body["ok"], true);
}

async fn illegal_transitions_name_the_state(app: &TestApp) {
    let w = World::new(app).await;
    let id = app.draft_id(&w.ent, &w.enterprise, &milestone("digital_workshop", None, "2023-01-10")).await;
    let res = app.act(&w.ent, &id, "withdraw", json!({})).await;
    res.assert_problem(409, "invalid_transition");
    assert_eq!(res.body["state"], "draft");
    app.act_ok(&w.ent, &id, "submit", json!({})).await;
    app.act(&w.ent, &id, "submit", json!({})).await.assert_problem(409, "invalid_transition");
    app.act_ok(&w.ent, &id, "withdraw", json!({})).await;
    let res = app.act(&w.rev_hz, &id, "approve", json!({})).await;
    assert_eq!((res.status.as_u16(), res.body["state"].clone()), (409, json!("withdrawn")));
    let res = app.act(&w.rev_hz, &id, "reject", json!({"comment": "no"})).await;
    assert_eq!(res.body["state"], "withdrawn");
}

async fn an_unverified_enterprise_cannot_submit(app: &TestApp) {
    let body = json!({"enterprise": crate::helpers::fixtures::enterprise_body(9, "330106"), "username": "self.reg", "password": "Factory-Pass9"});
    let reg = app.post("/api/v1/registrations", &body, None).await;
    let enterprise = reg.body["enterprise"]["id"].as_str().unwrap().to_string();
    let token = app.token_for_password("self.reg", "Factory-Pass9").await;
    let id = app.draft_id(&token, &enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2022-03-01")).await;
    app.act(&token, &id, "submit", json!({})).await.assert_problem(409, "enterprise_unverified");
    let reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    app.post(&format!("/api/v1/enterprises/{enterprise}/verify"), &json!({}), Some(&reviewer)).await;
    app.act_ok(&token, &id, "submit", json!({})).await;
}

async fn sixteen_concurrent_approvals_one_wins(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let mut reviewers = Vec::new();
    for i in 0..16 {
        reviewers.push(app.token_for(&format!("rev.hz{i}"), "city_reviewer", Some("330100"), None).await);
    }
    for round in 0..2 {
        let id = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2023-05-05")).await;
        let etag = app.act_ok(&w.ent, &id, "submit", json!({})).await.headers["etag"].to_str().unwrap().to_string();
        let requests = reviewers.iter().map(|t| {
            let mut req =
                app.client.post(app.url(&format!("/api/v1/milestones/{id}/approve"))).bearer_auth(t).json(&json!({}));
            if round == 1 {
                req = req.header("if-match", etag.clone());
            }
            app.send(req)
        });
        let results = futures_util::future::join_all(requests).await;
        let mut statuses: Vec<u16> = results.iter().map(|r| r.status.as_u16()).collect();
        statuses.sort();
        let wins = statuses.iter().filter(|s| **s == 200).count();
        assert_eq!(wins, 1, "round {round}: {statuses:?}");
        let expected_loss = if round == 0 { 409 } else { 412 };
        assert!(statuses.iter().all(|s| *s == 200 || *s == expected_loss), "round {round}: {statuses:?}");
        let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &w.ent).await;
        let approvals = history.body["items"].as_array().unwrap().iter().filter(|h| h["action"] == "approve").count();
        assert_eq!(approvals, 1);
    }
}

/// Approvals of different records running at once all land: those that add the same new row of
/// the statistics aggregate, and tier approvals that supersede (which audit more than one entry).
/// Under PostgreSQL this once failed with a primary-key conflict and a deadlock.
async fn concurrent_approvals_of_different_records_all_land(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let mut ids = Vec::new();
    // Twelve enterprises of one county, recognised on the same day: every approval adds to the
    // same new rows of the aggregate.
    for n in 0..12u32 {
        let enterprise = app.create_enterprise(&w.province, 40 + n, "330106").await;
        let token = app.token_for(&format!("ent.c{n}"), "enterprise", None, Some(&enterprise)).await;
        let id = app.draft_id(&token, &enterprise, &milestone("smart_factory", None, "2023-05-05")).await;
        app.act_ok(&token, &id, "submit", json!({})).await;
        ids.push(id);
    }
    for (kind, level, on) in [("eaglet", Some("pool"), "2022-01-01"), ("eagle", None, "2023-03-01")] {
        let id = app.draft_id(&w.ent, &w.enterprise, &milestone(kind, level, on)).await;
        app.act_ok(&w.ent, &id, "submit", json!({})).await;
        ids.push(id);
    }
    let mut reviewers = Vec::new();
    for i in 0..ids.len() {
        reviewers.push(app.token_for(&format!("rev.hz{i}"), "city_reviewer", Some("330100"), None).await);
    }
    let requests = ids.iter().zip(&reviewers).map(|(id, t)| {
        app.send(app.client.post(app.url(&format!("/api/v1/milestones/{id}/approve"))).bearer_auth(t).json(&json!({})))
    });
    let results = futures_util::future::join_all(requests).await;
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let q = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-12-31";
    let stats = app.get_as(q, &w.province).await;
    assert_eq!(stats.body["province"]["increment"], 12, "{}", stats.text);
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let chain = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(chain.body["ok"], true, "{}", chain.text);
}

async fn catalogue_rules(app: &TestApp) {
    let w = World::new(app).await;
    let e = &w.enterprise;
    let first = app.draft_id(&w.ent, e, &milestone("high_tech_enterprise", None, "2022-01-01")).await;
    let dup = app.draft(&w.ent, e, &milestone("high_tech_enterprise", None, "2023-01-01")).await;
    dup.assert_problem(409, "duplicate_milestone");
    assert_eq!(dup.body["existing"], format!("/api/v1/milestones/{first}"));

    app.draft_id(&w.ent, e, &milestone("cloud_adoption", Some("on_cloud"), "2021-01-01")).await;
    app.draft(&w.ent, e, &milestone("cloud_adoption", Some("on_cloud"), "2021-02-01"))
        .await
        .assert_problem(409, "duplicate_milestone");
    app.draft_id(&w.ent, e, &milestone("cloud_adoption", Some("benchmark"), "2022-01-01")).await;
    app.draft_id(&w.ent, e, &milestone("smart_factory", None, "2022-01-01")).await;
    app.draft_id(&w.ent, e, &milestone("smart_factory", None, "2022-02-01")).await;

    let res = app.draft(&w.ent, e, &milestone("cloud_adoption", None, "2021-01-01")).await;
    assert_eq!(res.first_error_field(), Some("level"));
    let res = app.draft(&w.ent, e, &milestone("smart_factory", Some("gold"), "2021-01-01")).await;
    assert_eq!(res.first_error_field(), Some("level"));

    // A rejected record no longer blocks a new one.
    app.act_ok(&w.ent, &first, "submit", json!({})).await;
    app.act_ok(&w.rev_hz, &first, "reject", json!({"comment": "材料不全"})).await;
    app.draft_id(&w.ent, e, &milestone("high_tech_enterprise", None, "2023-01-01")).await;
}

async fn a_new_tier_ends_the_old_one(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let eaglet = app.draft_id(&w.ent, &w.enterprise, &milestone("eaglet", Some("recognised"), "2021-05-01")).await;
    app.act_ok(&w.ent, &eaglet, "submit", json!({})).await;
    app.act_ok(&w.rev_hz, &eaglet, "approve", json!({})).await;
    let eagle = app.draft_id(&w.ent, &w.enterprise, &milestone("eagle", None, "2023-03-01")).await;
    app.act_ok(&w.ent, &eagle, "submit", json!({})).await;
    let res = app.act_ok(&w.rev_hz, &eagle, "approve", json!({})).await;
    assert_eq!(res.body["ended_on"], serde_json::Value::Null);
    let old = app.get_as(&format!("/api/v1/milestones/{eaglet}"), &w.ent).await;
    assert_eq!((old.body["state"].clone(), old.body["ended_on"].clone()), (json!("approved"), json!("2023-03-01")));
    let history = app.get_as(&format!("/api/v1/milestones/{eaglet}/history"), &w.ent).await;
    assert_eq!(history.body["items"].as_array().unwrap().last().unwrap()["action"], "supersede");
    // The old tier no longer blocks a new eaglet record.
    app.draft_id(&w.ent, &w.enterprise, &milestone("eaglet", Some("recognised"), "2024-01-01")).await;
}

async fn bad_input_is_a_problem_never_a_500(app: &TestApp) {
    let w = World::new(app).await;
    let e = &w.enterprise;
    let cases = [
        (milestone("teleportation", None, "2023-01-01"), "type"),
        (milestone("smart_factory", None, "2099-01-01"), "effective_on"),
        (milestone("smart_factory", None, "2023-02-30"), "effective_on"),
        (milestone("smart_factory", None, "30/06/2023"), "effective_on"),
        (json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "x".repeat(201)}), "title"),
        (json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": ""}), "title"),
        (json!({"type": 5, "effective_on": "2023-01-01", "title": "t"}), "type"),
        (json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "t", "colour": "red"}), "colour"),
        (
            json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "t", "details": {"investment_cny": -1}}),
            "details.investment_cny",
        ),
        (
            json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "t", "details": {"investment_cny": "lots"}}),
            "details.investment_cny",
        ),
        (
            json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "t", "evidence": [{"url": "ftp://x"}]}),
            "evidence[0].url",
        ),
        (json!({"type": "smart_factory", "effective_on": "2023-01-01", "title": "t", "evidence": "none"}), "evidence"),
        (json!({"type": "smart_factory", "title": "t"}), "effective_on"),
    ];
    for (body, field) in cases {
        let res = app.draft(&w.ent, e, &body).await;
        res.assert_problem(422, "validation_failed");
        assert!(
            res.body["errors"].as_array().unwrap().iter().any(|x| x["field"] == field),
            "{body}: expected `{field}` in {}",
            res.text
        );
    }
    let raw = app
        .client
        .post(app.url(&format!("/api/v1/enterprises/{e}/milestones")))
        .bearer_auth(&w.ent)
        .header("content-type", "application/json");
    app.send(raw.body("{\"type\":")).await.assert_problem(400, "malformed_json");
    let other = app.create_enterprise(&w.province, 2, "330106").await;
    app.draft(&w.ent, &other, &milestone("smart_factory", None, "2023-01-01")).await.assert_problem(404, "not_found");
    app.act(&w.ent, "not-a-uuid", "submit", json!({})).await.assert_problem(400, "invalid_parameter");
    let res = app.act(&w.ent, "0193a0b0-0000-7000-8000-000000000000", "submit", json!({"comment": 5})).await;
    res.assert_problem(422, "validation_failed");
    let ok = app.draft_id(&w.ent, e, &milestone("smart_factory", None, "2023-01-01")).await;
    let res = app.act(&w.ent, &ok, "submit", json!({"effective_on": "2023-01-01"})).await;
    assert_eq!(res.first_error_field(), Some("effective_on"));
    // An empty body is fine for transitions.
    let res = app.send(app.client.post(app.url(&format!("/api/v1/milestones/{ok}/submit"))).bearer_auth(&w.ent)).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn lists_follow_scope(app: &TestApp) {
    let w = World::new(app).await;
    let nb_ent = app.create_enterprise(&w.province, 2, "330212").await;
    let nb_user = app.token_for("ent.nb", "enterprise", None, Some(&nb_ent)).await;
    let a = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2023-01-01")).await;
    app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2023-02-01")).await;
    let b = app.draft_id(&nb_user, &nb_ent, &milestone("smart_factory", None, "2023-03-01")).await;
    app.act_ok(&w.ent, &a, "submit", json!({})).await;
    app.act_ok(&nb_user, &b, "submit", json!({})).await;

    let ids = |res: &crate::helpers::TestResponse| -> Vec<String> {
        res.body["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&app.get_as("/api/v1/milestones?state=submitted", &w.rev_hz).await), [a.as_str()]);
    assert_eq!(ids(&app.get_as("/api/v1/milestones?state=submitted", &w.rev_nb).await), [b.as_str()]);
    assert_eq!(ids(&app.get_as("/api/v1/milestones", &w.ent).await).len(), 2);
    assert_eq!(ids(&app.get_as("/api/v1/milestones", &w.province).await).len(), 2);
    assert_eq!(ids(&app.get_as("/api/v1/milestones?state=draft", &w.province).await).len(), 0);
    assert_eq!(ids(&app.get_as("/api/v1/milestones?effective_from=2023-02-15", &w.province).await), [b.as_str()]);
    assert_eq!(ids(&app.get_as("/api/v1/milestones?city=330200", &w.rev_hz).await).len(), 0);
    app.get_as("/api/v1/milestones?state=lost", &w.province).await.assert_problem(400, "invalid_parameter");
    app.get_as("/api/v1/milestones?type=nope", &w.province).await.assert_problem(400, "invalid_parameter");
    app.get_as("/api/v1/milestones?effective_to=tomorrow", &w.province).await.assert_problem(400, "invalid_parameter");
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    app.get_as("/api/v1/milestones", &admin).await.assert_problem(403, "forbidden_role");
}

both_backends!(
    the_whole_workflow_for_the_right_roles_only,
    illegal_transitions_name_the_state,
    an_unverified_enterprise_cannot_submit,
    sixteen_concurrent_approvals_one_wins,
    concurrent_approvals_of_different_records_all_land,
    catalogue_rules,
    a_new_tier_ends_the_old_one,
    bad_input_is_a_problem_never_a_500,
    lists_follow_scope,
);

async fn idempotent_creates_and_transitions(app: &TestApp) {
    let w = World::new(app).await;
    let path = format!("/api/v1/enterprises/{}/milestones", w.enterprise);
    let body = milestone("smart_factory", None, "2023-04-04");
    let key = [("idempotency-key", "erp-batch-42")];
    let first = app.request_with(reqwest::Method::POST, &path, Some(&body), Some(&w.ent), &key).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = app.request_with(reqwest::Method::POST, &path, Some(&body), Some(&w.ent), &key).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let list = app.get_as("/api/v1/milestones", &w.ent).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1, "a replay created a record");
    let other = milestone("smart_factory", None, "2023-05-05");
    let res = app.request_with(reqwest::Method::POST, &path, Some(&other), Some(&w.ent), &key).await;
    res.assert_problem(422, "idempotency_key_reused");

    let id = first.body["id"].as_str().unwrap();
    let submit = format!("/api/v1/milestones/{id}/submit");
    let key = [("idempotency-key", "submit-1")];
    let a = app.request_with(reqwest::Method::POST, &submit, Some(&json!({})), Some(&w.ent), &key).await;
    let b = app.request_with(reqwest::Method::POST, &submit, Some(&json!({})), Some(&w.ent), &key).await;
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200));
    assert_eq!(a.body, b.body);
    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &w.ent).await;
    assert_eq!(history.body["items"].as_array().unwrap().len(), 2, "create and one submit");
}

both_backends!(idempotent_creates_and_transitions);
