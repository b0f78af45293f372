//! The slots of the statistics rows (`stats::aggregates::slots`): racing approvals spread the
//! province's rows over slots on PostgreSQL (slot 0 only on SQLite), the figures read the same
//! before and after a fold, and folds racing approvals lose nothing and fail no request.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::world::milestone;
use crate::helpers::{Backend, TestApp};
use enterprise_registry::stats::aggregates::slots;

/// The racing settings, with the instance's own fold switched off: the test folds when it means to.
pub const QUIET: &[(&str, &str)] = &[("DB_POOL_SIZE", "16"), ("BACKGROUND_TASKS", "off")];

/// `n` verified Hangzhou enterprises (numbered from `from`) with one submitted 上云 record each.
async fn submitted(app: &TestApp, province: &str, from: u32, n: u32) -> Vec<String> {
    let mut records = Vec::new();
    for i in from..from + n {
        let id = app.create_enterprise(province, i, "330106").await;
        let token = app.token_for(&format!("ent{i}"), "enterprise", None, Some(&id)).await;
        let m = app.draft_id(&token, &id, &milestone("cloud_adoption", Some("on_cloud"), "2021-03-01")).await;
        app.act_ok(&token, &m, "submit", json!({})).await;
        records.push(m);
    }
    records
}

/// Sixteen clients approve `records` at once, each every sixteenth; every answer is 200.
async fn approve_all(app: &TestApp, reviewers: &[String], records: &[String]) {
    join_all((0..16).map(|c| async move {
        for m in records.iter().skip(c).step_by(16) {
            let r = app.act(&reviewers[c], m, "approve", json!({})).await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    }))
    .await;
}

/// The distinct slots of the province's rows of the 上云 indicator.
async fn province_slots(app: &TestApp) -> Vec<i16> {
    app.state
        .db
        .run(|c| {
            use diesel::prelude::*;
            use enterprise_registry::schema::stat_daily as d;
            Ok(d::table
                .filter(d::indicator_code.eq("cloud_adoption_enterprises").and(d::region_code.eq("330000")))
                .select(d::slot)
                .distinct()
                .order(d::slot)
                .load::<i16>(c)?)
        })
        .await
        .unwrap()
}

/// The province's cumulative 上云 enterprises, as the API reports it.
async fn cumulative(app: &TestApp, token: &str) -> i64 {
    let q = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31";
    let res = app.get_as(q, token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["province"]["cumulative"].as_i64().unwrap()
}

/// While another transaction writes `stat_daily` (holds its table lock) for longer than the
/// fold's 200 ms, the fold gives way: `Ok(false)`, nothing folded, its transaction still sound.
async fn fold_gives_way_to_a_busy_table(app: &TestApp) {
    use diesel::connection::SimpleConnection;
    let url = enterprise_registry::config::DatabaseUrl::parse(&app.database_url).unwrap();
    let (held, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let (held_tx, held_rx) = held;
    let (release_tx, release_rx) = release;
    let holder = std::thread::spawn(move || {
        let mut c = enterprise_registry::db::establish(&url).unwrap();
        c.batch_execute("BEGIN; LOCK TABLE stat_daily IN ROW EXCLUSIVE MODE").unwrap();
        held_tx.send(()).unwrap();
        release_rx.recv().unwrap();
        c.batch_execute("COMMIT").unwrap();
    });
    held_rx.recv().unwrap();
    let before = province_slots(app).await;
    assert!(!app.state.db.write(slots::fold).await.unwrap(), "the fold should give way");
    assert_eq!(province_slots(app).await, before);
    release_tx.send(()).unwrap();
    holder.join().unwrap();
}

async fn approvals_spread_over_slots_and_fold_back(app: &TestApp) {
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let mut reviewers = Vec::new();
    for i in 0..16 {
        reviewers.push(app.token_for(&format!("rev{i}"), "city_reviewer", Some("330100"), None).await);
    }
    let first = submitted(app, &province, 800, 40).await;
    approve_all(app, &reviewers, &first).await;
    let spread = province_slots(app).await;
    match app.backend {
        // 40 approvals drawn over 32 slots all in one: odds of 32^-39.
        Backend::Postgres => assert!(spread.len() > 1, "{spread:?}"),
        Backend::Sqlite => assert_eq!(spread, [0]),
    }
    assert_eq!(cumulative(app, &province).await, 40);
    if app.backend == Backend::Postgres {
        fold_gives_way_to_a_busy_table(app).await;
    }
    let folded = app.state.db.write(slots::fold).await.unwrap();
    assert_eq!(folded, app.backend == Backend::Postgres);
    assert_eq!(province_slots(app).await, [0]);
    assert_eq!(cumulative(app, &province).await, 40);
    super::invariants::aggregates_match_recomputation(app, "after a fold").await;

    // Folds racing another 40 approvals: every approval answers 200, nothing is lost.
    let second = submitted(app, &province, 900, 40).await;
    let db = app.state.db.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let folding = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut folds = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                folds += usize::from(db.write(slots::fold).await.unwrap());
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            folds
        })
    };
    approve_all(app, &reviewers, &second).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let folds = folding.await.unwrap();
    if app.backend == Backend::Postgres {
        assert!(folds > 0, "no fold ran while the approvals did");
    }
    assert_eq!(cumulative(app, &province).await, 80);
    super::invariants::aggregates_match_recomputation(app, "folds racing approvals").await;
    app.state.db.write(slots::fold).await.unwrap();
    assert_eq!(province_slots(app).await, [0]);
    assert_eq!(cumulative(app, &province).await, 80);
    super::invariants::aggregates_match_recomputation(app, "after the last fold").await;
}

both_backends_with!(crate::concurrency::slots::QUIET;
    approvals_spread_over_slots_and_fold_back,
);
