//! The command line's grammar (clap derive): commands, flags, their help and their checks.
//! Parsing never touches the database, so `--help` and `--version` run nothing.

use clap::{Args, Parser, Subcommand};

use crate::demo;
use crate::domain::role::Role;

/// Environment variables, shown under every `--help`.
const ENVIRONMENT: &str = "\
Environment: DATABASE_URL (default sqlite://data/registry.db; postgres://…?sslmode=require for TLS),
BIND (default 127.0.0.1:8080), APP_ENV (development|production), JWT_SECRET, RUST_LOG, DB_POOL_SIZE,
WORKERS; see the README for all settings.";

/// The Zhejiang enterprise digital-transformation registry: serves the REST API (the default)
/// or runs one of its maintenance commands.
#[derive(Debug, Parser)]
#[command(name = "enterprise-registry", version, propagate_version = true, after_help = ENVIRONMENT)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command to run (`serve` when none was named).
    pub fn command(self) -> Command {
        self.command.unwrap_or(Command::Serve)
    }
}

/// A command.
#[derive(Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    #[command(after_help = ENVIRONMENT)]
    Serve,
    /// Apply migrations and seed reference data, then exit.
    #[command(after_help = ENVIRONMENT)]
    Migrate,
    /// Create an account (the first sysadmin, officials); they need not change their password.
    ///
    /// The password comes from REGISTRY_PASSWORD, else is prompted for (without echo) at a
    /// terminal, else is the first line of standard input.
    #[command(after_help = ENVIRONMENT)]
    CreateUser(CreateUser),
    /// Recompute the maintained statistics aggregates from the milestone records.
    #[command(after_help = ENVIRONMENT)]
    RebuildStats {
        /// Change nothing: list every difference between the stored aggregates and a
        /// recomputation, and exit with status 1 when there is any.
        #[arg(long)]
        check: bool,
    },
    /// Fill an empty database with realistic, reproducible demo data and one login per role.
    #[command(after_help = ENVIRONMENT)]
    DemoData(DemoData),
    /// Approve every record whose 公示 (publicity period) has passed, as the running service
    /// does every minute; prints how many changed.
    #[command(after_help = ENVIRONMENT)]
    FinalisePublicity,
    /// Import an official list (a CSV or .xlsx file, DESIGN §3.8) as POST /api/v1/imports does:
    /// the same checks, the same report (JSON on standard output); nothing is written when any
    /// row is invalid (exit status 1).
    #[command(after_help = ENVIRONMENT)]
    Import(Import),
}

/// Arguments of `import`.
#[derive(Debug, PartialEq, Eq, Args)]
pub struct Import {
    /// The list: `.csv` (UTF-8) or `.xlsx` (its first sheet), at most 20 MiB.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// Check the list and print the report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `create-user`.
#[derive(Debug, Default, PartialEq, Eq, Args)]
pub struct CreateUser {
    /// Login name.
    #[arg(long, value_name = "U")]
    pub username: String,
    /// The account's role.
    #[arg(long, value_name = "R", value_parser = clap::builder::PossibleValuesParser::new(Role::ALL.map(Role::as_str)))]
    pub role: String,
    /// City (GB/T 2260 code, e.g. 330100): required for city_reviewer, refused otherwise.
    #[arg(long, value_name = "C")]
    pub city: Option<String>,
    /// County (GB/T 2260 code, e.g. 330106): required for county_reviewer, refused otherwise.
    #[arg(long, value_name = "C")]
    pub county: Option<String>,
    /// Enterprise id (UUID): required for enterprise, refused otherwise.
    #[arg(long, value_name = "E")]
    pub enterprise_id: Option<String>,
    /// Provider id (UUID): required for provider, refused otherwise.
    #[arg(long, value_name = "P")]
    pub provider_id: Option<String>,
    /// Name shown to other users.
    #[arg(long, value_name = "N")]
    pub display_name: Option<String>,
}

/// Arguments of `demo-data`.
#[derive(Debug, PartialEq, Eq, Args)]
pub struct DemoData {
    /// Number of enterprises (underscores allowed: 500_000).
    #[arg(long, value_name = "N", default_value_t = demo::DEFAULT_ENTERPRISES, value_parser = enterprises)]
    pub enterprises: u64,
    /// Random seed; the same seed on an empty database gives the same data.
    #[arg(long, value_name = "S", default_value_t = demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// `--enterprises`: a count from 1 to [`demo::MAX_ENTERPRISES`].
fn enterprises(s: &str) -> Result<u64, String> {
    s.replace('_', "")
        .parse()
        .ok()
        .filter(|n| (1..=demo::MAX_ENTERPRISES).contains(n))
        .ok_or_else(|| format!("must be a number from 1 to {}", demo::MAX_ENTERPRISES))
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("enterprise-registry").chain(args.iter().copied())).map(Cli::command)
    }

    fn kind(args: &[&str]) -> ErrorKind {
        parse(args).unwrap_err().kind()
    }

    #[test]
    fn serve_is_the_default() {
        assert_eq!(parse(&[]).unwrap(), Command::Serve);
        assert_eq!(parse(&["serve"]).unwrap(), Command::Serve);
        assert_eq!(kind(&["frobnicate"]), ErrorKind::InvalidSubcommand);
    }

    #[test]
    fn help_and_version_everywhere() {
        for command in [&[][..], &["serve"], &["migrate"], &["create-user"], &["rebuild-stats"], &["demo-data"]] {
            for flag in ["--help", "-h"] {
                let args: Vec<&str> = command.iter().copied().chain([flag]).collect();
                assert_eq!(kind(&args), ErrorKind::DisplayHelp, "{args:?}");
            }
            let args: Vec<&str> = command.iter().copied().chain(["--version"]).collect();
            assert_eq!(kind(&args), ErrorKind::DisplayVersion, "{args:?}");
        }
        // Help wins over missing required flags and does not need a value after it.
        assert_eq!(kind(&["create-user", "--username", "a", "--help"]), ErrorKind::DisplayHelp);
        assert_eq!(kind(&["demo-data", "--enterprises", "10", "--help"]), ErrorKind::DisplayHelp);
        let help = parse(&["create-user", "--help"]).unwrap_err().to_string();
        for flag in [
            "--username",
            "--role",
            "--city",
            "--county",
            "--enterprise-id",
            "--provider-id",
            "--display-name",
            "REGISTRY_PASSWORD",
        ] {
            assert!(help.contains(flag), "{flag} missing from:\n{help}");
        }
    }

    #[test]
    fn create_user_arguments() {
        let c = parse(&[
            "create-user",
            "--username",
            "hz.li",
            "--role",
            "city_reviewer",
            "--city",
            "330100",
            "--display-name",
            "李工",
        ])
        .unwrap();
        let expected = CreateUser {
            username: "hz.li".into(),
            role: "city_reviewer".into(),
            city: Some("330100".into()),
            county: None,
            enterprise_id: None,
            provider_id: None,
            display_name: Some("李工".into()),
        };
        assert_eq!(c, Command::CreateUser(expected));
        let e = parse(&["create-user", "--username", "a", "--enterprise-id", "x", "--role", "enterprise"]).unwrap();
        let Command::CreateUser(e) = e else { panic!("{e:?}") };
        assert_eq!(e.enterprise_id.as_deref(), Some("x"));
        assert_eq!(kind(&["create-user"]), ErrorKind::MissingRequiredArgument);
        assert_eq!(kind(&["create-user", "--username", "a"]), ErrorKind::MissingRequiredArgument);
        assert_eq!(kind(&["create-user", "--username", "a", "--role", "admin"]), ErrorKind::InvalidValue);
        assert_eq!(
            kind(&["create-user", "--username", "a", "--role", "sysadmin", "--city_code", "1"]),
            ErrorKind::UnknownArgument
        );
        let missing = parse(&["create-user", "--role", "sysadmin"]).unwrap_err().to_string();
        assert!(missing.contains("--username"), "{missing}");
    }

    #[test]
    fn rebuild_stats_arguments() {
        assert_eq!(parse(&["rebuild-stats"]).unwrap(), Command::RebuildStats { check: false });
        assert_eq!(parse(&["rebuild-stats", "--check"]).unwrap(), Command::RebuildStats { check: true });
        assert_eq!(parse(&["finalise-publicity"]).unwrap(), Command::FinalisePublicity);
        assert_eq!(kind(&["rebuild-stats", "--chek"]), ErrorKind::UnknownArgument);
        assert_eq!(kind(&["rebuild-stats", "--check", "extra"]), ErrorKind::UnknownArgument);
    }

    #[test]
    fn import_arguments() {
        let c = parse(&["import", "名单.xlsx", "--dry-run"]).unwrap();
        assert_eq!(c, Command::Import(Import { file: "名单.xlsx".into(), dry_run: true }));
        assert_eq!(kind(&["import"]), ErrorKind::MissingRequiredArgument);
        assert_eq!(kind(&["import", "a.csv", "--force"]), ErrorKind::UnknownArgument);
    }

    #[test]
    fn demo_data_arguments() {
        assert_eq!(parse(&["demo-data"]).unwrap(), Command::DemoData(DemoData { enterprises: 20_000, seed: 2018 }));
        assert_eq!(
            parse(&["demo-data", "--enterprises", "500_000", "--seed", "7"]).unwrap(),
            Command::DemoData(DemoData { enterprises: 500_000, seed: 7 })
        );
        assert_eq!(kind(&["demo-data", "--enterprises", "0"]), ErrorKind::ValueValidation);
        let zero = parse(&["demo-data", "--enterprises", "0"]).unwrap_err().to_string();
        assert!(zero.contains("--enterprises") && zero.contains("from 1 to"), "{zero}");
        assert_eq!(kind(&["demo-data", "--enterprises"]), ErrorKind::InvalidValue);
        assert_eq!(kind(&["demo-data", "--seed", "-1"]), ErrorKind::UnknownArgument);
        assert_eq!(kind(&["demo-data", "--force"]), ErrorKind::UnknownArgument);
    }
}
