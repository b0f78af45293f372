//! The county reviewer (DESIGN §1): accounts with a county scope, reads of its county's
//! enterprises and records (drafts excluded), its city's county table, and nothing to act on
//! until review chains give it the `county` stage.

use serde_json::json;

use crate::helpers::world::{milestone, World};
use crate::helpers::TestApp;

crate::both_backends!(county_accounts_are_checked, a_county_reviewer_reads_its_county_only);

async fn county_accounts_are_checked(app: &TestApp) {
    let ops = app.token_for("ops", "sysadmin", None, None).await;
    let body = |extra: serde_json::Value| {
        let mut b = json!({"username": "xihu.wang", "password": "Xihu-Review3r!2024", "role": "county_reviewer"});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let cases = [
        (json!({}), "county_code", "required"),
        (json!({"county_code": "330100"}), "county_code", "invalid_county"),
        (json!({"county_code": "330106", "city_code": "330100"}), "city_code", "not_allowed"),
    ];
    for (extra, field, code) in cases {
        let res = app.post("/api/v1/users", &body(extra.clone()), Some(&ops)).await;
        res.assert_problem(422, "validation_failed");
        let errors = res.body["errors"].as_array().unwrap();
        assert!(errors.iter().any(|e| e["field"] == field && e["code"] == code), "{extra}: {}", res.text);
    }
    let res = app
        .post("/api/v1/users", &json!({"username": "sys.x", "password": "Xihu-Review3r!2024", "role": "sysadmin", "county_code": "330106"}), Some(&ops))
        .await;
    assert_eq!(res.body["errors"][0]["field"], "county_code", "{}", res.text);
    assert_eq!(res.body["errors"][0]["code"], "not_allowed");

    let res = app.post("/api/v1/users", &body(json!({"county_code": "330106"})), Some(&ops)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["role"], "county_reviewer");
    assert_eq!(res.body["county_code"], "330106");
    assert_eq!(res.body["city_code"], serde_json::Value::Null);
    let token = app.token_for_password("xihu.wang", "Xihu-Review3r!2024").await;
    let me = app.get_as("/api/v1/me", &token).await;
    assert_eq!((me.body["role"].as_str(), me.body["county_code"].as_str()), (Some("county_reviewer"), Some("330106")));
}

async fn a_county_reviewer_reads_its_county_only(app: &TestApp) {
    let w = World::new(app).await; // its enterprise is in 西湖区 330106
    let other = app.create_enterprise(&w.province, 2, "330102").await; // 上城区, same city
    let other_user = app.token_for("ent.sc", "enterprise", None, Some(&other)).await;
    let county = app.token_for("rev.xihu", "county_reviewer", Some("330106"), None).await;

    let draft = app.draft_id(&w.ent, &w.enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2023-01-01")).await;
    let mine = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2023-01-02")).await;
    app.act_ok(&w.ent, &mine, "submit", json!({})).await;
    let theirs = app.draft_id(&other_user, &other, &milestone("smart_factory", None, "2023-01-03")).await;
    app.act_ok(&other_user, &theirs, "submit", json!({})).await;

    // Enterprises: its county's, 404 for the neighbour county's.
    let list = app.get_as("/api/v1/enterprises", &county).await;
    let ids: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [w.enterprise.as_str()]);
    assert_eq!(app.get_as(&format!("/api/v1/enterprises/{}", w.enterprise), &county).await.status, 200);
    app.get_as(&format!("/api/v1/enterprises/{other}"), &county).await.assert_problem(404, "not_found");
    // Asking for another county's list is an empty list, as for something that does not exist.
    let res = app.get_as("/api/v1/enterprises?county=330102", &county).await;
    assert_eq!(res.body["items"], json!([]));

    // Records: its county's submitted ones; drafts and the neighbour's are 404.
    let list = app.get_as("/api/v1/milestones", &county).await;
    let ids: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [mine.as_str()]);
    assert_eq!(list.body["total"], 1);
    assert_eq!(app.get_as(&format!("/api/v1/milestones/{mine}/history"), &county).await.status, 200);
    app.get_as(&format!("/api/v1/milestones/{draft}"), &county).await.assert_problem(404, "not_found");
    app.get_as(&format!("/api/v1/milestones/{theirs}"), &county).await.assert_problem(404, "not_found");

    // Nothing to act on yet, and no writes on enterprises.
    let res = app.act(&county, &mine, "approve", json!({})).await;
    res.assert_problem(403, "forbidden_role");
    let res = app.post(&format!("/api/v1/enterprises/{}/verify", w.enterprise), &json!({}), Some(&county)).await;
    assert_eq!(res.status, 403, "{}", res.text);

    // Statistics: its city's county table, nothing else.
    let q = "plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023";
    assert_eq!(app.get_as(&format!("/api/v1/stats/progress/330100?{q}"), &county).await.status, 200);
    app.get_as(&format!("/api/v1/stats/progress/330200?{q}"), &county).await.assert_problem(404, "not_found");
    assert_eq!(app.get_as(&format!("/api/v1/stats/progress?{q}"), &county).await.status, 403);
}

crate::both_backends!(the_county_migration_keeps_accounts_and_sessions);

/// The migration that adds the role rebuilds `users` on SQLite (a CHECK cannot change in place):
/// reverting and re-applying it on a database in use keeps every account, and the sessions that
/// reference them, and foreign keys stay checked.
async fn the_county_migration_keeps_accounts_and_sessions(app: &TestApp) {
    use diesel::RunQueryDsl;
    use enterprise_registry::config::DatabaseUrl;
    use enterprise_registry::db::{establish, migrations, DbConnection};

    let _ = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let refresh = app.login("rev.hz", crate::helpers::fixtures::PASSWORD).await.body["refresh_token"].clone();
    let url = DatabaseUrl::parse(&app.database_url).unwrap();
    tokio::task::spawn_blocking(move || {
        let mut conn = establish(&url).unwrap();
        // Later migrations are reverted first, down to and including the county one.
        let reverted = crate::helpers::migrate::revert_through(&mut conn, "000012");
        assert_eq!(migrations::run(&mut conn).unwrap().len(), reverted.len());
        if let DbConnection::Sqlite(c) = &mut conn {
            let violations: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(*) FROM pragma_foreign_key_check)",
            ))
            .get_result(c)
            .unwrap();
            assert_eq!(violations, 0);
            let fk_on: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT foreign_keys FROM pragma_foreign_keys)",
            ))
            .get_result(c)
            .unwrap();
            assert_eq!(fk_on, 1, "the migration switches foreign keys back on");
        }
    })
    .await
    .unwrap();
    let res = app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}), None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = app.token("rev.hz").await;
    assert_eq!(app.get_as("/api/v1/me", &token).await.body["city_code"], "330100");
}
