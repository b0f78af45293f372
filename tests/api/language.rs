//! Problem details in Chinese when `Accept-Language` prefers `zh`, English otherwise: the same
//! request in both languages gets the same status, `code` and field names, and a `detail` and
//! field messages in the language that `Content-Language` names.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::fixtures::enterprise_body;
use crate::helpers::world::{milestone, World};
use crate::helpers::{TestApp, TestResponse};

const ZH: &[(&str, &str)] = &[("accept-language", "zh-CN")];

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn header<'a>(res: &'a TestResponse, name: &str) -> &'a str {
    res.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Sends the request without and with `Accept-Language: zh-CN`; checks that both are the same
/// problem (`status`, `code`) told in English and in Chinese; returns the Chinese one.
async fn both(app: &TestApp, method: Method, path: &str, body: Option<&Value>, token: Option<&str>) -> TestResponse {
    let en = app.request_with(method.clone(), path, body, token, &[]).await;
    let zh = app.request_with(method, path, body, token, ZH).await;
    assert_eq!(en.status, zh.status, "{}\n{}", en.text, zh.text);
    assert!(en.status.as_u16() >= 400, "{}", en.text);
    for key in ["code", "type", "status", "state", "existing"] {
        assert_eq!(en.body[key], zh.body[key], "{key}");
    }
    assert_eq!(header(&en, "content-language"), "en");
    assert_eq!(header(&zh, "content-language"), "zh-CN");
    for res in [&en, &zh] {
        assert!(header(res, "vary").contains("Accept-Language"), "{:?}", res.headers);
        assert!(res.content_type().starts_with("application/problem+json"));
    }
    let (d_en, d_zh) = (en.body["detail"].as_str().unwrap(), zh.body["detail"].as_str().unwrap());
    assert!(!has_chinese(d_en) && has_chinese(d_zh), "{d_en} / {d_zh}");
    assert!(has_chinese(zh.body["title"].as_str().unwrap()), "{}", zh.text);
    let (e_en, e_zh) = (en.body["errors"].as_array(), zh.body["errors"].as_array());
    assert_eq!(e_en.map(Vec::len), e_zh.map(Vec::len));
    for (a, b) in e_en.into_iter().flatten().zip(e_zh.into_iter().flatten()) {
        assert_eq!((&a["field"], &a["code"]), (&b["field"], &b["code"]));
        let (m_en, m_zh) = (a["message"].as_str().unwrap(), b["message"].as_str().unwrap());
        assert!(!has_chinese(m_en) && has_chinese(m_zh), "{m_en} / {m_zh}");
    }
    zh
}

async fn validation_and_state_conflicts_in_chinese(app: &TestApp) {
    let w = World::new(app).await;
    let mut body = enterprise_body(7, "330106");
    body["uscc"] = json!("91330100ABC");
    body["contact_phone"] = json!("12345");
    let res = both(app, Method::POST, "/api/v1/enterprises", Some(&body), Some(&w.province)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["detail"], "共有 2 个字段不符合要求");
    let uscc = res.body["errors"].as_array().unwrap().iter().find(|e| e["field"] == "uscc").unwrap();
    assert_eq!(uscc["message"], "统一社会信用代码应为 18 位，当前为 11 位");

    let mut body = enterprise_body(8, "330106");
    body["size_class"] = json!("giant");
    let res = both(app, Method::POST, "/api/v1/enterprises", Some(&body), Some(&w.province)).await;
    assert_eq!(res.body["detail"], "`size_class`：不是有效的企业规模（可选：large, medium, small, micro）");

    let id = app.draft_id(&w.ent, &w.enterprise, &milestone("digital_workshop", None, "2023-01-10")).await;
    let path = format!("/api/v1/milestones/{id}/withdraw");
    let res = both(app, Method::POST, &path, Some(&json!({})), Some(&w.ent)).await;
    res.assert_problem(409, "invalid_transition");
    assert_eq!(res.body["detail"], "该里程碑当前状态为“草稿”，不允许此操作");
    assert_eq!(res.body["state"], "draft");

    let path = "/api/v1/enterprises/0190c0de-0000-7000-8000-000000000000";
    let res = both(app, Method::GET, path, None, Some(&w.province)).await;
    res.assert_problem(404, "not_found");
    assert_eq!(res.body["detail"], "企业不存在");
}

async fn auth_extractor_and_framework_problems_in_chinese(app: &TestApp) {
    let res = both(app, Method::GET, "/api/v1/me", None, None).await;
    res.assert_problem(401, "missing_token");
    assert_eq!(res.headers["www-authenticate"], "Bearer");
    let res = both(app, Method::GET, "/api/v1/me", None, Some("not-a-jwt")).await;
    res.assert_problem(401, "invalid_token");
    assert_eq!(res.body["detail"], "访问令牌无效");

    let token = app.token_for("prov", "province_officer", None, None).await;
    let res = both(app, Method::GET, "/api/v1/enterprises?limit=abc", None, Some(&token)).await;
    res.assert_problem(400, "invalid_parameter");
    assert_eq!(res.body["errors"][0]["field"], "limit");
    let res = both(app, Method::GET, "/api/v1/enterprises?bogus=1", None, Some(&token)).await;
    assert_eq!(res.body["detail"], "查询参数 `bogus` 不是可识别的字段");
    let res = both(app, Method::GET, "/api/v1/enterprises?limit=900", None, Some(&token)).await;
    assert_eq!(res.body["detail"], "`limit` 须在 1 至 500 之间");
    let res = both(app, Method::POST, "/api/v1/auth/login", Some(&json!({"username": "x"})), None).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["detail"], "`password`：为必填项");

    let res = both(app, Method::DELETE, "/api/v1/divisions", None, None).await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.body["detail"], "此地址不支持 DELETE 方法，支持的方法：GET");
    assert_eq!(res.headers["allow"], "GET");
    let res = both(app, Method::GET, "/api/v1/nothing-here", None, None).await;
    res.assert_problem(404, "route_not_found");
    assert_eq!(res.body["detail"], "没有与此 GET 请求匹配的接口");

    // A malformed body, sent raw (not a request the contract describes).
    let req = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .header("accept-language", "zh")
        .body("{\"username\": ");
    let res = app.send(req).await;
    res.assert_problem(400, "malformed_json");
    assert!(res.body["detail"].as_str().unwrap().starts_with("请求体不是有效的 JSON（第 1 行"), "{}", res.text);
}

async fn the_preferred_language_wins(app: &TestApp) {
    for (value, lang) in [
        ("zh", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("fr, zh;q=0.3", "zh-CN"),
        ("en;q=1, zh;q=0.5", "en"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("*", "en"),
        ("zh;q=0", "en"),
        ("zh;q=abc", "en"),
        ("", "en"),
    ] {
        let res = app.request_with(Method::GET, "/api/v1/me", None, None, &[("accept-language", value)]).await;
        res.assert_problem(401, "missing_token");
        assert_eq!(header(&res, "content-language"), lang, "{value}");
        assert_eq!(has_chinese(res.body["detail"].as_str().unwrap()), lang == "zh-CN", "{value}");
    }
    // A success is not a problem: untouched.
    let res = app.request_with(Method::GET, "/healthz", None, None, ZH).await;
    assert_eq!((res.status.as_u16(), &res.body), (200, &json!({"status": "ok"})));
    assert!(!res.headers.contains_key("content-language"));
}

both_backends!(
    validation_and_state_conflicts_in_chinese,
    auth_extractor_and_framework_problems_in_chinese,
    the_preferred_language_wins
);
