//! The contract, loaded from `openapi.yaml`, and a small JSON Schema checker for the subset of
//! keywords the contract uses ($ref, type, enum, const, properties, required,
//! additionalProperties, items, anyOf/oneOf/allOf, minimum/maximum, min/maxLength, format).

use serde_json::Value;

pub struct Spec {
    pub doc: Value,
}

impl Spec {
    pub fn load() -> Spec {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).expect("openapi.yaml");
        let doc: Value = serde_yaml::from_str(&text).expect("openapi.yaml parses");
        Spec { doc }
    }

    /// Every (METHOD, path) the contract documents.
    pub fn operations(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, _) in item.as_object().expect("path item") {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    out.push((method.to_uppercase(), path.clone()));
                }
            }
        }
        out.sort();
        out
    }

    /// The schema of a documented response (JSON or problem+json).
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Value {
        let op = &self.doc["paths"][path][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        let mut res = &op["responses"][status.to_string()];
        if res.is_null() {
            res = &op["responses"]["default"];
        }
        assert!(res.is_object(), "{method} {path} does not document status {status}");
        let res = self.deref(res);
        let content = &res["content"];
        let media = content
            .as_object()
            .and_then(|m| m.values().next())
            .unwrap_or_else(|| panic!("{method} {path} {status} documents no content"));
        media["schema"].clone()
    }

    fn deref<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self.deref(self.pointer(r)),
            None => v,
        }
    }

    fn pointer(&self, r: &str) -> &Value {
        let p = r.strip_prefix('#').unwrap_or_else(|| panic!("only local $ref: {r}"));
        self.doc.pointer(p).unwrap_or_else(|| panic!("dangling $ref {r}"))
    }

    /// Checks `value` against the documented response; panics listing every violation.
    #[track_caller]
    pub fn assert_response(&self, method: &str, path: &str, status: u16, value: &Value) {
        let schema = self.response_schema(method, path, status);
        let mut errors = Vec::new();
        self.check(&schema, value, "$", &mut errors);
        assert!(errors.is_empty(), "{method} {path} {status} does not match the contract:\n{}", errors.join("\n"));
    }

    pub fn check(&self, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
        let schema = self.deref(schema);
        if let Some(all) = schema["allOf"].as_array() {
            for s in all {
                self.check(s, v, at, errs);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alts) = schema[key].as_array() {
                let matching = alts
                    .iter()
                    .filter(|s| {
                        let mut e = Vec::new();
                        self.check(s, v, at, &mut e);
                        e.is_empty()
                    })
                    .count();
                if matching == 0 || (key == "oneOf" && matching > 1) {
                    errs.push(format!("{at}: {matching} alternatives of {key} match"));
                }
            }
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| type_matches(t, v)) {
                errs.push(format!("{at}: expected {types:?}, got {v}"));
                return;
            }
        }
        if let Some(e) = schema["enum"].as_array() {
            if !e.contains(v) {
                errs.push(format!("{at}: {v} is not one of {e:?}"));
            }
        }
        if let Some(c) = schema.get("const") {
            if c != v {
                errs.push(format!("{at}: {v} is not {c}"));
            }
        }
        if let Some(n) = v.as_f64() {
            if schema["minimum"].as_f64().is_some_and(|m| n < m) || schema["maximum"].as_f64().is_some_and(|m| n > m) {
                errs.push(format!("{at}: {n} out of range"));
            }
        }
        if let Some(s) = v.as_str() {
            let len = s.chars().count() as u64;
            if schema["minLength"].as_u64().is_some_and(|m| len < m)
                || schema["maxLength"].as_u64().is_some_and(|m| len > m)
            {
                errs.push(format!("{at}: length {len} out of range"));
            }
            if let Some(f) = schema["format"].as_str() {
                if !format_matches(f, s) {
                    errs.push(format!("{at}: `{s}` is not a {f}"));
                }
            }
        }
        if let Some(obj) = v.as_object() {
            let props = schema["properties"].as_object();
            for req in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !obj.contains_key(req) {
                    errs.push(format!("{at}: missing required `{req}`"));
                }
            }
            for (k, val) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => self.check(s, val, &format!("{at}.{k}"), errs),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => errs.push(format!("{at}: undocumented property `{k}`")),
                        Some(s @ Value::Object(_)) => self.check(s, val, &format!("{at}.{k}"), errs),
                        _ => {}
                    },
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
            for (i, item) in arr.iter().enumerate() {
                self.check(items, item, &format!("{at}[{i}]"), errs);
            }
        }
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn format_matches(f: &str, s: &str) -> bool {
    match f {
        "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        "uuid" => uuid::Uuid::parse_str(s).is_ok(),
        _ => true,
    }
}

impl Spec {
    /// The documented path template matching a concrete path (literal segments preferred).
    pub fn match_path(&self, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap_or(path);
        let segs: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, String)> = None;
        for template in self.doc["paths"].as_object()?.keys() {
            let t: Vec<&str> = template.split('/').collect();
            if t.len() != segs.len() {
                continue;
            }
            let mut literal = 0;
            let ok = t.iter().zip(&segs).all(|(a, b)| {
                if a.starts_with('{') && a.ends_with('}') {
                    !b.is_empty()
                } else if let Some((_, suffix)) = a.strip_prefix('{').and_then(|a| a.split_once('}')) {
                    // `{city_code}.csv`: a parameter with a literal suffix, more specific than `{city_code}`.
                    literal += 1;
                    b.len() > suffix.len() && b.ends_with(suffix)
                } else if a == b {
                    literal += 1;
                    true
                } else {
                    false
                }
            });
            if ok && best.as_ref().is_none_or(|(l, _)| literal > *l) {
                best = Some((literal, template.clone()));
            }
        }
        best.map(|(_, t)| t)
    }

    /// Checks one exchange against the contract: a documented route must document the status
    /// (2xx explicitly, errors explicitly or through `default`) and the body must match.
    #[track_caller]
    pub fn check_exchange(&self, method: &str, path: &str, status: u16, content_type: &str, body: &Value) {
        let Some(template) = self.match_path(path) else {
            assert!(status == 404, "{method} {path} answered {status} but is not in openapi.yaml");
            return;
        };
        let op = &self.doc["paths"][&template][method.to_lowercase()];
        if op.is_null() {
            assert!(status == 405 || status == 404, "{method} {template} is served ({status}) but not documented");
            return;
        }
        let documented = !op["responses"][status.to_string()].is_null();
        assert!(
            documented || (status >= 400 && !op["responses"]["default"].is_null()),
            "{method} {template} answered {status}, which openapi.yaml does not document"
        );
        if status == 204 || !content_type.contains("json") {
            return;
        }
        self.assert_response(method, &template, status, body);
    }
}
