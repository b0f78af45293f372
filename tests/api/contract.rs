//! `openapi.yaml` is the contract: every served route is documented and every documented
//! route is served. (Response bodies are checked against it on every request the tests make.)

use std::collections::BTreeSet;

use enterprise_registry::routes;

use crate::helpers::{spec, TestApp};

#[test]
fn served_routes_and_documented_paths_are_the_same() {
    let served: BTreeSet<(String, String)> =
        routes::table().iter().map(|r| (r.method.as_str().to_string(), r.path.to_string())).collect();
    let documented: BTreeSet<(String, String)> = spec().operations().into_iter().collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(undocumented.is_empty(), "served but not in openapi.yaml: {undocumented:?}");
    assert!(unserved.is_empty(), "in openapi.yaml but not served: {unserved:?}");
}

#[test]
fn contract_is_openapi_3_1_with_resolvable_refs() {
    let doc = &spec().doc;
    assert_eq!(doc["openapi"], "3.1.0");
    let text = serde_json::to_string(doc).unwrap();
    for r in text.split("\"$ref\":\"").skip(1) {
        let target = r.split('"').next().unwrap();
        assert!(doc.pointer(target.trim_start_matches('#')).is_some(), "dangling $ref {target}");
    }
}

async fn contract_is_served(app: &TestApp) {
    let res = app.get("/api/v1/openapi.yaml").await;
    assert_eq!(res.status, 200);
    assert!(res.content_type().starts_with("application/yaml"));
    let served: serde_yaml::Value = serde_yaml::from_str(&res.text).unwrap();
    let on_disk: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap())
            .unwrap();
    assert_eq!(served, on_disk);
}

/// Every documented route answers something other than "no such route" when called.
async fn every_documented_route_is_routed(app: &TestApp) {
    for (method, path) in spec().operations() {
        let concrete = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
        let concrete =
            concrete.split('/').map(|s| if s.starts_with('{') { "x" } else { s }).collect::<Vec<_>>().join("/");
        let res = app
            .send(
                app.client
                    .request(method.parse().unwrap(), app.url(&concrete))
                    .header("content-type", "application/json")
                    .body("{}"),
            )
            .await;
        assert!(
            res.body["code"] != "route_not_found" && res.body["code"] != "method_not_allowed",
            "{method} {path} is documented but not routed: {}",
            res.text
        );
    }
}

both_backends!(contract_is_served, every_documented_route_is_routed);
