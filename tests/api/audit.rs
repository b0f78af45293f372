//! The audit trail: append-only, and tampering shows in `verify`.

use diesel::connection::SimpleConnection;
use diesel::Connection;

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

async fn tampering_is_detected(app: &TestApp) {
    let auditor = app.token_for("audit.he", "auditor", None, None).await;
    app.create_user("officer.a", "province_officer", None, None).await;
    app.login("officer.a", "Wrong-Passw0rd!").await;
    app.token("officer.a").await;
    let res = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(res.body["ok"], true, "{}", res.text);
    let checked = res.body["checked"].as_i64().unwrap();
    assert!(checked >= 5);

    // The database refuses to change or delete entries.
    let err = raw_sql(app, "UPDATE audit_events SET result = 'success' WHERE seq = 3").unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = raw_sql(app, "DELETE FROM audit_events WHERE seq = 3").unwrap_err();
    assert!(err.contains("append-only"), "{err}");

    // Someone with database administrator rights goes around the guard.
    let events = app.get_as("/api/v1/audit-events?limit=3", &auditor).await;
    let third = events.body["items"][2]["id"].as_str().unwrap().to_string();
    let tamper = match app.backend {
        Backend::Sqlite => {
            "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET object_id = 'someone-else' WHERE seq = 3;"
        }
        Backend::Postgres => {
            "ALTER TABLE audit_events DISABLE TRIGGER USER; UPDATE audit_events SET object_id = 'someone-else' WHERE seq = 3; \
             ALTER TABLE audit_events ENABLE TRIGGER USER;"
        }
    };
    raw_sql(app, tamper).unwrap();
    let res = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(res.body["ok"], false, "{}", res.text);
    assert_eq!(res.body["first_bad_id"], third.as_str());
    assert_eq!(res.body["checked"], 2);
}

async fn deleting_an_entry_breaks_the_chain(app: &TestApp) {
    let auditor = app.token_for("audit.ma", "auditor", None, None).await;
    app.create_user("officer.b", "province_officer", None, None).await;
    app.token("officer.b").await;
    let tamper = match app.backend {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 2;",
        Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER; DELETE FROM audit_events WHERE seq = 2;",
    };
    raw_sql(app, tamper).unwrap();
    let res = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(res.body["ok"], false);
    assert_eq!(res.body["checked"], 1);
    assert!(res.body["first_bad_id"].is_string());
}

async fn audit_events_page_and_filter(app: &TestApp) {
    let auditor = app.token_for("audit.lu", "auditor", None, None).await;
    for i in 0..4 {
        app.login(&format!("ghost{i}"), "Wrong-Passw0rd!").await;
    }
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
            seen.push(e["seq"].as_i64().unwrap());
        }
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    // One successful login of the auditor and four failures.
    assert_eq!(seen.len(), 5);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let failures = app.get_as("/api/v1/audit-events?action=auth.login&limit=500", &auditor).await;
    let anonymous =
        failures.body["items"].as_array().unwrap().iter().filter(|e| e["actor_type"] == "anonymous").count();
    assert_eq!(anonymous, 4);
    assert!(failures.text.contains("\"ip\":\"127.0.0.1\""));
    app.get_as("/api/v1/audit-events?from=yesterday", &auditor).await.assert_problem(400, "invalid_parameter");
}

both_backends!(tampering_is_detected, deleting_an_entry_breaks_the_chain, audit_events_page_and_filter);
