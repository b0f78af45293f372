//! TLS to PostgreSQL (issue 20): libpq is compiled with OpenSSL, so `sslmode=require`,
//! `verify-ca` and `verify-full` work and `prefer` (libpq's default) uses TLS when the server
//! offers it. Runs against the server `TEST_DATABASE_URL` names, which must have `ssl = on`
//! (Debian's default, with its snakeoil certificate for `localhost`; `.ci/run` switches it on
//! otherwise). Connections are made by the service's own `db::establish`.

use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use enterprise_registry::config::DatabaseUrl;
use enterprise_registry::db::{establish, DbConnection};

use crate::helpers::{create_pg_database, pg_admin_url, Backend, TestApp};

#[derive(QueryableByName)]
struct Ssl {
    #[diesel(sql_type = Bool)]
    ssl: bool,
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

/// `url` with `params` appended to its query string.
fn with_params(url: &str, params: &str) -> String {
    format!("{url}{}{params}", if url.contains('?') { '&' } else { '?' })
}

/// `url` with its host replaced by `host`, connecting to the original host's address instead
/// (`hostaddr`), so `verify-full` checks the certificate against `host`.
fn with_host_name(url: &str, host: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let host_start = url[after_scheme..].find('@').map_or(after_scheme, |i| after_scheme + i + 1);
    let host_end = url[host_start..].find([':', '/', '?']).map_or(url.len(), |i| host_start + i);
    let address = &url[host_start..host_end];
    with_params(&format!("{}{host}{}", &url[..host_start], &url[host_end..]), &format!("hostaddr={address}"))
}

fn connect(url: &str) -> Result<DbConnection, String> {
    establish(&DatabaseUrl::parse(url).map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// Whether this connection is encrypted, and with which protocol.
fn ssl_of(conn: DbConnection) -> (bool, Option<String>) {
    let DbConnection::Pg(mut pg) = conn else { panic!("not PostgreSQL") };
    let row: Ssl = diesel::sql_query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .get_result(&mut pg)
        .unwrap();
    (row.ssl, row.version)
}

fn setting(conn: DbConnection, name: &str) -> String {
    let DbConnection::Pg(mut pg) = conn else { panic!("not PostgreSQL") };
    let row: Setting =
        diesel::sql_query(format!("SELECT current_setting('{name}') AS value")).get_result(&mut pg).unwrap();
    row.value
}

/// The server's certificate (self-signed: it is its own root), for `sslrootcert`.
fn server_certificate(admin: &str) -> String {
    let file = setting(connect(admin).unwrap(), "ssl_cert_file");
    if file.starts_with('/') {
        return file;
    }
    format!("{}/{file}", setting(connect(admin).unwrap(), "data_directory"))
}

#[test]
fn sslmodes_connect_with_tls_and_verify_the_certificate() {
    let Some(admin) = pg_admin_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    assert_eq!(
        setting(connect(&admin).unwrap(), "ssl"),
        "on",
        "the PostgreSQL server of TEST_DATABASE_URL has ssl off: switch it on (.ci/run does)"
    );
    let (ssl, version) = ssl_of(connect(&with_params(&admin, "sslmode=require")).unwrap());
    assert!(ssl && version.as_deref().is_some_and(|v| v.starts_with("TLSv1.")), "require: {version:?}");
    assert!(ssl_of(connect(&with_params(&admin, "sslmode=prefer")).unwrap()).0, "prefer fell back to plain text");
    assert!(ssl_of(connect(&admin).unwrap()).0, "libpq's default (prefer) fell back to plain text");
    assert!(!ssl_of(connect(&with_params(&admin, "sslmode=disable")).unwrap()).0);

    let root = server_certificate(&admin);
    let verify_ca = with_params(&admin, &format!("sslmode=verify-ca&sslrootcert={root}"));
    assert!(ssl_of(connect(&verify_ca).unwrap()).0);
    let localhost = with_host_name(&admin, "localhost");
    let verify_full = with_params(&localhost, &format!("sslmode=verify-full&sslrootcert={root}"));
    assert!(ssl_of(connect(&verify_full).unwrap()).0, "{verify_full}");

    // The certificate names localhost, not the address: verify-full refuses the address.
    let by_address = with_params(&admin, &format!("sslmode=verify-full&sslrootcert={root}"));
    let refused = connect(&by_address).err().expect("verify-full accepted a certificate for another name");
    assert!(refused.contains("does not match host name"), "{refused}");
    // A root that did not sign the server's certificate is refused.
    let wrong_root = with_params(&admin, "sslmode=verify-ca&sslrootcert=/etc/ssl/certs/ca-certificates.crt");
    let refused = connect(&wrong_root).err().expect("verify-ca accepted an unknown issuer");
    assert!(refused.contains("certificate verify failed"), "{refused}");
}

/// The service itself runs on `sslmode=require` (its pool, migrations and `/readyz`).
#[tokio::test]
async fn the_service_serves_over_a_required_tls_connection() {
    let Some((name, url)) = create_pg_database().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let app = TestApp::spawn_on(Backend::Postgres, with_params(&url, "sslmode=require"), Some(name), None, &[]).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.teardown().await;
}
