//! Structured logging: human-readable in development, JSON in production; `RUST_LOG` filters.
//! Request spans ([`RequestSpan`]) name the matched route pattern, never the raw path or query
//! string, so that what a client typed (a phone number in `?q=`) does not reach the logs; each
//! request ends with one access line. Colour codes are written only to a terminal.

mod span;

pub use span::{PrincipalId, RequestSpan};

use std::io::IsTerminal;

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::AppEnv;

/// Installs the global subscriber (once, at start-up), writing to standard error, in colour
/// only when standard error is a terminal (not a file, pipe or journal).
pub fn init(env: AppEnv) {
    // A second initialisation (e.g. in tests) is harmless; ignore it.
    let _ = install(env, std::io::stderr, std::io::stderr().is_terminal());
}

/// Installs the global subscriber writing to `writer` (tests capture the log this way), with
/// colour codes when `ansi`; false when one is already installed.
pub fn install<W>(env: AppEnv, writer: W, ansi: bool) -> bool
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    match env {
        // The request span's fields once (`span`), not again in the list of enclosing spans.
        AppEnv::Production => builder.json().flatten_event(true).with_span_list(false).try_init().is_ok(),
        AppEnv::Development => builder.try_init().is_ok(),
    }
}
