//! Test harness: `TestApp` spawns the real application on port 0 against a fresh database.

pub mod fixtures;
pub mod pg_proxy;
pub mod probes;
pub mod schema;
pub mod world;

use std::collections::HashMap;

use enterprise_registry::config::Settings;
use enterprise_registry::startup::Application;
use enterprise_registry::state::AppState;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The contract, parsed once per test process.
pub fn spec() -> &'static schema::Spec {
    static SPEC: std::sync::OnceLock<schema::Spec> = std::sync::OnceLock::new();
    SPEC.get_or_init(schema::Spec::load)
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares tests that run once per backend: for `async fn foo(app: &TestApp)` it generates
/// `foo::sqlite` and `foo::postgres` (the latter skips when `TEST_DATABASE_URL` is unset).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await
                    .expect("sqlite is always available");
                super::$name(&app).await;
                app.teardown().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await else {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                };
                super::$name(&app).await;
                app.teardown().await;
            }
        }
    )*};
}

/// A running application with its own database.
#[allow(dead_code)]
pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub database_url: String,
    pub state: AppState,
    handle: actix_web::dev::ServerHandle,
    pg_database: Option<String>,
    _sqlite_dir: Option<tempfile::TempDir>,
}

/// A response: status, headers and the body parsed as JSON (`Value::Null` when it is not JSON).
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestResponse {
    pub fn content_type(&self) -> &str {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert!(self.content_type().starts_with("application/problem+json"), "content-type {}", self.content_type());
        assert_eq!(self.body["code"], code, "body: {}", self.text);
        assert_eq!(self.body["status"], status);
    }

    /// The `field` of the first field error.
    pub fn first_error_field(&self) -> Option<&str> {
        self.body["errors"][0]["field"].as_str()
    }
}

/// The PostgreSQL server tests may use, if any.
pub fn pg_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs SQL on the PostgreSQL admin database (blocking; tests call it from spawn_blocking or Drop).
pub fn pg_admin_execute(sql: &str) {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let url = pg_admin_url().expect("TEST_DATABASE_URL");
    let mut conn = diesel::PgConnection::establish(&url).expect("connect to TEST_DATABASE_URL");
    conn.batch_execute(sql).expect("admin SQL");
}

/// Creates an empty PostgreSQL database and returns (name, url).
pub async fn create_pg_database() -> Option<(String, String)> {
    let admin = pg_admin_url()?;
    let name = format!("registry_test_{}", uuid::Uuid::new_v4().simple());
    let sql = format!("CREATE DATABASE {name}");
    tokio::task::spawn_blocking(move || pg_admin_execute(&sql)).await.expect("join");
    let url = with_database(&admin, &name);
    Some((name, url))
}

/// Drops a test database, closing whatever still holds it.
pub fn drop_pg_database(name: &str) {
    pg_admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

impl TestApp {
    /// Spawns the app on a fresh database; `None` for PostgreSQL when no server is configured.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, &[]).await
    }

    /// Spawns with extra environment settings.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Option<TestApp> {
        let (url, pg_database, sqlite_dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}/registry.db", dir.path().display());
                (url, None, Some(dir))
            }
            Backend::Postgres => {
                let (name, url) = create_pg_database().await?;
                (url, Some(name), None)
            }
        };
        Some(Self::spawn_on(backend, url, pg_database, sqlite_dir, extra).await)
    }

    /// Spawns the app on the database at `url`.
    pub async fn spawn_on(
        backend: Backend,
        url: String,
        pg_database: Option<String>,
        sqlite_dir: Option<tempfile::TempDir>,
        extra: &[(&str, &str)],
    ) -> TestApp {
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", url.as_str()),
            ("BIND", "127.0.0.1:0"),
            ("WORKERS", "1"),
            ("DB_POOL_SIZE", "4"),
            ("DB_POOL_TIMEOUT_MS", "2000"),
            ("JWT_SECRET", "test-secret-of-at-least-thirty-two-bytes!"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("test settings");
        let app = Application::build(settings).await.expect("application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            backend,
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
            database_url: url,
            state,
            handle,
            pg_database,
            _sqlite_dir: sqlite_dir,
        }
    }

    /// Stops the server and drops the test database.
    pub async fn teardown(mut self) {
        self.handle.stop(false).await;
        if let Some(name) = self.pg_database.take() {
            tokio::task::spawn_blocking(move || drop_pg_database(&name)).await.expect("join");
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>, token: Option<&str>) -> TestResponse {
        self.request_with(method, path, body, token, &[]).await
    }

    /// [`request`](Self::request) with extra request headers.
    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let method_name = method.as_str().to_string();
        let method_name = method_name.as_str();
        let mut req = self.client.request(method, format!("{}{}", self.address, path));
        if let Some(b) = body {
            req = req.json(b);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = Self::read(req.send().await.expect("request sent")).await;
        spec().check_exchange(method_name, path, res.status.as_u16(), res.content_type(), &res.body);
        res
    }

    /// Sends a raw request built by the caller (not checked against the contract).
    pub async fn send(&self, req: reqwest::RequestBuilder) -> TestResponse {
        Self::read(req.send().await.expect("request sent")).await
    }

    async fn read(res: reqwest::Response) -> TestResponse {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        TestResponse { status, headers, body, text }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, None, None).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // A failed test skips teardown: still remove its database.
        if let Some(name) = self.pg_database.take() {
            drop_pg_database(&name);
        }
    }
}

/// [`both_backends!`] with extra settings for the application (e.g. a larger pool for tests
/// that race many clients): `both_backends_with!(&[("DB_POOL_SIZE", "16")]; foo, bar)`.
#[macro_export]
macro_rules! both_backends_with {
    ($extra:expr; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, $extra).await
                    .expect("sqlite is always available");
                super::$name(&app).await;
                app.teardown().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Postgres, $extra).await
                else {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                };
                super::$name(&app).await;
                app.teardown().await;
            }
        }
    )*};
}

impl TestApp {
    /// A second instance of the application on this one's database (as a second node behind a
    /// load balancer would be); it does not drop the database when it stops.
    pub async fn second_instance(&self, extra: &[(&str, &str)]) -> TestApp {
        Self::spawn_on(self.backend, self.database_url.clone(), None, None, extra).await
    }
}
