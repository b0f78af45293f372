//! Reference data endpoints: divisions, milestone types, plans, indicators.

use crate::helpers::TestApp;

async fn cities_and_counties(app: &TestApp) {
    let res = app.get("/api/v1/divisions?level=city").await;
    assert_eq!(res.status, 200);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 11);
    assert_eq!(items[0]["code"], "330100");
    assert_eq!(items[0]["name_zh"], "杭州市");
    assert!(items.iter().all(|c| c["parent_code"] == "330000"));

    let res = app.get("/api/v1/divisions?level=county&parent=330100").await;
    let codes: Vec<&str> = res.body["items"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 13, "{codes:?}");
    assert!(codes.contains(&"330106") && codes.contains(&"330127"));

    let all = app.get("/api/v1/divisions").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 102);
    let province = app.get("/api/v1/divisions?level=province").await;
    assert_eq!(province.body["items"][0]["code"], "330000");
}

async fn division_filters_are_validated(app: &TestApp) {
    let res = app.get("/api/v1/divisions?level=town").await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("level"));
    let res = app.get("/api/v1/divisions?parent=110000").await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("parent"));
    let res = app.get("/api/v1/divisions?parent=abc").await;
    assert_eq!(res.first_error_field(), Some("parent"));
    let res = app.get("/api/v1/divisions?levle=city").await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("levle"));
}

async fn milestone_catalogue(app: &TestApp) {
    let res = app.get("/api/v1/milestone-types").await;
    assert_eq!(res.status, 200);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 23);
    let cloud = &items[0];
    assert_eq!(cloud["code"], "cloud_adoption");
    assert_eq!(cloud["levels"], serde_json::json!(["on_cloud", "deep_cloud_use", "benchmark"]));
    assert_eq!(cloud["multiplicity"], "one_per_level");
    let eagle = items.iter().find(|t| t["code"] == "eagle").unwrap();
    assert_eq!(eagle["exclusive_group"], "tier");
    let hte = items.iter().find(|t| t["code"] == "high_tech_enterprise").unwrap();
    assert_eq!(hte["validity_years"], 3);
}

async fn plans_and_indicators(app: &TestApp) {
    let res = app.get("/api/v1/plans").await;
    let codes: Vec<&str> = res.body["items"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["ZJ2018-SZJJ", "ZJ2017-XXJJ", "ZJ2023-GWR"]);

    let res = app.get("/api/v1/indicators?plan=ZJ2018-SZJJ").await;
    assert_eq!(res.status, 200);
    let items = res.body["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["plan_code"] == "ZJ2018-SZJJ"));
    let cloud = items.iter().find(|i| i["code"] == "cloud_adoption_enterprises").unwrap();
    let targets: Vec<(i64, i64)> = cloud["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["year"].as_i64().unwrap(), t["value"].as_i64().unwrap()))
        .collect();
    assert_eq!(targets, [(2020, 400_000), (2022, 500_000)]);
    assert_eq!(cloud["tracked"], true);
    assert_eq!(cloud["unit"], "家");
    assert_eq!(cloud["kind"], "cumulative");
    let untracked = items.iter().find(|i| i["code"] == "world_class_enterprises").unwrap();
    assert_eq!(untracked["tracked"], false);

    let all = app.get("/api/v1/indicators").await;
    let all = all.body["items"].as_array().unwrap();
    let gwr = all
        .iter()
        .find(|i| i["plan_code"] == "ZJ2023-GWR" && i["code"] == "smart_factories_and_digital_workshops")
        .unwrap();
    assert_eq!(gwr["kind"], "increment");
    assert_eq!(gwr["targets"][0]["value"], 150);
    assert_eq!(gwr["sources"].as_array().unwrap().len(), 2);
    let undated = all.iter().find(|i| i["code"] == "informatization_climb_enterprises").unwrap();
    assert_eq!(undated["targets"][0]["year"], serde_json::Value::Null);
    assert_eq!(undated["targets"][0]["value"], 2000);

    let res = app.get("/api/v1/indicators?plan=NOPE").await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.first_error_field(), Some("plan"));
}

both_backends!(cities_and_counties, division_filters_are_validated, milestone_catalogue, plans_and_indicators);
