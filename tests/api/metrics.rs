//! `GET /metrics`: Prometheus text with requests per route pattern and status, latency
//! histograms, pool gauges and database-unavailability counters — per application instance.

use std::collections::BTreeMap;

use crate::helpers::TestApp;

const NS: &str = "enterprise_registry";

/// One sample line: metric name, labels, value.
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A parsed scrape.
struct Scrape {
    text: String,
    samples: Vec<Sample>,
}

impl Scrape {
    /// Parses the text format, failing on any line that is neither a comment nor a sample.
    fn parse(text: &str) -> Scrape {
        let mut samples = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
                continue;
            }
            let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
            let value: f64 = match value {
                "+Inf" => f64::INFINITY,
                v => v.parse().unwrap_or_else(|_| panic!("bad value in {line}")),
            };
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect("closing brace"))),
                None => (series, BTreeMap::new()),
            };
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
                "bad metric name in {line}"
            );
            samples.push(Sample { name: name.to_string(), labels, value });
        }
        Scrape { text: text.to_string(), samples }
    }

    /// The value of the sample `NS_name` whose labels include `labels`.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let full = format!("{NS}_{name}");
        self.samples
            .iter()
            .find(|s| s.name == full && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
            .map(|s| s.value)
    }

    #[track_caller]
    fn expect(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels).unwrap_or_else(|| panic!("no {NS}_{name} {labels:?} in:\n{}", self.text))
    }
}

fn parse_labels(mut rest: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_once("=\"").expect("label=\"value\"");
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next().expect("closing quote") {
                (_, '\\') => value.push(chars.next().expect("escaped char").1),
                (i, '"') => break i,
                (_, c) => value.push(c),
            }
        };
        labels.insert(key.to_string(), value);
        rest = after[end + 1..].trim_start_matches(',');
    }
    labels
}

async fn scrape(app: &TestApp) -> Scrape {
    let res = app.get("/metrics").await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.content_type().starts_with("text/plain; version=0.0.4"), "content-type {}", res.content_type());
    Scrape::parse(&res.text)
}

fn route(endpoint: &'static str, status: &'static str) -> [(&'static str, &'static str); 3] {
    [("endpoint", endpoint), ("method", "GET"), ("status", status)]
}

async fn metrics_count_requests_by_route_pattern(app: &TestApp) {
    assert_eq!(app.get("/api/v1/divisions?level=city").await.status, 200);
    assert_eq!(app.get("/api/v1/divisions?level=city").await.status, 200);
    let id = "0193a0b0-0000-7000-8000-00000000abcd";
    assert_eq!(app.get(&format!("/api/v1/milestones/{id}")).await.status, 401);
    app.get(&format!("/no/such/route/{id}")).await.assert_problem(404, "route_not_found");
    assert_eq!(app.get("/healthz").await.status, 200);

    let m = scrape(app).await;
    // The registry belongs to this app: other tests running in the process do not add to it.
    assert_eq!(m.expect("http_requests_total", &route("/api/v1/divisions", "200")), 2.0);
    assert_eq!(m.expect("http_requests_total", &route("/api/v1/milestones/{id}", "401")), 1.0);
    assert_eq!(m.expect("http_requests_total", &route("unmatched", "404")), 1.0);
    assert_eq!(m.expect("http_requests_total", &route("/healthz", "200")), 1.0);
    assert!(!m.text.contains(id) && !m.text.contains("/no/such/route"), "raw paths leaked:\n{}", m.text);

    // Latency histogram: cumulative buckets ending in +Inf, with _sum and _count.
    let divisions = route("/api/v1/divisions", "200");
    let inf = [&divisions[..], &[("le", "+Inf")]].concat();
    assert_eq!(m.expect("http_requests_duration_seconds_bucket", &inf), 2.0);
    assert_eq!(m.expect("http_requests_duration_seconds_count", &divisions), 2.0);
    assert!(m.expect("http_requests_duration_seconds_sum", &divisions) > 0.0);
    let buckets: Vec<f64> = m
        .samples
        .iter()
        .filter(|s| s.name == format!("{NS}_http_requests_duration_seconds_bucket"))
        .filter(|s| divisions.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.value)
        .collect();
    assert!(buckets.len() > 5 && buckets.windows(2).all(|w| w[0] <= w[1]), "buckets {buckets:?}");

    // Pool gauges (tests run with DB_POOL_SIZE=4) and checkouts.
    assert_eq!(m.expect("db_pool_max_connections", &[]), 4.0);
    let open = m.expect("db_pool_connections", &[]);
    let idle = m.expect("db_pool_idle_connections", &[]);
    assert!((1.0..=4.0).contains(&open) && (0.0..=open).contains(&idle), "open {open}, idle {idle}");
    assert!(m.expect("db_pool_checkout_wait_seconds_count", &[]) >= 2.0);
    assert!(m.value("db_pool_checkout_wait_seconds_bucket", &[("le", "+Inf")]).is_some());
    assert_eq!(m.expect("db_pool_timeouts_total", &[]), 0.0);
    assert_eq!(m.expect("db_unavailable_total", &[]), 0.0);
    assert!(m.text.contains(&format!("# TYPE {NS}_db_pool_connections gauge")), "{}", m.text);
    assert!(m.text.contains(&format!("# TYPE {NS}_db_unavailable_total counter")), "{}", m.text);

    // The scrape itself is counted by the next one.
    let again = scrape(app).await;
    assert_eq!(again.expect("http_requests_total", &route("/metrics", "200")), 1.0);
}

both_backends!(metrics_count_requests_by_route_pattern);

/// With PostgreSQL cut, `/metrics` still answers and counts the 503s and the pool time-out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_database_outages() {
    let Some((app, proxy)) = TestApp::spawn_behind_proxy().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    assert_eq!(app.get("/api/v1/divisions?level=city").await.status, 200);

    proxy.cut();
    // The first request fails on its (now dead) pooled connection; the second finds no
    // connection that answers and times out waiting for a new one.
    app.get("/api/v1/divisions?level=city").await.assert_problem(503, "service_unavailable");
    let m = scrape(&app).await;
    assert_eq!(m.expect("http_requests_total", &route("/api/v1/divisions", "503")), 1.0);
    assert_eq!(m.expect("db_unavailable_total", &[]), 1.0);
    assert_eq!(m.expect("db_pool_timeouts_total", &[]), 0.0);
    app.get("/api/v1/divisions?level=city").await.assert_problem(503, "service_unavailable");
    let m = scrape(&app).await;
    assert_eq!(m.expect("http_requests_total", &route("/api/v1/divisions", "503")), 2.0);
    assert_eq!(m.expect("db_unavailable_total", &[]), 2.0);
    assert_eq!(m.expect("db_pool_timeouts_total", &[]), 1.0);

    proxy.restore();
    app.teardown().await;
}
