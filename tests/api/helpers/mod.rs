//! Test harness: [`TestApp`] (in `app`) spawns the real application on port 0 against a fresh
//! database; per-role fixtures, a small world of records, the contract checker and probes beside it.

pub mod app;
pub mod fixtures;
pub mod migrate;
pub mod pg;
pub mod pg_proxy;
pub mod probes;
pub mod schema;
pub mod world;

pub use app::{TestApp, TestResponse};
pub use pg::{create_pg_database, drop_pg_database, pg_admin_url, with_database};

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
    ($($name:ident),* $(,)?) => {
        $crate::both_backends_with!(&[]; $($name),*);
    };
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
