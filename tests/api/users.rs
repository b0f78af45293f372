//! User administration by sysadmins: scope rules, separation of duties, If-Match, disabling.

use serde_json::json;

use crate::helpers::fixtures::PASSWORD;
use crate::helpers::TestApp;

async fn scope_rules_and_separation_of_duties(app: &TestApp) {
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let cases = [
        (json!({"username": "rev.a", "password": PASSWORD, "role": "city_reviewer"}), "city_code"),
        (
            json!({"username": "rev.b", "password": PASSWORD, "role": "city_reviewer", "city_code": "330106"}),
            "city_code",
        ),
        (json!({"username": "adm.c", "password": PASSWORD, "role": "sysadmin", "city_code": "330100"}), "city_code"),
        (
            json!({"username": "aud.d", "password": PASSWORD, "role": "auditor", "enterprise_id": "0193a0b0-0000-7000-8000-000000000000"}),
            "enterprise_id",
        ),
        (json!({"username": "ent.e", "password": PASSWORD, "role": "enterprise"}), "enterprise_id"),
        (json!({"username": "x", "password": PASSWORD, "role": "auditor"}), "username"),
        (json!({"username": "boss.f", "password": PASSWORD, "role": "superuser"}), "role"),
    ];
    for (body, field) in cases {
        let res = app.post("/api/v1/users", &body, Some(&admin)).await;
        res.assert_problem(422, "validation_failed");
        assert!(res.body["errors"].as_array().unwrap().iter().any(|e| e["field"] == field), "{body}: {}", res.text);
    }
    let res = app
        .post(
            "/api/v1/users",
            &json!({"username": "Rev.Hz", "password": PASSWORD, "role": "city_reviewer", "city_code": "330100"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["username"], "rev.hz");
    assert_eq!(res.body["city_code"], "330100");
    assert!(res.headers["location"].to_str().unwrap().ends_with(res.body["id"].as_str().unwrap()));
    let dup = app
        .post("/api/v1/users", &json!({"username": "rev.hz", "password": PASSWORD, "role": "auditor"}), Some(&admin))
        .await;
    dup.assert_problem(409, "username_taken");

    // A sysadmin has no business or audit rights.
    app.get_as("/api/v1/audit-events", &admin).await.assert_problem(403, "forbidden_role");
}

async fn patch_needs_if_match_and_disabling_ends_sessions(app: &TestApp) {
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let id = app.create_user("wang.fang", "province_officer", None, None).await;
    let officer_login = app.login("wang.fang", PASSWORD).await;
    let refresh = officer_login.body["refresh_token"].as_str().unwrap().to_string();

    let path = format!("/api/v1/users/{id}");
    let res = app.get_as(&path, &admin).await;
    assert_eq!(res.headers["etag"], "\"1\"");
    app.patch(&path, &json!({"disabled": true}), &admin, None).await.assert_problem(428, "if_match_required");
    app.patch(&path, &json!({"disabled": true}), &admin, Some("\"7\"")).await.assert_problem(412, "stale_version");
    let res = app.patch(&path, &json!({"disabled": true, "display_name": "王芳"}), &admin, Some("\"1\"")).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        (res.body["disabled"].clone(), res.body["display_name"].clone(), res.body["version"].clone()),
        (json!(true), json!("王芳"), json!(2))
    );
    assert_eq!(res.headers["etag"], "\"2\"");

    app.login("wang.fang", PASSWORD).await.assert_problem(401, "invalid_credentials");
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}), None)
        .await
        .assert_problem(401, "invalid_refresh_token");

    let res = app.patch(&path, &json!({"disabled": false}), &admin, Some("\"2\"")).await;
    assert_eq!(res.body["disabled"], false);
    assert_eq!(app.login("wang.fang", PASSWORD).await.status, 200);

    let me = app.get_as("/api/v1/me", &admin).await;
    let own = me.body["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/users/{own}"), &json!({"disabled": true}), &admin, Some("\"1\""))
        .await
        .assert_problem(409, "cannot_disable_self");
    app.patch(&path, &json!({"role": "sysadmin"}), &admin, Some("\"3\""))
        .await
        .assert_problem(422, "validation_failed");
    app.get_as("/api/v1/users/not-a-uuid", &admin).await.assert_problem(400, "invalid_parameter");
    app.get_as("/api/v1/users/0193a0b0-0000-7000-8000-000000000000", &admin).await.assert_problem(404, "not_found");
}

async fn users_page_through(app: &TestApp) {
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    for i in 0..7 {
        app.create_user(&format!("officer{i}"), "province_officer", None, None).await;
    }
    let mut ids = Vec::new();
    let mut next = Some("/api/v1/users?role=province_officer&limit=3".to_string());
    while let Some(path) = next {
        let res = app.get_as(&path, &admin).await;
        ids.extend(res.body["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_string()));
        next =
            res.body["next_cursor"].as_str().map(|c| format!("/api/v1/users?role=province_officer&limit=3&cursor={c}"));
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((ids.len(), unique.len()), (7, 7));
    app.get_as("/api/v1/users?limit=0", &admin).await.assert_problem(400, "invalid_parameter");
    app.get_as("/api/v1/users?cursor=zzz", &admin).await.assert_problem(400, "invalid_parameter");
}

both_backends!(
    scope_rules_and_separation_of_duties,
    patch_needs_if_match_and_disabling_ends_sessions,
    users_page_through
);
