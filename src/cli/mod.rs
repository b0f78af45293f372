//! The command line: `serve` (default), `migrate`, `create-user`, `rebuild-stats`, `demo-data`,
//! `finalise-publicity`, `import`.
//! `args` is the grammar (clap), this module runs a parsed command.

use std::io::Write;
use std::sync::Arc;

use crate::accounts::{self, RawAccount};
use crate::config::{DatabaseSettings, Settings};
use crate::db::{migrations, Db};
use crate::demo;
use crate::error::AppError;
use crate::reference::Reference;
use crate::startup::Application;

mod args;
mod import;
mod password;

pub use args::{Cli, Command, CreateUser, DemoData, Import};

/// The command-line flag (or variable) that supplied an account field, for error messages.
fn flag_of(field: &str) -> String {
    match field {
        "city_code" => "--city".into(),
        "county_code" => "--county".into(),
        "password" => "password".into(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

pub(crate) fn describe(e: &AppError) -> String {
    let fields: Vec<String> = e
        .field_errors()
        .iter()
        .map(|f| format!("  {}: {}", f.field.as_deref().map_or("-".into(), flag_of), f.message))
        .collect();
    if fields.is_empty() {
        let body = e.body();
        let detail = body["detail"].as_str().unwrap_or("failed");
        match body["field"].as_str() {
            Some(field) => format!("{}: {detail}", flag_of(field)),
            None => detail.to_string(),
        }
    } else {
        format!("invalid input:\n{}", fields.join("\n"))
    }
}

/// `rebuild-stats --check`: prints the differences (the first [`SHOWN`] of them) and fails when
/// there are any.
async fn check_stats(db: &Db) -> Result<(), String> {
    /// Differences printed in full; the rest are counted.
    const SHOWN: usize = 100;
    let found = db.run(crate::stats::aggregates::check::check).await.map_err(|e| describe(&e))?;
    if found.is_empty() {
        println!("statistics aggregates agree with a recomputation from the records");
        return Ok(());
    }
    for d in found.iter().take(SHOWN) {
        println!("{d}");
    }
    if found.len() > SHOWN {
        println!("… and {} more", found.len() - SHOWN);
    }
    Err(format!(
        "{} difference(s) between the statistics aggregates and the records; `rebuild-stats` repairs them",
        found.len()
    ))
}

/// Runs a command to completion.
pub async fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Migrate => {
            let db = Db::connect(&settings.database)?;
            let applied = db
                .run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            println!("applied {} migration(s); reference data seeded", applied.len());
            Ok(())
        }
        Command::FinalisePublicity => {
            let db = Db::connect(&settings.database)?;
            db.run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            let catalogue = Arc::default();
            let today = crate::clock::today_shanghai();
            let n = crate::publicity::finalise_due_on(&db, &catalogue, crate::clock::now, today)
                .await
                .map_err(|e| describe(&e))?;
            println!("finalised {n} record(s) whose publicity period ended before {today}");
            Ok(())
        }
        Command::RebuildStats { check } => {
            let db = Db::connect(&settings.database)?;
            db.run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            if check {
                return check_stats(&db).await;
            }
            let rows = db.write(crate::stats::aggregates::store::rebuild).await.map_err(|e| describe(&e))?;
            println!("statistics aggregate rebuilt: {rows} rows");
            Ok(())
        }
        Command::CreateUser(args) => {
            let password = password::read()?;
            let reference = Reference::load()?;
            let db = Db::connect(&settings.database)?;
            db.run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            let user = db
                .write(move |conn| {
                    let raw = RawAccount {
                        username: args.username,
                        password,
                        role: args.role,
                        enterprise_id: args.enterprise_id,
                        city_code: args.city,
                        county_code: args.county,
                        provider_id: args.provider_id,
                        display_name: args.display_name,
                    };
                    accounts::create_direct(conn, raw, &reference, false)
                })
                .await
                .map_err(|e| describe(&e))?;
            println!("created user {} ({}) with id {}", user.username, user.role, user.id);
            Ok(())
        }
        Command::DemoData(args) => {
            let reference = Arc::new(Reference::load()?);
            // The PostgreSQL loader holds three connections at once.
            let database = DatabaseSettings {
                pool_max_size: settings.database.pool_max_size.max(demo::CONNECTIONS),
                ..settings.database.clone()
            };
            let db = Db::connect(&database)?;
            let options = demo::Options { enterprises: args.enterprises, seed: args.seed, progress: true };
            let report = demo::generate(&db, reference, options).await?;
            // The data are stored by now: a closed stdout (`| head`) must not turn that into a panic.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "demo data: {} enterprises, {} milestones, {} history entries, {} city targets, {} statistics rows \
                 in {:.1} s (seed {})",
                report.enterprises,
                report.milestones,
                report.history,
                report.city_targets,
                report.stat_rows,
                report.seconds,
                args.seed
            );
            let _ = writeln!(out, "{} records decided by the province today are in 公示", report.in_publicity);
            let _ = writeln!(out, "logins (password {}):", demo::DEMO_PASSWORD);
            // The other counties' reviewers are named by their code: one line for all of them.
            let (others, shown): (Vec<_>, Vec<_>) =
                report.logins.iter().partition(|l| l.role == "county_reviewer" && l.username.starts_with("demo.c"));
            for l in shown {
                let _ = writeln!(out, "  {:<22} {:<17} {}", l.username, l.role, l.scope.as_deref().unwrap_or(""));
            }
            if !others.is_empty() {
                let _ = writeln!(
                    out,
                    "  {:<22} {:<17} one per county ({} more)",
                    "demo.c<county code>",
                    "county_reviewer",
                    others.len()
                );
            }
            Ok(())
        }
        Command::Import(args) => import::run(args, &settings).await,
        Command::Serve => {
            if settings.auth.jwt_secret_generated {
                tracing::warn!("JWT_SECRET is not set: using a random secret (tokens die with the process)");
            }
            let backend = settings.database.url.backend_name();
            let app = Application::build(settings).await.map_err(|e| e.to_string())?;
            tracing::info!(port = app.port(), backend, "serving");
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_flags() {
        let e = AppError::validation(vec![
            crate::error::FieldError::new("city_code", "required", "is required for the city_reviewer role"),
            crate::error::FieldError::new("enterprise_id", "invalid_format", "must be a UUID"),
        ]);
        assert_eq!(
            describe(&e),
            "invalid input:\n  --city: is required for the city_reviewer role\n  --enterprise-id: must be a UUID"
        );
    }
}
