//! The harness's one `TestApp`: the real application spawned on port 0 against a fresh database
//! (a SQLite file in a temporary folder, or a new PostgreSQL database), its lifecycle, and the
//! HTTP calls tests make — every answer checked against the contract (`schema`).

use std::collections::HashMap;

use enterprise_registry::config::Settings;
use enterprise_registry::startup::Application;
use enterprise_registry::state::AppState;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::pg::{create_pg_database, drop_pg_database};
use super::{spec, Backend};

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

    /// A second instance of the application on this one's database (as a second node behind a
    /// load balancer would be); it does not drop the database when it stops.
    pub async fn second_instance(&self, extra: &[(&str, &str)]) -> TestApp {
        Self::spawn_on(self.backend, self.database_url.clone(), None, None, extra).await
    }
}

impl TestApp {
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

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> TestResponse {
        self.request(Method::POST, path, Some(body), token).await
    }

    pub async fn get_as(&self, path: &str, token: &str) -> TestResponse {
        self.request(Method::GET, path, None, Some(token)).await
    }

    /// PATCH with an optional If-Match header.
    pub async fn patch(&self, path: &str, body: &Value, token: &str, if_match: Option<&str>) -> TestResponse {
        let headers: Vec<(&str, &str)> = if_match.map(|m| ("if-match", m)).into_iter().collect();
        self.request_with(Method::PATCH, path, Some(body), Some(token), &headers).await
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
