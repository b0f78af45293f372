//! The command line: `serve` (default), `migrate`, `create-user`, `demo-data`.

use std::io::{Read, Write};
use std::sync::Arc;

use crate::accounts::{self, RawAccount};
use crate::config::{DatabaseSettings, Settings};
use crate::db::{migrations, Db};
use crate::demo;
use crate::error::AppError;
use crate::reference::Reference;
use crate::startup::Application;

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the HTTP service.
    Serve,
    /// Apply migrations and seed reference data, then exit.
    Migrate,
    /// Create a user (the first sysadmin, officials).
    CreateUser(CreateUser),
    /// Recompute the statistics aggregates from the records; with `check`, only compare them.
    RebuildStats {
        /// Report the differences instead of rebuilding (exit status 1 when there are any).
        check: bool,
    },
    /// Fill an empty database with demo data.
    DemoData(DemoData),
    /// Print usage.
    Help,
}

/// Arguments of `create-user`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CreateUser {
    /// Login name.
    pub username: String,
    /// Role name.
    pub role: String,
    /// City scope.
    pub city: Option<String>,
    /// Enterprise scope.
    pub enterprise_id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
}

/// Arguments of `demo-data`.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoData {
    /// Number of enterprises.
    pub enterprises: u64,
    /// RNG seed.
    pub seed: u64,
}

/// Usage text.
pub const USAGE: &str = "\
usage: enterprise-registry [COMMAND]

commands:
  serve        run the HTTP service (default)
  migrate      apply database migrations and seed reference data, then exit
  create-user  --username U --role R [--city C] [--enterprise-id E] [--display-name N]
               create an account; the password is read from REGISTRY_PASSWORD or stdin
  rebuild-stats [--check]
               recompute the maintained statistics aggregates from the milestone records;
               with --check, change nothing: list every difference between the stored
               aggregates and a recomputation (exit status 1 when there is any)
  demo-data    [--enterprises N] [--seed S]
               fill an empty database with realistic demo data (default 20000 enterprises,
               seed 2018) and one login per role; the same seed gives the same data
  help         show this text

environment: DATABASE_URL (default sqlite://data/registry.db), BIND (default 127.0.0.1:8080),
JWT_SECRET, APP_ENV (development|production), RUST_LOG, DB_POOL_SIZE, WORKERS";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    match args.first().map(String::as_str) {
        None | Some("serve") => Ok(Command::Serve),
        Some("migrate") => Ok(Command::Migrate),
        Some("create-user") => parse_create_user(&args[1..]).map(Command::CreateUser),
        Some("rebuild-stats") => match args.get(1..).unwrap_or_default() {
            [] => Ok(Command::RebuildStats { check: false }),
            [flag] if flag == "--check" => Ok(Command::RebuildStats { check: true }),
            [flag, ..] if flag == "--help" || flag == "-h" => Ok(Command::Help),
            [other, ..] => Err(format!("rebuild-stats: unknown option `{other}` (only --check)\n\n{USAGE}")),
        },
        Some("demo-data") => parse_demo_data(&args[1..]).map(Command::DemoData),
        Some("help" | "--help" | "-h") => Ok(Command::Help),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn parse_create_user(args: &[String]) -> Result<CreateUser, String> {
    let mut out = CreateUser::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--username" => out.username = value()?,
            "--role" => out.role = value()?,
            "--city" => out.city = Some(value()?),
            "--enterprise-id" => out.enterprise_id = Some(value()?),
            "--display-name" => out.display_name = Some(value()?),
            other => return Err(format!("unknown option `{other}` for create-user\n\n{USAGE}")),
        }
    }
    if out.username.is_empty() || out.role.is_empty() {
        return Err(format!("create-user needs --username and --role\n\n{USAGE}"));
    }
    Ok(out)
}

fn parse_demo_data(args: &[String]) -> Result<DemoData, String> {
    let mut out = DemoData { enterprises: demo::DEFAULT_ENTERPRISES, seed: demo::DEFAULT_SEED };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--enterprises" => {
                out.enterprises = value
                    .replace('_', "")
                    .parse()
                    .ok()
                    .filter(|n| (1..=demo::MAX_ENTERPRISES).contains(n))
                    .ok_or_else(|| format!("--enterprises must be a number from 1 to {}", demo::MAX_ENTERPRISES))?
            }
            "--seed" => out.seed = value.parse().map_err(|_| "--seed must be a non-negative integer".to_string())?,
            other => return Err(format!("unknown option `{other}` for demo-data\n\n{USAGE}")),
        }
    }
    Ok(out)
}

fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("REGISTRY_PASSWORD") {
        return Ok(p);
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    Ok(s.lines().next().unwrap_or("").to_string())
}

fn describe(e: &AppError) -> String {
    let fields: Vec<String> =
        e.field_errors().iter().map(|f| format!("  {}: {}", f.field.as_deref().unwrap_or("-"), f.message)).collect();
    if fields.is_empty() {
        e.body()["detail"].as_str().unwrap_or("failed").to_string()
    } else {
        format!("invalid input:\n{}", fields.join("\n"))
    }
}

/// `rebuild-stats --check`: prints the differences (the first [`SHOWN`] of them) and fails when
/// there are any.
async fn check_stats(db: &Db) -> Result<(), String> {
    /// Differences printed in full; the rest are counted.
    const SHOWN: usize = 100;
    let found = db.run(crate::stats::fast::check::check).await.map_err(|e| describe(&e))?;
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
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database)?;
            let applied = db
                .run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
                .await
                .map_err(|e| format!("migrations failed: {e}"))?;
            println!("applied {} migration(s); reference data seeded", applied.len());
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
            let rows = db.write(crate::stats::fast::store::rebuild).await.map_err(|e| describe(&e))?;
            println!("statistics aggregate rebuilt: {rows} rows");
            Ok(())
        }
        Command::CreateUser(args) => {
            let password = read_password()?;
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
            let _ = writeln!(out, "logins (password {}):", demo::DEMO_PASSWORD);
            for l in &report.logins {
                let _ = writeln!(out, "  {:<22} {:<17} {}", l.username, l.role, l.scope.as_deref().unwrap_or(""));
            }
            Ok(())
        }
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
    fn create_user_arguments() {
        let args: Vec<String> =
            ["create-user", "--username", "admin", "--role", "sysadmin"].iter().map(|s| s.to_string()).collect();
        let Command::CreateUser(c) = parse(&args).unwrap() else { panic!() };
        assert_eq!((c.username.as_str(), c.role.as_str()), ("admin", "sysadmin"));
        assert!(parse(&["create-user".to_string()]).is_err());
        assert!(parse(&["frobnicate".to_string()]).is_err());
    }

    #[test]
    fn rebuild_stats_arguments() {
        let args = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        assert_eq!(parse(&args(&["rebuild-stats"])).unwrap(), Command::RebuildStats { check: false });
        assert_eq!(parse(&args(&["rebuild-stats", "--check"])).unwrap(), Command::RebuildStats { check: true });
        assert_eq!(parse(&args(&["rebuild-stats", "--help"])).unwrap(), Command::Help);
        assert!(parse(&args(&["rebuild-stats", "--chek"])).is_err());
        assert!(parse(&args(&["rebuild-stats", "--check", "extra"])).is_err());
    }

    #[test]
    fn demo_data_arguments() {
        let args = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        assert_eq!(
            parse(&args(&["demo-data"])).unwrap(),
            Command::DemoData(DemoData { enterprises: 20_000, seed: 2018 })
        );
        assert_eq!(
            parse(&args(&["demo-data", "--enterprises", "500_000", "--seed", "7"])).unwrap(),
            Command::DemoData(DemoData { enterprises: 500_000, seed: 7 })
        );
        assert!(parse(&args(&["demo-data", "--enterprises", "0"])).is_err());
        assert!(parse(&args(&["demo-data", "--enterprises"])).is_err());
        assert!(parse(&args(&["demo-data", "--seed", "-1"])).is_err());
        assert!(parse(&args(&["demo-data", "--force"])).is_err());
    }
}
