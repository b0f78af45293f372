//! The audit trail: append-only, 64 hash chains with anchors, and tampering in any chain shows in
//! `verify` — after concurrent writers, and across the migration that split the single chain.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use futures_util::future::join_all;
use serde_json::Value;

use crate::helpers::{Backend, TestApp};

fn raw_sql(app: &TestApp, sql: &str) -> Result<(), String> {
    match app.backend {
        Backend::Sqlite => {
            let path = app.database_url.trim_start_matches("sqlite://");
            let mut c = diesel::SqliteConnection::establish(path).map_err(|e| e.to_string())?;
            c.batch_execute(sql).map_err(|e| e.to_string())
        }
        Backend::Postgres => {
            let mut c = diesel::PgConnection::establish(&app.database_url).map_err(|e| e.to_string())?;
            c.batch_execute(sql).map_err(|e| e.to_string())
        }
    }
}

/// Runs `sql` as someone with database administrator rights who goes around the append-only
/// guard (each test's database is its own: the guard is not put back).
fn tamper(app: &TestApp, sql: &str) {
    let guard_off = match app.backend {
        Backend::Sqlite => "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete; \
                            DROP TRIGGER IF EXISTS audit_anchors_no_update; DROP TRIGGER IF EXISTS audit_anchors_no_delete;",
        Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER; ALTER TABLE audit_anchors DISABLE TRIGGER USER;",
    };
    raw_sql(app, &format!("{guard_off} {sql}")).unwrap();
}

async fn verdict(app: &TestApp, auditor: &str) -> Value {
    let res = app.get_as("/api/v1/audit-events/verify", auditor).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

fn chain_verdict(verdict: &Value, chain: i64) -> Value {
    verdict["chains"].as_array().unwrap().iter().find(|c| c["chain"] == chain).cloned().unwrap_or(Value::Null)
}

/// Every entry of the trail, in time order.
async fn all_entries(app: &TestApp, auditor: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit-events?limit=500&cursor={c}"),
            None => "/api/v1/audit-events?limit=500".to_string(),
        };
        let res = app.get_as(&path, auditor).await;
        assert_eq!(res.status, 200, "{}", res.text);
        out.extend(res.body["items"].as_array().unwrap().iter().cloned());
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

/// Entries of `chain`, by position.
fn chain_of(entries: &[Value], chain: i64) -> Vec<Value> {
    let mut rows: Vec<Value> = entries.iter().filter(|e| e["chain"] == chain).cloned().collect();
    rows.sort_by_key(|e| e["seq"].as_i64().unwrap());
    rows
}

/// A province officer creates 40 enterprises at once: 40 entries about 40 objects, spread over
/// many chains, written concurrently.
async fn concurrent_workload(app: &TestApp) {
    let officer = app.token_for("officer.w", "province_officer", None, None).await;
    let jobs = (0..40u32).map(|n| app.create_enterprise(&officer, 9000 + n, "330106"));
    assert_eq!(join_all(jobs).await.len(), 40);
}

async fn concurrent_writers_on_many_chains_verify(app: &TestApp) {
    let auditor = app.token_for("audit.cw", "auditor", None, None).await;
    concurrent_workload(app).await;
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], true, "{v}");
    let entries = all_entries(app, &auditor).await;
    assert_eq!(v["checked"].as_u64().unwrap() as usize, entries.len());
    let chains = v["chains"].as_array().unwrap();
    assert!(chains.len() >= 10, "40 objects fall in at least 10 of 64 chains: {v}");
    for c in chains {
        let n = chain_of(&entries, c["chain"].as_i64().unwrap()).len() as i64;
        assert_eq!(c["checked"], n, "{c}");
    }
    // Anchoring changes nothing in the verdict but the anchors'.
    enterprise_registry::audit::anchor::step(&app.state.db).await.unwrap();
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], true, "{v}");
    // (The service's own anchoring, at its start, may have made one already.)
    assert!(v["anchors"]["checked"].as_i64().unwrap() >= 1, "{v}");
    assert!(v["anchors"]["latest_hash"].is_string());
    // Nothing moved since: no second anchor.
    assert_eq!(enterprise_registry::audit::anchor::step(&app.state.db).await.unwrap(), None);
}

/// Anchoring reads the newest anchor, then writes the next: instances that anchor at once must
/// not both write the same position (the advisory lock on PostgreSQL; one writer on SQLite).
async fn racing_anchorers_write_one_chain_of_anchors(app: &TestApp) {
    let auditor = app.token_for("audit.ra", "auditor", None, None).await;
    concurrent_workload(app).await;
    let steps = (0..8).map(|_| enterprise_registry::audit::anchor::step(&app.state.db));
    let made: Vec<_> = join_all(steps).await.into_iter().map(|r| r.expect("every anchoring step succeeds")).collect();
    // The heads moved once, so exactly one of the racers anchored them (unless the service's
    // own anchoring, at its start, came first).
    assert!(made.iter().filter(|m| m.is_some()).count() <= 1, "{made:?}");
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], true, "{v}");
    assert!(v["anchors"]["checked"].as_i64().unwrap() >= 1, "{v}");
}

async fn a_tampered_a_deleted_and_a_reordered_entry_each_show_in_their_chain(app: &TestApp) {
    let auditor = app.token_for("audit.td", "auditor", None, None).await;
    concurrent_workload(app).await;
    let entries = all_entries(app, &auditor).await;
    // The three longest chains; each needs two entries (the cases below touch the first two).
    let mut chains: Vec<i64> = (0..64).collect();
    chains.sort_by_key(|&c| std::cmp::Reverse(chain_of(&entries, c).len()));
    chains.truncate(3);
    assert!(chains.iter().all(|&c| chain_of(&entries, c).len() >= 2), "{chains:?}");
    let (a, b, c) = (chains[0], chains[1], chains[2]);

    // Chain a: the second entry's content changed.
    let changed = chain_of(&entries, a)[1]["id"].as_str().unwrap().to_string();
    tamper(app, &format!("UPDATE audit_events SET object_id = 'someone-else' WHERE id = '{changed}';"));
    // Chain b: the first entry removed.
    let removed = chain_of(&entries, b);
    tamper(app, &format!("DELETE FROM audit_events WHERE id = '{}';", removed[0]["id"].as_str().unwrap()));
    // Chain c: the first two entries swapped.
    let swapped = chain_of(&entries, c);
    let (x, y) = (swapped[0]["id"].as_str().unwrap(), swapped[1]["id"].as_str().unwrap());
    tamper(
        app,
        &format!(
            "UPDATE audit_events SET seq = -1 WHERE id = '{x}'; UPDATE audit_events SET seq = 1 WHERE id = '{y}'; \
             UPDATE audit_events SET seq = 2 WHERE id = '{x}';"
        ),
    );

    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], false, "{v}");
    let va = chain_verdict(&v, a);
    assert_eq!(va["ok"], false, "{v}");
    assert_eq!(va["first_bad_id"], changed.as_str());
    assert_eq!(va["checked"], 1);
    assert!(va["problem"].as_str().unwrap().contains("content"), "{va}");
    let vb = chain_verdict(&v, b);
    assert_eq!(vb["ok"], false, "{v}");
    assert_eq!(vb["first_bad_id"], removed[1]["id"]);
    assert!(vb["problem"].as_str().unwrap().contains("missing"), "{vb}");
    let vc = chain_verdict(&v, c);
    assert_eq!(vc["ok"], false, "{v}");
    assert_eq!(vc["first_bad_id"], y);
    assert_eq!(vc["checked"], 0);
    // Every other chain is still whole.
    for other in v["chains"].as_array().unwrap() {
        if ![a, b, c].contains(&other["chain"].as_i64().unwrap()) {
            assert_eq!(other["ok"], true, "{other}");
        }
    }
    let lowest = *[a, b, c].iter().min().unwrap();
    assert_eq!(v["first_bad_id"], chain_verdict(&v, lowest)["first_bad_id"]);
}

async fn the_newest_entries_removed_with_the_head_rewound_show_through_the_anchor(app: &TestApp) {
    let auditor = app.token_for("audit.an", "auditor", None, None).await;
    concurrent_workload(app).await;
    enterprise_registry::audit::anchor::step(&app.state.db).await.unwrap();
    let entries = all_entries(app, &auditor).await;
    let chain = (0..64).max_by_key(|&c| chain_of(&entries, c).len()).unwrap();
    let rows = chain_of(&entries, chain);
    assert!(rows.len() >= 2);
    let last = &rows[rows.len() - 1];
    let before = &rows[rows.len() - 2];
    // The newest entry goes, and the head is set back to the one before: the chain's own links
    // are whole again — only the anchor knows.
    tamper(
        app,
        &format!(
            "DELETE FROM audit_events WHERE id = '{}'; UPDATE audit_chains SET seq = {}, hash = '{}' WHERE chain = {chain};",
            last["id"].as_str().unwrap(),
            before["seq"],
            before["hash"].as_str().unwrap()
        ),
    );
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], false, "{v}");
    let vc = chain_verdict(&v, chain);
    assert_eq!(vc["ok"], false, "{v}");
    assert!(vc["problem"].as_str().unwrap().contains("anchor"), "{vc}");

    // Changing an anchor shows too.
    tamper(app, "UPDATE audit_anchors SET heads = '[]' WHERE seq = 1;");
    let v = verdict(app, &auditor).await;
    assert_eq!(v["anchors"]["ok"], false, "{v}");
    assert!(v["anchors"]["problem"].as_str().unwrap().contains("anchor 1"), "{v}");
}

async fn the_guard_refuses_changes_and_the_list_pages_in_time_order(app: &TestApp) {
    let auditor = app.token_for("audit.lu", "auditor", None, None).await;
    for i in 0..4 {
        app.login(&format!("ghost{i}"), "Wrong-Passw0rd!").await;
    }
    // The database refuses to change or delete entries and anchors.
    let err = raw_sql(app, "UPDATE audit_events SET result = 'success'").unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = raw_sql(app, "DELETE FROM audit_events").unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    enterprise_registry::audit::anchor::step(&app.state.db).await.unwrap();
    let err = raw_sql(app, "DELETE FROM audit_anchors").unwrap_err();
    assert!(err.contains("append-only"), "{err}");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit-events?action=auth.login&limit=2&cursor={c}"),
            None => "/api/v1/audit-events?action=auth.login&limit=2".to_string(),
        };
        let res = app.get_as(&path, &auditor).await;
        assert_eq!(res.status, 200, "{}", res.text);
        for e in res.body["items"].as_array().unwrap() {
            assert_eq!(e["action"], "auth.login");
            seen.push((e["occurred_at"].as_str().unwrap().to_string(), e["id"].as_str().unwrap().to_string()));
        }
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    // One successful login of the auditor and four failures, each once, in time order.
    assert_eq!(seen.len(), 5);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    let failures = app.get_as("/api/v1/audit-events?action=auth.login&limit=500", &auditor).await;
    let anonymous =
        failures.body["items"].as_array().unwrap().iter().filter(|e| e["actor_type"] == "anonymous").count();
    assert_eq!(anonymous, 4);
    assert!(failures.text.contains("\"ip\":\"127.0.0.1\""));
    app.get_as("/api/v1/audit-events?from=yesterday", &auditor).await.assert_problem(400, "invalid_parameter");
    app.get_as("/api/v1/audit-events?cursor=djE6bm9wZQ", &auditor).await.assert_problem(400, "invalid_parameter");
}

/// A trail written by the first release's single chain (the old head row, entries numbered
/// 1, 2, 3 … linked from 64 zeros) verifies after the migration to 64 chains, as chain 0, and
/// stays whole as new entries join other chains.
async fn the_single_chain_of_the_first_release_verifies_after_the_migration(app: &TestApp) {
    use diesel::RunQueryDsl;
    use enterprise_registry::audit::{entry_hash, AuditRow};
    use enterprise_registry::config::DatabaseUrl;
    use enterprise_registry::db::{establish, migrations, DbConnection};

    let url = DatabaseUrl::parse(&app.database_url).unwrap();
    tokio::task::spawn_blocking(move || {
        let mut conn = establish(&url).unwrap();
        let reverted = crate::helpers::migrate::revert_through(&mut conn, "000018");
        // Whatever the trail held is now one chain numbered from 1; its head says where it ends.
        let (mut seq, mut prev_hash): (i64, String) = match &mut conn {
            DbConnection::Sqlite(c) => diesel::sql_query("SELECT seq, hash FROM audit_head")
                .get_result::<Head>(c)
                .map(|h| (h.seq, h.hash))
                .unwrap(),
            DbConnection::Pg(c) => diesel::sql_query("SELECT seq, hash FROM audit_head")
                .get_result::<Head>(c)
                .map(|h| (h.seq, h.hash))
                .unwrap(),
        };
        assert_eq!(seq, 0, "a fresh database has no entries yet");
        for n in 0..5 {
            seq += 1;
            let row = AuditRow {
                id: uuid::Uuid::now_v7().to_string(),
                chain: 0,
                seq,
                occurred_at: chrono::Utc::now().naive_utc(),
                actor_type: "system".into(),
                actor_id: Some("first-release".into()),
                actor_role: None,
                action: "user.create".into(),
                object_type: Some("user".into()),
                object_id: Some(format!("old-{n}")),
                result: "success".into(),
                detail: None,
                ip: None,
                request_id: None,
                prev_hash: prev_hash.clone(),
                hash: String::new(),
            };
            let hash = entry_hash(&row);
            let at = row.occurred_at.format("%Y-%m-%d %H:%M:%S%.6f");
            let sql = format!(
                "INSERT INTO audit_events (id, seq, occurred_at, actor_type, actor_id, action, object_type, object_id, \
                 result, prev_hash, hash) VALUES ('{}', {seq}, '{at}', 'system', 'first-release', 'user.create', 'user', \
                 'old-{n}', 'success', '{prev_hash}', '{hash}'); UPDATE audit_head SET seq = {seq}, hash = '{hash}';",
                row.id
            );
            match &mut conn {
                DbConnection::Sqlite(c) => c.batch_execute(&sql).unwrap(),
                DbConnection::Pg(c) => c.batch_execute(&sql).unwrap(),
            }
            prev_hash = hash;
        }
        assert_eq!(migrations::run(&mut conn).unwrap().len(), reverted.len());
    })
    .await
    .unwrap();

    let auditor = app.token_for("audit.mg", "auditor", None, None).await;
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], true, "{v}");
    let zero = chain_verdict(&v, 0);
    assert!(zero["checked"].as_i64().unwrap() >= 5, "{v}");
    concurrent_workload(app).await;
    enterprise_registry::audit::anchor::step(&app.state.db).await.unwrap();
    let v = verdict(app, &auditor).await;
    assert_eq!(v["ok"], true, "{v}");
    assert!(v["chains"].as_array().unwrap().len() >= 10, "{v}");
}

#[derive(diesel::QueryableByName)]
struct Head {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    hash: String,
}

both_backends!(
    concurrent_writers_on_many_chains_verify,
    a_tampered_a_deleted_and_a_reordered_entry_each_show_in_their_chain,
    the_newest_entries_removed_with_the_head_rewound_show_through_the_anchor,
    the_guard_refuses_changes_and_the_list_pages_in_time_order,
);
// Eight racers, each with a connection of its own.
crate::both_backends_with!(&[("DB_POOL_SIZE", "16")]; racing_anchorers_write_one_chain_of_anchors);
// Reverting migrations under the service's background tasks (which read the tables being
// dropped) can deadlock on PostgreSQL: this one runs with them off and anchors by hand.
crate::both_backends_with!(&[("BACKGROUND_TASKS", "off")]; the_single_chain_of_the_first_release_verifies_after_the_migration);
