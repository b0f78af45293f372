//! The three reproductions of issue 12, each repeated: concurrent creates of a `one_per_level`
//! record, concurrent approvals of two tiers, and concurrent approvals of many records of the
//! same enterprises read back as statistics. On PostgreSQL the requests are shared between two
//! instances of the service on one database.

use futures_util::future::join_all;
use serde_json::{json, Value};

use super::RACING;
use crate::helpers::world::milestone;
use crate::helpers::{Backend, TestApp};

/// The instances to send requests to: this one, and on PostgreSQL a second one on the same
/// database.
async fn instances(app: &TestApp) -> Option<TestApp> {
    match app.backend {
        Backend::Postgres => Some(app.second_instance(RACING).await),
        Backend::Sqlite => None,
    }
}

/// The instance for the `i`th request.
fn pick<'a>(app: &'a TestApp, other: &'a Option<TestApp>, i: usize) -> &'a TestApp {
    match other {
        Some(o) if i % 2 == 1 => o,
        _ => app,
    }
}

/// A verified Hangzhou enterprise numbered `n` with its user's token.
async fn firm(app: &TestApp, province: &str, n: u32) -> (String, String) {
    let id = app.create_enterprise(province, n, "330106").await;
    let token = app.token_for(&format!("ent{n}"), "enterprise", None, Some(&id)).await;
    (id, token)
}

/// Eight concurrent creates of the same `cloud_adoption`/`on_cloud`: one 201, seven 409 with a
/// link to the one that was created, and one live record in the database — ten times.
async fn concurrent_creates_make_one_record(app: &TestApp) {
    let other = instances(app).await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    for attempt in 0..10u32 {
        let (id, token) = firm(app, &province, 500 + attempt).await;
        let body = milestone("cloud_adoption", Some("on_cloud"), "2021-03-01");
        let results = join_all((0..8).map(|i| pick(app, &other, i).draft(&token, &id, &body))).await;
        let created: Vec<&str> =
            results.iter().filter(|r| r.status == 201).map(|r| r.body["id"].as_str().unwrap()).collect();
        assert_eq!(created.len(), 1, "attempt {attempt}: {:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
        for r in results.iter().filter(|r| r.status != 201) {
            r.assert_problem(409, "duplicate_milestone");
            assert_eq!(r.body["existing"], format!("/api/v1/milestones/{}", created[0]), "attempt {attempt}");
        }
        let list = app.get_as(&format!("/api/v1/milestones?enterprise_id={id}"), &token).await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 1, "attempt {attempt}: {}", list.text);
    }
    if let Some(o) = other {
        o.teardown().await;
    }
}

/// An `eagle` (2023-05-01) and an `eaglet`/`recognised` (2023-06-01) approved at once: the eagle
/// ends on 2023-06-01 and the eaglet stays in force — ten times.
async fn concurrent_tier_approvals_end_the_earlier(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let other = instances(app).await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let reviewers = [
        app.token_for("rev.a", "city_reviewer", Some("330100"), None).await,
        app.token_for("rev.b", "city_reviewer", Some("330100"), None).await,
    ];
    for attempt in 0..10u32 {
        let (id, token) = firm(app, &province, 600 + attempt).await;
        let eagle = app.draft_id(&token, &id, &milestone("eagle", None, "2023-05-01")).await;
        let eaglet = app.draft_id(&token, &id, &milestone("eaglet", Some("recognised"), "2023-06-01")).await;
        for m in [&eagle, &eaglet] {
            app.act_ok(&token, m, "submit", json!({})).await;
        }
        let results = join_all(
            [&eagle, &eaglet]
                .iter()
                .enumerate()
                .map(|(i, m)| pick(app, &other, i).act(&reviewers[i], m, "approve", json!({}))),
        )
        .await;
        for r in &results {
            assert_eq!(r.status, 200, "attempt {attempt}: {}", r.text);
        }
        let e = app.get_as(&format!("/api/v1/milestones/{eagle}"), &token).await;
        assert_eq!(e.body["ended_on"], "2023-06-01", "attempt {attempt}: {}", e.text);
        let t = app.get_as(&format!("/api/v1/milestones/{eaglet}"), &token).await;
        assert_eq!(t.body["ended_on"], Value::Null, "attempt {attempt}: {}", t.text);
    }
    if let Some(o) = other {
        o.teardown().await;
    }
}

/// Twenty enterprises with three submitted `cloud_adoption` records each (the three levels),
/// approved by sixteen concurrent clients: the indicator (unit 家) reports 20 now and at a past
/// `known_at`, and the maintained aggregates equal a recomputation.
async fn concurrent_approvals_count_each_enterprise_once(app: &TestApp) {
    let other = instances(app).await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let mut records = Vec::new();
    for n in 0..20u32 {
        let (id, token) = firm(app, &province, 700 + n).await;
        for (i, level) in ["on_cloud", "deep_cloud_use", "benchmark"].into_iter().enumerate() {
            let on = format!("2021-0{}-{:02}", i + 3, n + 1);
            let m = app.draft_id(&token, &id, &milestone("cloud_adoption", Some(level), &on)).await;
            app.act_ok(&token, &m, "submit", json!({})).await;
            records.push(m);
        }
    }
    let mut reviewers = Vec::new();
    for i in 0..16 {
        reviewers.push(app.token_for(&format!("rev{i}"), "city_reviewer", Some("330100"), None).await);
    }
    // Sixteen clients, each approving every sixteenth record in turn.
    let clients = (0..16).map(|c| {
        let (records, token, target) = (&records, &reviewers[c], pick(app, &other, c));
        async move {
            for m in records.iter().skip(c).step_by(16) {
                let r = target.act(token, m, "approve", json!({})).await;
                assert_eq!(r.status, 200, "{}", r.text);
            }
        }
    });
    join_all(clients).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let after = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let q = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31";
    let known = after.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    for target in [Some(app), other.as_ref()].into_iter().flatten() {
        for path in [q.to_string(), format!("{q}&known_at={known}")] {
            let res = target.get_as(&path, &province).await;
            assert_eq!(res.status, 200, "{}", res.text);
            assert_eq!(res.body["province"]["cumulative"], 20, "{path}: {}", res.text);
            assert_eq!(res.body["province"]["pending"], 0, "{path}: {}", res.text);
        }
    }
    super::invariants::aggregates_match_recomputation(app, "reproduction").await;
    if let Some(o) = other {
        o.teardown().await;
    }
}

both_backends_with!(crate::concurrency::RACING;
    concurrent_creates_make_one_record,
    concurrent_tier_approvals_end_the_earlier,
    concurrent_approvals_count_each_enterprise_once,
);
