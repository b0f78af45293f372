//! `enterprise-registry`: serves the registry or runs one of its maintenance commands.

use clap::Parser;
use enterprise_registry::{cli::Cli, config::Settings, telemetry};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let allocator_tuned = enterprise_registry::allocator::tune();
    // `--help`, `--version` and usage errors end here (clap exits 0 or 2), before any setting is
    // read or any database opened.
    let command = Cli::parse().command();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(settings.app_env);
    if !allocator_tuned {
        tracing::warn!("the C allocator refused its settings: memory use will be higher");
    }
    match enterprise_registry::cli::run(command, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Once, on standard error, in the command's own words (not also as a log line).
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
