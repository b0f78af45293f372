//! The command line: `serve` (default), `migrate`.

use crate::config::Settings;
use crate::db::{migrations, Db};
use crate::startup::Application;

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the HTTP service.
    Serve,
    /// Apply migrations and seed reference data, then exit.
    Migrate,
    /// Print usage.
    Help,
}

/// Usage text.
pub const USAGE: &str = "\
usage: enterprise-registry [COMMAND]

commands:
  serve      run the HTTP service (default)
  migrate    apply database migrations and seed reference data, then exit
  help       show this text

environment: DATABASE_URL (default sqlite://data/registry.db), BIND (default 127.0.0.1:8080),
JWT_SECRET, APP_ENV (development|production), RUST_LOG, DB_POOL_SIZE, WORKERS";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    match args.first().map(String::as_str) {
        None | Some("serve") => Ok(Command::Serve),
        Some("migrate") => Ok(Command::Migrate),
        Some("help" | "--help" | "-h") => Ok(Command::Help),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

/// Runs a command to completion.
pub async fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database)?;
            let applied = db
                .run(|conn| {
                    migrations::run(conn)
                        .map_err(|e| crate::error::AppError::internal(e.to_string()))
                })
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            println!(
                "applied {} migration(s); reference data seeded",
                applied.len()
            );
            Ok(())
        }
        Command::Serve => {
            if settings.auth.jwt_secret_generated {
                tracing::warn!(
                    "JWT_SECRET is not set: using a random secret (tokens die with the process)"
                );
            }
            let backend = settings.database.url.backend_name();
            let app = Application::build(settings)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(port = app.port(), backend, "serving");
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
    }
}
