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

/// The official OpenAPI 3.1 schema (2022-10-07, from the OpenAPI Initiative, Apache-2.0; the copy
/// `openapi-spec-validator` ships).
const OPENAPI_3_1_SCHEMA: &str = include_str!("openapi-3.1-schema.json");

fn official_validator() -> jsonschema::Validator {
    let official: serde_json::Value = serde_json::from_str(OPENAPI_3_1_SCHEMA).unwrap();
    jsonschema::validator_for(&official).unwrap()
}

/// Every place the document embeds a JSON Schema: under `components.schemas` and under any
/// `schema` key (parameters, media types, headers).
fn embedded_schemas<'a>(at: &str, v: &'a serde_json::Value, out: &mut Vec<(String, &'a serde_json::Value)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let here = format!("{at}/{k}");
                if k == "schema" || at == "/components/schemas" {
                    out.push((here.clone(), child));
                }
                embedded_schemas(&here, child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                embedded_schemas(&format!("{at}/{i}"), child, out);
            }
        }
        _ => {}
    }
}

/// `openapi.yaml` is a valid OpenAPI 3.1 document: it validates against the official schema
/// (which rejects unknown fields, e.g. a description cut in two by an unquoted comma), and each
/// embedded schema against the JSON Schema 2020-12 meta-schema. `.ci/run` also runs
/// `openapi-spec-validator`, which adds semantic checks.
#[test]
fn contract_validates_against_the_openapi_3_1_schema() {
    let doc = &spec().doc;
    let errors: Vec<String> =
        official_validator().iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "openapi.yaml is not valid OpenAPI 3.1:\n{}", errors.join("\n"));

    let mut schemas = Vec::new();
    embedded_schemas("", doc, &mut schemas);
    assert!(schemas.len() > 50, "found only {} embedded schemas", schemas.len());
    for (at, schema) in schemas {
        if let Err(e) = jsonschema::meta::validate(schema) {
            panic!("openapi.yaml{at} is not a valid JSON Schema: {e}");
        }
    }
}

/// Inside a schema the official validator allows unknown keywords, so a description cut by an
/// unquoted comma in a flow mapping (`{ description: A, b. }`) would pass it as a keyword `b.`
/// with no value: no key of the document may be text with a space and a null value.
#[test]
fn no_description_is_cut_into_keys() {
    fn walk(at: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    if child.is_null() && k.contains(' ') {
                        out.push(format!("{at}/{k}"));
                    }
                    walk(&format!("{at}/{k}"), child, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|c| walk(at, c, out)),
            _ => {}
        }
    }
    let mut cut = Vec::new();
    walk("", &spec().doc, &mut cut);
    assert!(cut.is_empty(), "descriptions cut by an unquoted comma: {cut:?}");
}

/// The validator above rejects what `openapi-spec-validator` rejected (issue 20): the `q`
/// parameter's description left unquoted, which YAML reads as two keys.
#[test]
fn the_validator_rejects_an_unquoted_comma_in_a_description() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let broken = text.replacen(
        "description: \"Name contains, or USCC starts with.\"",
        "description: Name contains, or USCC starts with.",
        1,
    );
    assert_ne!(broken, text, "the q parameter's description moved; update this test");
    let doc: serde_json::Value = serde_yaml::from_str(&broken).unwrap();
    assert!(!official_validator().is_valid(&doc));
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
        let concrete = concrete
            .split('/')
            .map(|s| if s.starts_with('{') { format!("x{}", s.split('}').nth(1).unwrap_or("")) } else { s.to_string() })
            .collect::<Vec<_>>()
            .join("/");
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
