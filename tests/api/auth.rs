//! Login, lockout, refresh rotation, tampered tokens, the password policy, the CLI.

use enterprise_registry::auth::tokens::{Claims, TokenKeys, AUDIENCE, ISSUER};
use serde_json::json;

use crate::helpers::fixtures::PASSWORD;
use crate::helpers::{Backend, TestApp};

/// The issue's scenario: a CLI-made sysadmin creates an auditor who must change password; after
/// changing it the auditor verifies an intact chain.
async fn first_sysadmin_creates_an_auditor(app: &TestApp) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_enterprise-registry"))
        .args(["create-user", "--username", "root.admin", "--role", "sysadmin"])
        .env("DATABASE_URL", &app.database_url)
        .env("REGISTRY_PASSWORD", "Root-Passw0rd!x")
        .env("RUST_LOG", "error")
        .output()
        .expect("run the binary");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created user root.admin"));

    let login = app.login("root.admin", "Root-Passw0rd!x").await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.body["must_change_password"], false);
    assert_eq!(login.body["token_type"], "Bearer");
    let admin = login.body["access_token"].as_str().unwrap().to_string();

    let res = app
        .post(
            "/api/v1/users",
            &json!({"username": "audit.li", "password": "Initial-Pass1", "role": "auditor"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["must_change_password"], true);
    assert!(res.body.get("password_hash").is_none() && !res.text.contains("argon2"));

    let login = app.login("audit.li", "Initial-Pass1").await;
    assert_eq!(login.body["must_change_password"], true);
    let auditor = login.body["access_token"].as_str().unwrap().to_string();
    app.get_as("/api/v1/audit-events/verify", &auditor).await.assert_problem(403, "password_change_required");
    assert_eq!(app.get_as("/api/v1/me", &auditor).await.body["must_change_password"], true);

    let res = app
        .post(
            "/api/v1/me/password",
            &json!({"current_password": "Initial-Pass1", "new_password": "Auditor-Chosen9"}),
            Some(&auditor),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let auditor = app.login("audit.li", "Auditor-Chosen9").await.body["access_token"].as_str().unwrap().to_string();
    let res = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["ok"], true);
    assert_eq!(res.body["first_bad_id"], serde_json::Value::Null);
    // user.create (cli), 2 logins, user.create (api), auditor login, password change, login.
    assert!(res.body["checked"].as_i64().unwrap() >= 6, "{}", res.text);

    let events = app.get_as("/api/v1/audit-events?action=user.password_change", &auditor).await;
    assert_eq!(events.body["items"].as_array().unwrap().len(), 1);
}

async fn five_failures_lock_the_account(app: &TestApp) {
    app.create_user("zhao.min", "province_officer", None, None).await;
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    for _ in 0..5 {
        app.login("zhao.min", "Wrong-Passw0rd!").await.assert_problem(401, "invalid_credentials");
    }
    app.login("zhao.min", PASSWORD).await.assert_problem(401, "invalid_credentials");
    let users = app.get_as("/api/v1/users?role=province_officer", &admin).await;
    let user = &users.body["items"][0];
    assert_eq!(user["locked"], true);
    let id = user["id"].as_str().unwrap();
    let res = app.post(&format!("/api/v1/users/{id}/unlock"), &json!({}), Some(&admin)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["locked"], false);
    assert_eq!(app.login("zhao.min", PASSWORD).await.status, 200);
}

async fn unknown_user_and_wrong_password_look_alike(app: &TestApp) {
    app.create_user("qian.li", "province_officer", None, None).await;
    let a = app.login("qian.li", "Wrong-Passw0rd!").await;
    let b = app.login("nobody.here", "Wrong-Passw0rd!").await;
    assert_eq!(a.status, b.status);
    assert_eq!(a.body, b.body);
    a.assert_problem(401, "invalid_credentials");
}

async fn rotated_refresh_token_reused_kills_the_family(app: &TestApp) {
    app.create_user("sun.yu", "province_officer", None, None).await;
    let login = app.login("sun.yu", PASSWORD).await;
    let r1 = login.body["refresh_token"].as_str().unwrap().to_string();
    let res = app.post("/api/v1/auth/refresh", &json!({"refresh_token": r1}), None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let r2 = res.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    let access = res.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get_as("/api/v1/me", &access).await.status, 200);

    app.post("/api/v1/auth/refresh", &json!({"refresh_token": r1}), None)
        .await
        .assert_problem(401, "refresh_token_reused");
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": r2}), None)
        .await
        .assert_problem(401, "invalid_refresh_token");
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": "garbage"}), None)
        .await
        .assert_problem(401, "invalid_refresh_token");

    // Logout revokes the family of a fresh login.
    let login = app.login("sun.yu", PASSWORD).await;
    let (access, r3) = (login.body["access_token"].as_str().unwrap(), login.body["refresh_token"].as_str().unwrap());
    let res = app.post("/api/v1/auth/logout", &json!({"refresh_token": r3}), Some(access)).await;
    assert_eq!(res.status, 204);
    app.post("/api/v1/auth/refresh", &json!({"refresh_token": r3}), None)
        .await
        .assert_problem(401, "invalid_refresh_token");
}

fn claims_for(sub: &str, role: &str) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: sub.into(),
        exp: now + 600,
        iat: now,
        jti: "t".into(),
        role: role.into(),
        kind: "user".into(),
        enterprise_id: None,
        city_code: None,
        county_code: None,
        provider_id: None,
        must_change_password: false,
    }
}

async fn tampered_tokens_answer_401(app: &TestApp) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let id = app.create_user("audit.wu", "auditor", None, None).await;
    let good = app.token("audit.wu").await;
    assert_eq!(app.get_as("/api/v1/audit-events/verify", &good).await.status, 200);

    let mut forged = Vec::new();
    let parts: Vec<&str> = good.split('.').collect();
    // alg: none, no signature.
    let none_header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    forged.push(format!("{none_header}.{}.", parts[1]));
    // Edited payload (role changed) with the original signature.
    let mut payload: serde_json::Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    payload["role"] = json!("sysadmin");
    forged.push(format!("{}.{}.{}", parts[0], b64.encode(payload.to_string()), parts[2]));
    // Signed with another key.
    forged.push(TokenKeys::new(b"another-secret-of-at-least-32-bytes!!").sign(&claims_for(&id, "auditor")).unwrap());
    // Expired, wrong audience, wrong issuer — with the right key.
    let keys = &app.state.tokens;
    let mut c = claims_for(&id, "auditor");
    c.exp = chrono::Utc::now().timestamp() - 120;
    forged.push(keys.sign(&c).unwrap());
    let mut c = claims_for(&id, "auditor");
    c.aud = "someone-else".into();
    forged.push(keys.sign(&c).unwrap());
    let mut c = claims_for(&id, "auditor");
    c.iss = "evil".into();
    forged.push(keys.sign(&c).unwrap());
    forged.push("not-a-jwt".into());
    for (i, token) in forged.iter().enumerate() {
        let res = app.get_as("/api/v1/audit-events/verify", token).await;
        assert_eq!(res.status, 401, "forgery {i} was accepted: {}", res.text);
        assert!(res.headers.contains_key("www-authenticate"));
    }
    let res = app.get("/api/v1/me").await;
    res.assert_problem(401, "missing_token");
    let mut c = claims_for(&id, "auditor");
    c.exp = chrono::Utc::now().timestamp() - 120;
    app.get_as("/api/v1/me", &keys.sign(&c).unwrap()).await.assert_problem(401, "token_expired");
}

async fn password_policy_names_the_rule(app: &TestApp) {
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    for (password, rule) in [
        ("Short1!", "password_too_short"),
        ("onlylowercaseletters", "password_too_simple"),
        ("Chen.Jing-2024", "password_contains_username"),
    ] {
        let res = app
            .post(
                "/api/v1/users",
                &json!({"username": "chen.jing", "password": password, "role": "province_officer"}),
                Some(&admin),
            )
            .await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.body["errors"][0]["field"], "password");
        assert_eq!(res.body["errors"][0]["code"], rule, "{password}");
    }
    let officer = app.token_for("zhou.officer", "province_officer", None, None).await;
    let res = app
        .post("/api/v1/me/password", &json!({"current_password": PASSWORD, "new_password": "weak"}), Some(&officer))
        .await;
    assert_eq!(res.body["errors"][0]["field"], "new_password");
    let res = app
        .post(
            "/api/v1/me/password",
            &json!({"current_password": "Not-The-Pass1", "new_password": "Better-Passw0rd"}),
            Some(&officer),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "current_password");
}

async fn login_body_errors_are_problems(app: &TestApp) {
    let url = app.url("/api/v1/auth/login");
    let res = app.send(app.client.post(&url).header("content-type", "application/json").body("{\"username\": ")).await;
    res.assert_problem(400, "malformed_json");
    let res = app.post("/api/v1/auth/login", &json!({"username": "a", "password": "b", "extra": 1}), None).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("extra"));
    let res = app.post("/api/v1/auth/login", &json!({"username": 5, "password": "b"}), None).await;
    assert_eq!(res.first_error_field(), Some("username"));
    let res = app.post("/api/v1/auth/login", &json!({"username": "a"}), None).await;
    assert_eq!(res.first_error_field(), Some("password"));
    let big = "x".repeat(70 * 1024);
    let res = app.send(app.client.post(&url).header("content-type", "application/json").body(big)).await;
    res.assert_problem(413, "payload_too_large");
    let res = app.send(app.client.post(&url).header("content-type", "text/plain").body("{}")).await;
    res.assert_problem(415, "unsupported_media_type");
}

both_backends!(
    first_sysadmin_creates_an_auditor,
    five_failures_lock_the_account,
    unknown_user_and_wrong_password_look_alike,
    rotated_refresh_token_reused_kills_the_family,
    tampered_tokens_answer_401,
    password_policy_names_the_rule,
    login_body_errors_are_problems,
);

#[tokio::test]
async fn lock_expires_after_its_duration() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("LOCKOUT_SECONDS", "1")]).await.unwrap();
    app.create_user("feng.yi", "province_officer", None, None).await;
    for _ in 0..5 {
        app.login("feng.yi", "Wrong-Passw0rd!").await;
    }
    app.login("feng.yi", PASSWORD).await.assert_problem(401, "invalid_credentials");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.login("feng.yi", PASSWORD).await.status, 200);
    app.teardown().await;
}

/// A refresh token unused for 30 minutes, or a family older than 12 hours, is refused.
async fn refresh_tokens_expire(app: &TestApp) {
    use diesel::connection::SimpleConnection;
    app.create_user("he.yan", "province_officer", None, None).await;
    let idle = app.login("he.yan", PASSWORD).await.body["refresh_token"].as_str().unwrap().to_string();
    let old = app.login("he.yan", PASSWORD).await.body["refresh_token"].as_str().unwrap().to_string();
    let hash = |t: &str| enterprise_registry::auth::tokens::hash_secret(t);
    let past = "2020-01-01 00:00:00";
    let sql = format!(
        "UPDATE refresh_tokens SET idle_expires_at = '{past}' WHERE token_hash = '{}'; \
         UPDATE refresh_tokens SET family_expires_at = '{past}' WHERE token_hash = '{}';",
        hash(&idle),
        hash(&old)
    );
    app.state.db.run(move |c| c.batch_execute(&sql).map_err(Into::into)).await.unwrap();
    for token in [idle, old] {
        app.post("/api/v1/auth/refresh", &json!({"refresh_token": token}), None)
            .await
            .assert_problem(401, "refresh_token_expired");
    }
}

both_backends!(refresh_tokens_expire);
