//! Property tests of the extractors' parsing: any input gives a value or a 4xx problem (never a
//! panic), a NUL anywhere is refused naming its field, and no error repeats a value sent.

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{parse_json, parse_query};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Login {
    username: String,
    password: String,
    remember: Option<bool>,
    profile: Option<Profile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Profile {
    phone: String,
    size: Option<Size>,
    limits: Option<Vec<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Size {
    Large,
    Small,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Query {
    q: Option<String>,
    limit: Option<u32>,
    level: Option<Size>,
}

/// Values a client might send that must never come back: long enough not to occur by chance in
/// a message.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{9,16}"
}

/// Any JSON whose strings are secrets and whose numbers are large.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        secret().prop_map(Value::from),
        (1_000_000_000u64..u64::MAX).prop_map(Value::from),
        (-1e12f64..-1e6).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("username".to_string()),
                    Just("password".to_string()),
                    Just("profile".to_string()),
                    Just("phone".to_string()),
                    Just("size".to_string()),
                    Just("limits".to_string()),
                    Just("remember".to_string()),
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every string and number in `v`, as it would be written.
fn scalars(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(a) => a.iter().for_each(|x| scalars(x, out)),
        Value::Object(m) => m.values().for_each(|x| scalars(x, out)),
        _ => {}
    }
}

proptest! {
    #[test]
    fn any_bytes_give_a_value_or_a_4xx(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Err(e) = parse_json::<Login>(&bytes) {
            prop_assert!(matches!(e.status().as_u16(), 400 | 422), "{e}");
        }
    }

    #[test]
    fn errors_never_repeat_a_value(username in any_json(), password in any_json(), profile in any_json()) {
        let body = json!({"username": username, "password": password, "profile": profile});
        if let Err(e) = parse_json::<Login>(&serde_json::to_vec(&body).unwrap()) {
            let shown = format!("{} {:?}", e.body(), e);
            let mut values = Vec::new();
            scalars(&body, &mut values);
            for v in values.iter().filter(|v| v.len() >= 7) {
                prop_assert!(!shown.contains(v.as_str()), "`{}` shown in {}", v, shown);
            }
        }
    }

    #[test]
    fn a_nul_anywhere_is_refused_naming_its_field(
        (field, at) in prop_oneof![
            Just(("username", "username")),
            Just(("password", "password")),
            Just(("phone", "profile.phone")),
        ],
        before in "[a-z]{0,5}",
        after in "[a-z]{0,5}",
    ) {
        let hostile = format!("{before}\u{0}{after}");
        let mut body = json!({"username": "u", "password": "p", "profile": {"phone": "1"}});
        match field {
            "phone" => body["profile"]["phone"] = json!(hostile),
            f => body[f] = json!(hostile),
        }
        let e = parse_json::<Login>(&serde_json::to_vec(&body).unwrap()).unwrap_err();
        prop_assert_eq!(e.status().as_u16(), 422);
        prop_assert_eq!(e.field_errors()[0].field.as_deref(), Some(at));
        prop_assert_eq!(e.field_errors()[0].code.as_str(), "invalid_character");
    }

    #[test]
    fn any_query_gives_a_value_or_a_400(query in "[a-z=&%0-9A-F\u{0}+]{0,60}") {
        if let Err(e) = parse_query::<Query>(&query) {
            prop_assert!(matches!(e.status().as_u16(), 400 | 414), "{e}");
            prop_assert!(!e.field_errors().is_empty());
        }
    }

    #[test]
    fn query_errors_never_repeat_a_value(q in secret(), limit in secret(), level in secret()) {
        let query = format!("q={q}&limit={limit}&level={level}");
        if let Err(e) = parse_query::<Query>(&query) {
            let shown = format!("{} {:?}", e.body(), e);
            prop_assert!(!shown.contains(&limit) && !shown.contains(&level), "{}", shown);
        }
    }
}
