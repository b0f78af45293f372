//! Structured logging: human-readable in development, JSON in production; `RUST_LOG` filters.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::AppEnv;

/// Installs the global subscriber (once, at start-up).
pub fn init(env: AppEnv) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second initialisation (e.g. in tests) is harmless; ignore it.
    let _ = match env {
        AppEnv::Production => builder.json().flatten_event(true).try_init(),
        AppEnv::Development => builder.try_init(),
    };
}
