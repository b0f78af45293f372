//! `enterprise-registry`: serves the registry or runs one of its maintenance commands.

use enterprise_registry::{cli, config::Settings, telemetry};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let allocator_tuned = enterprise_registry::allocator::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(settings.app_env);
    if !allocator_tuned {
        tracing::warn!("the C allocator refused its settings: memory use will be higher");
    }
    match cli::run(command, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
