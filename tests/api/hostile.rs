//! Hostile input: NUL (U+0000), which PostgreSQL refuses in text, in every path parameter, query
//! parameter and JSON string field of every documented operation, as every role. Each answer is
//! a 4xx problem, alike on both backends, and for at least one caller the error names the field.

use reqwest::Method;
use serde_json::json;

use crate::helpers::probes::{Probe, Samples};
use crate::helpers::world::World;
use crate::helpers::{spec, TestApp, TestResponse};

/// The callers: anonymous and one of each role.
async fn callers(app: &TestApp, w: &World) -> Vec<Option<String>> {
    vec![
        None,
        Some(w.ent.clone()),
        Some(w.rev_hz.clone()),
        Some(w.province.clone()),
        Some(app.token_for("ops", "sysadmin", None, None).await),
        Some(app.token_for("aud", "auditor", None, None).await),
    ]
}

async fn send(app: &TestApp, probe: &Probe, token: Option<&str>) -> TestResponse {
    let headers: Vec<(&str, &str)> = probe.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let method: Method = probe.method.parse().unwrap();
    app.request_with(method, &probe.path, probe.body.as_ref(), token, &headers).await
}

fn names_the_field(res: &TestResponse, field: &str) -> bool {
    res.body["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["field"] == field && e["code"] == "invalid_character"))
}

async fn nul_anywhere_is_a_4xx_naming_the_field(app: &TestApp) {
    let w = World::new(app).await;
    let callers = callers(app, &w).await;
    let enterprise = w.enterprise.clone();
    let samples = Samples {
        by_name: &[
            ("id", &enterprise),
            ("plan", "ZJ2018-SZJJ"),
            ("code", "cloud_adoption_enterprises"),
            ("indicator", "cloud_adoption_enterprises"),
            ("year", "2022"),
            ("city_code", "330100"),
        ],
    };
    let probes = spec().probes(&samples, "\u{0}", "%00");
    assert!(probes.len() > 100, "only {} probes generated", probes.len());
    let mut never_named = Vec::new();
    for probe in &probes {
        let mut named = false;
        for token in &callers {
            let res = send(app, probe, token.as_deref()).await;
            let what = format!("{} {} ({}): {} {}", probe.method, probe.template, probe.place, res.status, res.text);
            assert!(res.status.is_client_error(), "{what}");
            assert!(res.content_type().starts_with("application/problem+json"), "{what}");
            named |= names_the_field(&res, &probe.field);
        }
        if !named {
            never_named.push(format!("{} {} ({})", probe.method, probe.template, probe.place));
        }
    }
    assert!(never_named.is_empty(), "no caller got an error naming the field: {never_named:#?}");
}

/// The reproductions of issue 21, as sent there.
async fn reported_reproductions_answer_4xx(app: &TestApp) {
    let w = World::new(app).await;
    let t = Some(w.province.as_str());
    let cases: Vec<(Method, &str, Option<serde_json::Value>, Option<&str>)> = vec![
        (Method::POST, "/api/v1/auth/login", Some(json!({"username": "\u{0}", "password": "x"})), None),
        (Method::GET, "/api/v1/indicators?plan=%00", None, None),
        (Method::GET, "/api/v1/enterprises?q=%00", None, t),
        (Method::GET, "/api/v1/stats/progress?plan=%00&indicator=cloud_adoption_enterprises&year=2022", None, t),
        (Method::GET, "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=%00&year=2022", None, t),
        (Method::GET, "/api/v1/stats/progress.csv?plan=%00&indicator=cloud_adoption_enterprises&year=2022", None, t),
        (Method::GET, "/api/v1/stats/progress/330100?plan=ZJ2018-SZJJ&indicator=%00&year=2022", None, t),
        (Method::GET, "/api/v1/indicators/%00/x/targets?year=2022", None, t),
        (Method::PUT, "/api/v1/indicators/%00/x/targets/2022", Some(json!({"targets": []})), t),
        (Method::PUT, "/api/v1/indicators/ZJ2018-SZJJ/%00/targets/2022", Some(json!({"targets": []})), t),
    ];
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let audit = ["/api/v1/audit-events?actor=%00", "/api/v1/audit-events?action=%00"];
    let cases = cases.into_iter().chain(audit.iter().map(|p| (Method::GET, *p, None, Some(auditor.as_str()))));
    for (method, path, body, token) in cases {
        let res = app.request(method.clone(), path, body.as_ref(), token).await;
        assert!(res.status == 400 || res.status == 422, "{method} {path}: {} {}", res.status, res.text);
        assert!(res.content_type().starts_with("application/problem+json"), "{method} {path}");
        assert!(res.body["errors"][0]["code"] == "invalid_character", "{method} {path}: {}", res.text);
        assert!(!res.text.contains('\u{0}') && !res.text.contains("\\u0000"), "{}", res.text);
    }
    // The form variant of the token grant.
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=x&client_secret=%00"),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("client_secret"));
}

/// A database refusal caused by the client's text is a 4xx, not a 500, should a value reach the
/// database unchecked (PostgreSQL refuses NUL; SQLite stores it).
async fn database_refusal_of_text_is_a_client_error(app: &TestApp) {
    use diesel::RunQueryDsl;
    let res = app
        .state
        .db
        .run(|c| {
            diesel::sql_query("SELECT 1 AS one WHERE $1 = 'x'")
                .bind::<diesel::sql_types::Text, _>("a\u{0}b")
                .execute(c)
                .map_err(Into::into)
        })
        .await;
    match app.backend {
        crate::helpers::Backend::Postgres => {
            let e = res.expect_err("PostgreSQL refuses NUL in text");
            assert_eq!((e.status().as_u16(), e.code()), (400, "invalid_character"), "{e}");
        }
        crate::helpers::Backend::Sqlite => assert!(res.is_ok()),
    }
}

both_backends!(
    nul_anywhere_is_a_4xx_naming_the_field,
    reported_reproductions_answer_4xx,
    database_refusal_of_text_is_a_client_error
);
