//! Structured logging: human-readable in development, JSON in production; `RUST_LOG` filters.
//! Request spans ([`RequestSpan`]) name the matched route pattern, never the raw path or query
//! string, so that what a client typed (a phone number in `?q=`) does not reach the logs.

mod span;

pub use span::RequestSpan;

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::AppEnv;

/// Installs the global subscriber (once, at start-up), writing to standard error.
pub fn init(env: AppEnv) {
    // A second initialisation (e.g. in tests) is harmless; ignore it.
    let _ = install(env, std::io::stderr);
}

/// Installs the global subscriber writing to `writer` (tests capture the log this way); false
/// when one is already installed.
pub fn install<W>(env: AppEnv, writer: W) -> bool
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(writer);
    match env {
        AppEnv::Production => builder.json().flatten_event(true).try_init().is_ok(),
        AppEnv::Development => builder.try_init().is_ok(),
    }
}
