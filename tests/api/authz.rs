//! The authorization table: every route, called with no token and as every role, in and out of
//! scope, answers the expected status. A route missing from the table fails the test, so the
//! table grows with the API.

use std::collections::BTreeSet;

use enterprise_registry::routes;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// Callers, in column order.
const CALLERS: [&str; 8] =
    ["none", "enterprise", "city_reviewer", "county_reviewer", "province_officer", "sysadmin", "auditor", "provider"];

struct Row {
    method: Method,
    template: &'static str,
    path: String,
    body: Option<Value>,
    if_match: Option<&'static str>,
    expect: [u16; 8],
}

fn row(method: Method, template: &'static str, path: String, body: Option<Value>, expect: [u16; 8]) -> Row {
    Row { method, template, path, body, if_match: None, expect }
}

async fn every_route_as_every_role(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let nb = app.create_enterprise(&province, 2, "330212").await;
    // A provider to which the Hangzhou enterprise delegates `smart_factory` (below), and another.
    let provider = app.provider(&province, 1).await;
    let other_provider = app.provider(&province, 2).await;
    let tokens = [
        None,
        Some(app.token_for("ent.hz", "enterprise", None, Some(&hz)).await),
        Some(app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await),
        // The county of the Hangzhou enterprise (330106); the Ningbo one is outside it.
        Some(app.token_for("rev.xihu", "county_reviewer", Some("330106"), None).await),
        Some(province.clone()),
        Some(app.token_for("ops", "sysadmin", None, None).await),
        Some(app.token_for("aud", "auditor", None, None).await),
        Some(app.token_for("prov.staff", "provider", Some(&provider), None).await),
    ];
    let target = app.create_user("target.user", "province_officer", None, None).await;
    let ent_hz = tokens[1].clone().unwrap();
    let rev_hz = tokens[2].clone().unwrap();
    let nb_user = app.token_for("ent.nb", "enterprise", None, Some(&nb)).await;
    let delegation = app.delegate(&ent_hz, &hz, &provider, &["smart_factory"]).await;
    let draft = app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, "2023-01-01")).await;
    let submitted = app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, "2023-01-02")).await;
    app.act_ok(&ent_hz, &submitted, "submit", json!({})).await;
    let approved = app.draft_id(&ent_hz, &hz, &milestone("smart_factory", None, "2023-01-03")).await;
    app.act_ok(&ent_hz, &approved, "submit", json!({})).await;
    app.act_ok(&rev_hz, &approved, "approve", json!({})).await;
    let ningbo = app.draft_id(&nb_user, &nb, &milestone("smart_factory", None, "2023-01-04")).await;
    app.act_ok(&nb_user, &ningbo, "submit", json!({})).await;
    let nobody = "0193a0b0-0000-7000-8000-000000000000";
    let empty = Some(json!({}));
    let hook = |token: String| async move {
        let body = json!({"url": "http://127.0.0.1:9/hook", "events": ["milestone.approved"]});
        let res = app.post("/api/v1/webhooks", &body, Some(&token)).await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    };
    let (hz_hook, hz_doomed, nb_hook) =
        (hook(ent_hz.clone()).await, hook(ent_hz.clone()).await, hook(nb_user.clone()).await);
    use Method as M;
    let stat = "plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023";
    let ms = |id: &str, action: &str| format!("/api/v1/milestones/{id}/{action}");
    let rows = vec![
        row(M::GET, "/healthz", "/healthz".into(), None, [200; 8]),
        row(M::GET, "/readyz", "/readyz".into(), None, [200; 8]),
        row(M::GET, "/metrics", "/metrics".into(), None, [200; 8]),
        row(M::GET, "/api/v1/openapi.yaml", "/api/v1/openapi.yaml".into(), None, [200; 8]),
        row(M::GET, "/api/v1/divisions", "/api/v1/divisions?level=city".into(), None, [200; 8]),
        row(M::GET, "/api/v1/milestone-types", "/api/v1/milestone-types".into(), None, [200; 8]),
        // Review chains: the province writes (an empty body is 422 for it).
        row(
            M::PUT,
            "/api/v1/milestone-types/{code}/review",
            "/api/v1/milestone-types/smart_factory/review".into(),
            empty.clone(),
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/milestone-types/{code}/review",
            "/api/v1/milestone-types/smart_factory/review".into(),
            Some(json!({"review_chain": ["city"], "publicity_days": 0})),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/milestone-types/{code}/review",
            "/api/v1/milestone-types/no_such_type/review".into(),
            Some(json!({"review_chain": ["city"], "publicity_days": 0})),
            [401, 403, 403, 403, 404, 403, 403, 403],
        ),
        // Quotas: officials read, the province writes (an empty body is 422 for it).
        row(
            M::GET,
            "/api/v1/milestone-types/{code}/quotas/{year}",
            "/api/v1/milestone-types/smart_factory/quotas/2024".into(),
            None,
            [401, 403, 200, 200, 200, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/milestone-types/{code}/quotas/{year}",
            "/api/v1/milestone-types/smart_factory/quotas/2024".into(),
            empty.clone(),
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/milestone-types/{code}/quotas/{year}",
            "/api/v1/milestone-types/smart_factory/quotas/2024".into(),
            Some(json!({"quotas": [{"city_code": "330100", "value": 3}]})),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        // The feed: every business role (providers too) reads its own scope's events.
        row(M::GET, "/api/v1/events", "/api/v1/events".into(), None, [401, 200, 200, 200, 200, 403, 403, 200]),
        // Webhooks: an enterprise's or a provider's own; another owner's are 404.
        row(
            M::POST,
            "/api/v1/webhooks",
            "/api/v1/webhooks".into(),
            Some(json!({"url": "http://127.0.0.1:9/x", "events": ["milestone.submitted"]})),
            [401, 201, 403, 403, 403, 403, 403, 201],
        ),
        row(M::GET, "/api/v1/webhooks", "/api/v1/webhooks".into(), None, [401, 200, 403, 403, 403, 403, 403, 200]),
        row(
            M::GET,
            "/api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{hz_hook}"),
            None,
            [401, 200, 403, 403, 403, 403, 403, 404],
        ),
        row(
            M::GET,
            "/api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{nb_hook}"),
            None,
            [401, 404, 403, 403, 403, 403, 403, 404],
        ),
        row(
            M::GET,
            "/api/v1/webhooks/{id}/deliveries",
            format!("/api/v1/webhooks/{hz_hook}/deliveries"),
            None,
            [401, 200, 403, 403, 403, 403, 403, 404],
        ),
        row(
            M::DELETE,
            "/api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{nb_hook}"),
            None,
            [401, 404, 403, 403, 403, 403, 403, 404],
        ),
        row(
            M::DELETE,
            "/api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{hz_doomed}"),
            None,
            [401, 204, 403, 403, 403, 403, 403, 404],
        ),
        row(M::GET, "/api/v1/plans", "/api/v1/plans".into(), None, [200; 8]),
        row(M::GET, "/api/v1/indicators", "/api/v1/indicators".into(), None, [200; 8]),
        // City targets: officials read, the province writes (an empty body is 422 for it).
        row(
            M::GET,
            "/api/v1/indicators/{plan}/{code}/targets",
            "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets?year=2023".into(),
            None,
            [401, 403, 200, 403, 200, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/indicators/{plan}/{code}/targets/{year}",
            "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets/2023".into(),
            empty.clone(),
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/indicators/{plan}/{code}/targets/{year}",
            "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets/2023".into(),
            Some(json!({"targets": [{"region_code": "330100", "value": 40}]})),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        // The working-day calendar: anyone reads and counts; the province writes.
        row(M::GET, "/api/v1/calendar", "/api/v1/calendar?year=2024".into(), None, [200; 8]),
        // The public notice list: anyone.
        row(M::GET, "/api/v1/publicity", "/api/v1/publicity".into(), None, [200; 8]),
        row(
            M::GET,
            "/api/v1/calendar/workdays",
            "/api/v1/calendar/workdays?from=2024-09-27&add=5".into(),
            None,
            [200; 8],
        ),
        row(
            M::PUT,
            "/api/v1/calendar/{date}",
            "/api/v1/calendar/2027-02-08".into(),
            empty.clone(),
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        row(
            M::PUT,
            "/api/v1/calendar/{date}",
            "/api/v1/calendar/2027-02-08".into(),
            Some(json!({"kind": "holiday", "name": "春节"})),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        row(
            M::DELETE,
            "/api/v1/calendar/{date}",
            "/api/v1/calendar/2027-02-08".into(),
            None,
            [401, 403, 403, 403, 204, 403, 403, 403],
        ),
        // Body-checking endpoints: 401 without a token proves authentication comes first.
        row(M::POST, "/api/v1/auth/login", "/api/v1/auth/login".into(), empty.clone(), [422; 8]),
        row(M::POST, "/api/v1/auth/refresh", "/api/v1/auth/refresh".into(), empty.clone(), [422; 8]),
        row(M::POST, "/api/v1/auth/token", "/api/v1/auth/token".into(), empty.clone(), [422; 8]),
        row(
            M::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout".into(),
            empty.clone(),
            [401, 422, 422, 422, 422, 422, 422, 422],
        ),
        row(M::GET, "/api/v1/me", "/api/v1/me".into(), None, [401, 200, 200, 200, 200, 200, 200, 200]),
        row(
            M::POST,
            "/api/v1/me/password",
            "/api/v1/me/password".into(),
            empty.clone(),
            [401, 422, 422, 422, 422, 422, 422, 422],
        ),
        row(M::POST, "/api/v1/registrations", "/api/v1/registrations".into(), empty.clone(), [422; 8]),
        // Users: sysadmin only.
        row(M::POST, "/api/v1/users", "/api/v1/users".into(), empty.clone(), [401, 403, 403, 403, 403, 422, 403, 403]),
        row(M::GET, "/api/v1/users", "/api/v1/users".into(), None, [401, 403, 403, 403, 403, 200, 403, 403]),
        row(
            M::GET,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{target}"),
            None,
            [401, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            M::PATCH,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{target}"),
            empty.clone(),
            [401, 403, 403, 403, 403, 428, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/users/{id}/unlock",
            format!("/api/v1/users/{target}/unlock"),
            None,
            [401, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{nobody}"),
            None,
            [401, 403, 403, 403, 403, 404, 403, 403],
        ),
        // Audit: auditor only.
        row(
            M::GET,
            "/api/v1/audit-events",
            "/api/v1/audit-events".into(),
            None,
            [401, 403, 403, 403, 403, 403, 200, 403],
        ),
        row(
            M::GET,
            "/api/v1/audit-events/verify",
            "/api/v1/audit-events/verify".into(),
            None,
            [401, 403, 403, 403, 403, 403, 200, 403],
        ),
        // Enterprises: in scope (Hangzhou) and out of scope (Ningbo) for the enterprise and reviewer.
        row(
            M::POST,
            "/api/v1/enterprises",
            "/api/v1/enterprises".into(),
            empty.clone(),
            [401, 403, 422, 403, 422, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises",
            "/api/v1/enterprises".into(),
            None,
            [401, 200, 200, 200, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{hz}"),
            None,
            [401, 200, 200, 200, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{nb}"),
            None,
            [401, 404, 404, 404, 200, 403, 403, 403],
        ),
        row(
            M::PATCH,
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{hz}"),
            empty.clone(),
            [401, 428, 428, 403, 428, 403, 403, 403],
        ),
        Row {
            if_match: Some("\"1\""),
            ..row(
                M::PATCH,
                "/api/v1/enterprises/{id}",
                format!("/api/v1/enterprises/{nb}"),
                Some(json!({"size_class": "x"})),
                [401, 404, 404, 403, 422, 403, 403, 403],
            )
        },
        row(
            M::POST,
            "/api/v1/enterprises/{id}/verify",
            format!("/api/v1/enterprises/{hz}/verify"),
            None,
            [401, 403, 409, 403, 403, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/verify",
            format!("/api/v1/enterprises/{nb}/verify"),
            None,
            [401, 403, 404, 403, 403, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}/clients",
            format!("/api/v1/enterprises/{hz}/clients"),
            None,
            [401, 200, 403, 403, 403, 200, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}/clients",
            format!("/api/v1/enterprises/{nb}/clients"),
            None,
            [401, 404, 403, 403, 403, 200, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/clients",
            format!("/api/v1/enterprises/{hz}/clients"),
            empty.clone(),
            [401, 422, 403, 403, 403, 422, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/clients",
            format!("/api/v1/enterprises/{nb}/clients"),
            Some(json!({"name": "erp"})),
            [401, 404, 403, 403, 403, 201, 403, 403],
        ),
        row(
            M::DELETE,
            "/api/v1/enterprises/{id}/clients/{client_id}",
            format!("/api/v1/enterprises/{hz}/clients/{nobody}"),
            None,
            [401, 404, 403, 403, 403, 404, 403, 403],
        ),
        // Milestones: drafts are the enterprise's own; transitions that would succeed are avoided.
        row(
            M::POST,
            "/api/v1/enterprises/{id}/milestones",
            format!("/api/v1/enterprises/{hz}/milestones"),
            empty.clone(),
            [401, 422, 403, 403, 403, 403, 403, 422],
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/milestones",
            format!("/api/v1/enterprises/{nb}/milestones"),
            Some(milestone("digital_workshop", None, "2023-01-01")),
            [401, 404, 403, 403, 403, 403, 403, 404],
        ),
        row(M::GET, "/api/v1/milestones", "/api/v1/milestones".into(), None, [401, 200, 200, 200, 200, 403, 403, 200]),
        row(
            M::GET,
            "/api/v1/milestones/{id}",
            format!("/api/v1/milestones/{draft}"),
            None,
            [401, 200, 404, 404, 404, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/v1/milestones/{id}",
            format!("/api/v1/milestones/{submitted}"),
            None,
            [401, 200, 200, 200, 200, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/v1/milestones/{id}",
            format!("/api/v1/milestones/{ningbo}"),
            None,
            [401, 404, 404, 404, 200, 403, 403, 404],
        ),
        row(
            M::PATCH,
            "/api/v1/milestones/{id}",
            format!("/api/v1/milestones/{submitted}"),
            empty.clone(),
            [401, 428, 428, 403, 428, 403, 403, 428],
        ),
        Row {
            if_match: Some("\"1\""),
            ..row(
                M::PATCH,
                "/api/v1/milestones/{id}",
                format!("/api/v1/milestones/{ningbo}"),
                empty.clone(),
                [401, 404, 404, 403, 403, 403, 403, 404],
            )
        },
        row(
            M::GET,
            "/api/v1/milestones/{id}/history",
            format!("/api/v1/milestones/{submitted}/history"),
            None,
            [401, 200, 200, 200, 200, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/v1/milestones/{id}/history",
            format!("/api/v1/milestones/{ningbo}/history"),
            None,
            [401, 404, 404, 404, 200, 403, 403, 404],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/submit",
            ms(&submitted, "submit"),
            None,
            [401, 409, 403, 403, 403, 403, 403, 409],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/withdraw",
            ms(&approved, "withdraw"),
            None,
            [401, 409, 403, 403, 403, 403, 403, 409],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/approve",
            ms(&approved, "approve"),
            None,
            // Every stage's reviewer may take it (at its stage): an approved record is 409.
            [401, 403, 409, 409, 409, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/approve",
            ms(&ningbo, "approve"),
            None,
            // The province may not approve at the city stage (403); Ningbo is outside the county.
            [401, 404, 404, 404, 403, 403, 403, 404],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/reject",
            ms(&approved, "reject"),
            None,
            // Every stage's reviewer may take it (at its stage): an approved record is 409.
            [401, 403, 409, 409, 409, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/return",
            ms(&approved, "return"),
            None,
            // Every stage's reviewer may take it (at its stage): an approved record is 409.
            [401, 403, 409, 409, 409, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/revoke",
            ms(&submitted, "revoke"),
            None,
            [401, 403, 403, 403, 409, 403, 403, 403],
        ),
        // An objection is the province's, during 公示 (an approved record is past it: 409).
        row(
            M::POST,
            "/api/v1/milestones/{id}/object",
            ms(&approved, "object"),
            None,
            [401, 403, 403, 403, 409, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/milestones/{id}/object",
            ms(&ningbo, "object"),
            None,
            [401, 404, 404, 404, 409, 403, 403, 404],
        ),
        // Statistics: officials only; a reviewer drills into its own city only.
        row(
            M::GET,
            "/api/v1/stats/progress",
            format!("/api/v1/stats/progress?{stat}"),
            None,
            [401, 403, 200, 403, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress/{city_code}",
            format!("/api/v1/stats/progress/330100?{stat}"),
            None,
            [401, 403, 200, 200, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress/{city_code}",
            format!("/api/v1/stats/progress/330200?{stat}"),
            None,
            [401, 403, 404, 404, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress.csv",
            format!("/api/v1/stats/progress.csv?{stat}"),
            None,
            [401, 403, 200, 403, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress.xlsx",
            format!("/api/v1/stats/progress.xlsx?{stat}"),
            None,
            [401, 403, 200, 403, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress/{city_code}.csv",
            format!("/api/v1/stats/progress/330100.csv?{stat}"),
            None,
            [401, 403, 200, 200, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress/{city_code}.csv",
            format!("/api/v1/stats/progress/330200.csv?{stat}"),
            None,
            [401, 403, 404, 404, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/progress/{city_code}.xlsx",
            format!("/api/v1/stats/progress/330200.xlsx?{stat}"),
            None,
            [401, 403, 404, 404, 200, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/overview",
            "/api/v1/stats/overview?year=2023".into(),
            None,
            [401, 403, 200, 403, 200, 403, 403, 403],
        ),
        // Service providers (§3.9): the register, providers' clients, delegations, bulk.
        row(
            M::POST,
            "/api/v1/providers",
            "/api/v1/providers".into(),
            empty.clone(),
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/providers",
            "/api/v1/providers".into(),
            Some(json!({"uscc": crate::helpers::fixtures::uscc(950), "name": "浙江平台服务有限公司"})),
            [401, 403, 403, 403, 201, 403, 403, 403],
        ),
        row(M::GET, "/api/v1/providers", "/api/v1/providers".into(), None, [401, 200, 200, 200, 200, 403, 403, 200]),
        row(
            M::POST,
            "/api/v1/providers/{id}/clients",
            format!("/api/v1/providers/{provider}/clients"),
            empty.clone(),
            [401, 403, 403, 403, 403, 422, 403, 422],
        ),
        row(
            M::POST,
            "/api/v1/providers/{id}/clients",
            format!("/api/v1/providers/{other_provider}/clients"),
            Some(json!({"name": "erp"})),
            [401, 403, 403, 403, 403, 201, 403, 404],
        ),
        row(
            M::GET,
            "/api/v1/providers/{id}/clients",
            format!("/api/v1/providers/{provider}/clients"),
            None,
            [401, 403, 403, 403, 403, 200, 403, 200],
        ),
        row(
            M::GET,
            "/api/v1/providers/{id}/clients",
            format!("/api/v1/providers/{other_provider}/clients"),
            None,
            [401, 403, 403, 403, 403, 200, 403, 404],
        ),
        row(
            M::DELETE,
            "/api/v1/providers/{id}/clients/{client_id}",
            format!("/api/v1/providers/{provider}/clients/{nobody}"),
            None,
            [401, 403, 403, 403, 403, 404, 403, 404],
        ),
        // Delegations: the enterprise and its city reviewer grant; whoever sees it reads.
        row(
            M::POST,
            "/api/v1/enterprises/{id}/delegations",
            format!("/api/v1/enterprises/{hz}/delegations"),
            empty.clone(),
            [401, 422, 422, 403, 403, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/delegations",
            format!("/api/v1/enterprises/{nb}/delegations"),
            Some(json!({"provider_id": provider, "types": ["digital_workshop"]})),
            [401, 404, 404, 403, 403, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}/delegations",
            format!("/api/v1/enterprises/{hz}/delegations"),
            None,
            [401, 200, 200, 200, 200, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}/delegations",
            format!("/api/v1/enterprises/{nb}/delegations"),
            None,
            [401, 404, 404, 404, 200, 403, 403, 404],
        ),
        row(
            M::DELETE,
            "/api/v1/enterprises/{id}/delegations/{delegation_id}",
            format!("/api/v1/enterprises/{nb}/delegations/{delegation}"),
            None,
            [401, 404, 404, 403, 403, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/v1/stats/providers",
            "/api/v1/stats/providers?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2023".into(),
            None,
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        row(
            M::POST,
            "/api/v1/bulk/milestones",
            "/api/v1/bulk/milestones".into(),
            empty.clone(),
            [401, 422, 403, 403, 403, 403, 403, 422],
        ),
        // Official lists: the province only (a JSON body is not a list: 415 once authorised).
        row(
            M::POST,
            "/api/v1/imports",
            "/api/v1/imports?dry_run=true".into(),
            empty.clone(),
            [401, 403, 403, 403, 415, 403, 403, 403],
        ),
        row(M::GET, "/api/v1/imports", "/api/v1/imports".into(), None, [401, 403, 403, 403, 200, 403, 403, 403]),
        row(
            M::GET,
            "/api/v1/imports/{id}",
            format!("/api/v1/imports/{nobody}"),
            None,
            [401, 403, 403, 403, 404, 403, 403, 403],
        ),
    ];

    let covered: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r.method.to_string(), r.template.to_string())).collect();
    for route in routes::table() {
        assert!(
            covered.contains(&(route.method.to_string(), route.path.to_string())),
            "{} {} is missing from the authorization table",
            route.method,
            route.path
        );
    }

    let mut failures = Vec::new();
    for r in &rows {
        for (i, token) in tokens.iter().enumerate() {
            let mut req = app.client.request(r.method.clone(), app.url(&r.path));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some(b) = &r.body {
                req = req.json(b);
            }
            if let Some(m) = r.if_match {
                req = req.header("if-match", m);
            }
            let res = app.send(req).await;
            if res.status.as_u16() != r.expect[i] {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {} {}",
                    r.method, r.path, CALLERS[i], r.expect[i], res.status, res.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorization table mismatches:\n{}", failures.join("\n"));
}

both_backends!(every_route_as_every_role);
