//! City targets: the province sets per-city targets of an indicator for a year; officials read
//! them beside the plan's province-wide target.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{TestApp, TestResponse};

const SMART: &str = "/api/v1/indicators/ZJ2023-GWR/smart_factories_and_digital_workshops/targets";

impl TestApp {
    async fn put_targets(&self, path: &str, body: &Value, token: &str) -> TestResponse {
        self.request(Method::PUT, path, Some(body), Some(token)).await
    }
}

fn codes(res: &TestResponse) -> Vec<(String, String, i64)> {
    res.body["targets"]
        .as_array()
        .unwrap_or_else(|| panic!("no targets: {}", res.text))
        .iter()
        .map(|t| {
            (
                t["region_code"].as_str().unwrap().into(),
                t["name_zh"].as_str().unwrap().into(),
                t["value"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn set_read_and_replace(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let reviewer = app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await;

    // Nothing set yet: the plan's target, no city sum.
    let res = app.get_as(&format!("{SMART}?year=2023"), &reviewer).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body,
        json!({"plan": "ZJ2023-GWR", "indicator": "smart_factories_and_digital_workshops", "year": 2023,
               "province_target": 150, "city_sum": null, "targets": []})
    );

    // Sent out of order; answered in GB/T 2260 order.
    let body = json!({"targets": [
        {"region_code": "331100", "value": 5},
        {"region_code": "330100", "value": 40},
        {"region_code": "330200", "value": 30},
        {"region_code": "330700", "value": 0},
    ]});
    let res = app.put_targets(&format!("{SMART}/2023"), &body, &province).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let want = vec![
        ("330100".to_string(), "杭州市".to_string(), 40),
        ("330200".into(), "宁波市".into(), 30),
        ("330700".into(), "金华市".into(), 0),
        ("331100".into(), "丽水市".into(), 5),
    ];
    assert_eq!(codes(&res), want);
    assert_eq!((res.body["province_target"].clone(), res.body["city_sum"].clone()), (json!(150), json!(75)));

    // A reviewer (of any city) reads the same set.
    let read = app.get_as(&format!("{SMART}?year=2023"), &reviewer).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body, res.body);

    // Another indicator and another year are separate sets.
    let other = "/api/v1/indicators/ZJ2023-GWR/eagle_enterprises/targets";
    let res = app
        .put_targets(&format!("{other}/2023"), &json!({"targets": [{"region_code": "330300", "value": 3}]}), &province)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.get_as(&format!("{SMART}?year=2024"), &province).await;
    assert_eq!((res.body["province_target"].clone(), res.body["city_sum"].clone()), (json!(null), json!(null)));
    assert_eq!(res.body["targets"], json!([]));

    // Replacing with a smaller set removes the cities left out.
    let res = app
        .put_targets(&format!("{SMART}/2023"), &json!({"targets": [{"region_code": "330300", "value": 12}]}), &province)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(codes(&res), vec![("330300".to_string(), "温州市".to_string(), 12)]);
    assert_eq!(res.body["city_sum"], 12);
    let read = app.get_as(&format!("{SMART}?year=2023"), &province).await;
    assert_eq!(read.body, res.body);
    let read = app.get_as(&format!("{other}?year=2023"), &province).await;
    assert_eq!(read.body["city_sum"], 3, "the other indicator is untouched");

    // An empty list clears the year.
    let res = app.put_targets(&format!("{SMART}/2023"), &json!({"targets": []}), &province).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!((res.body["city_sum"].clone(), res.body["targets"].clone()), (json!(null), json!([])));
}

async fn untracked_indicators_take_targets_too(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let indicators = app.get("/api/v1/indicators?plan=ZJ2023-GWR").await;
    let untracked = indicators.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "inefficient_enterprises_remediated")
        .unwrap();
    assert_eq!(untracked["tracked"], false);
    let path = "/api/v1/indicators/ZJ2023-GWR/inefficient_enterprises_remediated/targets";
    let res = app
        .put_targets(&format!("{path}/2023"), &json!({"targets": [{"region_code": "330500", "value": 600}]}), &province)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!((res.body["province_target"].clone(), res.body["city_sum"].clone()), (json!(5000), json!(600)));
    // A plan without a target for that year: the province target is null.
    let path = "/api/v1/indicators/ZJ2017-XXJJ/key_enterprise_research_institutes/targets";
    let res = app
        .put_targets(&format!("{path}/2020"), &json!({"targets": [{"region_code": "330100", "value": 10}]}), &province)
        .await;
    assert_eq!((res.status.as_u16(), res.body["province_target"].clone()), (200, json!(null)), "{}", res.text);
}

async fn invalid_targets_name_the_field(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let put = format!("{SMART}/2023");
    let ok = json!({"targets": [{"region_code": "330100", "value": 40}]});
    assert_eq!(app.put_targets(&put, &ok, &province).await.status, 200);

    let cases = [
        (
            json!({"targets": [{"region_code": "330100", "value": 1}, {"region_code": "330106", "value": 1}]}),
            "targets[1].region_code",
            "not_a_city",
        ),
        (json!({"targets": [{"region_code": "330000", "value": 1}]}), "targets[0].region_code", "not_a_city"),
        (json!({"targets": [{"region_code": "110100", "value": 1}]}), "targets[0].region_code", "not_a_city"),
        (
            json!({"targets": [{"region_code": "330200", "value": 1}, {"region_code": "330200", "value": 2}]}),
            "targets[1].region_code",
            "duplicate",
        ),
        (json!({"targets": [{"region_code": "330200", "value": -1}]}), "targets[0].value", "out_of_range"),
        (json!({"targets": [{"region_code": "330200", "value": 1_000_000_001}]}), "targets[0].value", "out_of_range"),
        (
            json!({"targets": [{"region_code": "330200", "value": 2}, {"region_code": "330300", "value": 1.5}]}),
            "targets[1].value",
            "invalid_value",
        ),
        (json!({"targets": [{"region_code": "330200", "value": "7"}]}), "targets[0].value", "invalid_value"),
        (json!({"targets": [{"region_code": "330200"}]}), "targets[0].value", "invalid_value"),
        (json!({"targets": [{"region_code": "330200", "value": 1, "note": "x"}]}), "targets[0].note", "invalid_value"),
        (json!({}), "targets", "invalid_value"),
    ];
    for (body, field, code) in cases {
        let res = app.put_targets(&put, &body, &province).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.first_error_field(), Some(field), "{body}: {}", res.text);
        assert_eq!(res.body["errors"][0]["code"], code, "{body}: {}", res.text);
    }
    // Every wrong entry is reported.
    let res = app
        .put_targets(
            &put,
            &json!({"targets": [{"region_code": "330106", "value": -5}, {"region_code": "330200", "value": 1}]}),
            &province,
        )
        .await;
    let fields: Vec<&str> =
        res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["targets[0].region_code", "targets[0].value"]);

    // Years out of range or malformed are 400 naming `year`.
    for path in [format!("{SMART}/1999"), format!("{SMART}/2101"), format!("{SMART}/twenty")] {
        let res = app.put_targets(&path, &ok, &province).await;
        res.assert_problem(400, "invalid_parameter");
        assert_eq!(res.first_error_field(), Some("year"), "{path}");
    }
    for query in ["", "?year=1999", "?year=2101", "?year=abc", "?year=2023&city=330100"] {
        let res = app.get_as(&format!("{SMART}{query}"), &province).await;
        res.assert_problem(400, "invalid_parameter");
        let want = if query.contains("city") { "city" } else { "year" };
        assert_eq!(res.first_error_field(), Some(want), "{query}: {}", res.text);
    }

    // Nothing was changed by the rejected requests.
    let res = app.get_as(&format!("{SMART}?year=2023"), &province).await;
    assert_eq!(codes(&res), vec![("330100".to_string(), "杭州市".to_string(), 40)]);
}

async fn only_the_province_writes(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let reviewer = app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await;
    let ent_id = app.create_enterprise(&province, 1, "330106").await;
    let enterprise = app.token_for("ent.one", "enterprise", None, Some(&ent_id)).await;
    let admin = app.token_for("ops", "sysadmin", None, None).await;
    let body = json!({"targets": [{"region_code": "330100", "value": 40}]});
    let put = format!("{SMART}/2023");
    let get = format!("{SMART}?year=2023");

    app.put_targets(&put, &body, &reviewer).await.assert_problem(403, "forbidden_role");
    app.put_targets(&put, &body, &enterprise).await.assert_problem(403, "forbidden_role");
    app.put_targets(&put, &body, &admin).await.assert_problem(403, "forbidden_role");
    app.get_as(&get, &enterprise).await.assert_problem(403, "forbidden_role");
    app.get_as(&get, &admin).await.assert_problem(403, "forbidden_role");
    app.request(Method::GET, &get, None, None).await.assert_problem(401, "missing_token");
    app.request(Method::PUT, &put, Some(&body), None).await.assert_problem(401, "missing_token");

    assert_eq!(app.get_as(&get, &reviewer).await.body["targets"], json!([]), "the refused writes left no trace");
}

async fn unknown_indicators_are_404(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let body = json!({"targets": [{"region_code": "330100", "value": 1}]});
    for base in [
        "/api/v1/indicators/ZJ2023-GWR/no_such_indicator/targets",
        "/api/v1/indicators/NO-PLAN/smart_factories_and_digital_workshops/targets",
        // The indicator exists, but in another plan.
        "/api/v1/indicators/ZJ2018-SZJJ/smart_factories_and_digital_workshops/targets",
    ] {
        app.get_as(&format!("{base}?year=2023"), &province).await.assert_problem(404, "not_found");
        app.put_targets(&format!("{base}/2023"), &body, &province).await.assert_problem(404, "not_found");
    }
}

async fn replacements_are_audited(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let put = format!("{SMART}/2023");
    let first = json!({"targets": [{"region_code": "330100", "value": 40}, {"region_code": "330200", "value": 30}]});
    assert_eq!(app.put_targets(&put, &first, &province).await.status, 200);
    let second = json!({"targets": [{"region_code": "330300", "value": 12}]});
    assert_eq!(app.put_targets(&put, &second, &province).await.status, 200);
    // A rejected write is not recorded as a change.
    let bad = json!({"targets": [{"region_code": "330106", "value": 1}]});
    assert_eq!(app.put_targets(&put, &bad, &province).await.status, 422);

    let auditor = app.token_for("aud", "auditor", None, None).await;
    let res = app.get_as("/api/v1/audit-events?action=target.replace", &auditor).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", res.text);
    let details: Vec<Value> =
        items.iter().map(|e| serde_json::from_str(e["detail"].as_str().unwrap()).unwrap()).collect();
    let newest = details.iter().find(|d| d["count"] == 1).expect("the second replacement");
    assert_eq!(newest, &json!({"year": 2023, "count": 1, "sum": 12, "previous": {"count": 2, "sum": 70}}));
    let oldest = details.iter().find(|d| d["count"] == 2).expect("the first replacement");
    assert_eq!(oldest["sum"], 70);
    assert_eq!(oldest["previous"], json!({"count": 0, "sum": 0}));
    for e in items {
        assert_eq!(e["object_type"], "indicator");
        assert_eq!(e["object_id"], "ZJ2023-GWR/smart_factories_and_digital_workshops");
        assert_eq!(e["actor_role"], "province_officer");
        assert_eq!(e["result"], "success");
    }
    let verify = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(verify.body["ok"], true, "{}", verify.text);
}

async fn concurrent_replacements_do_not_mix(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let put = format!("{SMART}/2023");
    let cities = ["330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800"];
    // Each request sets a different pair of cities; they overlap, so interleaved deletes and
    // inserts would collide or leave a mixture.
    let bodies: Vec<Value> = (0..cities.len())
        .map(|i| {
            json!({"targets": [
                {"region_code": cities[i], "value": i},
                {"region_code": cities[(i + 1) % cities.len()], "value": 100 + i},
            ]})
        })
        .collect();
    let results = futures_util::future::join_all(bodies.iter().map(|b| app.put_targets(&put, b, &province))).await;
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let read = app.get_as(&format!("{SMART}?year=2023"), &province).await;
    let winner = results.iter().find(|r| r.body == read.body);
    assert!(winner.is_some(), "the stored set is not any one request's: {}", read.text);
    assert_eq!(read.body["targets"].as_array().unwrap().len(), 2);
}

both_backends!(
    set_read_and_replace,
    untracked_indicators_take_targets_too,
    invalid_targets_name_the_field,
    only_the_province_writes,
    unknown_indicators_are_404,
    replacements_are_audited,
    concurrent_replacements_do_not_mix,
);
