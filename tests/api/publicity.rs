//! The public notice list (`GET /publicity`, DESIGN §3.7): anyone reads it without logging in; it
//! lists exactly the records in 公示, with the fields the notice shows and nothing else.

use serde_json::{json, Value};

use crate::helpers::world::{milestone, World};
use crate::helpers::TestApp;

crate::both_backends!(the_notice_lists_records_in_publicity_only);

async fn the_notice_lists_records_in_publicity_only(app: &TestApp) {
    let w = World::new(app).await;
    app.set_review(&w.province, "smart_factory", &["city", "province"], 5).await;
    let empty = app.get("/api/v1/publicity").await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body, json!({"items": [], "next_cursor": null}));

    // Three records: one in 公示, one still at the province stage, one withdrawn from 公示.
    let mut ids = Vec::new();
    for day in ["2024-03-01", "2024-03-02", "2024-03-03"] {
        let mut body = milestone("smart_factory", None, day);
        body["title"] = json!(format!("智能工厂 {day}"));
        let id = app.draft_id(&w.ent, &w.enterprise, &body).await;
        app.act_ok(&w.ent, &id, "submit", json!({})).await;
        app.act_ok(&w.rev_hz, &id, "approve", json!({"comment": "推荐"})).await;
        ids.push(id);
    }
    let body = json!({"comment": "同意认定", "document_no": "浙经信〔2024〕1号", "batch": "2024年第一批"});
    let public = app.act_ok(&w.province, &ids[0], "approve", body.clone()).await;
    assert_eq!(public.body["state"], "publicised");
    app.act_ok(&w.province, &ids[2], "approve", body).await;
    app.act_ok(&w.ent, &ids[2], "withdraw", json!({})).await;

    let res = app.get("/api/v1/publicity").await;
    assert_eq!(res.status, 200, "{}", res.text);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", res.text);
    let notice = &items[0];
    let enterprise = app.get_as(&format!("/api/v1/enterprises/{}", w.enterprise), &w.province).await.body;
    assert_eq!(notice["enterprise_name"], enterprise["name"]);
    assert_eq!(notice["uscc"], enterprise["uscc"]);
    assert_eq!((notice["county_code"].as_str(), notice["city_code"].as_str()), (Some("330106"), Some("330100")));
    assert_eq!(notice["type"], "smart_factory");
    assert_eq!(notice["title"], "智能工厂 2024-03-01");
    assert_eq!(notice["publicity_starts_on"], public.body["publicity_starts_on"]);
    assert_eq!(notice["publicity_ends_on"], public.body["publicity_ends_on"]);
    // Only the notice's fields: no ids, contact data, comments, 文号 or reviewers.
    let keys: Vec<&str> = notice.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = [
        "city_code",
        "county_code",
        "enterprise_name",
        "level",
        "publicity_ends_on",
        "publicity_starts_on",
        "title",
        "type",
        "uscc",
    ];
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    let text = res.text.clone();
    for secret in [
        enterprise["contact_phone"].as_str().unwrap(),
        enterprise["contact_name"].as_str().unwrap(),
        "同意认定",
        "推荐",
    ] {
        assert!(!text.contains(secret), "the notice leaks {secret}: {text}");
    }

    // Paging: a page of one, then the end.
    app.act_ok(&w.province, &ids[1], "approve", json!({})).await;
    let first = app.get("/api/v1/publicity?limit=1").await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 1);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = app.get(&format!("/api/v1/publicity?limit=1&cursor={cursor}")).await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(second.body["next_cursor"], Value::Null);
    assert_ne!(first.body["items"][0], second.body["items"][0]);
    app.get("/api/v1/publicity?limit=0").await.assert_problem(400, "invalid_parameter");
}
