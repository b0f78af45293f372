//! Configuration read once from the environment at start-up, validated, and passed in.

use std::path::PathBuf;
use std::time::Duration;

/// Deployment mode: production refuses unsafe defaults and logs JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    /// Local development: generated JWT secret allowed, human-readable logs.
    Development,
    /// Production: a JWT secret of at least 32 bytes is required, logs are JSON.
    Production,
}

impl AppEnv {
    /// Parses `development` or `production`.
    pub fn parse(s: &str) -> Result<Self, ConfigError> {
        match s {
            "development" | "dev" => Ok(Self::Development),
            "production" | "prod" => Ok(Self::Production),
            other => Err(ConfigError(format!("APP_ENV must be `development` or `production`, not `{other}`"))),
        }
    }
}

/// Which database the service talks to, taken from the scheme of `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://path/to/file.db`: an embedded file database.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // The PostgreSQL URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(p) => write!(f, "Sqlite({})", p.display()),
            Self::Postgres(_) => write!(f, "Postgres(…)"),
        }
    }
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH` or `postgres://…`/`postgresql://…`; anything else is refused.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(ConfigError(
                    "DATABASE_URL `sqlite://` needs a file path, e.g. sqlite://data/registry.db".into(),
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        let scheme = url.split(':').next().unwrap_or_default();
        Err(ConfigError(format!(
            "DATABASE_URL scheme `{scheme}` is not supported: use sqlite://PATH or postgres://USER@HOST/DB"
        )))
    }

    /// A short name of the backend, for logs.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Database connection settings.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// Where the data lives.
    pub url: DatabaseUrl,
    /// Largest number of pooled connections.
    pub pool_max_size: u32,
    /// How long a request waits for a pooled connection before answering 503.
    pub pool_timeout: Duration,
}

/// Security settings for tokens and logins.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// HMAC secret for access tokens (HS256).
    pub jwt_secret: Vec<u8>,
    /// Whether the secret was generated because none was configured (development only).
    pub jwt_secret_generated: bool,
    /// Consecutive failed logins that lock an account.
    pub lockout_threshold: i32,
    /// How long a locked account stays locked.
    pub lockout_duration: Duration,
    /// Threads that run argon2 (at low priority); default one per core.
    pub hash_threads: usize,
}

/// Throttle of public self-registration, per client IP.
#[derive(Debug, Clone)]
pub struct RegistrationSettings {
    /// Registrations allowed per window.
    pub max_per_window: i32,
    /// Window length in seconds.
    pub window_seconds: i64,
}

/// Everything the service needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Deployment mode.
    pub app_env: AppEnv,
    /// Address to listen on, `host:port`; port 0 picks a free one.
    pub bind: String,
    /// actix worker threads; `None` = one per core.
    pub workers: Option<usize>,
    /// Database settings.
    pub database: DatabaseSettings,
    /// Token and login settings.
    pub auth: AuthSettings,
    /// Self-registration throttle.
    pub registration: RegistrationSettings,
    /// Slow statistics (past knowledge time) allowed at once.
    pub slow_query_concurrency: usize,
    /// Statement timeout of slow statistics on PostgreSQL, in milliseconds.
    pub slow_query_timeout_ms: u64,
    /// How long a request body may take to arrive before the answer is 408.
    pub body_read_timeout: Duration,
    /// Whether this instance runs the background work: 公示 finalisation, event numbering,
    /// webhook deliveries (`BACKGROUND_TASKS=off` for an instance that only answers requests).
    pub background_tasks: bool,
}

/// A configuration problem, reported at start-up with a message naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

impl Settings {
    /// Reads and validates the settings from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the settings through `get` (the environment in production, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let app_env = AppEnv::parse(&get("APP_ENV").unwrap_or_else(|| "development".into()))?;
        let url = DatabaseUrl::parse(&get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/registry.db".into()))?;
        let default_pool = match url {
            DatabaseUrl::Sqlite(_) => 8,
            DatabaseUrl::Postgres(_) => 16,
        };
        let pool_max_size = parse_num(&get, "DB_POOL_SIZE", default_pool)?;
        if pool_max_size == 0 {
            return Err(ConfigError("DB_POOL_SIZE must be at least 1".into()));
        }
        let pool_timeout = Duration::from_millis(parse_num(&get, "DB_POOL_TIMEOUT_MS", 5_000)?);
        let bind = get("BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let workers = match get("WORKERS") {
            None => None,
            Some(_) => Some(parse_num(&get, "WORKERS", 1)?),
        };
        let (jwt_secret, jwt_secret_generated) = match get("JWT_SECRET") {
            Some(s) if s.len() >= 32 => (s.into_bytes(), false),
            Some(_) if app_env == AppEnv::Production => {
                return Err(ConfigError("JWT_SECRET must be at least 32 bytes in production".into()))
            }
            None if app_env == AppEnv::Production => {
                return Err(ConfigError("JWT_SECRET is required in production (at least 32 bytes)".into()))
            }
            _ => (random_secret(), true),
        };
        let lockout_threshold = parse_num(&get, "LOCKOUT_THRESHOLD", 5)?;
        let lockout_duration = Duration::from_secs(parse_num(&get, "LOCKOUT_SECONDS", 1_800)?);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let hash_threads = parse_num(&get, "HASH_THREADS", cores)?;
        if hash_threads == 0 {
            return Err(ConfigError("HASH_THREADS must be at least 1".into()));
        }
        let registration = RegistrationSettings {
            max_per_window: parse_num(&get, "REGISTRATION_LIMIT", 10)?,
            window_seconds: parse_num(&get, "REGISTRATION_WINDOW_SECONDS", 3_600)?,
        };
        let slow_query_concurrency = parse_num(&get, "SLOW_QUERY_CONCURRENCY", 2)?;
        if slow_query_concurrency == 0 {
            return Err(ConfigError("SLOW_QUERY_CONCURRENCY must be at least 1".into()));
        }
        let slow_query_timeout_ms = parse_num(&get, "SLOW_QUERY_TIMEOUT_MS", 30_000)?;
        let body_read_timeout = Duration::from_millis(parse_num(&get, "BODY_READ_TIMEOUT_MS", 5_000)?);
        if body_read_timeout.is_zero() {
            return Err(ConfigError("BODY_READ_TIMEOUT_MS must be at least 1".into()));
        }
        let background_tasks = match get("BACKGROUND_TASKS").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(_) => return Err(ConfigError("BACKGROUND_TASKS must be `on` or `off`".into())),
        };
        Ok(Self {
            background_tasks,
            body_read_timeout,
            slow_query_concurrency,
            slow_query_timeout_ms,
            registration,
            app_env,
            bind,
            workers,
            database: DatabaseSettings { url, pool_max_size, pool_timeout },
            auth: AuthSettings { jwt_secret, jwt_secret_generated, lockout_threshold, lockout_duration, hash_threads },
        })
    }
}

fn parse_num<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    key: &str,
    default: T,
) -> Result<T, ConfigError> {
    match get(key) {
        None => Ok(default),
        Some(v) => {
            v.trim().parse().map_err(|_| ConfigError(format!("{key} must be a non-negative whole number, not `{v}`")))
        }
    }
}

fn random_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_schemes() {
        assert_eq!(DatabaseUrl::parse("sqlite://data/x.db").unwrap(), DatabaseUrl::Sqlite("data/x.db".into()));
        assert!(matches!(DatabaseUrl::parse("postgresql://u@h/db").unwrap(), DatabaseUrl::Postgres(_)));
        let err = DatabaseUrl::parse("mysql://root@localhost/x").unwrap_err();
        assert!(err.0.contains("`mysql`") && err.0.contains("sqlite://"), "{err}");
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn production_requires_a_long_secret() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
        };
        assert!(Settings::from_lookup(env(&[("APP_ENV", "production")])).is_err());
        assert!(Settings::from_lookup(env(&[("APP_ENV", "production"), ("JWT_SECRET", "short")])).is_err());
        let ok = Settings::from_lookup(env(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ]))
        .unwrap();
        assert!(!ok.auth.jwt_secret_generated);
        let dev = Settings::from_lookup(env(&[])).unwrap();
        assert!(dev.auth.jwt_secret_generated && dev.auth.jwt_secret.len() >= 32);
    }
}
