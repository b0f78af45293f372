//! `POST /bulk/milestones` (DESIGN §3.9): per-item results with the single calls' statuses and
//! problem bodies, one bad item never spoiling the others, replays that write nothing, and
//! concurrent bulk requests over the same enterprises.

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::helpers::fixtures::uscc;
use crate::helpers::world::{milestone, World};
use crate::helpers::TestApp;

crate::both_backends!(a_bulk_of_1000_with_10_bad_items, bulk_requests_are_checked_as_a_whole);
crate::both_backends_with!(&[("DB_POOL_SIZE", "12")]; racing_bulks_over_the_same_enterprises);

/// The number of records `token` sees.
async fn count(app: &TestApp, token: &str) -> u64 {
    let res = app.get_as("/api/v1/milestones?limit=1", token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["total"].as_u64().unwrap()
}

fn item(enterprise: &str, kind: &str, level: Option<&str>, on: &str, submit: bool) -> Value {
    let mut b = milestone(kind, level, on);
    b["enterprise_id"] = json!(enterprise);
    b["submit"] = json!(submit);
    b
}

/// The body a single call gets: the item without its enterprise and `submit`.
fn single(item: &Value) -> Value {
    let mut b = item.clone();
    for k in ["enterprise_id", "uscc", "submit"] {
        b.as_object_mut().unwrap().remove(k);
    }
    b
}

async fn a_bulk_of_1000_with_10_bad_items(app: &TestApp) {
    let w = World::new(app).await;
    let aliyun = app.provider(&w.province, 1).await;
    let staff = app.provider_token("ali.staff", &aliyun).await;
    let mut firms = vec![w.enterprise.clone()];
    for n in 2..=10 {
        firms.push(app.create_enterprise(&w.province, n, "330106").await);
    }
    for (n, f) in firms.iter().enumerate() {
        let user = app.token_for(&format!("ent.{n}"), "enterprise", None, Some(f)).await;
        app.delegate(&user, f, &aliyun, &["iip_platform", "cloud_adoption"]).await;
    }
    let stranger = app.create_enterprise(&w.province, 11, "330106").await; // did not delegate

    // 990 good items over ten enterprises (the 7th by USCC), 10 bad ones in between.
    let mut items: Vec<Value> = (0..990)
        .map(|i| {
            let mut it = item(&firms[i % 10], "iip_platform", Some("industry"), "2024-02-01", i % 2 == 0);
            it["title"] = json!(format!("工业互联网平台应用 {i}"));
            if i % 10 == 6 {
                it.as_object_mut().unwrap().remove("enterprise_id");
                it["uscc"] = json!(uscc(7).to_lowercase());
            }
            it
        })
        .collect();
    let f0 = firms[0].as_str();
    let bad: Vec<Value> = vec![
        item(f0, "no_such_type", None, "2024-01-01", false), // 404 unknown type
        item(f0, "iip_platform", Some("industry"), "2999-01-01", true), // 422 in the future
        item(f0, "smart_factory", None, "2024-01-01", true), // 404 not delegated
        item(&stranger, "iip_platform", Some("industry"), "2024-01-01", false), // 404 no delegation
        item(f0, "cloud_adoption", None, "2024-01-01", false), // 422 level required
        {
            let mut i = item(f0, "iip_platform", Some("industry"), "2024-01-01", false);
            i["title"] = json!("   ");
            i
        }, // 422 title
        item(f0, "cloud_adoption", Some("on_cloud"), "2024-01-01", false), // 409 the same as a good item below
        json!({"uscc": uscc(99), "type": "iip_platform", "level": "industry", "effective_on": "2024-01-01", "title": "x"}), // 404 unknown USCC
        json!({"type": "iip_platform", "effective_on": "2024-01-01", "title": "x"}), // 422 no enterprise
        json!({"enterprise_id": f0, "type": "iip_platform", "effective_on": "2024-01-01", "title": "x", "colour": 1}), // 422 unknown field
    ];
    // The duplicate's original comes first (a lower index) and is good.
    items[5] = item(f0, "cloud_adoption", Some("on_cloud"), "2024-01-01", true);
    let bad_at: Vec<usize> = (0..10).map(|k| 100 * k + 50).collect();
    for (k, b) in bad.iter().enumerate() {
        items.insert(bad_at[k], b.clone());
    }
    assert_eq!(items.len(), 1000);

    let before = count(app, &w.province).await;
    let res = app.bulk(&staff, "batch-1", &items).await;
    assert_eq!(res.status, 200, "{}", &res.text[..res.text.len().min(2000)]);
    let results = res.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 1000);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["index"], i);
        let is_bad = bad_at.contains(&i);
        assert_eq!(r["status"] != 201, is_bad, "item {i}: {r}");
        assert_eq!(r["id"].is_string(), !is_bad, "item {i}: {r}");
    }
    // 990 created; the submitted ones (every other good item, and the duplicate's original) reach
    // the province's view, the drafts do not.
    let created: Vec<&str> = results.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(created.len(), 990);
    let submitted = results.iter().zip(&items).filter(|(r, i)| r["id"].is_string() && i["submit"] == true).count();
    assert_eq!(count(app, &w.province).await, before + submitted as u64);

    // Each bad item answers what the single call answers (status and problem body).
    let codes: Vec<(u64, &str)> = bad_at
        .iter()
        .map(|&i| (results[i]["status"].as_u64().unwrap(), results[i]["error"]["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            // A type no delegation can name is, to a provider, one not delegated.
            (404, "not_found"),
            (422, "validation_failed"),
            (404, "not_found"),
            (404, "not_found"),
            (422, "validation_failed"),
            (422, "validation_failed"),
            (409, "duplicate_milestone"),
            (404, "not_found"),
            (422, "validation_failed"),
            (422, "validation_failed"),
        ]
    );
    for k in [0, 1, 2, 3, 4, 5, 6, 9] {
        let it = &bad[k];
        let target = it["enterprise_id"].as_str().unwrap();
        let mut res = app.draft(&staff, target, &single(it)).await;
        if res.status == 201 && it["submit"] == true {
            res = app.act(&staff, res.body["id"].as_str().unwrap(), "submit", json!({})).await;
        }
        let r = &results[bad_at[k]];
        assert_eq!(res.status.as_u16() as u64, r["status"].as_u64().unwrap(), "bad item {k}: {}", res.text);
        assert_eq!(res.body, r["error"], "bad item {k}");
    }
    assert_eq!(
        results[bad_at[6]]["error"]["existing"],
        format!("/api/v1/milestones/{}", results[5]["id"].as_str().unwrap())
    );

    // The same request again: the same results, nothing new.
    let total = count(app, &w.ent).await;
    let again = app.bulk(&staff, "batch-1", &items).await;
    assert_eq!(again.text, res.text);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(count(app, &w.ent).await, total);
}

async fn bulk_requests_are_checked_as_a_whole(app: &TestApp) {
    let w = World::new(app).await;
    let one = item(&w.enterprise, "smart_factory", None, "2024-01-01", true);
    // The key is required; 1 to 1,000 items; the enterprise may bulk-report for itself only.
    let body = json!({"items": [one]});
    let res = app.post("/api/v1/bulk/milestones", &body, Some(&w.ent)).await;
    res.assert_problem(400, "idempotency_key_required");
    app.bulk(&w.ent, "e-0", &[]).await.assert_problem(422, "validation_failed");
    let many: Vec<Value> = (0..1001).map(|_| json!({})).collect();
    let res = app.bulk(&w.ent, "e-1", &many).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("items"));
    app.bulk(&w.rev_hz, "e-2", std::slice::from_ref(&one)).await.assert_problem(403, "forbidden_role");
    let other = app.create_enterprise(&w.province, 2, "330212").await;
    let theirs = item(&other, "smart_factory", None, "2024-01-01", false);
    let res = app.bulk(&w.ent, "e-3", &[one.clone(), theirs]).await;
    let statuses: Vec<u64> =
        res.body["results"].as_array().unwrap().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [201, 404], "{}", res.text);
    let id = res.body["results"][0]["id"].as_str().unwrap();
    let record = app.get_as(&format!("/api/v1/milestones/{id}"), &w.rev_hz).await;
    assert_eq!((record.body["state"].as_str(), record.body["provider_id"].as_str()), (Some("submitted"), None));
    // The same key with another body.
    app.bulk(&w.ent, "e-3", &[one]).await.assert_problem(422, "idempotency_key_reused");
    // An unverified enterprise's submission fails alone, as the single call does (409), and its
    // record is not kept either: an item is created and submitted, or nothing.
    let reg = json!({
        "enterprise": crate::helpers::fixtures::enterprise_body(3, "330106"),
        "username": "self.reg", "password": "Self-Regist3r!x",
    });
    let created = app.post("/api/v1/registrations", &reg, None).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let unverified = created.body["enterprise"]["id"].as_str().unwrap().to_string();
    let token = app.token_for_password("self.reg", "Self-Regist3r!x").await;
    let res = app.bulk(&token, "u-1", &[item(&unverified, "smart_factory", None, "2024-01-01", true)]).await;
    assert_eq!(res.body["results"][0]["status"], 409, "{}", res.text);
    assert_eq!(res.body["results"][0]["error"]["code"], "enterprise_unverified");
    assert_eq!(count(app, &token).await, 0);
}

/// Eight bulk requests at once, by two providers, over the same ten enterprises in opposite
/// orders, each asking for the same `one_per_level` records: no deadlock, no error, and exactly
/// one record per enterprise and level (the rest 409 `duplicate_milestone`), with the pending
/// counts and the audit chain intact.
async fn racing_bulks_over_the_same_enterprises(app: &TestApp) {
    let w = World::new(app).await;
    let (p1, p2) = (app.provider(&w.province, 1).await, app.provider(&w.province, 2).await);
    let (s1, s2) = (app.provider_token("p1.staff", &p1).await, app.provider_token("p2.staff", &p2).await);
    let mut firms = vec![w.enterprise.clone()];
    for n in 2..=10 {
        firms.push(app.create_enterprise(&w.province, n, "330106").await);
    }
    for (n, f) in firms.iter().enumerate() {
        let user = app.token_for(&format!("ent.{n}"), "enterprise", None, Some(f)).await;
        app.delegate(&user, f, &p1, &["cloud_adoption"]).await;
        app.delegate(&user, f, &p2, &["cloud_adoption"]).await;
    }
    let levels = ["on_cloud", "deep_cloud_use", "benchmark"];
    let batch = |reverse: bool| {
        let mut items: Vec<Value> = Vec::new();
        for f in &firms {
            for l in levels {
                items.push(item(f, "cloud_adoption", Some(l), "2024-03-01", true));
            }
        }
        if reverse {
            items.reverse();
        }
        items
    };
    let requests = (0..8).map(|k| {
        let token = if k % 2 == 0 { s1.clone() } else { s2.clone() };
        let items = batch(k % 4 >= 2);
        async move { app.bulk(&token, &format!("race-{k}"), &items).await }
    });
    let answers = join_all(requests).await;
    let mut created = 0;
    for a in &answers {
        assert_eq!(a.status, 200, "{}", a.text);
        for r in a.body["results"].as_array().unwrap() {
            match r["status"].as_u64().unwrap() {
                201 => created += 1,
                409 => assert_eq!(r["error"]["code"], "duplicate_milestone", "{r}"),
                s => panic!("unexpected {s}: {r}"),
            }
        }
    }
    assert_eq!(created, firms.len() * levels.len());
    let queue = app.get_as("/api/v1/milestones?state=submitted&limit=1", &w.rev_hz).await;
    assert_eq!(queue.body["total"], created, "the pending counts hold every submitted record");
    let auditor = app.token_for("aud", "auditor", None, None).await;
    assert_eq!(app.get_as("/api/v1/audit-events/verify", &auditor).await.body["ok"], true);
    let check = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(check.is_empty(), "{check:?}");
}
