//! Turning serde's error messages into field errors that say what is wrong without repeating
//! what was sent: serde quotes the offending value (`invalid type: integer `987654321012`,
//! expected a string`), and a password sent as a number would otherwise reach the response and
//! the logs.

/// Turns a serde message and the path where it arose into `(field, message)`. serde reports
/// unknown, missing and duplicate fields at the parent's path, naming the field in backticks.
pub fn describe_serde_error(path: &str, message: &str) -> (Option<String>, String) {
    let message = message.split(" at line ").next().unwrap_or(message);
    let parent = if path == "." || path.is_empty() { None } else { Some(path.to_string()) };
    let named = ["unknown field `", "missing field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
        .map(|name| match &parent {
            // serde_path_to_error already includes an unknown field in the path.
            Some(p) if p == name || p.ends_with(&format!(".{name}")) => p.clone(),
            Some(p) => format!("{p}.{name}"),
            None => name.to_string(),
        });
    (named.or(parent), safe_message(message))
}

/// serde's message without the value it quotes.
pub fn safe_message(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    if message.starts_with("unknown field") {
        return "is not a known field".into();
    }
    if message.starts_with("missing field") {
        return "is required".into();
    }
    if message.starts_with("duplicate field") {
        return "is given more than once".into();
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (unexpected, expected) = split_expected(rest);
        return match expected {
            Some(exp) => format!("has the wrong type: expected {exp}, got {}", kind_of(unexpected)),
            None => format!("has the wrong type ({})", kind_of(unexpected)),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return match split_expected(rest).1 {
            Some(exp) => format!("has an invalid value: expected {exp}"),
            None => "has an invalid value".into(),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        return match split_expected(rest).1 {
            Some(exp) => format!("has the wrong length: expected {exp}"),
            None => "has the wrong length".into(),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match split_expected(rest).1 {
            Some(exp) => format!("must be {exp}"),
            None => "is not an accepted value".into(),
        };
    }
    // Our own domain messages and the standard parsers' ("invalid digit found in string") say
    // what is wrong without the value.
    message.to_string()
}

/// Splits `X, expected Y` at the last `, expected ` (the value part may itself hold commas).
fn split_expected(rest: &str) -> (&str, Option<&str>) {
    match rest.rfind(", expected ") {
        Some(i) => (&rest[..i], Some(&rest[i + ", expected ".len()..])),
        None => (rest, None),
    }
}

/// The kind of an unexpected value (`integer`, `string`, `map`) without the value itself.
fn kind_of(unexpected: &str) -> &str {
    let kind = unexpected.split(['`', '"', '\'']).next().unwrap_or("").trim();
    if kind.is_empty() {
        "another type"
    } else {
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_is_wrong_without_the_value() {
        let cases = [
            ("invalid type: integer `987654321012`, expected a string at line 1 column 40", "987654321012"),
            ("invalid type: string \"13611112222\", expected u32", "13611112222"),
            ("invalid value: integer `-7`, expected u32", "-7"),
            ("unknown variant `secret, x`, expected one of `a`, `b`", "secret"),
            ("invalid length 3, expected an array of length 2", "3"),
        ];
        for (message, value) in cases {
            let out = safe_message(message);
            assert!(!out.contains(value), "{message} → {out}");
            assert!(out.contains("expected") || out.starts_with("must be"), "{out}");
        }
        assert_eq!(
            safe_message("invalid type: integer `5`, expected a string"),
            "has the wrong type: expected a string, got integer"
        );
        assert_eq!(safe_message("unknown variant `x`, expected `a` or `b`"), "must be `a` or `b`");
    }

    #[test]
    fn unknown_missing_and_duplicate_fields_are_named() {
        assert_eq!(describe_serde_error(".", "missing field `name`"), (Some("name".into()), "is required".into()));
        assert_eq!(describe_serde_error("inner", "missing field `v`"), (Some("inner.v".into()), "is required".into()));
        assert_eq!(describe_serde_error("bogus", "unknown field `bogus`, expected `a`").0.as_deref(), Some("bogus"));
        assert_eq!(describe_serde_error(".", "duplicate field `a`").1, "is given more than once");
    }
}
