//! The console's pages in a real browser against a real service on a fresh SQLite database:
//! the province reads progress and downloads the workbook, a city reviewer approves and the
//! province's table changes, an enterprise changes its first password then creates and submits
//! a record, a wrong password shows the service's message, the auditor verifies the chain.
//! Each test ends by checking the browser logged no error and no CSP violation.

use std::time::Duration;

use enterprise_registry::accounts::{self, RawAccount};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::Locator;
use serde_json::json;

use super::browser::{Browser, DESKTOP, PHONE};
use crate::helpers::fixtures::{enterprise_body, uscc, PASSWORD};
use crate::helpers::world::{milestone, World};
use crate::helpers::{Backend, TestApp};

const PLAN: &str = "ZJ2018-SZJJ";
const INDICATOR: &str = "cloud_adoption_enterprises";

async fn spawn() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await.expect("sqlite")
}

/// Sets every city's 2022 target of the indicator to 10.
async fn targets(app: &TestApp, province: &str) {
    let cities = app.get("/api/v1/divisions?level=city").await;
    let targets: Vec<_> = cities.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"region_code": c["code"], "value": 10}))
        .collect();
    let path = format!("/api/v1/indicators/{PLAN}/{INDICATOR}/targets/2022");
    let res = app.request(reqwest::Method::PUT, &path, Some(&json!({ "targets": targets })), Some(province)).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

/// A submitted 企业上云 record of the world's enterprise; returns its id.
async fn submitted(app: &TestApp, w: &World) -> String {
    let id = app.draft_id(&w.ent, &w.enterprise, &milestone("cloud_adoption", Some("on_cloud"), "2022-05-01")).await;
    app.act_ok(&w.ent, &id, "submit", json!({})).await;
    id
}

/// Shows the progress table of the test's indicator for 2022 and waits for its 11 rows.
async fn show_progress(b: &Browser) {
    b.open("/console/#/progress").await;
    b.find("#stat-plan").await.select_by_value(PLAN).await.unwrap();
    b.find(&format!("#stat-indicator option[value=\"{INDICATOR}\"]")).await;
    b.find("#stat-indicator").await.select_by_value(INDICATOR).await.unwrap();
    b.fill("#stat-year", "2022").await;
    b.click("#progress-load").await;
    b.wait_text("#progress-result .report-head", "2022年").await;
    let rows = b.client.find_all(Locator::Css("#progress-table tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 11, "one row per city");
}

async fn hangzhou(b: &Browser, column: &str, want: &str) {
    b.wait_text(&format!("#progress-table tr[data-code=\"330100\"] td.{column}"), want).await;
}

#[tokio::test]
async fn province_reads_progress_and_downloads_the_workbook() {
    let app = spawn().await;
    let w = World::new(&app).await;
    targets(&app, &w.province).await;
    let id = submitted(&app, &w).await;
    app.act_ok(&w.rev_hz, &id, "approve", json!({})).await;
    let Some(b) = Browser::start(&app, "province", DESKTOP).await else { return app.teardown().await };

    b.login("prov", PASSWORD).await;
    show_progress(&b).await;
    hangzhou(&b, "actual", "1").await;
    hangzhou(&b, "rate", "10.00%").await;
    let chart = b.find("#progress-chart canvas").await;
    tokio::time::sleep(Duration::from_millis(300)).await; // the chart draws on the next frame
    b.screenshot("progress").await;
    // The tooltip must not write inline styles the CSP refuses (checked with the log at the end).
    let hover = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: chart, duration: None, x: -300.0, y: 50.0 })
        .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(200)), x: 10.0, y: 5.0 });
    b.client.perform_actions(hover).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.assert_no_errors(&[]).await;
    b.screenshot("tooltip").await;

    b.click("#download-xlsx").await;
    b.wait_text("#progress-status", "已下载").await;
    let mut workbook = None;
    for _ in 0..100 {
        let done = std::fs::read_dir(b.downloads.path())
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "xlsx"));
        if let Some(entry) = done {
            workbook = Some(std::fs::read(entry.path()).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let workbook = workbook.expect("the workbook was downloaded");
    assert!(workbook.starts_with(b"PK"), "an XLSX is a zip file");

    b.click("#progress-table tr[data-code=\"330100\"] button.link").await;
    b.wait_text("#drill-down tr[data-code=\"330106\"] td.actual", "1").await;
    b.screenshot("drill-down").await;

    // Targets: Hangzhou's changed, the whole set saved.
    b.open("/console/#/targets").await;
    b.find("#targets-plan").await.select_by_value(PLAN).await.unwrap();
    b.find(&format!("#targets-indicator option[value=\"{INDICATOR}\"]")).await;
    b.find("#targets-indicator").await.select_by_value(INDICATOR).await.unwrap();
    b.fill("#targets-year", "2022").await;
    b.click("#targets-load").await;
    b.wait_text("#targets-sum", "110").await;
    b.fill("input[data-city=\"330100\"]", "20").await;
    b.click("#targets-save").await;
    b.wait_text("#targets-status", "合计 120").await;
    b.screenshot("targets").await;

    // An official list: a file with a fault is refused with its row, a good one checked, then
    // imported.
    let dir = tempfile::tempdir().unwrap();
    let header = "统一社会信用代码,企业名称,区县代码,类型,级别,认定日期,文号\n";
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}{},浙江名单企业有限公司,339999,企业上云,on_cloud,2022-03-01,浙经信〔2022〕1号\n", uscc(900)),
    )
    .unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("{header}{},浙江名单企业有限公司,330106,企业上云,on_cloud,2022-03-01,浙经信〔2022〕1号\n", uscc(900)),
    )
    .unwrap();
    b.open("/console/#/imports").await;
    b.find("#import-history table").await;
    b.find("#import-file").await.send_keys(bad.to_str().unwrap()).await.unwrap();
    b.click("#import-check").await;
    b.wait_text("#import-error-count", "1").await;
    b.wait_text("#import-report table", "区县代码").await;
    b.screenshot("import-refused").await;
    b.find("#import-file").await.send_keys(good.to_str().unwrap()).await.unwrap();
    b.click("#import-check").await;
    b.wait_text("#import-status", "检查通过").await;
    b.click("#import-apply").await;
    b.wait_text("#import-status", "导入完成：新建 1 条记录").await;
    b.wait_text("#import-history", "1").await;
    b.screenshot("imports").await;
    let imported = app.get_as("/api/v1/imports", &w.province).await;
    assert_eq!(imported.body["items"].as_array().unwrap().len(), 1);

    b.open("/console/#/queue").await;
    b.find("#queue-count").await;
    b.screenshot("queue").await;
    // The refused list's 422, which Chromium logs as a failed resource.
    b.finish(&["imports?dry_run=true - Failed to load resource: the server responded with a status of 422"]).await;
    app.teardown().await;
}

#[tokio::test]
async fn a_city_reviewer_approves_on_a_phone_and_the_province_table_changes() {
    let app = spawn().await;
    let w = World::new(&app).await;
    targets(&app, &w.province).await;
    let first = submitted(&app, &w).await;
    let second =
        app.draft_id(&w.ent, &w.enterprise, &milestone("cloud_adoption", Some("deep_cloud_use"), "2022-06-01")).await;
    app.act_ok(&w.ent, &second, "submit", json!({})).await;
    let colleague = named_user(&app, "rev.hz2", "city_reviewer", Some("330100"), "王审核").await;
    let Some(b) = Browser::start(&app, "reviewer", PHONE).await else { return app.teardown().await };

    b.login("prov", PASSWORD).await;
    show_progress(&b).await;
    hangzhou(&b, "pending", "2").await;
    hangzhou(&b, "actual", "0").await;
    b.logout().await;

    b.login("rev.hz", PASSWORD).await;
    b.wait_text("#queue-count", "共 2 条").await;
    b.assert_fits_width().await;
    b.screenshot("queue").await;

    // A colleague decides the first record while this reviewer reads it: the approval is
    // refused (stale If-Match) and the page says who acted.
    b.click(&format!("button[data-open=\"{first}\"]")).await;
    b.find("#approve").await;
    app.act_ok(&colleague, &first, "approve", json!({})).await;
    b.click("#approve").await;
    let told = b.wait_text("#record-status", "王审核").await;
    assert!(told.contains("通过"), "{told}");
    b.screenshot("conflict").await;

    b.open("/console/#/queue").await;
    b.wait_text("#queue-count", "共 1 条").await;
    b.click(&format!("button[data-open=\"{second}\"]")).await;
    b.find("#approve").await;
    b.screenshot("record").await;
    b.fill("#review-comment", "材料齐全").await;
    b.click("#approve").await;
    b.wait_text("#record-status", "成功").await;
    let record = app.get_as(&format!("/api/v1/milestones/{second}"), &w.province).await;
    assert_eq!(record.body["state"], "approved");
    assert_eq!(record.body["comment"], "材料齐全");

    // A self-registered enterprise of the city, verified from the enterprises page.
    let registered = app
        .post(
            "/api/v1/registrations",
            &json!({"enterprise": enterprise_body(7, "330108"), "username": "ent.self", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    let newcomer = registered.body["enterprise"]["id"].as_str().unwrap().to_string();
    b.open("/console/#/enterprises").await;
    b.click(&format!("button[data-verify=\"{newcomer}\"]")).await;
    b.wait_text("#enterprises-status", "已核验").await;
    b.assert_fits_width().await;
    b.screenshot("enterprises").await;
    let verified = app.get_as(&format!("/api/v1/enterprises/{newcomer}"), &w.province).await;
    assert_eq!(verified.body["verified"], true);
    b.logout().await;

    b.login("prov", PASSWORD).await;
    show_progress(&b).await;
    hangzhou(&b, "actual", "1").await;
    hangzhou(&b, "pending", "0").await;
    b.assert_fits_width().await;
    b.screenshot("progress-after").await;
    // The refused approval, which Chromium logs as a failed resource.
    b.finish(&["approve - Failed to load resource: the server responded with a status of 412"]).await;
    app.teardown().await;
}

/// An account with a display name; returns its access token.
async fn named_user(app: &TestApp, username: &str, role: &str, city: Option<&str>, name: &str) -> String {
    let raw = RawAccount {
        username: username.into(),
        password: PASSWORD.into(),
        role: role.into(),
        enterprise_id: None,
        city_code: city.map(Into::into),
        county_code: None,
        provider_id: None,
        display_name: Some(name.into()),
    };
    let reference = app.state.reference.clone();
    app.state.db.write(move |c| accounts::create_direct(c, raw, &reference, false)).await.unwrap();
    app.token(username).await
}

#[tokio::test]
async fn an_enterprise_changes_its_first_password_then_creates_and_submits_a_record() {
    let app = spawn().await;
    let w = World::new(&app).await;
    let raw = RawAccount {
        username: "ent.first".into(),
        password: PASSWORD.into(),
        role: "enterprise".into(),
        enterprise_id: Some(w.enterprise.clone()),
        city_code: None,
        county_code: None,
        provider_id: None,
        display_name: None,
    };
    let reference = app.state.reference.clone();
    app.state.db.write(move |c| accounts::create_direct(c, raw, &reference, true)).await.unwrap();
    let Some(b) = Browser::start(&app, "enterprise", DESKTOP).await else { return app.teardown().await };

    b.open("/console/").await;
    b.fill("#username", "ent.first").await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.fill("#new-password", "Brand-New-Passw0rd").await;
    b.fill("#new-password-again", "Brand-New-Passw0rd").await;
    b.click("#password-submit").await;
    b.find("#new-record").await;

    b.click("#new-record").await;
    b.find("#form-type").await.select_by_value("cloud_adoption").await.unwrap();
    b.find("#form-level").await.select_by_value("deep_cloud_use").await.unwrap();
    // A date input's typed format follows the browser's locale; the value property does not.
    b.client.execute("document.querySelector('#form-effective-on').value = '2024-03-15'", vec![]).await.unwrap();
    b.fill("#form-title", "核心业务系统上云").await;
    b.fill("#form-evidence", "https://example.com/contract.pdf").await;
    b.screenshot("form").await;
    b.click("#form-save").await;
    b.wait_text("#records-status", "已保存").await;
    // The draft edited (PATCH with the ETag as If-Match), then submitted.
    b.click("button[data-edit]").await;
    b.fill("#form-title", "核心业务系统全面上云").await;
    b.click("#form-save").await;
    b.wait_text("#records-status", "已保存“核心业务系统全面上云”").await;
    b.click("button[data-submit]").await;
    b.wait_text("#records-status", "已提交审核").await;
    b.wait_text("#records-list tbody tr td.state", "审核中").await;
    b.screenshot("records").await;

    let list = app.get_as(&format!("/api/v1/milestones?enterprise_id={}", w.enterprise), &w.ent).await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["state"], "submitted");
    assert_eq!(items[0]["level"], "deep_cloud_use");
    assert_eq!(items[0]["effective_on"], "2024-03-15");
    assert_eq!(items[0]["title"], "核心业务系统全面上云");

    b.open("/console/#/clients").await;
    b.fill("#client-name", "ERP").await;
    b.click("#client-create").await;
    let secret = b.find("#client-secret-value").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(secret.len() >= 20, "the secret is shown once: {secret:?}");
    b.screenshot("clients").await;
    b.open("/console/#/delegations").await;
    b.find("#delegation-list table").await;
    b.screenshot("delegations").await;
    b.finish(&[]).await;
    app.teardown().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_and_the_auditor_verifies_the_chain() {
    let app = spawn().await;
    app.create_user("audit", "auditor", None, None).await;
    let Some(b) = Browser::start(&app, "login", PHONE).await else { return app.teardown().await };

    b.open("/console/").await;
    b.fill("#username", "audit").await;
    // From the keyboard: Enter in the password box submits the form.
    b.fill("#password", "not-the-password\u{E007}").await;
    b.wait_text("#login-status", "用户名或密码错误").await;
    b.assert_fits_width().await;
    b.screenshot("wrong-password").await;

    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.find("#audit-list table").await;
    b.click("#audit-verify").await;
    b.wait_text("#audit-verdict-report", "通过").await;
    b.screenshot("audit").await;
    b.logout().await;
    // The wrong password's 401 is logged by Chromium as a failed resource.
    b.finish(&["auth/login - Failed to load resource: the server responded with a status of 401"]).await;
    app.teardown().await;
}
