//! The event feed (DESIGN §3.10, issue 17 items 1–2): every state change appends its event in
//! its transaction; `seq` grows in the order readers see commits, so a reader that keeps
//! `next_after` sees every event once, in order — with many concurrent writers, across a second
//! instance; the feed is scoped like the records; a long poll wakes on a new event.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// Events of the feed as `token` sees them after `after`: (items, next_after).
async fn feed(app: &TestApp, token: &str, after: i64, extra: &str) -> (Vec<Value>, i64) {
    let res = app.get_as(&format!("/api/v1/events?after={after}{extra}"), token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    (res.body["items"].as_array().unwrap().clone(), res.body["next_after"].as_i64().unwrap())
}

/// Reads the feed from `after` until `n` events came or ten seconds passed (events are numbered
/// a moment after their commit).
async fn collect(app: &TestApp, token: &str, mut after: i64, n: usize) -> (Vec<Value>, i64) {
    let mut seen = Vec::new();
    let until = Instant::now() + Duration::from_secs(10);
    while seen.len() < n && Instant::now() < until {
        let (items, next) = feed(app, token, after, "&limit=7&wait=1").await;
        seen.extend(items);
        after = next;
    }
    (seen, after)
}

fn types_of(items: &[Value], milestone: &str) -> Vec<String> {
    items.iter().filter(|e| e["milestone_id"] == milestone).map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

crate::both_backends!(the_feed_shows_each_caller_its_changes_in_order, a_long_poll_wakes_on_a_new_event);
crate::both_backends_with!(crate::concurrency::RACING; concurrent_writers_and_a_reader_that_sees_every_event_once);

async fn the_feed_shows_each_caller_its_changes_in_order(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz_firm = app.create_enterprise(&province, 1, "330106").await;
    let nb_firm = app.create_enterprise(&province, 2, "330203").await;
    let hz = app.token_for("ent.hz", "enterprise", None, Some(&hz_firm)).await;
    let nb = app.token_for("ent.nb", "enterprise", None, Some(&nb_firm)).await;
    let rev_hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let rev_nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    let county = app.token_for("rev.xihu", "county_reviewer", Some("330106"), None).await;

    // A cloud record reviewed by its city alone; a smart factory through the province and 公示.
    let cloud = app.draft_id(&hz, &hz_firm, &milestone("cloud_adoption", Some("on_cloud"), "2023-03-01")).await;
    app.act_ok(&hz, &cloud, "submit", json!({})).await;
    app.act_ok(&rev_hz, &cloud, "return", json!({"comment": "请补充合同"})).await;
    app.act_ok(&hz, &cloud, "submit", json!({})).await;
    app.act_ok(&rev_hz, &cloud, "approve", json!({})).await;
    let smart = app.draft_id(&hz, &hz_firm, &milestone("smart_factory", None, "2023-06-30")).await;
    app.act_ok(&hz, &smart, "submit", json!({})).await;
    app.act_ok(&rev_hz, &smart, "approve", json!({})).await;
    app.act_ok(&province, &smart, "approve", json!({})).await;
    app.act_ok(&province, &smart, "object", json!({"comment": "收到异议"})).await;
    app.act_ok(&province, &smart, "approve", json!({})).await;
    let other = app.draft_id(&nb, &nb_firm, &milestone("cloud_adoption", Some("on_cloud"), "2023-03-01")).await;
    app.act_ok(&nb, &other, "submit", json!({})).await;

    let (all, last) = collect(app, &province, 0, 10).await;
    assert_eq!(all.len(), 10, "{all:?}");
    let seqs: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(last, *seqs.last().unwrap());
    assert_eq!(
        types_of(&all, &cloud),
        ["milestone.submitted", "milestone.returned", "milestone.submitted", "milestone.approved"]
    );
    assert_eq!(
        types_of(&all, &smart),
        [
            "milestone.submitted",
            "milestone.recommended",
            "milestone.publicised",
            "milestone.objected",
            "milestone.publicised"
        ]
    );
    let returned = all.iter().find(|e| e["type"] == "milestone.returned").unwrap();
    assert_eq!(returned["data"]["comment"], "请补充合同");
    assert_eq!(
        (returned["data"]["from"].clone(), returned["data"]["state"].clone()),
        (json!("submitted"), json!("returned"))
    );

    // Scope: each enterprise its own, each city its own, a county its own.
    let (mine, _) = feed(app, &hz, 0, "").await;
    assert_eq!(mine.len(), 9);
    assert!(mine.iter().all(|e| e["enterprise_id"] == hz_firm.as_str()));
    let (theirs, _) = feed(app, &nb, 0, "").await;
    assert_eq!(types_of(&theirs, &other), ["milestone.submitted"]);
    assert_eq!(theirs.len(), 1);
    assert_eq!(feed(app, &rev_nb, 0, "").await.0.len(), 1);
    assert_eq!(feed(app, &rev_hz, 0, "").await.0.len(), 9);
    assert_eq!(feed(app, &county, 0, "").await.0.len(), 9);
    let auditor = app.token_for("aud", "auditor", None, None).await;
    app.get_as("/api/v1/events", &auditor).await.assert_problem(403, "forbidden_role");
    for bad in ["after=-1", "limit=0", "limit=1001", "wait=31", "after=x"] {
        let res = app.get_as(&format!("/api/v1/events?{bad}"), &hz).await;
        res.assert_problem(400, "invalid_parameter");
    }

    // Finalisation is an event too; a second instance continues the same sequence.
    let second = app.second_instance(&[]).await;
    second.state.clock.set_offset(chrono::Duration::days(30));
    assert_eq!(enterprise_registry::publicity::finalise_due(&second.state).await.unwrap(), 1);
    let (more, _) = collect(&second, &hz, last, 1).await;
    assert_eq!(types_of(&more, &smart), ["milestone.approved"]);
    assert_eq!(more[0]["data"]["finalised"], true);
    assert!(more[0]["seq"].as_i64().unwrap() > last);
    second.teardown().await;
}

async fn a_long_poll_wakes_on_a_new_event(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let firm = app.create_enterprise(&province, 1, "330106").await;
    let ent = app.token_for("ent", "enterprise", None, Some(&firm)).await;
    let id = app.draft_id(&ent, &firm, &milestone("cloud_adoption", Some("on_cloud"), "2023-03-01")).await;
    // Nothing yet: an empty answer with the same `after`.
    let (items, next) = feed(app, &ent, 0, "").await;
    assert_eq!((items.len(), next), (0, 0));
    let started = Instant::now();
    let poll = feed(app, &ent, 0, "&wait=20");
    let submit = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.act_ok(&ent, &id, "submit", json!({})).await;
    };
    let ((items, next), ()) = tokio::join!(poll, submit);
    assert_eq!(types_of(&items, &id), ["milestone.submitted"]);
    assert_eq!(next, items[0]["seq"].as_i64().unwrap());
    // It answered when the event came, not when the wait was over.
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
}

async fn concurrent_writers_and_a_reader_that_sees_every_event_once(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let mut writers = Vec::new();
    for n in 0..16u32 {
        let firm = app.create_enterprise(&province, n + 1, "330106").await;
        let token = app.token_for(&format!("ent{n}"), "enterprise", None, Some(&firm)).await;
        let mut ids = Vec::new();
        for k in 0..4 {
            let body = milestone("digital_workshop", None, &format!("2023-0{}-01", k + 1));
            ids.push(app.draft_id(&token, &firm, &body).await);
        }
        writers.push((token, ids));
    }
    // Sixteen enterprises submit and withdraw at once while the province reads the feed.
    let writing = futures_util::future::join_all(writers.iter().map(|(token, ids)| async move {
        for id in ids {
            app.act_ok(token, id, "submit", json!({})).await;
            app.act_ok(token, id, "withdraw", json!({})).await;
        }
    }));
    let expected = 16 * 4 * 2;
    let reading = async {
        let mut seen = Vec::new();
        let mut after = 0;
        let until = Instant::now() + Duration::from_secs(60);
        while seen.len() < expected && Instant::now() < until {
            let (items, next) = feed(app, &province, after, "&limit=5&wait=1").await;
            seen.extend(items);
            after = next;
        }
        seen
    };
    let (_, seen) = tokio::join!(writing, reading);
    let seqs: Vec<i64> = seen.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "out of order: {seqs:?}");
    let ids: HashSet<&str> = seen.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), seen.len(), "an event came twice");
    assert_eq!(seen.len(), expected, "events missed");
    // Every record's own events in its order: submitted before withdrawn, each once.
    for (_, records) in &writers {
        for id in records {
            assert_eq!(types_of(&seen, id), ["milestone.submitted", "milestone.withdrawn"]);
        }
    }
    // And the feed is the outbox: nothing numbered that the reader did not get.
    let (rest, _) = feed(app, &province, *seqs.last().unwrap(), "").await;
    assert!(rest.is_empty(), "{rest:?}");
}

crate::both_backends_with!(crate::concurrency::RACING; the_feed_never_shows_an_enterprise_anothers_events);

/// Random racing workloads (creations, submissions, reviews, withdrawals, revocations by several
/// clients): each enterprise's feed holds exactly its own events — all of them — and a city's
/// reviewer exactly its city's; the province all.
async fn the_feed_never_shows_an_enterprise_anothers_events(app: &TestApp) {
    use enterprise_registry::queries::events::{self as q, Visible};
    let w = crate::concurrency::workload::Workload::new(app).await;
    for (phase, seed) in [11_u64, 12, 13].into_iter().enumerate() {
        w.phase(&[app], seed, phase as u64, 4, 12).await;
    }
    // The writes are over: one assignment numbers what is left, then each caller reads.
    enterprise_registry::events::assigner::step(&app.state.db, &app.state.events).await.unwrap();
    let all = app.state.db.run(|c| Ok(q::page(c, &Visible::All, 0, 100_000)?)).await.unwrap();
    assert!(all.len() > 20, "the workload changed little: {}", all.len());
    assert!(all.iter().all(|e| e.seq.is_some()));
    let read_all = |token: String| async move {
        let mut seen: Vec<Value> = Vec::new();
        let mut after = 0;
        loop {
            let (items, next) = feed(app, &token, after, "&limit=50").await;
            if items.is_empty() {
                return seen;
            }
            seen.extend(items);
            after = next;
        }
    };
    let ids = |events: &[Value]| events.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    for firm in &w.firms {
        let mine: Vec<String> = all.iter().filter(|e| e.enterprise_id == firm.id).map(|e| e.id.clone()).collect();
        let seen = read_all(firm.token.clone()).await;
        assert_eq!(ids(&seen), mine, "enterprise {}", firm.id);
    }
    let hz: Vec<String> =
        all.iter().filter(|e| e.city_code.as_deref() == Some("330100")).map(|e| e.id.clone()).collect();
    let rev_hz = app.token("rev.hz").await;
    assert_eq!(ids(&read_all(rev_hz).await), hz);
    let everything: Vec<String> = all.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids(&read_all(w.province.clone()).await), everything);
}
