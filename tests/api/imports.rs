//! Official lists (DESIGN §3.8) with the province's sample lists (`tests/data/lists/`): a list
//! imports in full from CSV and from XLSX alike, the list with errors is refused with exactly its
//! five faults, a re-import replays the first report, a dry run writes nothing, file faults and
//! other roles are refused, and the statistics count the import at once — not as known before it.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::helpers::world::{milestone, progress_query};
use crate::helpers::{spec, TestApp, TestResponse};

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FACTORIES: &str = "zj-2024-smart-factories-and-workshops";
const EAGLES: &str = "zj-2023-eagle-enterprises";
const WITH_ERRORS: &str = "zj-2024-list-with-errors";

fn sample(name: &str, ext: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/lists/{name}.{ext}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// POSTs `bytes` as a list of `media_type`, checked against the contract.
async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>, media_type: &str, dry_run: bool) -> TestResponse {
    let path = if dry_run { "/api/v1/imports?dry_run=true" } else { "/api/v1/imports" };
    let req = app.client.post(app.url(path)).bearer_auth(token).header("content-type", media_type).body(bytes);
    let res = app.send(req).await;
    spec().check_exchange("POST", path, res.status.as_u16(), res.content_type(), &res.body);
    res
}

/// The rows of a sample CSV as maps of column name to cell.
fn rows_of(name: &str) -> Vec<BTreeMap<String, String>> {
    let bytes = sample(name, "csv");
    let mut reader = csv::Reader::from_reader(bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap());
    reader.deserialize().map(Result::unwrap).collect()
}

/// Enterprises per city of a sample list (each row of the samples is its own enterprise).
fn per_city(name: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for r in rows_of(name) {
        *out.entry(format!("{}00", &r["区县代码"][..4])).or_default() += 1;
    }
    out
}

fn counts(report: &Value) -> Value {
    json!({
        "rows": report["rows"], "created_enterprises": report["created_enterprises"],
        "created_records": report["created_records"], "duplicates": report["duplicates"],
        "errors": report["errors"],
    })
}

/// Every record of the database, as the province lists them: (USCC, type, title) → record.
async fn records(app: &TestApp, token: &str) -> BTreeMap<(String, String, String), Value> {
    let mut out = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/milestones?limit=500".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get_as(&path, token).await;
        assert_eq!(page.status, 200, "{}", page.text);
        for m in page.body["items"].as_array().unwrap() {
            let key = (
                m["enterprise_uscc"].as_str().unwrap().to_string(),
                m["type"].as_str().unwrap().to_string(),
                m["title"].as_str().unwrap().to_string(),
            );
            assert!(out.insert(key, m.clone()).is_none());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

async fn smart_factory_list_imports_from_csv_and_xlsx_alike(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let rows = rows_of(FACTORIES);
    assert_eq!(rows.len(), 120);
    let expected =
        json!({"rows": 120, "created_enterprises": 120, "created_records": 120, "duplicates": 0, "errors": []});

    // A dry run of each format reports the same, and writes nothing.
    let dry_csv = upload(app, &province, sample(FACTORIES, "csv"), CSV, true).await;
    assert_eq!(dry_csv.status, 200, "{}", dry_csv.text);
    let dry_xlsx = upload(app, &province, sample(FACTORIES, "xlsx"), XLSX, true).await;
    assert_eq!(dry_xlsx.status, 200, "{}", dry_xlsx.text);
    assert_eq!(counts(&dry_csv.body), expected);
    assert_eq!(counts(&dry_xlsx.body), expected);
    assert_eq!((&dry_csv.body["id"], &dry_csv.body["dry_run"]), (&Value::Null, &json!(true)));
    assert_eq!(app.get_as("/api/v1/milestones", &province).await.body["items"], json!([]));

    // The CSV imports in full.
    let res = upload(app, &province, sample(FACTORIES, "csv"), CSV, false).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(counts(&res.body), expected);
    let id = res.body["id"].as_str().unwrap().to_string();
    assert_eq!(res.headers["location"], format!("/api/v1/imports/{id}").as_str());
    assert_eq!(res.body["media_type"], "csv");
    let stored = app.get_as(&format!("/api/v1/imports/{id}"), &province).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.body, res.body);

    let imported = records(app, &province).await;
    assert_eq!(imported.len(), 120);
    for r in &rows {
        let kind = if r["类型"] == "智能工厂" { "smart_factory" } else { "digital_workshop" };
        let m = &imported[&(r["统一社会信用代码"].clone(), kind.to_string(), r["项目名称"].clone())];
        assert_eq!(m["state"], "approved");
        assert_eq!(m["source"], "official_list");
        assert_eq!(m["import_id"], id.as_str());
        assert_eq!(m["document_no"], r["文号"].as_str());
        assert_eq!(m["batch"], r["批次"].as_str());
        assert_eq!(m["effective_on"], r["认定日期"].as_str());
        assert_eq!(m["county_code"], r["区县代码"].as_str());
        assert_eq!(m["enterprise_name"], r["企业名称"].as_str());
    }
    // An enterprise the list created: verified, from the list, industry and size unknown.
    let some = imported.values().next().unwrap();
    let e = app.get_as(&format!("/api/v1/enterprises/{}", some["enterprise_id"].as_str().unwrap()), &province).await;
    assert_eq!(e.status, 200);
    assert_eq!(
        (&e.body["verified"], &e.body["registered_via"], &e.body["industry_code"], &e.body["size_class"]),
        (&json!(true), &json!("official_list"), &Value::Null, &Value::Null)
    );
    // Its first profile edit gives what the list does not: industry, size and a contact.
    let path = format!("/api/v1/enterprises/{}", some["enterprise_id"].as_str().unwrap());
    let etag = e.headers["etag"].to_str().unwrap().to_string();
    let partial = app.patch(&path, &json!({"name": "浙江更名有限公司"}), &province, Some(&etag)).await;
    partial.assert_problem(422, "validation_failed");
    let fields: Vec<&str> =
        partial.body["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["industry_code", "size_class", "contact_name", "contact_phone"]);
    let full =
        json!({"industry_code": "C34", "size_class": "medium", "contact_name": "王工", "contact_phone": "13812341234"});
    let edited = app.patch(&path, &full, &province, Some(&etag)).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!((&edited.body["industry_code"], &edited.body["size_class"]), (&json!("C34"), &json!("medium")));
    let history = app.get_as(&format!("/api/v1/milestones/{}/history", some["id"].as_str().unwrap()), &province).await;
    assert_eq!(history.status, 200, "{}", history.text);
    let entries = history.body.as_array().or_else(|| history.body["items"].as_array()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((&entries[0]["action"], &entries[0]["to_state"]), (&json!("import"), &json!("approved")));

    // The workbook of the same list is another file: every row repeats a record the CSV wrote.
    let again = upload(app, &province, sample(FACTORIES, "xlsx"), XLSX, false).await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(
        counts(&again.body),
        json!({"rows": 120, "created_enterprises": 0, "created_records": 0, "duplicates": 120, "errors": []})
    );
    for (d, r) in again.body["duplicate_rows"].as_array().unwrap().iter().zip(&rows) {
        let kind = if r["类型"] == "智能工厂" { "smart_factory" } else { "digital_workshop" };
        let m = &imported[&(r["统一社会信用代码"].clone(), kind.to_string(), r["项目名称"].clone())];
        assert_eq!(d["milestone_id"], m["id"]);
    }
    let rows_seen: Vec<u64> =
        again.body["duplicate_rows"].as_array().unwrap().iter().map(|d| d["row"].as_u64().unwrap()).collect();
    assert_eq!(rows_seen, (2..=121).collect::<Vec<u64>>());
    assert_eq!(records(app, &province).await.len(), 120);
    let list = app.get_as("/api/v1/imports", &province).await;
    assert_eq!(list.status, 200);
    let ids: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [again.body["id"].as_str().unwrap(), id.as_str()]);
    let first = app.get_as("/api/v1/imports?limit=1", &province).await;
    assert_eq!(first.body["items"][0]["id"], again.body["id"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app.get_as(&format!("/api/v1/imports?limit=1&cursor={cursor}"), &province).await;
    assert_eq!((&second.body["items"][0], &second.body["next_cursor"]), (&res.body, &Value::Null));
}

async fn the_list_with_errors_is_refused_with_its_five_faults(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let faults = json!([
        [5, "uscc", "invalid_uscc"],
        [9, "county_code", "invalid_county"],
        [13, "type", "unknown_type"],
        [17, "effective_on", "in_future"],
        [21, "uscc", "conflicting_rows"],
    ]);
    for (ext, media_type) in [("csv", CSV), ("xlsx", XLSX)] {
        for dry_run in [true, false] {
            let res = upload(app, &province, sample(WITH_ERRORS, ext), media_type, dry_run).await;
            res.assert_problem(422, "invalid_list");
            let report = &res.body["report"];
            let got: Vec<Value> =
                report["errors"].as_array().unwrap().iter().map(|e| json!([e["row"], e["field"], e["code"]])).collect();
            assert_eq!(Value::from(got), faults, "{ext} dry_run={dry_run}: {}", res.text);
            assert_eq!((&report["rows"], &report["id"], &report["error_count"]), (&json!(30), &Value::Null, &json!(5)));
        }
    }
    // In Chinese when asked: the problem and every row's message.
    let path = "/api/v1/imports?dry_run=true";
    let req = app
        .client
        .post(app.url(path))
        .bearer_auth(&province)
        .header("content-type", CSV)
        .header("accept-language", "zh-CN")
        .body(sample(WITH_ERRORS, "csv"));
    let res = app.send(req).await;
    spec().check_exchange("POST", path, res.status.as_u16(), res.content_type(), &res.body);
    res.assert_problem(422, "invalid_list");
    assert_eq!(res.body["detail"], "名单中有 5 处错误，未导入任何内容");
    let messages: Vec<&str> =
        res.body["report"]["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(messages[2], "既不是里程碑类型的代码，也不是其中文名称");
    assert_eq!(messages[4], "第 20 行的同一统一社会信用代码对应了不同的企业名称或区县");
    for m in &messages {
        assert!(!m.contains("请求未能完成") && m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{m}");
    }
    // Nothing was written: no import, no enterprise, no record.
    assert_eq!(app.get_as("/api/v1/imports", &province).await.body["items"], json!([]));
    assert_eq!(app.get_as("/api/v1/enterprises", &province).await.body["items"], json!([]));
    assert_eq!(app.get_as("/api/v1/milestones", &province).await.body["items"], json!([]));
}

async fn import_events(app: &TestApp, auditor: &str) -> Vec<Value> {
    let res = app.get_as("/api/v1/audit-events?action=import.apply", auditor).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["items"].as_array().unwrap().clone()
}

async fn a_reimport_is_a_replay(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let first = upload(app, &province, sample(EAGLES, "csv"), CSV, false).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["created_records"], 40);
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let events = import_events(app, &auditor).await;
    assert_eq!(events.len(), 1);
    let detail: Value = match &events[0]["detail"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    };
    assert_eq!(detail["file_sha256"], first.body["file_sha256"]);
    assert_eq!(
        (&detail["rows"], &detail["created_records"], &detail["created_enterprises"]),
        (&json!(40), &json!(40), &json!(40))
    );
    for dry_run in [false, true] {
        let again = upload(app, &province, sample(EAGLES, "csv"), CSV, dry_run).await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(again.body, first.body);
    }
    assert_eq!(import_events(app, &auditor).await.len(), 1);
    assert_eq!(records(app, &province).await.len(), 40);
    assert_eq!(app.get_as("/api/v1/imports", &province).await.body["items"].as_array().unwrap().len(), 1);
    // The event feed has one `milestone.imported` per record, once (the replays wrote none).
    enterprise_registry::events::assigner::step(&app.state.db, &app.state.events).await.unwrap();
    let feed = app.get_as("/api/v1/events?limit=1000", &province).await;
    let items = feed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 40, "{}", feed.text);
    assert!(items.iter().all(|e| e["type"] == "milestone.imported" && e["data"]["import_id"] == first.body["id"]));
}

async fn file_faults_and_other_roles(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    // GBK (as Excel saves "CSV" on a Chinese Windows): 422 saying to save it as UTF-8.
    let gbk: Vec<u8> =
        b"\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6\n".to_vec();
    let res = upload(app, &province, gbk, CSV, false).await;
    res.assert_problem(422, "not_utf8");
    assert!(res.body["detail"].as_str().unwrap().contains("CSV UTF-8"), "{}", res.text);
    // A missing required column, named.
    let header = "统一社会信用代码,企业名称,区县代码,类型,认定日期,备注\n";
    let res = upload(app, &province, header.as_bytes().to_vec(), CSV, false).await;
    res.assert_problem(422, "missing_columns");
    assert_eq!(res.body["missing"], json!(["文号|document_no"]));
    // 21 MiB: 413 with the limit.
    let res = upload(app, &province, vec![b'a'; 21 * 1024 * 1024], CSV, false).await;
    res.assert_problem(413, "payload_too_large");
    assert_eq!(res.body["limit"], 20 * 1024 * 1024);
    // More than 200,000 rows: 413 with the limit (only the first 10,000 faults would be listed).
    let mut many = String::from("uscc,name,county_code,type,effective_on,document_no\n");
    for _ in 0..200_001 {
        many.push_str("x,y,z,t,d,n\n");
    }
    let res = upload(app, &province, many.into_bytes(), CSV, true).await;
    res.assert_problem(413, "too_many_rows");
    assert_eq!(res.body["limit"], 200_000);
    // Another media type: 415.
    upload(app, &province, sample(EAGLES, "csv"), "application/json", false)
        .await
        .assert_problem(415, "unsupported_media_type");
    // Not a workbook.
    upload(app, &province, sample(EAGLES, "csv"), XLSX, false).await.assert_problem(422, "unreadable_workbook");
    // Every other role: 403, and nothing imported.
    let hz = app.create_enterprise(&province, 1, "330106").await;
    let others = [
        app.token_for("ent", "enterprise", None, Some(&hz)).await,
        app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await,
        app.token_for("rev.xihu", "county_reviewer", Some("330106"), None).await,
        app.token_for("ops", "sysadmin", None, None).await,
        app.token_for("aud", "auditor", None, None).await,
    ];
    for token in &others {
        upload(app, token, sample(EAGLES, "csv"), CSV, false).await.assert_problem(403, "forbidden_role");
        app.get_as("/api/v1/imports", token).await.assert_problem(403, "forbidden_role");
    }
    assert_eq!(app.get_as("/api/v1/imports", &province).await.body["items"], json!([]));
}

/// The table `build_direct` (the reference computation) gives, as the API renders it, without
/// `known_at`.
async fn direct(
    app: &TestApp,
    (plan, indicator, year, as_of): (&str, &str, i32, &str),
    known_at: chrono::NaiveDateTime,
) -> Value {
    use enterprise_registry::routes::stats::view::ProvinceTable;
    use enterprise_registry::stats::reports::report::build_direct;
    let q = progress_query(plan, indicator, year, as_of, known_at, false);
    let reference = app.state.reference.clone();
    let r = app.state.db.run(move |c| build_direct(c, &reference, q, None)).await.unwrap();
    let mut v = serde_json::to_value(ProvinceTable::from(&r)).unwrap();
    v.as_object_mut().unwrap().remove("known_at");
    v
}

async fn statistics_count_the_import_at_once_not_before(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let before = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    for name in [FACTORIES, EAGLES] {
        let res = upload(app, &province, sample(name, "xlsx"), XLSX, false).await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let cases = [
        (FACTORIES, ("ZJ2023-GWR", "smart_factories_and_digital_workshops", 2024, "2024-12-31")),
        (EAGLES, ("ZJ2023-GWR", "eagle_enterprises", 2023, "2023-12-31")),
    ];
    for (name, (plan, indicator, year, as_of)) in cases {
        let q = format!("/api/v1/stats/progress?plan={plan}&indicator={indicator}&year={year}&as_of={as_of}");
        let now = app.get_as(&q, &province).await;
        assert_eq!(now.status, 200, "{}", now.text);
        let expected = per_city(name);
        let total: i64 = expected.values().sum();
        assert_eq!(
            (&now.body["province"]["cumulative"], &now.body["province"]["increment"]),
            (&json!(total), &json!(total))
        );
        for city in now.body["cities"].as_array().unwrap() {
            let want = expected.get(city["code"].as_str().unwrap()).copied().unwrap_or(0);
            assert_eq!(
                (&city["cumulative"], &city["increment"], &city["pending"]),
                (&json!(want), &json!(want), &json!(0)),
                "{q}: {city}"
            );
        }
        // The fast path equals the reference computation.
        let mut fast = now.body.clone();
        fast.as_object_mut().unwrap().remove("known_at");
        assert_eq!(fast, direct(app, (plan, indicator, year, as_of), chrono::Utc::now().naive_utc()).await, "{q}");
        // Known before the import: nothing.
        let known_at = before.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
        let then = app.get_as(&format!("{q}&known_at={known_at}"), &province).await;
        assert_eq!(then.status, 200, "{}", then.text);
        assert_eq!(then.body["province"]["cumulative"], 0);
        for city in then.body["cities"].as_array().unwrap() {
            assert_eq!(city["cumulative"], 0, "{city}");
        }
        let mut then = then.body;
        then.as_object_mut().unwrap().remove("known_at");
        assert_eq!(then, direct(app, (plan, indicator, year, as_of), before.naive_utc()).await);
    }
    // The aggregates agree with a recomputation from the records.
    let found = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
}

/// A list meets the registry's own records: a row repeating a live record is a duplicate; a
/// record of another title of a `many` type is new; an 雄鹰 recognition ends the 雏鹰 tier in
/// force, as an approval does; a `one` type held live at another level is refused.
async fn a_list_meets_registered_enterprises(app: &TestApp) {
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let e = app.create_enterprise(&province, 1, "330106").await;
    let ent = app.token_for("ent", "enterprise", None, Some(&e)).await;
    let uscc =
        app.get_as(&format!("/api/v1/enterprises/{e}"), &province).await.body["uscc"].as_str().unwrap().to_string();
    let approve = |kind: &'static str, level: Option<&'static str>, title: &'static str| {
        let (ent, reviewer, e) = (ent.clone(), reviewer.clone(), e.clone());
        async move {
            let mut body = milestone(kind, level, "2022-05-01");
            body["title"] = json!(title);
            let id = app.draft_id(&ent, &e, &body).await;
            app.act_ok(&ent, &id, "submit", json!({})).await;
            app.act_ok(&reviewer, &id, "approve", json!({})).await;
            id
        }
    };
    let factory = approve("smart_factory", None, "一号工厂").await;
    let eaglet = approve("eaglet", Some("recognised"), "雏鹰").await;
    let header = "统一社会信用代码,企业名称,区县代码,类型,级别,认定日期,文号,批次,项目名称\n";
    let line = |kind: &str, date: &str, title: &str| {
        format!("{uscc},浙江名单企业有限公司,330106,{kind},,{date},浙经信〔2024〕1号,第一批,{title}\n")
    };
    // And an enterprise new to the registry with both tiers, 雏鹰 then 雄鹰.
    let newcomer = crate::helpers::fixtures::uscc(77);
    let list = format!(
        "{header}{}{}{}{newcomer},浙江新企业有限公司,330212,eaglet,recognised,2023-06-01,浙经信〔2023〕5号,,\n\
         {newcomer},浙江新企业有限公司,330212,雄鹰企业,,2024-02-01,浙经信〔2024〕1号,,\n",
        line("智能工厂", "2024-01-10", "一号工厂"),
        line("smart_factory", "2024-01-10", "二号工厂"),
        line("雄鹰企业", "2024-02-01", ""),
    );
    let res = upload(app, &province, list.into_bytes(), CSV, false).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        counts(&res.body),
        json!({"rows": 5, "created_enterprises": 1, "created_records": 4, "duplicates": 1, "errors": []})
    );
    assert_eq!(res.body["duplicate_rows"], json!([{"row": 2, "milestone_id": factory}]));
    let mine = records(app, &province).await;
    let eagle = &mine[&(uscc.clone(), "eagle".to_string(), "雄鹰企业".to_string())];
    assert_eq!(eagle["state"], "approved");
    // The record is attributed to the registered enterprise (its county and city).
    assert_eq!((&eagle["enterprise_id"], &eagle["city_code"]), (&json!(e), &json!("330100")));
    let ended = app.get_as(&format!("/api/v1/milestones/{eaglet}"), &province).await;
    assert_eq!(ended.body["ended_on"], "2024-02-01");
    let young = &mine[&(newcomer.clone(), "eaglet".to_string(), "雏鹰企业（隐形冠军培育）".to_string())];
    assert_eq!((&young["ended_on"], &young["city_code"]), (&json!("2024-02-01"), &json!("330200")));
    let tiers = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=eagle_enterprises&year=2024&as_of=2024-12-31";
    let eagles = app.get_as(tiers, &province).await;
    assert_eq!(eagles.body["province"]["cumulative"], 2, "{}", eagles.text);
    // Another 雄鹰 row (a `one` type: same type and level) repeats the live record.
    let again = format!("{header}{}", line("雄鹰企业", "2024-03-01", "雄鹰再认定"));
    let res = upload(app, &province, again.into_bytes(), CSV, false).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["duplicate_rows"], json!([{"row": 2, "milestone_id": eagle["id"]}]));
    // 独角兽 at another level than the live 准独角兽 (`one`): refused, naming the record.
    let quasi = approve("unicorn", Some("quasi"), "准独角兽").await;
    let unicorn =
        format!("{header}{uscc},浙江名单企业有限公司,330106,unicorn,unicorn,2024-03-01,浙经信〔2024〕2号,,\n");
    let res = upload(app, &province, unicorn.into_bytes(), CSV, false).await;
    res.assert_problem(422, "invalid_list");
    let errors = &res.body["report"]["errors"];
    assert_eq!(
        (&errors[0]["row"], &errors[0]["field"], &errors[0]["code"]),
        (&json!(2), &json!("type"), &json!("duplicate_milestone"))
    );
    assert!(errors[0]["message"].as_str().unwrap().contains(&quasi), "{}", res.text);
    let found = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
}

/// Two imports of one file at once: one writes (201), the other answers its report (200), and the
/// records exist once.
async fn concurrent_imports_of_one_file_write_once(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let both =
        futures_util::future::join_all((0..2).map(|_| upload(app, &province, sample(EAGLES, "csv"), CSV, false))).await;
    let mut statuses: Vec<u16> = both.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 201], "{} / {}", both[0].text, both[1].text);
    assert_eq!(both[0].body, both[1].body);
    assert_eq!(records(app, &province).await.len(), 40);
    let found = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
}

/// An import naming a registered enterprise while its city approves the enterprise's own records
/// and another list names it too: every record counts once, and the aggregates agree with a
/// recomputation (on PostgreSQL the enterprise's lock orders them).
async fn an_import_beside_approvals_of_its_enterprises(app: &TestApp) {
    app.city_only_reviews().await;
    let province = app.token_for("prov", "province_officer", None, None).await;
    let reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let mut firms = Vec::new();
    for n in 1..=4 {
        let e = app.create_enterprise(&province, n, "330106").await;
        let token = app.token_for(&format!("ent{n}"), "enterprise", None, Some(&e)).await;
        let uscc =
            app.get_as(&format!("/api/v1/enterprises/{e}"), &province).await.body["uscc"].as_str().unwrap().to_string();
        let mut body = milestone("smart_factory", None, "2024-03-01");
        body["title"] = json!("自报工厂");
        let id = app.draft_id(&token, &e, &body).await;
        app.act_ok(&token, &id, "submit", json!({})).await;
        firms.push((uscc, id));
    }
    let header = "统一社会信用代码,企业名称,区县代码,类型,级别,认定日期,文号,批次,项目名称\n";
    let list = |tag: &str| {
        let mut text = header.to_string();
        for (uscc, _) in &firms {
            text.push_str(&format!(
                "{uscc},浙江名单企业有限公司,330106,smart_factory,,2024-05-01,浙经信〔2024〕9号,,名单工厂{tag}\n"
            ));
        }
        text.into_bytes()
    };
    let approvals = firms.iter().map(|(_, id)| {
        let reviewer = reviewer.clone();
        async move { app.act(&reviewer, id, "approve", json!({})).await.status.as_u16() }
    });
    let imports = ["甲", "乙"].map(|tag| {
        let province = province.clone();
        let bytes = list(tag);
        async move { upload(app, &province, bytes, CSV, false).await.status.as_u16() }
    });
    let (approved, imported) =
        futures_util::future::join(futures_util::future::join_all(approvals), futures_util::future::join_all(imports))
            .await;
    assert_eq!(approved, [200; 4]);
    assert_eq!(imported, [201; 2]);
    // 12 approved records; the indicator counts enterprises: 4 in Hangzhou.
    assert_eq!(records(app, &province).await.values().filter(|m| m["state"] == "approved").count(), 12);
    let q = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2024&as_of=2024-12-31";
    let now = app.get_as(q, &province).await;
    assert_eq!(now.body["province"]["cumulative"], 4, "{}", now.text);
    let found = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
}

both_backends!(
    concurrent_imports_of_one_file_write_once,
    an_import_beside_approvals_of_its_enterprises,
    smart_factory_list_imports_from_csv_and_xlsx_alike,
    the_list_with_errors_is_refused_with_its_five_faults,
    a_reimport_is_a_replay,
    file_faults_and_other_roles,
    statistics_count_the_import_at_once_not_before,
    a_list_meets_registered_enterprises,
);
