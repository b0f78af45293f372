//! The PostgreSQL server the tests may use (`TEST_DATABASE_URL`): a fresh database per test.

/// The PostgreSQL server tests may use, if any.
pub fn pg_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs SQL on the PostgreSQL admin database (blocking; tests call it from spawn_blocking or Drop).
pub fn pg_admin_execute(sql: &str) {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let url = pg_admin_url().expect("TEST_DATABASE_URL");
    let mut conn = diesel::PgConnection::establish(&url).expect("connect to TEST_DATABASE_URL");
    conn.batch_execute(sql).expect("admin SQL");
}

/// Creates an empty PostgreSQL database and returns (name, url).
pub async fn create_pg_database() -> Option<(String, String)> {
    let admin = pg_admin_url()?;
    let name = format!("registry_test_{}", uuid::Uuid::new_v4().simple());
    let sql = format!("CREATE DATABASE {name}");
    tokio::task::spawn_blocking(move || pg_admin_execute(&sql)).await.expect("join");
    let url = with_database(&admin, &name);
    Some((name, url))
}

/// Drops a test database, closing whatever still holds it.
pub fn drop_pg_database(name: &str) {
    pg_admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
