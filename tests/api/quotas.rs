//! Quotas and priority (DESIGN §3.7, issue 14 item 6): the province caps a city's
//! recommendations of a type per year; a recommendation past the cap is 409 `quota_exceeded`
//! (of racing recommendations for the last place exactly one passes); a place frees when the
//! province returns a record; recommendations carry a priority and the province's queue is
//! ordered by city, priority and submission time.

use chrono::{Datelike, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// The year of today in Asia/Shanghai, as the service's clock (no offset) sees it.
fn this_year() -> i32 {
    (Utc::now() + Duration::hours(8)).year()
}

fn quotas_path(code: &str, year: i32) -> String {
    format!("/api/v1/milestone-types/{code}/quotas/{year}")
}

async fn put_quotas(app: &TestApp, token: &str, code: &str, year: i32, quotas: Value) -> crate::helpers::TestResponse {
    app.request(Method::PUT, &quotas_path(code, year), Some(&json!({ "quotas": quotas })), Some(token)).await
}

/// An enterprise of `county` numbered `n` with a submitted smart-factory record; the record's id.
async fn submitted_record(app: &TestApp, province: &str, n: u32, county: &str) -> String {
    let enterprise = app.create_enterprise(province, n, county).await;
    let ent = app.token_for(&format!("ent{n}"), "enterprise", None, Some(&enterprise)).await;
    let id = app.draft_id(&ent, &enterprise, &milestone("smart_factory", None, "2023-06-30")).await;
    app.act_ok(&ent, &id, "submit", json!({})).await;
    id
}

crate::both_backends!(
    quotas_cap_a_citys_recommendations_in_a_year,
    the_provinces_queue_goes_by_city_priority_and_submission
);
crate::both_backends_with!(&[("DB_POOL_SIZE", "10")]; racing_recommendations_for_the_last_place_let_one_through);

async fn quotas_cap_a_citys_recommendations_in_a_year(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let year = this_year();

    // Who may read and set them.
    let res = put_quotas(app, &hz, "smart_factory", year, json!([{"city_code": "330100", "value": 1}])).await;
    res.assert_problem(403, "forbidden_role");
    let ent_user = app.token_for("nobody", "auditor", None, None).await;
    app.get_as(&quotas_path("smart_factory", year), &ent_user).await.assert_problem(403, "forbidden_role");
    put_quotas(app, &province, "no_such_type", year, json!([])).await.assert_problem(404, "not_found");
    let res = app.get_as(&quotas_path("smart_factory", 1999), &province).await;
    assert_eq!(res.status, 400, "{}", res.text);

    // Every wrong entry is named.
    let bad = json!([
        {"city_code": "330106", "value": 1},
        {"city_code": "330100", "value": -1},
        {"city_code": "330100", "value": 2},
    ]);
    let res = put_quotas(app, &province, "smart_factory", year, bad).await;
    res.assert_problem(422, "validation_failed");
    let fields: Vec<(&str, &str)> = res.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("quotas[0].city_code", "not_a_city"),
            ("quotas[1].value", "out_of_range"),
            ("quotas[2].city_code", "duplicate")
        ]
    );

    // Hangzhou may recommend one; last year's quota of none does not apply this year.
    let set = put_quotas(app, &province, "smart_factory", year, json!([{"city_code": "330100", "value": 1}])).await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["quotas"], json!([{"city_code": "330100", "value": 1, "used": 0}]));
    let last =
        put_quotas(app, &province, "smart_factory", year - 1, json!([{"city_code": "330100", "value": 0}])).await;
    assert_eq!(last.status, 200, "{}", last.text);

    let first = submitted_record(app, &province, 1, "330106").await;
    let second = submitted_record(app, &province, 2, "330108").await;
    let res = app.act_ok(&hz, &first, "approve", json!({"priority": 1})).await;
    assert_eq!(res.body["stage"], "province");
    assert_eq!(res.body["priority"], 1);
    assert!(res.body["recommended_on"].as_str().unwrap().starts_with(&year.to_string()));
    let res = app.act(&hz, &second, "approve", json!({})).await;
    res.assert_problem(409, "quota_exceeded");
    assert_eq!((res.body["quota"].clone(), res.body["used"].clone()), (json!(1), json!(1)));
    let view = app.get_as(&quotas_path("smart_factory", year), &hz).await;
    assert_eq!(view.body["quotas"], json!([{"city_code": "330100", "value": 1, "used": 1}]));
    // Nothing moved: the second record still waits at the city stage.
    let res = app.get_as(&format!("/api/v1/milestones/{second}"), &hz).await;
    assert_eq!((res.body["state"].as_str(), res.body["stage"].as_str()), (Some("submitted"), Some("city")));

    // A record the province returns frees its place; resubmitted, it starts again unrecommended.
    let res = app.act_ok(&province, &first, "return", json!({"comment": "材料不全"})).await;
    assert_eq!(res.body["state"], "returned");
    app.act_ok(&hz, &second, "approve", json!({})).await;
    let view = app.get_as(&quotas_path("smart_factory", year), &province).await;
    assert_eq!(view.body["quotas"][0]["used"], 1);

    // Another city has no cap; removing Hangzhou's cap lets the first through again.
    let nb_record = submitted_record(app, &province, 3, "330203").await;
    let nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    app.act_ok(&nb, &nb_record, "approve", json!({})).await;
    let ent1 = app.token("ent1").await;
    let res = app.act_ok(&ent1, &first, "submit", json!({})).await;
    assert_eq!((res.body["recommended_on"].clone(), res.body["priority"].clone()), (Value::Null, Value::Null));
    app.act(&hz, &first, "approve", json!({})).await.assert_problem(409, "quota_exceeded");
    let cleared = put_quotas(app, &province, "smart_factory", year, json!([])).await;
    assert_eq!(cleared.body["quotas"], json!([]));
    app.act_ok(&hz, &first, "approve", json!({})).await;

    // The changes are audited with the previous set.
    let auditor = app.token_for("audit", "auditor", None, None).await;
    let trail = app.get_as("/api/v1/audit-events?action=milestone_type.quotas", &auditor).await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    let items = trail.body["items"].as_array().unwrap();
    assert!(items.len() >= 3, "{}", trail.text);
}

async fn racing_recommendations_for_the_last_place_let_one_through(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let year = this_year();
    let set = put_quotas(app, &province, "smart_factory", year, json!([{"city_code": "330100", "value": 1}])).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let mut records = Vec::new();
    let mut reviewers = Vec::new();
    for n in 0..8 {
        records.push(submitted_record(app, &province, n + 1, "330106").await);
        reviewers.push(app.token_for(&format!("rev.hz{n}"), "city_reviewer", Some("330100"), None).await);
    }
    let requests = records.iter().zip(&reviewers).map(|(id, t)| {
        app.send(app.client.post(app.url(&format!("/api/v1/milestones/{id}/approve"))).bearer_auth(t).json(&json!({})))
    });
    let responses = futures_util::future::join_all(requests).await;
    let passed = responses.iter().filter(|r| r.status == 200).count();
    assert_eq!(passed, 1, "{:?}", responses.iter().map(|r| &r.text).collect::<Vec<_>>());
    for r in responses.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "quota_exceeded");
    }
    let view = app.get_as(&quotas_path("smart_factory", year), &province).await;
    assert_eq!(view.body["quotas"][0]["used"], 1);
    let queue = app.get_as("/api/v1/milestones?state=submitted&stage=province", &province).await;
    assert_eq!(queue.body["total"], 1);
}

async fn the_provinces_queue_goes_by_city_priority_and_submission(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    // (county, priority) in submission order; the queue wants Hangzhou (330100) before Ningbo
    // (330200), priorities ascending with the unprioritised last, then submission time.
    let plan = [
        ("330203", Some(1)),
        ("330106", None),
        ("330106", Some(2)),
        ("330108", Some(1)),
        ("330106", Some(2)),
        ("330203", None),
    ];
    let mut ids = Vec::new();
    for (n, (county, _)) in plan.iter().enumerate() {
        ids.push(submitted_record(app, &province, n as u32 + 1, county).await);
    }
    for (id, (county, priority)) in ids.iter().zip(plan) {
        let reviewer = if county.starts_with("3302") { &nb } else { &hz };
        let body = priority.map_or_else(|| json!({}), |p| json!({"priority": p}));
        app.act_ok(reviewer, id, "approve", body).await;
    }
    let expected = [&ids[3], &ids[2], &ids[4], &ids[1], &ids[0], &ids[5]];
    // Page by page (two at a time) through the cursors, and in one page.
    let mut seen = Vec::new();
    let mut path = "/api/v1/milestones?state=submitted&stage=province&limit=2".to_string();
    loop {
        let page = app.get_as(&path, &province).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.body["total"], 6);
        seen.extend(page.body["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()));
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/milestones?state=submitted&stage=province&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.iter().collect::<Vec<_>>(), expected);
    // An explicit sort still wins; a queue cursor does not fit it.
    let page = app.get_as("/api/v1/milestones?stage=province&sort=submitted_at", &province).await;
    let by_time: Vec<&str> = page.body["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(by_time, ids.iter().map(String::as_str).collect::<Vec<_>>());

    // Only a recommendation carries a priority.
    let res = app.act(&province, &ids[3], "approve", json!({"priority": 1})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("priority"));
    let res = app.act(&province, &ids[3], "approve", json!({"priority": "high"})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("priority"));
}
