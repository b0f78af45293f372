//! The problem+json shape of errors the framework raises: unknown routes, wrong methods.

use reqwest::Method;

use crate::helpers::TestApp;

async fn unknown_route_and_wrong_method(app: &TestApp) {
    let res = app.get("/api/v1/nothing-here").await;
    res.assert_problem(404, "route_not_found");
    assert!(res.body["type"].as_str().unwrap().contains("route_not_found"));
    assert!(res.headers.contains_key("x-request-id"));

    let res = app.request(Method::DELETE, "/api/v1/divisions", None, None).await;
    res.assert_problem(405, "method_not_allowed");
    let res = app.request(Method::POST, "/healthz", None, None).await;
    res.assert_problem(405, "method_not_allowed");
}

/// Odd query strings get exactly the answer they should: a problem naming the parameter, or the
/// list when the string is merely unusual.
async fn hostile_query_strings_never_500(app: &TestApp) {
    for (q, expected) in [
        ("level=%FF%FE", Some("level")),
        ("level=city&level=county", Some("level")),
        ("parent=%00", Some("parent")),
        ("level[]=city", Some("level[]")),
        ("&&&", None),
        ("parent=3301000000000000000000", Some("parent")),
    ] {
        let res = app.get(&format!("/api/v1/divisions?{q}")).await;
        match expected {
            Some(field) => {
                res.assert_problem(400, "invalid_parameter");
                assert_eq!(res.first_error_field(), Some(field), "{q}: {}", res.text);
            }
            None => assert_eq!(res.status, 200, "{q}: {}", res.text),
        }
    }
}

both_backends!(unknown_route_and_wrong_method, hostile_query_strings_never_500);

/// 405 carries `Allow` with the path's methods (RFC 9110 §15.5.6), for every documented path
/// and a method it does not serve.
async fn wrong_method_lists_the_allowed_ones(app: &TestApp) {
    let res = app.request(Method::TRACE, "/api/v1/me", None, None).await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.headers["allow"], "GET");
    let mut paths: Vec<String> = crate::helpers::spec().operations().into_iter().map(|(_, p)| p).collect();
    paths.dedup();
    for template in paths {
        let mut documented: Vec<String> =
            crate::helpers::spec().operations().into_iter().filter(|(_, p)| *p == template).map(|(m, _)| m).collect();
        let concrete =
            template.split('/').map(|s| if s.starts_with('{') { "x" } else { s }).collect::<Vec<_>>().join("/");
        let res = app.request(Method::OPTIONS, &concrete, None, None).await;
        res.assert_problem(405, "method_not_allowed");
        let mut allowed: Vec<String> = res.headers["allow"].to_str().unwrap().split(", ").map(str::to_string).collect();
        allowed.sort();
        documented.sort();
        assert_eq!(allowed, documented, "{template}");
    }
}

both_backends!(wrong_method_lists_the_allowed_ones);
