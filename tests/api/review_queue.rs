//! The review queue (`GET /milestones`): names beside each record, the submission sorts with
//! their cursors, and `total`.

use std::collections::HashSet;

use enterprise_registry::accounts::{self, RawAccount};
use serde_json::{json, Value};

use crate::helpers::fixtures::PASSWORD;
use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// A city reviewer with a display name; returns its token.
async fn named_reviewer(app: &TestApp, username: &str, city: &str, name: &str) -> String {
    let raw = RawAccount {
        username: username.into(),
        password: PASSWORD.into(),
        role: "city_reviewer".into(),
        enterprise_id: None,
        city_code: Some(city.into()),
        county_code: None,
        provider_id: None,
        display_name: Some(name.into()),
    };
    let reference = app.state.reference.clone();
    app.state.db.write(move |c| accounts::create_direct(c, raw, &reference, false)).await.unwrap();
    app.token(username).await
}

/// Every item of `path` (which has no `cursor` yet), paging `limit` at a time; asserts each
/// page's `total` is the same and returns the items and that total.
async fn page_through(app: &TestApp, path: &str, token: &str, limit: usize) -> (Vec<Value>, i64) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (mut items, mut cursor, mut total) = (Vec::new(), None::<String>, None);
    loop {
        let url = match &cursor {
            None => format!("{path}{sep}limit={limit}"),
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
        };
        let res = app.get_as(&url, token).await;
        assert_eq!(res.status, 200, "{url}: {}", res.text);
        let page = res.body["items"].as_array().unwrap();
        assert!(page.len() <= limit);
        items.extend(page.iter().cloned());
        let t = res.body["total"].as_i64().unwrap();
        assert_eq!(*total.get_or_insert(t), t, "total changed between pages of {path}");
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    (items, total.unwrap_or(0))
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
}

fn submitted(items: &[Value]) -> Vec<Option<chrono::DateTime<chrono::FixedOffset>>> {
    items.iter().map(|m| m["submitted_at"].as_str().map(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap())).collect()
}

async fn the_queue_shows_names_sorts_by_submission_and_counts(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rev_hz = named_reviewer(app, "rev.hz", "330100", "王审核").await;
    let rev_nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let nb = app.create_enterprise(&province, 2, "330212").await;
    let ent_hz = app.token_for("ent.hz", "enterprise", None, Some(&hz)).await;
    let ent_nb = app.token_for("ent.nb", "enterprise", None, Some(&nb)).await;

    // Drafts created in one order and submitted in another, so id order and submission order
    // differ; one Hangzhou record approved, two left drafts.
    let mut hz_ids = Vec::new();
    for day in 1..=5 {
        hz_ids.push(app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, &format!("2023-01-0{day}"))).await);
    }
    let nb_ids = [
        app.draft_id(&ent_nb, &nb, &milestone("smart_factory", None, "2023-02-01")).await,
        app.draft_id(&ent_nb, &nb, &milestone("smart_factory", None, "2023-02-02")).await,
    ];
    let draft = app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, "2023-03-01")).await;
    for i in [3, 1, 0, 2] {
        app.act_ok(&ent_hz, &hz_ids[i], "submit", json!({})).await;
    }
    for id in nb_ids.iter().rev() {
        app.act_ok(&ent_nb, id, "submit", json!({})).await;
    }
    app.act_ok(&rev_hz, &hz_ids[0], "approve", json!({})).await;
    // The fresh submission: created last, submitted last.
    let fresh = app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, "2023-04-01")).await;
    app.act_ok(&ent_hz, &fresh, "submit", json!({})).await;

    // Newest submission first; oldest first the other way round.
    let queue = app.get_as("/api/v1/milestones?state=submitted&sort=-submitted_at", &rev_hz).await;
    let items = queue.body["items"].as_array().unwrap().clone();
    assert_eq!(items[0]["id"], fresh.as_str(), "{}", queue.text);
    assert_eq!(queue.body["total"], 4, "Hangzhou's pending: three of the first batch and the fresh one");
    let times = submitted(&items);
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "not newest first: {times:?}");
    let first = &items[0];
    assert_eq!(first["enterprise_name"], "浙江测试企业1有限公司");
    assert_eq!(first["enterprise_uscc"], crate::helpers::fixtures::uscc(1));
    assert_eq!(first["decided_by_name"], Value::Null);
    let default = app.get_as("/api/v1/milestones?state=submitted", &rev_hz).await;
    assert_eq!(ids(default.body["items"].as_array().unwrap()).last(), Some(&fresh), "default stays id order");

    // The decision's reviewer by name (the id stays).
    let (approved, _) = page_through(app, "/api/v1/milestones?state=approved", &rev_hz, 50).await;
    assert_eq!(ids(&approved), [hz_ids[0].clone()]);
    assert_eq!(approved[0]["decided_by_name"], "王审核");
    assert!(approved[0]["decided_by"].is_string());

    // Every sort, paged two at a time, sees every record exactly once, and `total` is the count.
    for (who, token, expected) in [
        ("province", &province, 7),
        ("Hangzhou", &rev_hz, 5),
        ("Ningbo", &rev_nb, 2),
        ("the enterprise (its two drafts too)", &ent_hz, 7),
    ] {
        let (all, total) = page_through(app, "/api/v1/milestones", token, 500).await;
        assert_eq!((all.len(), total), (expected, expected as i64), "{who}");
        let every: HashSet<String> = ids(&all).into_iter().collect();
        for sort in ["submitted_at", "-submitted_at"] {
            let (paged, total) = page_through(app, &format!("/api/v1/milestones?sort={sort}"), token, 2).await;
            let seen = ids(&paged);
            assert_eq!(seen.len(), expected, "{who}, sort={sort}: {seen:?}");
            assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), every, "{who}, sort={sort}");
            assert_eq!(total, expected as i64, "{who}, sort={sort}");
            let times = submitted(&paged);
            let sent: Vec<_> = times.iter().flatten().collect();
            let ordered = if sort.starts_with('-') {
                sent.windows(2).all(|w| w[0] >= w[1])
            } else {
                sent.windows(2).all(|w| w[0] <= w[1])
            };
            assert!(ordered, "{who}, sort={sort}: {times:?}");
            assert!(times.iter().skip_while(|t| t.is_some()).all(Option::is_none), "drafts come last: {times:?}");
        }
    }
    let (mine, _) = page_through(app, "/api/v1/milestones?sort=-submitted_at", &ent_hz, 3).await;
    assert_eq!(ids(&mine)[5..], [draft, hz_ids[4].clone()], "drafts last, by id in the sort's direction");

    // Review-queue totals (from the pending counts) per scope and filter.
    for (path, token, expected) in [
        ("/api/v1/milestones?state=submitted", &province, 6),
        ("/api/v1/milestones?state=submitted", &rev_nb, 2),
        ("/api/v1/milestones?state=submitted&county=330106&type=smart_factory", &rev_hz, 4),
        ("/api/v1/milestones?state=submitted&city=330200", &rev_hz, 0),
        ("/api/v1/milestones?state=submitted&type=cloud_adoption", &province, 0),
        ("/api/v1/milestones?state=submitted&effective_from=2023-02-01", &province, 3),
    ] {
        let (items, total) = page_through(app, path, token, 2).await;
        assert_eq!((items.len() as i64, total), (expected, expected), "{path}");
    }
}

async fn a_cursor_is_valid_only_with_its_own_sort(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let ent = app.token_for("ent.hz", "enterprise", None, Some(&hz)).await;
    for day in 1..=3 {
        let id = app.draft_id(&ent, &hz, &milestone("smart_factory", None, &format!("2023-01-0{day}"))).await;
        app.act_ok(&ent, &id, "submit", json!({})).await;
    }
    let mut cursors = Vec::new();
    for sort in ["", "&sort=submitted_at", "&sort=-submitted_at"] {
        let res = app.get_as(&format!("/api/v1/milestones?limit=1{sort}"), &province).await;
        cursors.push(res.body["next_cursor"].as_str().unwrap().to_string());
    }
    let [by_id, asc, desc] = &cursors[..] else { unreachable!() };
    for (sort, c) in [("", asc), ("&sort=submitted_at", desc), ("&sort=-submitted_at", by_id), ("", desc)] {
        let res = app.get_as(&format!("/api/v1/milestones?cursor={c}{sort}"), &province).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some("cursor"), "{}", res.text);
    }
    let res = app.get_as("/api/v1/milestones?sort=state", &province).await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("sort"));
}

both_backends!(the_queue_shows_names_sorts_by_submission_and_counts, a_cursor_is_valid_only_with_its_own_sort);

both_backends!(the_queue_of_a_stage);

/// `stage` narrows the queue to the records waiting at one review stage; `total` counts them too
/// (the maintained pending counts know no stage, so it is counted from the records).
async fn the_queue_of_a_stage(app: &TestApp) {
    let w = crate::helpers::world::World::new(app).await;
    app.set_review(&w.province, "smart_factory", &["city", "province"], 5).await;
    let mut ids = Vec::new();
    for day in ["2024-05-01", "2024-05-02", "2024-05-03"] {
        let id = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, day)).await;
        app.act_ok(&w.ent, &id, "submit", json!({})).await;
        ids.push(id);
    }
    app.act_ok(&w.rev_hz, &ids[1], "approve", json!({})).await; // recommended: at the province now
    let ids_of = |body: &Value| -> Vec<String> {
        body["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
    };
    let province = app.get_as("/api/v1/milestones?state=submitted&stage=province", &w.province).await;
    assert_eq!(ids_of(&province.body), [ids[1].clone()]);
    assert_eq!(province.body["total"], 1);
    let city = app.get_as("/api/v1/milestones?state=submitted&stage=city&sort=submitted_at", &w.rev_hz).await;
    assert_eq!(ids_of(&city.body), [ids[0].clone(), ids[2].clone()]);
    assert_eq!(city.body["total"], 2);
    let all = app.get_as("/api/v1/milestones?state=submitted", &w.province).await;
    assert_eq!(all.body["total"], 3);
    let res = app.get_as("/api/v1/milestones?stage=mayor", &w.province).await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("stage"));
    assert!(!res.text.contains("mayor"), "the value is not echoed: {}", res.text);
}
