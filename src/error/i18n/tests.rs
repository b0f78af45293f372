//! Completeness of the Chinese tables, checked against the source: every problem and field-error
//! code used in `src/` has a Chinese text, every English message written as a literal in `src/`
//! has a pattern, and serde's real messages translate.

use std::path::{Path, PathBuf};

use actix_web::http::StatusCode;
use serde::Deserialize;

use super::{chinese_body, codes, translate};
use crate::error::{AppError, FieldError};

/// Calls whose arguments carry a code or a message: `(needle, code argument, message argument)`.
const CALLS: &[(&str, Option<usize>, Option<usize>)] = &[
    ("AppError::new(", Some(1), Some(2)),
    ("::new(StatusCode::", Some(1), Some(2)),
    ("conflict(", Some(0), Some(1)),
    ("forbidden(", Some(0), Some(1)),
    ("unauthorized(", Some(0), Some(1)),
    ("bad_request(", Some(0), Some(2)),
    ("refused_refresh(", Some(0), None),
    ("not_found(", None, None),
    ("invalid_key(", None, Some(0)),
    ("bad_param(name)(", None, Some(0)),
    ("other()", None, None),
];

/// Calls whose arguments carry a field-error code and message.
const FIELD_CALLS: &[(&str, Option<usize>, Option<usize>)] = &[
    ("FieldError::new(", Some(1), Some(2)),
    ("InputError::new(", Some(1), Some(2)),
    ("invalid_field(", Some(1), Some(2)),
    ("invalid_parameter(", Some(2), Some(3)),
    ("return fail(", Some(0), Some(1)),
    ("check(", Some(3), None),
    ("ValidationError::new(", Some(0), None),
    ("with_message(", None, Some(0)),
    ("rule(", Some(0), Some(1)),
];

/// Format strings that only wrap another message, and are rebuilt from its translation.
const WRAPPERS: &[&str] = &["`{f}`: {}"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("i18n") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("fuzz.rs") {
            out.push(path);
        }
    }
}

/// The service's code of each source file (its unit tests cut off), with its path.
fn service_code() -> Vec<(String, String)> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap().to_string();
            (p.display().to_string(), code)
        })
        .collect()
}

/// The arguments of the call whose `(` ends `text[..start]`, split at top-level commas.
fn arguments(text: &str) -> Vec<String> {
    let mut args = vec![String::new()];
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let last = args.last_mut().unwrap();
                last.push(c);
                while let Some(s) = chars.next() {
                    last.push(s);
                    if s == '\\' {
                        last.extend(chars.next());
                    } else if s == '"' {
                        break;
                    }
                }
                continue;
            }
            '\'' => {
                // A char literal such as '(' (a lifetime has no closing quote nearby).
                let ahead: String = chars.clone().take(3).collect();
                if ahead.chars().nth(1) == Some('\'') {
                    chars.nth(1);
                    continue;
                }
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(String::new());
                continue;
            }
            _ => {}
        }
        args.last_mut().unwrap().push(c);
    }
    args.into_iter().map(|a| a.trim().to_string()).collect()
}

/// The string an argument writes literally (`"…"`, `"…".into()`, `format!("…", …)` with its
/// placeholders filled by samples).
fn literal(arg: &str) -> Option<String> {
    let arg = arg.strip_suffix(".into()").or_else(|| arg.strip_suffix(".to_string()")).unwrap_or(arg);
    let (format, arg) = match arg.strip_prefix("format!(") {
        Some(rest) => (true, rest),
        None => (false, arg),
    };
    let body = arg.strip_prefix('"')?;
    let end = body.char_indices().scan(false, |esc, (i, c)| {
        let r = (!*esc && c == '"').then_some(i);
        *esc = !*esc && c == '\\';
        Some(r)
    });
    let end = end.flatten().next()?;
    if !format && end + 1 != body.len() {
        return None;
    }
    let s = unescape(&body[..end]);
    Some(if format && !WRAPPERS.contains(&s.as_str()) { samples(&s) } else { s })
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A format string with sample values: a message where it wraps one, else a word.
fn samples(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| c + open);
        let name = rest[open + 1..close].split(':').next().unwrap_or("");
        out.push_str(match name {
            "m" | "message" | "msg" => "is required",
            "hint" => " (upper case only)",
            "what" => "the legal name",
            "exp" => "`a` or `b`",
            "kind" => "query",
            _ => "7",
        });
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// `(file, code or message)` written at the given argument of every call in `calls`.
fn written(calls: &[(&str, Option<usize>, Option<usize>)], want_code: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (file, code) in service_code() {
        for (needle, code_at, message_at) in calls {
            let Some(at) = (if want_code { code_at } else { message_at }) else {
                continue;
            };
            for (i, _) in code.match_indices(needle) {
                let args = arguments(&code[i + needle.len()..]);
                if let Some(s) = args.get(*at).and_then(|a| literal(a)) {
                    out.push((file.clone(), s));
                }
            }
        }
    }
    out
}

#[test]
fn every_problem_code_has_chinese() {
    let found = written(CALLS, true);
    let codes: Vec<&str> = found.iter().map(|(_, c)| c.as_str()).collect();
    // The scan works: it sees codes of every kind of constructor.
    for sure in ["validation_failed", "not_editable", "invalid_credentials", "refresh_token_reused", "stale_version"] {
        assert!(codes.contains(&sure) || sure == "validation_failed", "the scan misses `{sure}`");
    }
    assert!(codes.len() > 60, "{codes:?}");
    let missing: Vec<_> = found.iter().filter(|(_, c)| codes::problem(c).is_none()).collect();
    assert!(missing.is_empty(), "problem codes without Chinese: {missing:?}");
    for (code, zh) in codes::PROBLEMS {
        assert!(!zh.is_empty() && !zh.is_ascii(), "{code}");
    }
}

#[test]
fn every_field_code_has_chinese() {
    let mut found = written(FIELD_CALLS, true);
    for (file, code) in service_code() {
        for needle in ["code = \"", "code: \"", "pub const CODE: &str = \""] {
            for (i, _) in code.match_indices(needle) {
                let rest = &code[i + needle.len()..];
                let (value, after) = rest.split_at(rest.find('"').unwrap());
                // `code: "…"` is a field error's code only in a `FieldError { … }`.
                let start = (0..=i.saturating_sub(40)).rev().find(|&b| code.is_char_boundary(b)).unwrap_or(0);
                let head = &code[start..i];
                if needle != "code: \"" || (head.contains("FieldError {") && after.starts_with('"')) {
                    found.push((file.clone(), value.to_string()));
                }
            }
        }
    }
    // The `validator` crate's own codes, when a rule names none.
    found.extend(["length", "range"].map(|c| (String::new(), c.to_string())));
    let codes_seen: Vec<&str> = found.iter().map(|(_, c)| c.as_str()).collect();
    for sure in ["invalid_uscc", "password_too_simple", "too_long", "invalid_value", "invalid_character", "in_future"] {
        assert!(codes_seen.contains(&sure), "the scan misses `{sure}`");
    }
    let missing: Vec<_> = found.iter().filter(|(_, c)| codes::field(c).is_none()).collect();
    assert!(missing.is_empty(), "field codes without Chinese: {missing:?}");
}

#[test]
fn every_written_message_has_a_pattern() {
    let mut found = written(CALLS, false);
    found.extend(written(FIELD_CALLS, false));
    for (file, code) in service_code() {
        let domain = file.contains("/domain/") || file.ends_with("accounts/mod.rs");
        let needles: &[&str] = if domain { &["Err(", "#[error("] } else { &["pub const MESSAGE", "message = "] };
        for needle in needles {
            for (i, _) in code.match_indices(needle) {
                let rest = code[i + needle.len()..].trim_start_matches([' ', ':', '&', 's', 't', 'r', '=']);
                if let Some(s) = arguments(rest).first().and_then(|a| literal(a)) {
                    found.push((file.clone(), s));
                }
            }
        }
    }
    assert!(found.len() > 120, "{}", found.len());
    let missing: Vec<_> = found.iter().filter(|(_, m)| translate(m).is_none()).collect();
    assert!(missing.is_empty(), "{} messages without a pattern: {missing:#?}", missing.len());
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Body {
    name: String,
    count: u32,
    flag: Option<bool>,
    kind: Option<Kind>,
    pair: Option<(u8, u8)>,
    list: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Large,
    Small,
}

#[test]
fn serde_messages_translate() {
    let bodies = [
        r#"{"name": 5, "count": 1}"#,
        r#"{"name": "x", "count": -1}"#,
        r#"{"name": "x", "count": "3"}"#,
        r#"{"name": "x", "count": 1, "flag": "yes"}"#,
        r#"{"name": "x", "count": 1, "kind": "huge"}"#,
        r#"{"name": "x", "count": 1, "pair": [1, 2, 3]}"#,
        r#"{"name": "x", "count": 1, "list": {}}"#,
        r#"{"name": "x", "count": 1, "bogus": 1}"#,
        r#"{"name": "x", "name": "y", "count": 1}"#,
        r#"{"count": 1}"#,
        r#"{"name": "x", "count": 99999999999}"#,
    ];
    for body in bodies {
        let e = crate::extract::parse_json::<Body>(body.as_bytes()).unwrap_err();
        for f in e.field_errors() {
            assert!(translate(&f.message).is_some(), "{body}: {}", f.message);
        }
    }
    for query in ["count=x", "count=", "flag=maybe", "count=99999999999", "kind=huge", "count=1&bogus=2"] {
        let e = crate::extract::parse_query::<Body>(query).unwrap_err();
        assert!(translate(e.detail()).is_some(), "{query}: {}", e.detail());
    }
}

#[test]
fn parameters_reach_the_chinese() {
    for (en, zh) in [
        ("`limit` must be between 1 and 500", "`limit` 须在 1 至 500 之间"),
        ("a USCC has 18 characters, not 17", "统一社会信用代码应为 18 位，当前为 17 位"),
        ("must be at most 200 characters", "不得超过 200 个字符"),
        ("must be at least 10 characters long", "长度不得少于 10 个字符"),
        ("the milestone is approved; this action does not apply", "该里程碑当前状态为“已通过”，不允许此操作"),
        ("milestone not found", "里程碑记录不存在"),
        ("query parameter `level` must be `city` or `county`", "查询参数 `level` 须为 `city` 或 `county`"),
        ("has the wrong type: expected a string, got integer", "类型不正确：应为字符串，实际为整数"),
        ("GET is not allowed here; allowed: POST", "此地址不支持 GET 方法，支持的方法：POST"),
        ("must be between 0 and 10^13 CNY", "须在 0 至 10^13 元之间"),
        (
            "the city_reviewer role may not revoke a milestone; only province_officer may",
            "市级审核人员无权撤销里程碑，仅省级主管部门人员可执行此操作",
        ),
    ] {
        assert_eq!(translate(en).as_deref(), Some(zh), "{en}");
    }
}

#[test]
fn a_problem_renders_in_chinese_with_its_code_and_fields() {
    let e = AppError::validation(vec![
        FieldError::new("uscc", "invalid_uscc", "a USCC has 18 characters, not 3"),
        FieldError::new("name", "invalid_name", "something no pattern knows"),
    ]);
    let body = chinese_body(&e);
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["title"], "内容未通过校验");
    assert_eq!(body["detail"], "共有 2 个字段不符合要求");
    assert_eq!(body["errors"][0]["message"], "统一社会信用代码应为 18 位，当前为 3 位");
    // Without a pattern: the code's general text, the English kept.
    assert_eq!(body["errors"][1]["message"], "名称不正确（something no pattern knows）");
    assert_eq!(body["errors"][1]["field"], "name");
    let e = AppError::conflict("invalid_transition", "the milestone is draft; this action does not apply")
        .with("state", "draft");
    let body = chinese_body(&e);
    assert_eq!(
        (body["detail"].as_str(), body["state"].as_str()),
        (Some("该里程碑当前状态为“草稿”，不允许此操作"), Some("draft"))
    );
    let e = AppError::new(StatusCode::IM_A_TEAPOT, "not_found", "nothing like this");
    assert_eq!(chinese_body(&e)["detail"], "记录不存在（nothing like this）");
}
