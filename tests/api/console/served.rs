//! How the console is served: the page revalidated on every load, assets under a versioned
//! prefix cached for a year, the security headers on every answer (errors too), and no inline
//! script or style anywhere in its files.

use std::path::Path;

use crate::helpers::TestApp;

const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
];

#[track_caller]
fn assert_secured(res: &reqwest::Response) {
    let csp = res.headers().get("content-security-policy").expect("CSP header").to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(res.headers().get(name).and_then(|v| v.to_str().ok()), Some(value), "{name}");
    }
}

/// `<script>` elements without `src`, `<style>` elements and `style=` / `on…=` attributes.
fn inline_code(html: &str) -> Vec<String> {
    let lower = html.to_lowercase();
    let mut found = Vec::new();
    for tag in lower.split('<').skip(1) {
        let head = tag.split('>').next().unwrap_or_default();
        if head.starts_with("script") && !head.contains(" src=") {
            found.push(format!("<{head}>"));
        }
        if head.starts_with("style") {
            found.push(format!("<{head}>"));
        }
        let attrs: Vec<&str> = head.split_whitespace().skip(1).collect();
        if attrs.iter().any(|a| a.starts_with("style=") || (a.starts_with("on") && a.contains('='))) {
            found.push(format!("<{head}>"));
        }
    }
    found
}

async fn the_console_is_served_with_its_security_headers(app: &TestApp) {
    let res = app.client.get(app.url("/console")).send().await.unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/console/");
    assert_secured(&res);

    let res = app.client.get(app.url("/console/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_secured(&res);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let html = res.text().await.unwrap();
    assert_eq!(inline_code(&html), Vec::<String>::new(), "inline script or style in index.html");
    assert!(!html.contains("{{"), "an unfilled placeholder");
    let main_js = html
        .split('"')
        .find(|s| s.starts_with("/console/assets/") && s.ends_with("/js/main.js"))
        .expect("index.html loads js/main.js from the versioned prefix")
        .to_string();
    let prefix = main_js.trim_end_matches("js/main.js").to_string();

    let res = app.client.get(app.url(&main_js)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_secured(&res);
    assert_eq!(res.headers()["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    for (asset, kind) in [
        ("console.css", "text/css; charset=utf-8"),
        ("vendor/echarts/echarts.esm.min.js", "text/javascript; charset=utf-8"),
        ("vendor/echarts/LICENSE", "text/plain; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        let res = app.client.get(app.url(&format!("{prefix}{asset}"))).send().await.unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert_eq!(res.headers()["content-type"], kind, "{asset}");
    }

    // Another release's version, the page through the assets, a missing file, a path that
    // climbs out, an unknown page: 404 problems, with the console's headers.
    for path in [
        "/console/assets/0000000000000000/js/main.js".to_string(),
        format!("{prefix}index.html"),
        format!("{prefix}js/nope.js"),
        format!("{prefix}js/../../Cargo.toml"),
        format!("{prefix}js/%2e%2e/%2e%2e/Cargo.toml"),
        "/console/nope".to_string(),
    ] {
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"), "{path}");
        assert_secured(&res);
    }

    let res = app.client.post(app.url("/console/")).send().await.unwrap();
    assert!(res.status() == 404 || res.status() == 405, "POST /console/: {}", res.status());
}

both_backends!(the_console_is_served_with_its_security_headers);

/// The console's own files (not the vendored library) build the DOM without markup strings or
/// style attributes, evaluate no strings, and keep tokens out of storage.
#[test]
fn the_console_sources_have_no_inline_code_and_no_token_storage() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("vendor") {
                    walk(&path, out);
                }
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("console"), &mut files);
    assert!(files.len() > 10, "console files: {files:?}");
    let mut faults = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // Comments may name what the code avoids.
        let code: String = text
            .lines()
            .filter(|l| !["//", "/*", "*"].iter().any(|c| l.trim_start().starts_with(c)))
            .collect::<Vec<_>>()
            .join("\n");
        if file.extension().is_some_and(|e| e == "html") {
            faults.extend(inline_code(&text).into_iter().map(|f| format!("{}: {f}", file.display())));
        }
        if file.extension().is_some_and(|e| e == "js") {
            for banned in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                ".style.",
                "'style'",
                " style:",
                "{style:",
                "eval(",
                "new Function",
                "localStorage",
                "sessionStorage",
                "document.cookie",
            ] {
                if code.contains(banned) {
                    faults.push(format!("{}: {banned}", file.display()));
                }
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
}
