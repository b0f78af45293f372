//! Requests generated from `openapi.yaml` that put one hostile string into one place: every path
//! parameter, every query parameter and every string field of every JSON body of every
//! documented operation. A route added to the contract is probed without editing the tests.

use serde_json::{json, Map, Value};

use super::schema::Spec;

/// One generated request.
#[derive(Debug, Clone)]
pub struct Probe {
    pub method: String,
    /// The documented template, for messages.
    pub template: String,
    /// Concrete path and query string.
    pub path: String,
    pub body: Option<Value>,
    /// Required headers (`If-Match`), with sample values.
    pub headers: Vec<(String, String)>,
    /// Where the hostile value went: `path id`, `query plan`, `body targets[0].region_code`.
    pub place: String,
    /// The field or parameter name an error naming it would carry.
    pub field: String,
}

/// A documented parameter.
struct Param {
    name: String,
    location: String,
    required: bool,
    schema: Value,
}

/// Values for parameters and fields that make a request get past the checks before the one probed
/// (a known plan, indicator and city); anything else gets a sample from its schema.
pub struct Samples<'a> {
    pub by_name: &'a [(&'a str, &'a str)],
}

impl Samples<'_> {
    fn named(&self, name: &str) -> Option<&str> {
        self.by_name.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

impl Spec {
    /// Every probe of `hostile` (raw for JSON; `hostile_encoded`, percent-encoded, in URLs).
    pub fn probes(&self, samples: &Samples, hostile: &str, hostile_encoded: &str) -> Vec<Probe> {
        let mut out = Vec::new();
        for (method, template) in self.operations() {
            let item = &self.doc["paths"][&template];
            let op = &item[method.to_lowercase()];
            let params: Vec<Param> = item["parameters"]
                .as_array()
                .into_iter()
                .chain(op["parameters"].as_array())
                .flatten()
                .map(|p| self.param(p))
                .collect();
            let headers: Vec<(String, String)> = params
                .iter()
                .filter(|p| p.location == "header" && p.required)
                .map(|p| (p.name.clone(), "\"1\"".to_string()))
                .collect();
            let sample = |p: &Param| match samples.named(&p.name) {
                Some(v) => v.to_string(),
                None => scalar_sample(&p.schema).to_string().trim_matches('"').to_string(),
            };
            let url = |hostile_param: Option<&str>| {
                let mut path = template.clone();
                let mut query = Vec::new();
                for p in &params {
                    let is_target = hostile_param == Some(p.name.as_str());
                    let value = if is_target { hostile_encoded.to_string() } else { sample(p) };
                    match p.location.as_str() {
                        "path" => path = path.replace(&format!("{{{}}}", p.name), &value),
                        "query" if p.required || is_target => query.push(format!("{}={value}", p.name)),
                        _ => {}
                    }
                }
                if query.is_empty() {
                    path
                } else {
                    format!("{path}?{}", query.join("&"))
                }
            };
            let body_schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let body = (!body_schema.is_null()).then(|| self.sample(body_schema, 0));
            let base = Probe {
                method: method.clone(),
                template: template.clone(),
                path: url(None),
                body: body.clone(),
                headers,
                place: String::new(),
                field: String::new(),
            };
            for p in params.iter().filter(|p| p.location == "path" || p.location == "query") {
                out.push(Probe {
                    path: url(Some(&p.name)),
                    place: format!("{} {}", p.location, p.name),
                    field: p.name.clone(),
                    ..base.clone()
                });
            }
            if let Some(body) = &body {
                let mut leaves = Vec::new();
                string_leaves(body, "", &mut leaves);
                for leaf in leaves {
                    let mut hostile_body = body.clone();
                    set_at(&mut hostile_body, &leaf, hostile);
                    out.push(Probe {
                        body: Some(hostile_body),
                        place: format!("body {leaf}"),
                        field: leaf,
                        ..base.clone()
                    });
                }
            }
        }
        out
    }

    fn param(&self, p: &Value) -> Param {
        let p = self.resolve(p);
        Param {
            name: p["name"].as_str().unwrap_or_default().to_string(),
            location: p["in"].as_str().unwrap_or_default().to_string(),
            required: p["required"].as_bool().unwrap_or(false),
            schema: self.resolve(&p["schema"]).clone(),
        }
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(self.doc.pointer(r.trim_start_matches('#')).expect("resolvable $ref")),
            None => v,
        }
    }

    /// A value of `schema` with every documented property present (strings as samples).
    fn sample(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > 6 {
            return Value::Null;
        }
        let types = types_of(schema);
        if types.contains(&"object") || schema["properties"].is_object() {
            let mut map = Map::new();
            for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                map.insert(name.clone(), self.sample(prop, depth + 1));
            }
            return Value::Object(map);
        }
        if types.contains(&"array") {
            return json!([self.sample(&schema["items"], depth + 1)]);
        }
        scalar_sample(schema)
    }
}

fn types_of(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn scalar_sample(schema: &Value) -> Value {
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let types = types_of(schema);
    if types.contains(&"string") {
        return match schema["format"].as_str() {
            Some("uuid") => json!("00000000-0000-7000-8000-000000000000"),
            Some("date") => json!("2024-01-02"),
            Some("date-time") => json!("2024-01-02T03:04:05Z"),
            _ => json!("sample"),
        };
    }
    if types.contains(&"integer") || types.contains(&"number") {
        return json!(schema["minimum"].as_i64().unwrap_or(1).max(1));
    }
    if types.contains(&"boolean") {
        return json!(false);
    }
    Value::Null
}

/// Paths (serde's notation) of every string in `v`.
fn string_leaves(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::String(_) => out.push(at.to_string()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_leaves(item, &format!("{at}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let child = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                string_leaves(item, &child, out);
            }
        }
        _ => {}
    }
}

/// Sets the string at `path` (as produced by [`string_leaves`]) to `s`.
fn set_at(v: &mut Value, path: &str, s: &str) {
    let mut cur = v;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !name.is_empty() {
            cur = &mut cur[name];
        }
        if let Some(i) = index {
            cur = &mut cur[i];
        }
    }
    *cur = Value::String(s.to_string());
}
