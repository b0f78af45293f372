//! Characters no field may carry: U+0000 (NUL), which PostgreSQL refuses in text (SQLite would
//! store it and C strings would cut it). Checked at the edge — in the JSON, query and path
//! extractors — so both backends answer the same 4xx naming the field.

use serde_json::Value;

/// The rule's code in field errors.
pub const CODE: &str = "invalid_character";

/// The message of a field error for a string holding a forbidden character.
pub const MESSAGE: &str = "must not contain the NUL character (U+0000)";

/// The message when the forbidden character is in a field's name rather than its value.
pub const NAME_MESSAGE: &str = "holds a field name with the NUL character (U+0000)";

/// Whether `s` holds a character no field may carry.
pub fn is_forbidden(s: &str) -> bool {
    s.contains('\0')
}

/// Whether a JSON text may hold a forbidden character: the only way to write NUL in valid JSON
/// is the escape `\u0000` (a raw control character is a syntax error). A cheap pre-check, so that
/// only such bodies are walked as a [`Value`].
pub fn json_may_hold_forbidden(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == br"\u0000")
}

/// The first place in `value` where a forbidden character occurs: `(path, in_name)`, where
/// `path` is written like serde's (`targets[2].region_code`, `None` for the document itself)
/// and `in_name` tells that a field name (at that path) rather than a value holds it.
pub fn find_forbidden(value: &Value) -> Option<(Option<String>, bool)> {
    fn walk(v: &Value, path: &str) -> Option<(Option<String>, bool)> {
        let here = || if path.is_empty() { None } else { Some(path.to_string()) };
        match v {
            Value::String(s) if is_forbidden(s) => Some((here(), false)),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| walk(item, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().find_map(|(k, item)| {
                if is_forbidden(k) {
                    return Some((here(), true));
                }
                let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk(item, &child)
            }),
            _ => None,
        }
    }
    walk(value, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_path_of_a_nul() {
        assert_eq!(find_forbidden(&json!({"a": "x", "b": "y\u{0}"})), Some((Some("b".into()), false)));
        let deep = json!({"targets": [{"v": 1}, {"region_code": "\u{0}"}]});
        assert_eq!(find_forbidden(&deep), Some((Some("targets[1].region_code".into()), false)));
        assert_eq!(find_forbidden(&json!({"in": {"k\u{0}": 1}})), Some((Some("in".into()), true)));
        assert_eq!(find_forbidden(&json!({"\u{0}": 1})), Some((None, true)));
        assert_eq!(find_forbidden(&json!("\u{0}")), Some((None, false)));
        assert_eq!(find_forbidden(&json!({"a": ["x", 1, null]})), None);
    }

    #[test]
    fn pre_check_sees_only_the_escape() {
        assert!(json_may_hold_forbidden(br#"{"a":"\u0000"}"#));
        assert!(!json_may_hold_forbidden(br#"{"a":"\u0001"}"#));
    }
}
