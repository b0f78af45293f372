//! The working-day calendar (§3.7): counting working days across the real schedules, reading a
//! year, the province's maintenance and who may do what. Expected dates come from the lines of
//! `data/reference/cn_calendar.csv` quoted beside each case, not from the service's code.

use enterprise_registry::db::migrations;
use enterprise_registry::error::AppError;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{TestApp, TestResponse};

/// The project's copy of the State Council schedules, as the tests read it.
const CSV: &str = include_str!("../../data/reference/cn_calendar.csv");

/// `(date, kind, name)` of every CSV line.
fn csv_lines() -> Vec<(String, String, String)> {
    CSV.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.trim().splitn(3, ',').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

async fn workdays(app: &TestApp, from: &str, add: u32) -> TestResponse {
    app.get(&format!("/api/v1/calendar/workdays?from={from}&add={add}")).await
}

/// The date answered, asserting a 200 with the request echoed and `calendar_published`.
async fn nth(app: &TestApp, from: &str, add: u32, published: bool) -> String {
    let res = workdays(app, from, add).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!((res.body["from"].as_str(), res.body["add"].as_u64()), (Some(from), Some(add.into())));
    assert_eq!(res.body["calendar_published"], published, "{from} + {add}: {}", res.text);
    res.body["date"].as_str().unwrap().to_string()
}

// (from, add, expected, why — the CSV lines that decide it)
const CASES: &[(&str, u32, &str, &str)] = &[
    ("2024-09-27", 5, "2024-10-10", "2024-09-29 workday (Sun); 10-01..04, 10-07 holiday: 29, 30, 8, 9, 10"),
    ("2024-09-27", 0, "2024-09-27", "add=0 gives the start"),
    ("2024-09-27", 1, "2024-09-29", "2024-09-29 workday: the make-up Sunday is the first"),
    ("2019-02-01", 1, "2019-02-02", "2019-02-02 workday (Sat)"),
    ("2019-02-01", 3, "2019-02-11", "02-02, 02-03 workday; 02-04..08 holiday; then Mon 11"),
    ("2019-09-27", 3, "2019-10-08", "2019-09-29 workday (Sun); 10-01..04, 10-07 holiday"),
    ("2020-01-23", 1, "2020-02-03", "2020-01-24, 01-27..31 holiday; no make-up day on 02-01"),
    ("2020-09-30", 2, "2020-10-10", "2020-10-01, 02, 05..08 holiday; 10-09 Fri; 10-10 workday (Sat)"),
    ("2021-02-10", 1, "2021-02-18", "2021-02-11, 12, 15..17 holiday"),
    ("2021-02-10", 3, "2021-02-20", "then 02-19 Fri and 02-20 workday (Sat)"),
    ("2021-09-30", 1, "2021-10-08", "2021-10-01, 04..07 holiday"),
    ("2021-09-30", 2, "2021-10-09", "2021-10-09 workday (Sat)"),
    ("2022-01-28", 3, "2022-02-07", "2022-01-29, 30 workday (Sat, Sun); 01-31..02-04 holiday"),
    ("2022-09-30", 1, "2022-10-08", "2022-10-03..07 holiday; 10-08 workday (Sat)"),
    ("2022-09-30", 3, "2022-10-10", "10-08, 10-09 workday (Sat, Sun), then Mon 10"),
    ("2023-01-20", 1, "2023-01-28", "2023-01-23..27 holiday; 01-28 workday (Sat)"),
    ("2023-09-28", 2, "2023-10-08", "2023-09-29, 10-02..06 holiday; 10-07, 10-08 workday"),
    ("2024-02-08", 2, "2024-02-18", "02-09 Fri; 2024-02-12..16 holiday; 02-17 Sat off; 02-18 workday (Sun)"),
    ("2025-01-27", 1, "2025-02-05", "2025-01-28..31, 02-03, 02-04 holiday"),
    ("2025-01-27", 4, "2025-02-08", "02-05, 06, 07, then 02-08 workday (Sat)"),
    ("2025-09-26", 1, "2025-09-28", "2025-09-28 workday (Sun)"),
    ("2025-09-30", 3, "2025-10-11", "2025-10-01..03, 06..08 holiday; 09, 10, 11 workday (Sat)"),
    ("2026-02-13", 1, "2026-02-14", "2026-02-14 workday (Sat)"),
    ("2026-02-13", 2, "2026-02-24", "2026-02-16..20, 02-23 holiday"),
    ("2026-09-30", 3, "2026-10-10", "2026-10-01, 02, 05..07 holiday; 08, 09, 10 workday (Sat)"),
];

async fn counts_follow_the_real_schedules(app: &TestApp) {
    let mut wrong = Vec::new();
    for (from, add, want, why) in CASES {
        let got = nth(app, from, *add, true).await;
        if got != *want {
            wrong.push(format!("{from} + {add}: got {got}, want {want} ({why})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

async fn every_listed_date_counts_as_listed(app: &TestApp) {
    // The day before each listed date, +1: a make-up weekend day is the next working day
    // itself; a weekday holiday is skipped.
    for (date, kind, name) in csv_lines() {
        let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
        let before = day.pred_opt().unwrap().to_string();
        let got = nth(app, &before, 1, true).await;
        match kind.as_str() {
            "workday" => assert_eq!(got, date, "{date} ({name}) is a make-up working day"),
            "holiday" => assert!(got > date, "{date} ({name}) is a holiday, yet {before} + 1 = {got}"),
            other => panic!("unknown kind {other}"),
        }
    }
}

async fn each_year_holds_its_csv_lines(app: &TestApp) {
    let lines = csv_lines();
    for year in 2017..=2026 {
        let res = app.get(&format!("/api/v1/calendar?year={year}")).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let want: Vec<Value> = lines
            .iter()
            .filter(|(d, _, _)| d.starts_with(&year.to_string()))
            .map(|(d, k, n)| json!({"date": d, "kind": k, "name": n}))
            .collect();
        assert_eq!(res.body, json!({"year": year, "calendar_published": true, "items": want}));
    }
    let res = app.get("/api/v1/calendar?year=2027").await;
    assert_eq!(res.body, json!({"year": 2027, "calendar_published": false, "items": []}));
}

async fn years_without_entries_are_unpublished(app: &TestApp) {
    assert_eq!(nth(app, "2030-03-01", 0, false).await, "2030-03-01");
    // Monday–Friday assumed for 2027: Fri 2027-01-01 counts.
    assert_eq!(nth(app, "2026-12-25", 10, false).await, "2027-01-08");
    // 2016 has no entry although 2017-01-02 (holiday, New Year's Day) is skipped.
    assert_eq!(nth(app, "2016-12-30", 1, false).await, "2017-01-03");
    assert_eq!(nth(app, "2026-12-25", 4, true).await, "2026-12-31");
    // 250 working days from the start of 2025 stay within 2025–2026.
    let res = workdays(app, "2025-01-01", 250).await;
    assert_eq!(res.body["calendar_published"], true, "{}", res.text);
}

async fn restart(app: &TestApp) {
    app.state.db.run(|c| migrations::run(c).map(|_| ()).map_err(|e| AppError::internal(e.to_string()))).await.unwrap();
}

async fn province_maintains_the_calendar(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let put = |date: &str, body: Value| {
        let (path, token) = (format!("/api/v1/calendar/{date}"), province.clone());
        async move { app.request(Method::PUT, &path, Some(&body), Some(&token)).await }
    };
    let delete = |date: &str| {
        let (path, token) = (format!("/api/v1/calendar/{date}"), province.clone());
        async move { app.request(Method::DELETE, &path, None, Some(&token)).await }
    };
    // 2027 is not yet published: Monday 2027-02-08 is the next working day.
    assert_eq!(nth(app, "2027-02-05", 1, false).await, "2027-02-08");
    let res = put("2027-02-08", json!({"kind": "holiday", "name": " 春节 "})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body, json!({"date": "2027-02-08", "kind": "holiday", "name": "春节"}));
    assert_eq!(nth(app, "2027-02-05", 1, true).await, "2027-02-09");
    assert_eq!(put("2027-02-06", json!({"kind": "workday", "name": "春节"})).await.status, 200);
    assert_eq!(nth(app, "2027-02-05", 1, true).await, "2027-02-06");
    let year = app.get("/api/v1/calendar?year=2027").await;
    assert_eq!(year.body["items"].as_array().unwrap().len(), 2, "{}", year.text);
    // Replacing keeps one entry per date.
    assert_eq!(put("2027-02-08", json!({"kind": "holiday", "name": "Spring Festival"})).await.status, 200);
    assert_eq!(delete("2027-02-06").await.status, 204);
    assert_eq!(nth(app, "2027-02-05", 1, true).await, "2027-02-09");
    assert_eq!(delete("2027-02-08").await.status, 204);
    assert_eq!(nth(app, "2027-02-05", 1, false).await, "2027-02-08");
    delete("2027-02-08").await.assert_problem(404, "not_found");

    // An embedded entry deleted stays deleted across a restart (seeding does not bring it back).
    assert_eq!(delete("2024-09-29").await.status, 204);
    assert_eq!(nth(app, "2024-09-27", 5, true).await, "2024-10-11");
    restart(app).await;
    assert_eq!(nth(app, "2024-09-27", 5, true).await, "2024-10-11");
    assert_eq!(put("2024-09-29", json!({"kind": "workday", "name": "National Day"})).await.status, 200);
    assert_eq!(nth(app, "2024-09-27", 5, true).await, "2024-10-10");

    let auditor = app.token_for("aud", "auditor", None, None).await;
    let events = |action: &'static str| {
        let token = auditor.clone();
        async move {
            let res = app.get_as(&format!("/api/v1/audit-events?action={action}"), &token).await;
            assert_eq!(res.status, 200, "{}", res.text);
            res.body["items"].as_array().unwrap().clone()
        }
    };
    let puts = events("calendar.put").await;
    let deletes = events("calendar.delete").await;
    assert_eq!((puts.len(), deletes.len()), (4, 3));
    for e in puts.iter().chain(&deletes) {
        assert_eq!((e["object_type"].as_str(), e["actor_role"].as_str()), (Some("calendar"), Some("province_officer")));
    }
    let replaced = puts.iter().find(|e| e["detail"].as_str().unwrap().contains("Spring Festival")).unwrap();
    let detail: Value = serde_json::from_str(replaced["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        detail,
        json!({"kind": "holiday", "name": "Spring Festival", "previous": {"kind": "holiday", "name": "春节"}})
    );
    let seeded = deletes.iter().find(|e| e["object_id"] == "2024-09-29").unwrap();
    let detail: Value = serde_json::from_str(seeded["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail, json!({"previous": {"kind": "workday", "name": "National Day"}}));
    assert_eq!(app.get_as("/api/v1/audit-events/verify", &auditor).await.body["ok"], true);
}

async fn only_the_province_writes(app: &TestApp) {
    let ent_id = app.create_enterprise(&app.token_for("prov", "province_officer", None, None).await, 1, "330106").await;
    let others = [
        app.token_for("ent", "enterprise", None, Some(&ent_id)).await,
        app.token_for("rev", "city_reviewer", Some("330100"), None).await,
        app.token_for("ops", "sysadmin", None, None).await,
        app.token_for("aud", "auditor", None, None).await,
    ];
    let path = "/api/v1/calendar/2027-02-08";
    let body = json!({"kind": "holiday", "name": "春节"});
    app.request(Method::PUT, path, Some(&body), None).await.assert_problem(401, "missing_token");
    app.request(Method::DELETE, "/api/v1/calendar/2024-10-01", None, None).await.assert_problem(401, "missing_token");
    for token in &others {
        app.request(Method::PUT, path, Some(&body), Some(token)).await.assert_problem(403, "forbidden_role");
        let res = app.request(Method::DELETE, "/api/v1/calendar/2024-10-01", None, Some(token)).await;
        res.assert_problem(403, "forbidden_role");
        // Reading is anyone's, with or without a token.
        assert_eq!(app.get_as("/api/v1/calendar?year=2024", token).await.status, 200);
    }
    assert_eq!(app.get("/api/v1/calendar?year=2027").await.body["items"], json!([]), "refused writes left no trace");
    assert_eq!(nth(app, "2024-09-27", 5, true).await, "2024-10-10");
}

async fn bad_input_names_the_parameter(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    for (query, field) in [
        ("add=1", "from"),
        ("from=2024-09-27", "add"),
        ("from=2024-9-27&add=1", "from"),
        ("from=2024-02-30&add=1", "from"),
        ("from=1999-12-31&add=1", "from"),
        ("from=2024-09-27&add=251", "add"),
        ("from=2024-09-27&add=-1", "add"),
        ("from=2024-09-27&add=five", "add"),
        ("from=2024-09-27&add=1&city=330100", "city"),
    ] {
        let res = app.get(&format!("/api/v1/calendar/workdays?{query}")).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some(field), "{query}: {}", res.text);
    }
    for query in ["", "?year=1999", "?year=2101", "?year=x"] {
        let res = app.get(&format!("/api/v1/calendar{query}")).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some("year"), "{query}");
    }
    let ok = json!({"kind": "holiday", "name": "春节"});
    for date in ["2027-02-30", "20270208", "2101-01-01"] {
        let res = app.request(Method::PUT, &format!("/api/v1/calendar/{date}"), Some(&ok), Some(&province)).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some("date"), "{date}");
    }
    for (date, body, field, code) in [
        ("2027-02-06", json!({"kind": "holiday", "name": "x"}), "kind", "no_effect"),
        ("2027-02-08", json!({"kind": "workday", "name": "x"}), "kind", "no_effect"),
        ("2027-02-08", json!({"kind": "rest", "name": "x"}), "kind", "invalid_value"),
        ("2027-02-08", json!({"kind": "holiday", "name": "  "}), "name", "invalid_value"),
        ("2027-02-08", json!({"kind": "holiday"}), "name", "invalid_value"),
        ("2027-02-08", json!({"kind": "holiday", "name": "x", "note": 1}), "note", "invalid_value"),
    ] {
        let res = app.request(Method::PUT, &format!("/api/v1/calendar/{date}"), Some(&body), Some(&province)).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!((res.first_error_field(), res.body["errors"][0]["code"].as_str()), (Some(field), Some(code)));
    }
    assert_eq!(app.get("/api/v1/calendar?year=2027").await.body["items"], json!([]));
}

both_backends!(
    counts_follow_the_real_schedules,
    every_listed_date_counts_as_listed,
    each_year_holds_its_csv_lines,
    years_without_entries_are_unpublished,
    province_maintains_the_calendar,
    only_the_province_writes,
    bad_input_names_the_parameter,
);
