//! Statistics: every figure of `/stats/progress` against values computed by hand from a mixed
//! workload (approvals, a rejection, a revocation recorded later, a lapse, a tier change), for
//! several as-of dates and for a knowledge time before the later changes.

use serde_json::{json, Value};

use crate::helpers::world::{milestone, progress_query};
use crate::helpers::TestApp;

struct Firm {
    id: String,
    token: String,
}

async fn firm(app: &TestApp, province: &str, n: u32, county: &str) -> Firm {
    let id = app.create_enterprise(province, n, county).await;
    let token = app.token_for(&format!("firm{n}"), "enterprise", None, Some(&id)).await;
    Firm { id, token }
}

/// Drafts, submits and (with a reviewer) decides a milestone; returns its id.
async fn report(
    app: &TestApp,
    f: &Firm,
    kind: &str,
    level: Option<&str>,
    on: &str,
    decide: Option<(&str, &str)>,
) -> String {
    let id = app.draft_id(&f.token, &f.id, &milestone(kind, level, on)).await;
    app.act_ok(&f.token, &id, "submit", json!({})).await;
    if let Some((reviewer, action)) = decide {
        app.act_ok(reviewer, &id, action, json!({"comment": "审核意见"})).await;
    }
    id
}

fn city<'a>(body: &'a Value, code: &str) -> &'a Value {
    body["cities"].as_array().unwrap().iter().find(|c| c["code"] == code).unwrap()
}

#[track_caller]
fn figures(v: &Value, expected: Value) {
    for (k, want) in expected.as_object().unwrap() {
        assert_eq!(&v[k], want, "`{k}` in {v}");
    }
}

async fn progress_matches_the_definitions(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rev_hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let rev_nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
    let e: Vec<Firm> = futures_util::future::join_all((1..=6).map(|n| firm(app, &province, n, "330106"))).await;
    let n1 = firm(app, &province, 11, "330212").await;
    let n2 = firm(app, &province, 12, "330212").await;
    let (hz, nb) = (Some((rev_hz.as_str(), "approve")), Some((rev_nb.as_str(), "approve")));

    // Phase 1.
    report(app, &e[0], "smart_factory", None, "2023-03-01", hz).await;
    report(app, &e[0], "digital_workshop", None, "2023-05-01", hz).await;
    let e2_factory = report(app, &e[1], "smart_factory", None, "2023-02-01", hz).await;
    report(app, &e[2], "digital_workshop", None, "2023-06-15", None).await;
    report(app, &e[3], "smart_factory", None, "2023-07-15", hz).await;
    report(app, &e[4], "smart_factory", None, "2022-11-01", hz).await;
    report(app, &e[5], "digital_workshop", None, "2023-01-10", Some((rev_hz.as_str(), "reject"))).await;
    report(app, &n1, "smart_factory", None, "2023-04-01", nb).await;
    let n2_factory = report(app, &n2, "smart_factory", None, "2023-03-03", None).await;
    let targets = json!({"targets": [{"region_code": "330100", "value": 4}, {"region_code": "330200", "value": 2}]});
    let res = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets/2023",
            Some(&targets),
            Some(&province),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let t1 = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    // Phase 2: a revocation and an approval recorded after T1.
    app.act_ok(&province, &e2_factory, "revoke", json!({"comment": "复核不达标", "effective_on": "2023-04-01"})).await;
    app.act_ok(&rev_nb, &n2_factory, "approve", json!({})).await;

    let base = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023";
    let now = app.get_as(&format!("{base}&as_of=2023-06-30"), &province).await;
    assert_eq!(now.status, 200, "{}", now.text);
    assert_eq!(
        (now.body["unit"].clone(), now.body["kind"].clone(), now.body["tracked"].clone()),
        (json!("家"), json!("increment"), json!(true))
    );
    assert_eq!(now.body["city_target_sum"], 6);
    figures(
        &now.body["province"],
        json!({"target": 150, "increment": 3, "cumulative": 4, "actual": 3, "pending": 1,
        "completion_rate": 0.02, "time_progress": 0.5, "pace_gap_pp": -48.0}),
    );
    figures(
        city(&now.body, "330100"),
        json!({"target": 4, "increment": 1, "cumulative": 2, "actual": 1, "pending": 1,
        "completion_rate": 0.25, "time_progress": 0.5, "pace_gap_pp": -25.0, "rank": 2}),
    );
    figures(
        city(&now.body, "330200"),
        json!({"target": 2, "increment": 2, "cumulative": 2, "pending": 0,
        "completion_rate": 1.0, "pace_gap_pp": 50.0, "rank": 1}),
    );
    figures(city(&now.body, "330300"), json!({"target": null, "actual": 0, "completion_rate": null, "rank": null}));
    assert_eq!(now.body["cities"].as_array().unwrap().len(), 11);

    // Knowledge time before the revocation and the second Ningbo approval.
    let then = app.get_as(&format!("{base}&as_of=2023-06-30&known_at={}", t1.replace('+', "%2B")), &province).await;
    assert_eq!(then.status, 200, "{}", then.text);
    figures(
        city(&then.body, "330100"),
        json!({"increment": 2, "cumulative": 3, "completion_rate": 0.5, "pace_gap_pp": 0.0, "rank": 1}),
    );
    figures(city(&then.body, "330200"), json!({"increment": 1, "completion_rate": 0.5, "rank": 1}));
    figures(&then.body["province"], json!({"increment": 3, "cumulative": 4, "pending": 1}));

    // Other as-of dates.
    let march = app.get_as(&format!("{base}&as_of=2023-03-31"), &province).await;
    figures(
        city(&march.body, "330100"),
        json!({"increment": 2, "cumulative": 3, "time_progress": 0.25, "pace_gap_pp": 25.0}),
    );
    figures(city(&march.body, "330200"), json!({"increment": 1, "completion_rate": 0.5}));
    let mid_june = app.get_as(&format!("{base}&as_of=2023-06-15"), &province).await;
    assert_eq!(mid_june.body["province"]["time_progress"], 0.4167);
    let year_end = app.get_as(&format!("{base}&as_of=2024-05-01"), &province).await;
    assert_eq!(year_end.body["as_of"], "2023-12-31");
    figures(city(&year_end.body, "330100"), json!({"increment": 2, "time_progress": 1.0, "pace_gap_pp": -50.0}));

    // Drill-down into Hangzhou's counties.
    let drill = app.get_as("/api/v1/stats/progress/330100?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-06-30", &rev_hz).await;
    assert_eq!(drill.status, 200, "{}", drill.text);
    figures(&drill.body["city"], json!({"code": "330100", "target": 4, "increment": 1}));
    let xihu = drill.body["counties"].as_array().unwrap().iter().find(|c| c["code"] == "330106").unwrap();
    figures(xihu, json!({"increment": 1, "cumulative": 2, "pending": 1, "target": null}));
    assert!(xihu.get("rank").is_none());
    assert_eq!(drill.body["counties"].as_array().unwrap().len(), 13);
    app.get_as(
        "/api/v1/stats/progress/330200?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops",
        &rev_hz,
    )
    .await
    .assert_problem(404, "not_found");
}

async fn lapses_and_tiers(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rev = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let a = firm(app, &province, 1, "330106").await;
    let b = firm(app, &province, 2, "330110").await;
    let approve = Some((rev.as_str(), "approve"));
    // 高新技术企业 lapses three years after it took effect.
    report(app, &a, "high_tech_enterprise", None, "2019-01-01", approve).await;
    let hte = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=high_tech_enterprises";
    let y2021 = app.get_as(&format!("{hte}&year=2021&as_of=2021-12-31"), &province).await;
    figures(
        &y2021.body["province"],
        json!({"cumulative": 1, "actual": 1, "target": null, "completion_rate": null, "time_progress": null}),
    );
    let y2022 = app.get_as(&format!("{hte}&year=2022&as_of=2022-06-30"), &province).await;
    figures(&y2022.body["province"], json!({"cumulative": 0, "target": 8000, "completion_rate": 0.0}));

    // An eagle replaced by a later tier record stops counting on that date.
    report(app, &b, "eagle", None, "2023-02-01", approve).await;
    report(app, &b, "eaglet", Some("recognised"), "2023-05-01", approve).await;
    report(app, &a, "eagle", None, "2023-03-01", approve).await;
    let eagle = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=eagle_enterprises&year=2023";
    let april = app.get_as(&format!("{eagle}&as_of=2023-04-30"), &province).await;
    figures(&april.body["province"], json!({"increment": 2, "target": 20, "completion_rate": 0.1}));
    let june = app.get_as(&format!("{eagle}&as_of=2023-06-30"), &province).await;
    figures(&june.body["province"], json!({"increment": 1, "completion_rate": 0.05, "pace_gap_pp": -45.0}));
}

async fn untracked_unknown_and_bad_parameters(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let res = app
        .get_as("/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=world_class_enterprises&year=2022", &province)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["tracked"], false);
    figures(&res.body["province"], json!({"target": 5, "actual": null, "completion_rate": null}));
    app.get_as("/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=nope", &province)
        .await
        .assert_problem(404, "not_found");
    for (q, field) in [
        ("indicator=high_tech_enterprises", "plan"),
        ("plan=ZJ2018-SZJJ&indicator=high_tech_enterprises&year=1800", "year"),
        ("plan=ZJ2018-SZJJ&indicator=high_tech_enterprises&as_of=2023-13-01", "as_of"),
        ("plan=ZJ2018-SZJJ&indicator=high_tech_enterprises&known_at=yesterday", "known_at"),
        ("plan=ZJ2018-SZJJ&indicator=high_tech_enterprises&year=abc", "year"),
    ] {
        let res = app.get_as(&format!("/api/v1/stats/progress?{q}"), &province).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some(field), "{q}");
    }
    let ent = app.create_enterprise(&province, 1, "330106").await;
    let user = app.token_for("firm", "enterprise", None, Some(&ent)).await;
    app.get_as("/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=high_tech_enterprises", &user)
        .await
        .assert_problem(403, "forbidden_role");
    let overview = app.get_as("/api/v1/stats/overview?year=2023&as_of=2023-06-30", &province).await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    let items = overview.body["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["indicator"] == "smart_factories_and_digital_workshops" && i["target"] == 150));
    assert!(items.iter().all(|i| i["actual"] == 0));
}

both_backends!(progress_matches_the_definitions, lapses_and_tiers, untracked_unknown_and_bad_parameters);

async fn exports_carry_the_table(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rev = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let f = firm(app, &province, 1, "330106").await;
    report(app, &f, "smart_factory", None, "2023-03-01", Some((rev.as_str(), "approve"))).await;
    let targets = json!({"targets": [{"region_code": "330100", "value": 4}]});
    app.request(
        reqwest::Method::PUT,
        "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets/2023",
        Some(&targets),
        Some(&province),
    )
    .await;
    let q = "plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-06-30";

    let csv = app.get_as(&format!("/api/v1/stats/progress.csv?{q}"), &rev).await;
    assert_eq!(csv.status, 200);
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(csv.text.starts_with('\u{feff}'), "no BOM");
    // A clean table: the header first, one line per region (11 cities, then the province), nothing else.
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "序号,地区代码,地区,目标,各市目标之和,累计,新增,完成率（%）,序时进度（%）,超/欠序时（百分点）,待审,公示中,排名"
    );
    assert_eq!(lines[1], "1,330100,杭州市,4,,1,1,25.00,50.00,-25.00,0,0,1");
    // The province's row carries the plan's target and the sum of the city targets; rates in
    // percent like the XLSX.
    assert_eq!(lines[12], ",330000,全省合计,150,4,1,1,0.67,50.00,-49.33,0,0,");
    assert_eq!(lines.len(), 1 + 11 + 1);
    // Title and 口径 travel in the response headers (RFC 8187 values), as does the Chinese file name.
    let title = decode_ext_value(csv.headers["x-export-title"].to_str().unwrap());
    assert!(title.contains("智能工厂和数字化车间") && title.contains("截至2023-06-30"), "{title}");
    let definition = decode_ext_value(csv.headers["x-export-definition"].to_str().unwrap());
    assert!(definition.starts_with("口径：") && definition.contains("单位：家"), "{definition}");
    let disposition = csv.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with(
            "attachment; filename=\"progress-ZJ2023-GWR-smart_factories_and_digital_workshops-2023.csv\"; filename*=UTF-8''"
        ),
        "{disposition}"
    );
    let chinese = decode_ext_value(disposition.split("filename*=").nth(1).unwrap());
    assert_eq!(chinese, "智能工厂和数字化车间-全省-2023年-截至2023-06-30.csv");

    let mut zip = xlsx(app, &format!("/api/v1/stats/progress.xlsx?{q}"), &province).await;
    let strings = read(&mut zip, "xl/sharedStrings.xml");
    assert!(strings.contains("序号") && strings.contains("全省合计") && strings.contains("超/欠序时（百分点）"));
    assert!(strings.contains("智能工厂和数字化车间") && strings.contains("口径："), "title and footnote");
    let workbook = read(&mut zip, "xl/workbook.xml");
    assert!(workbook.contains("<sheet name=\"全省2023年\""), "{workbook}");
    assert!(workbook.contains("_xlnm.Print_Titles"), "no repeating header rows: {workbook}");
    let sheet = read(&mut zip, "xl/worksheets/sheet1.xml");
    // Hangzhou's target (D3) and the pace gap (J3) are numbers, not strings; the rate is the
    // percentage the CSV shows.
    assert!(sheet.contains(r#"<c r="D3" s="#) && !sheet.contains(r#"<c r="D3" t="s""#), "{sheet}");
    assert!(cell(&sheet, "H3").contains("<v>25</v>") && cell(&sheet, "J3").contains("<v>-25</v>"), "{sheet}");
    assert!(cell(&sheet, "E14").contains("<v>4</v>"), "city_target_sum: {sheet}");
    assert!(sheet.contains("<pane"), "no frozen header");
    assert!(sheet.contains("orientation=\"landscape\"") && sheet.contains("fitToPage=\"1\""), "{sheet}");
    let styles = read(&mut zip, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"+0.00;-0.00\"") && styles.contains("formatCode=\"#,##0\""), "{styles}");

    // The county drill-down: the city's reviewer exports its own city, not another.
    let csv = app.get_as(&format!("/api/v1/stats/progress/330100.csv?{q}"), &rev).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "序号,地区代码,地区,目标,累计,新增,完成率（%）,序时进度（%）,超/欠序时（百分点）,待审,公示中");
    let counties = app.get_as(&format!("/api/v1/stats/progress/330100?{q}"), &rev).await;
    assert_eq!(lines.len(), 1 + counties.body["counties"].as_array().unwrap().len() + 1);
    assert!(lines.iter().any(|l| l.contains(",330106,西湖区,") && l.contains(",1,1,")), "{lines:?}");
    assert_eq!(*lines.last().unwrap(), ",330100,杭州市合计,4,1,1,25.00,50.00,-25.00,0,0");
    let disposition =
        decode_ext_value(csv.headers["content-disposition"].to_str().unwrap().split("filename*=").nth(1).unwrap());
    assert_eq!(disposition, "智能工厂和数字化车间-杭州市-2023年-截至2023-06-30.csv");
    app.get_as(&format!("/api/v1/stats/progress/330200.csv?{q}"), &rev).await.assert_problem(404, "not_found");
    let mut zip = xlsx(app, &format!("/api/v1/stats/progress/330100.xlsx?{q}"), &province).await;
    assert!(read(&mut zip, "xl/workbook.xml").contains("<sheet name=\"杭州市2023年\""));

    let auditor = app.token_for("aud", "auditor", None, None).await;
    let events = app.get_as("/api/v1/audit-events?action=stats.export", &auditor).await;
    // Two CSVs, and each workbook twice (checked, then read): the 404 is not an export.
    assert_eq!(events.body["items"].as_array().unwrap().len(), 6);
}

/// The text of an RFC 8187 extended value (`UTF-8''` and percent-encoded UTF-8).
fn decode_ext_value(v: &str) -> String {
    let encoded = v.strip_prefix("UTF-8''").unwrap_or_else(|| panic!("not an RFC 8187 value: {v}"));
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Downloads a workbook (checked by the contract like every response) and opens it.
async fn xlsx(app: &TestApp, path: &str, token: &str) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    let res = app.send(app.client.get(app.url(path)).bearer_auth(token)).await;
    assert_eq!(res.status, 200);
    assert!(res.headers["content-disposition"].to_str().unwrap().ends_with(".xlsx"));
    let bytes = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap().bytes().await.unwrap();
    zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip")
}

fn read(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

/// The XML of one cell of a worksheet.
fn cell<'a>(sheet: &'a str, at: &str) -> &'a str {
    let rest = sheet.split(&format!("<c r=\"{at}\"")).nth(1).unwrap_or_else(|| panic!("no cell {at}"));
    &rest[..rest.find("</c>").unwrap_or(rest.len())]
}

both_backends!(exports_carry_the_table);

/// A random workload of drafts, submissions, approvals, rejections and revocations over six
/// enterprises in two cities.
struct Workload {
    province: String,
    rev_hz: String,
    rev_nb: String,
    /// Each firm, and whether it is in Ningbo.
    firms: Vec<(Firm, bool)>,
}

impl Workload {
    async fn new(app: &TestApp) -> Self {
        // Written for city-only review; the comparison switches some types to chains.
        app.city_only_reviews().await;
        let province = app.token_for("prov", "province_officer", None, None).await;
        let rev_hz = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
        let rev_nb = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;
        let counties = ["330106", "330110", "330212"];
        let mut firms = Vec::new();
        for n in 0..6u32 {
            firms.push((firm(app, &province, 100 + n, counties[n as usize % 3]).await, n % 3 == 2));
        }
        Self { province, rev_hz, rev_nb, firms }
    }

    /// One operation: a new record of a random kind, submitted and then left, rejected, or
    /// approved (and sometimes revoked).
    async fn step(&self, app: &TestApp, rng: &mut rand::rngs::StdRng) {
        use rand::Rng;
        let kinds: [(&str, &[&str]); 7] = [
            ("smart_factory", &[]),
            ("digital_workshop", &[]),
            ("cloud_adoption", &["on_cloud", "deep_cloud_use", "benchmark"]),
            ("high_tech_enterprise", &[]),
            ("eagle", &[]),
            ("eaglet", &["pool", "recognised"]),
            ("tech_sme", &[]),
        ];
        let (f, ningbo) = &self.firms[rng.gen_range(0..self.firms.len())];
        let (kind, levels) = kinds[rng.gen_range(0..kinds.len())];
        let level = (!levels.is_empty()).then(|| levels[rng.gen_range(0..levels.len())]);
        let eff =
            chrono::NaiveDate::from_ymd_opt(rng.gen_range(2018..=2025), rng.gen_range(1..=12), rng.gen_range(1..=28))
                .unwrap();
        let res = app.draft(&f.token, &f.id, &milestone(kind, level, &eff.to_string())).await;
        if res.status != 201 {
            return;
        }
        let id = res.body["id"].as_str().unwrap().to_string();
        app.act_ok(&f.token, &id, "submit", json!({})).await;
        let reviewer = if *ningbo { &self.rev_nb } else { &self.rev_hz };
        match rng.gen_range(0..10) {
            0 => {
                app.act_ok(reviewer, &id, "reject", json!({"comment": "不符合"})).await;
            }
            1 | 2 => {}
            _ => {
                let res = app.act_ok(reviewer, &id, "approve", json!({})).await;
                if res.body["state"] == "submitted" && !self.decide(app, rng, f, &id).await {
                    return;
                }
                if rng.gen_range(0..6) == 0 {
                    let on = eff + chrono::Duration::days(rng.gen_range(0..900));
                    let on = on.min(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
                    let body = json!({"comment": "撤销", "effective_on": on.to_string()});
                    app.act_ok(&self.province, &id, "revoke", body).await;
                }
            }
        }
    }
}

impl Workload {
    /// The province's decision on a record the city recommended: approved (a chain without 公示)
    /// or publicised, then sometimes objected to and publicised again, or withdrawn. True when the
    /// record is approved now (a publicised one waits for [`finalise`]).
    async fn decide(&self, app: &TestApp, rng: &mut rand::rngs::StdRng, f: &Firm, id: &str) -> bool {
        use rand::Rng;
        let res = app.act_ok(&self.province, id, "approve", json!({})).await;
        if res.body["state"] == "approved" {
            return true;
        }
        assert_eq!(res.body["state"], "publicised", "{}", res.text);
        match rng.gen_range(0..6) {
            0 => {
                app.act_ok(&self.province, id, "object", json!({"comment": "收到异议"})).await;
                app.act_ok(&self.province, id, "approve", json!({})).await;
            }
            1 => {
                app.act_ok(&f.token, id, "withdraw", json!({})).await;
            }
            _ => {}
        }
        false
    }
}

/// Finalises every record in 公示 as the service would a month from now (the publicity periods
/// have all passed then), with the change recorded at the real time.
async fn finalise(app: &TestApp) -> usize {
    let later = enterprise_registry::clock::today_shanghai() + chrono::Duration::days(30);
    let (db, catalogue) = (&app.state.db, &app.state.catalogue);
    enterprise_registry::publicity::finalise_due_on(db, catalogue, enterprise_registry::clock::now, later)
        .await
        .unwrap()
}

/// The table the reference computation (`report::build_direct`, in process on the test's
/// database) gives for `path`'s query (`/stats/progress` or `/stats/progress/330100`) at
/// `known_at`, as the API renders it, without `known_at`.
async fn direct_table(
    app: &TestApp,
    path: &str,
    (plan, indicator, year, as_of): (&str, &str, i32, &str),
    known_at: chrono::NaiveDateTime,
) -> Value {
    use enterprise_registry::routes::stats::view::{CityTable, ProvinceTable};
    use enterprise_registry::stats::reports::report::build_direct;
    let q = progress_query(plan, indicator, year, as_of, known_at, false);
    let reference = app.state.reference.clone();
    let city = path.ends_with("/330100").then_some("330100");
    let r = app.state.db.run(move |c| build_direct(c, &reference, q, city)).await.unwrap();
    let mut v = match city {
        Some(code) => serde_json::to_value(CityTable::new(&r, code, "杭州市")).unwrap(),
        None => serde_json::to_value(ProvinceTable::from(&r)).unwrap(),
    };
    v.as_object_mut().unwrap().remove("known_at");
    v
}

/// The API's tables — from `stat_daily` without `known_at`, from the knowledge-time aggregate
/// with `known_at` at several moments during a random workload — equal the reference
/// computation's on the same database, for many indicators and dates.
async fn fast_path_equals_direct_computation(app: &TestApp) {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261122);
    let w = Workload::new(app).await;
    let province = w.province.clone();
    // Multi-stage reviews: recommended by the city, decided by the province, with and without
    // 公示 (finalised now and then below).
    app.set_review(&province, "smart_factory", &["city", "province"], 5).await;
    app.set_review(&province, "eagle", &["city", "province"], 5).await;
    app.set_review(&province, "digital_workshop", &["city", "province"], 0).await;
    let mut finalised = 0;
    // Knowledge times between operations: before anything, then after every ten.
    let mut moments = vec![chrono::Utc::now().naive_utc()];
    for i in 0..70 {
        if i % 10 == 4 {
            finalised += finalise(app).await;
        }
        if i % 10 == 9 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            moments.push(chrono::Utc::now().naive_utc());
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        w.step(app, &mut rng).await;
    }
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("known_at");
        v
    };
    let indicators = [
        ("ZJ2023-GWR", "smart_factories_and_digital_workshops"),
        ("ZJ2018-SZJJ", "cloud_adoption_enterprises"),
        ("ZJ2018-SZJJ", "cloud_benchmark_enterprises"),
        ("ZJ2018-SZJJ", "demo_smart_factories"),
        ("ZJ2018-SZJJ", "high_tech_enterprises"),
        ("ZJ2023-GWR", "eagle_enterprises"),
        ("ZJ2023-GWR", "tech_smes"),
    ];
    let dates =
        [(2019, "2019-06-30"), (2021, "2021-12-31"), (2022, "2022-06-15"), (2023, "2023-06-30"), (2025, "2025-12-31")];
    let mut compared = 0;
    for (plan, indicator) in indicators {
        for (year, as_of) in dates {
            for path in ["/api/v1/stats/progress", "/api/v1/stats/progress/330100"] {
                let q = format!("{path}?plan={plan}&indicator={indicator}&year={year}&as_of={as_of}");
                let fast = app.get_as(&q, &province).await;
                assert_eq!(fast.status, 200, "{}", fast.text);
                let now = chrono::Utc::now().naive_utc();
                assert_eq!(strip(fast.body), direct_table(app, path, (plan, indicator, year, as_of), now).await, "{q}");
                compared += 1;
            }
        }
        // The knowledge-time aggregate at every moment, for a date of each year in turn.
        for (i, t) in moments.iter().enumerate() {
            let (year, as_of) = dates[i % dates.len()];
            for path in ["/api/v1/stats/progress", "/api/v1/stats/progress/330100"] {
                let known_at = t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
                let q = format!("{path}?plan={plan}&indicator={indicator}&year={year}&as_of={as_of}");
                let then = app.get_as(&format!("{q}&known_at={}", known_at.replace('+', "%2B")), &province).await;
                assert_eq!(then.status, 200, "{}", then.text);
                let want = direct_table(app, path, (plan, indicator, year, as_of), *t).await;
                assert_eq!(strip(then.body), want, "{q} known at {known_at}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 7 * (10 + 2 * 8));
    assert!(finalised > 0, "the workload finalised no 公示");
    // Rebuilding the aggregates from scratch gives the same figures as keeping them in step.
    let q = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2023&as_of=2023-06-30";
    let middle = moments[4].and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let q_then = format!("{q}&known_at={}", middle.replace('+', "%2B"));
    let before = strip(app.get_as(q, &province).await.body);
    let before_then = strip(app.get_as(&q_then, &province).await.body);
    app.state.db.write(enterprise_registry::stats::aggregates::store::rebuild).await.unwrap();
    assert_eq!(strip(app.get_as(q, &province).await.body), before);
    assert_eq!(strip(app.get_as(&q_then, &province).await.body), before_then);
    // A database whose aggregates are empty gets them built at start-up (`ensure_built`).
    use enterprise_registry::stats::aggregates::store::ensure_built;
    for table in ["stat_daily", "stat_known"] {
        let delete = format!("DELETE FROM {table}");
        app.state.db.write(move |c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(delete), c)?)).await.unwrap();
        assert!(app.state.db.write(ensure_built).await.unwrap().is_some_and(|rows| rows > 0));
        assert_eq!(app.state.db.write(ensure_built).await.unwrap(), None);
        assert_eq!(strip(app.get_as(q, &province).await.body), before);
        assert_eq!(strip(app.get_as(&q_then, &province).await.body), before_then);
    }
    // The workload is not trivial: some figure somewhere is non-zero, and knowledge grew.
    let cloud =
        "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2025&as_of=2025-12-31";
    let cloud_now = app.get_as(cloud, &province).await;
    assert!(cloud_now.body["province"]["cumulative"].as_i64().unwrap() > 0, "{}", cloud_now.text);
    let early = moments[1].and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    let cloud_early = app.get_as(&format!("{cloud}&known_at={early}"), &province).await;
    assert!(cloud_early.body["province"]["cumulative"] != cloud_now.body["province"]["cumulative"]);
}

both_backends!(fast_path_equals_direct_computation);

/// `report::build` (the aggregates) and `report::build_direct` (the reference computation) give
/// the same tables, in process, for every knowledge time of `moments` (a past `known_at` as far as
/// the aggregates are concerned, even when it lies after now).
async fn aggregates_equal_direct_at(app: &TestApp, moments: &[chrono::NaiveDateTime]) {
    use enterprise_registry::routes::stats::view::{CityTable, ProvinceTable};
    use enterprise_registry::stats::reports::report::{build, build_direct};
    let indicators = [
        ("ZJ2023-GWR", "smart_factories_and_digital_workshops"),
        ("ZJ2018-SZJJ", "cloud_adoption_enterprises"),
        ("ZJ2018-SZJJ", "high_tech_enterprises"),
        // Counts what the previous one counts (rebuilt once for both), as an increment.
        ("ZJ2023-GWR", "high_tech_enterprises"),
        ("ZJ2023-GWR", "eagle_enterprises"),
    ];
    let dates = [(2019, "2019-06-30"), (2021, "2021-12-31"), (2023, "2023-06-30"), (2025, "2025-12-31")];
    let mut jobs = Vec::new();
    for (plan, indicator) in indicators {
        for (i, t) in moments.iter().enumerate() {
            let (year, as_of) = dates[i % dates.len()];
            for city in [None, Some("330100")] {
                let q = progress_query(plan, indicator, year, as_of, *t, false);
                jobs.push((q, city));
            }
        }
    }
    let reference = app.state.reference.clone();
    let compared = app
        .state
        .db
        .run(move |c| {
            let render = |r: &enterprise_registry::stats::reports::report::Report, city: Option<&str>| match city {
                Some(code) => serde_json::to_value(CityTable::new(r, code, "杭州市")).unwrap(),
                None => serde_json::to_value(ProvinceTable::from(r)).unwrap(),
            };
            let mut n = 0;
            for (q, city) in jobs {
                let fast = build(c, &reference, q.clone(), city)?;
                let direct = build_direct(c, &reference, q.clone(), city)?;
                assert_eq!(render(&fast, city), render(&direct, city), "{q:?} {city:?}");
                n += 1;
            }
            Ok(n)
        })
        .await
        .unwrap();
    assert_eq!(compared, indicators.len() * moments.len() * 2);
}

/// The knowledge-time aggregate across calendar years and with odd clocks: the records'
/// approval and revocation times are spread over 2018–2028 (later than now, as a wrong clock
/// would leave them), the aggregates rebuilt, then more changes recorded now — before some of
/// the recorded knowledge. At every T, including each year's first instant and the one before
/// it, the aggregates equal the reference computation.
async fn knowledge_across_years_and_odd_clocks(app: &TestApp) {
    use chrono::{Duration, NaiveDate, NaiveDateTime};
    use diesel::prelude::*;
    use enterprise_registry::schema::milestones;
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2018);
    let w = Workload::new(app).await;
    for _ in 0..40 {
        w.step(app, &mut rng).await;
    }
    let moved = app
        .state
        .db
        .write(|c| {
            let rows: Vec<(String, Option<NaiveDateTime>)> = milestones::table
                .filter(milestones::approved_at.is_not_null())
                .select((milestones::id, milestones::revoked_at))
                .order(milestones::id)
                .load(c)?;
            let base = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap().and_hms_opt(9, 30, 0).unwrap();
            for (k, (id, revoked_at)) in rows.iter().enumerate() {
                let k = k as i64;
                let approved = base + Duration::days(k * 97 % 3_800) + Duration::minutes(k);
                let revoked = revoked_at.map(|_| approved + Duration::days(200 + k * 31 % 700));
                diesel::update(milestones::table.find(id))
                    .set((milestones::approved_at.eq(Some(approved)), milestones::revoked_at.eq(revoked)))
                    .execute(c)?;
            }
            Ok(rows.len())
        })
        .await
        .unwrap();
    assert!(moved > 20, "{moved}");
    app.state.db.write(enterprise_registry::stats::aggregates::store::rebuild).await.unwrap();
    let mut moments = Vec::new();
    for year in 2018..=2029 {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        moments.extend([first - Duration::microseconds(1), first, first + Duration::days(150)]);
    }
    aggregates_equal_direct_at(app, &moments).await;
    // Changes recorded now alter the history before knowledge stamped in 2027 and 2028.
    for _ in 0..30 {
        w.step(app, &mut rng).await;
    }
    moments.push(chrono::Utc::now().naive_utc());
    aggregates_equal_direct_at(app, &moments).await;
}

both_backends!(knowledge_across_years_and_odd_clocks);

/// Historical (known_at) statistics are capped: beyond the permits the service answers 503 at
/// once, while current statistics keep answering.
async fn slow_statistics_are_capped(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let base = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022";
    let held = app.state.slow_queries.clone().try_acquire_many_owned(2).expect("both permits");
    let res = app.get_as(&format!("{base}&known_at=2023-01-01T00:00:00Z"), &province).await;
    res.assert_problem(503, "statistics_busy");
    assert!(res.headers.contains_key("retry-after"));
    assert_eq!(app.get_as(base, &province).await.status, 200);
    drop(held);
    assert_eq!(app.get_as(&format!("{base}&known_at=2023-01-01T00:00:00Z"), &province).await.status, 200);
}

both_backends!(slow_statistics_are_capped);

/// Cached tables never outlive a change: a submission, an approval and a target change each
/// show at once in the next read of the same table.
async fn cached_tables_follow_every_change(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rev = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let f = firm(app, &province, 1, "330106").await;
    let q = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31";
    let read = || async { app.get_as(q, &province).await.body["province"].clone() };
    figures(&read().await, json!({"cumulative": 0, "pending": 0}));
    figures(&read().await, json!({"cumulative": 0, "pending": 0}));
    let id = report(app, &f, "cloud_adoption", Some("on_cloud"), "2022-03-01", None).await;
    figures(&read().await, json!({"cumulative": 0, "pending": 1}));
    app.act_ok(&rev, &id, "approve", json!({})).await;
    figures(&read().await, json!({"cumulative": 1, "pending": 0}));
    let targets = json!({"targets": [{"region_code": "330100", "value": 10}]});
    let put = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/indicators/ZJ2018-SZJJ/cloud_adoption_enterprises/targets/2022",
            Some(&targets),
            Some(&province),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    let body = app.get_as(q, &province).await.body;
    figures(city(&body, "330100"), json!({"target": 10, "cumulative": 1, "completion_rate": 0.1}));
}

both_backends!(cached_tables_follow_every_change);
