//! `Idempotency-Key` on POSTs that create or transition (DESIGN §4): a retry that carries the
//! same key and the same request replays the first response instead of acting twice.
//!
//! How it works:
//!
//! - [`ApiJson`](crate::extract::ApiJson) stores the SHA-256 of the raw body as a [`BodyDigest`]
//!   in the request's extensions; [`Idempotency::from_request_parts`] reads it together with the
//!   key, the method and the path. A request without the header gets an inert [`Idempotency`]
//!   whose methods do nothing, so handlers need no second code path.
//! - Inside the handler's [`Db::write`](crate::db::Db::write) closure, [`Idempotency::lookup`]
//!   returns the stored response when the key is known (422 `idempotency_key_reused` when it came
//!   with another method, path or body) and otherwise *claims* the key by inserting a placeholder
//!   row. [`Idempotency::store`] then fills in the response, in the same transaction as the change:
//!   either both commit or neither does, and a failed request (any error) leaves no trace, so
//!   retrying it runs it again. Errors are never replayed.
//! - Two requests racing with one key both try to insert the placeholder under the primary key
//!   `(principal_id, idem_key)`. On PostgreSQL the second insert waits for the first transaction
//!   and then fails with a unique violation, answered as 409 `idempotency_key_in_use` (retry to
//!   get the replay). On SQLite writers are serialised, so the second simply sees the stored row.
//! - Keys are per principal (user or client id; `anon:<ip>` for anonymous registrations). A key
//!   is honoured for [`TTL_HOURS`]; an older row counts as absent and is replaced. Every
//!   [`PURGE_EVERY`]th store in a process (the first one included) also deletes the rows older than
//!   [`PURGE_AFTER_HOURS`] — one indexed `DELETE`, cheap when there is nothing to delete.
//! - The body is compared byte for byte: the same JSON with different spacing or member order is
//!   a different request (422). A replay returns the first response exactly, including secrets it
//!   carried (a machine client's `client_secret`), to the same principal only.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::error::AppError;
use crate::queries::idempotency_keys::{self as q, IdempotencyRow};

/// The request header carrying the key.
pub const HEADER: &str = "Idempotency-Key";

/// The response header marking a replayed response (`true`).
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// Longest key accepted, in bytes (visible ASCII only).
pub const MAX_KEY_LEN: usize = 255;

/// How long a key is honoured, in hours.
pub const TTL_HOURS: i64 = 24;

/// Age in hours after which rows are purged.
pub const PURGE_AFTER_HOURS: i64 = 48;

/// One store in this many (per process) also purges old rows.
pub const PURGE_EVERY: u64 = 100;

static STORES: AtomicU64 = AtomicU64::new(0);

/// SHA-256 (lower-case hex) of a request's raw body, put in the request's extensions by the body
/// extractors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyDigest(pub String);

impl BodyDigest {
    /// The digest of `body`.
    pub fn of(body: &[u8]) -> Self {
        Self(hex::encode(Sha256::digest(body)))
    }
}

/// The idempotency context of one request: who sent it, its key (if any) and what identifies the
/// request (method, path, body digest). Cheap to move into a [`Db::write`](crate::db::Db::write)
/// closure.
#[derive(Debug, Clone)]
pub struct Idempotency {
    principal_id: String,
    key: Option<String>,
    digest: String,
    method: String,
    path: String,
}

impl Idempotency {
    /// Reads the `Idempotency-Key` header (1 to 255 visible ASCII characters, else 400
    /// `invalid_header`) and the body digest left by [`ApiJson`](crate::extract::ApiJson); a
    /// request whose body was not read counts as having an empty body.
    pub fn from_request_parts(req: &HttpRequest, principal_id: &str) -> Result<Self, AppError> {
        let mut values = req.headers().get_all(HEADER);
        let key = match (values.next(), values.next()) {
            (None, _) => None,
            (Some(v), None) => Some(parse_key(v.as_bytes())?),
            (Some(_), Some(_)) => return Err(invalid_key("send a single Idempotency-Key header")),
        };
        let digest = match req.extensions().get::<BodyDigest>() {
            Some(d) => d.0.clone(),
            None => BodyDigest::of(b"").0,
        };
        let path = req.uri().path_and_query().map_or_else(|| req.path().to_string(), |pq| pq.as_str().to_string());
        Ok(Self { principal_id: principal_id.to_string(), key, digest, method: req.method().to_string(), path })
    }

    /// The key, when the request sent one.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// Looks the key up; call it first inside the handler's write transaction.
    ///
    /// - `Ok(Some(response))`: the key was used before with the same request — send `response`
    ///   (a replay) and change nothing.
    /// - `Ok(None)`: no header, or a new (or expired) key, now claimed for this transaction — go
    ///   on and finish with [`store`](Self::store).
    /// - 422 `idempotency_key_reused`: the key was used with another method, path or body.
    /// - 409 `idempotency_key_in_use`: a concurrent request with the same key won the race.
    pub fn lookup(&self, conn: &mut DbConnection) -> Result<Option<StoredResponse>, AppError> {
        let Some(key) = self.key.as_deref() else {
            return Ok(None);
        };
        let now = crate::clock::now();
        match q::find(conn, &self.principal_id, key)? {
            // Status 0 is a claim committed without its response, i.e. a handler that skipped
            // `store`: nothing to replay, so it counts as absent like an expired key.
            Some(row) if now - row.created_at < chrono::Duration::hours(TTL_HOURS) && row.status != 0 => {
                if row.method != self.method || row.path != self.path || row.request_hash != self.digest {
                    return Err(AppError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "idempotency_key_reused",
                        "this Idempotency-Key was already used with a different request; use a new key",
                    )
                    .with("field", HEADER));
                }
                return StoredResponse::replay(row).map(Some);
            }
            Some(_) => q::delete(conn, &self.principal_id, key)?,
            None => {}
        }
        self.insert(conn, key, 0, "", "[]", now)?;
        Ok(None)
    }

    /// Records `response` as the answer to this key, in the same transaction as the change it
    /// reports. Does nothing without a key or for a replay.
    pub fn store(&self, conn: &mut DbConnection, response: &StoredResponse) -> Result<(), AppError> {
        let Some(key) = self.key.as_deref() else {
            return Ok(());
        };
        if response.replayed {
            return Ok(());
        }
        let status = i32::from(response.status.as_u16());
        let headers = serde_json::to_string(&response.headers)
            .map_err(|e| AppError::internal(format!("idempotency: cannot encode headers: {e}")))?;
        if !q::set_response(conn, &self.principal_id, key, status, &response.body, &headers)? {
            // `lookup` was not called first: insert the row now.
            self.insert(conn, key, status, &response.body, &headers, crate::clock::now())?;
        }
        if STORES.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == 0 {
            q::purge_before(conn, crate::clock::now() - chrono::Duration::hours(PURGE_AFTER_HOURS))?;
        }
        Ok(())
    }

    fn insert(
        &self,
        conn: &mut DbConnection,
        key: &str,
        status: i32,
        body: &str,
        headers: &str,
        now: chrono::NaiveDateTime,
    ) -> Result<(), AppError> {
        let row = IdempotencyRow {
            principal_id: self.principal_id.clone(),
            idem_key: key.to_string(),
            method: self.method.clone(),
            path: self.path.clone(),
            request_hash: self.digest.clone(),
            status,
            response_body: body.to_string(),
            response_headers: headers.to_string(),
            created_at: now,
        };
        q::insert(conn, &row).map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict(
                    "idempotency_key_in_use",
                    "another request with this Idempotency-Key is being processed; retry to get its response",
                )
                .with("field", HEADER)
                .with_header(header::RETRY_AFTER, "1")
            }
            other => AppError::from(other),
        })
    }
}

fn invalid_key(detail: &str) -> AppError {
    AppError::bad_request("invalid_header", Some(HEADER), detail)
}

fn parse_key(bytes: &[u8]) -> Result<String, AppError> {
    if bytes.is_empty() || bytes.len() > MAX_KEY_LEN || !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(invalid_key("Idempotency-Key must be 1 to 255 visible ASCII characters"));
    }
    // Visible ASCII is valid UTF-8.
    String::from_utf8(bytes.to_vec()).map_err(|_| invalid_key("Idempotency-Key must be visible ASCII"))
}

/// A JSON response kept as text, so that the same value is stored and sent: built by a handler
/// ([`json`](Self::json), [`with_header`](Self::with_header)) or read back by
/// [`Idempotency::lookup`] (then sent with `Idempotent-Replayed: true`).
#[derive(Debug, Clone)]
pub struct StoredResponse {
    status: StatusCode,
    body: String,
    headers: Vec<(String, String)>,
    replayed: bool,
}

/// `value` as the JSON text of a response body.
pub fn json_body<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::internal(format!("cannot serialise the response: {e}")))
}

impl StoredResponse {
    /// `value` as a JSON response with `status` (and `Content-Type: application/json`).
    pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Result<Self, AppError> {
        let body = json_body(value)?;
        Ok(Self {
            status,
            body,
            headers: vec![(header::CONTENT_TYPE.to_string(), "application/json".to_string())],
            replayed: false,
        })
    }

    /// Adds a header to send (and replay), e.g. `ETag` or `Location`.
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body text.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether this is a replay of a stored response.
    pub fn is_replay(&self) -> bool {
        self.replayed
    }

    fn replay(row: IdempotencyRow) -> Result<Self, AppError> {
        let status = u16::try_from(row.status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| AppError::internal(format!("idempotency: stored status {} is not valid", row.status)))?;
        let headers: Vec<(String, String)> = serde_json::from_str(&row.response_headers)
            .map_err(|e| AppError::internal(format!("idempotency: stored headers are not valid: {e}")))?;
        Ok(Self { status, body: row.response_body, headers, replayed: true })
    }

    /// The HTTP response; a replay carries `Idempotent-Replayed: true`.
    pub fn into_response(self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
                res.insert_header((n, v));
            }
        }
        if self.replayed {
            res.insert_header((HeaderName::from_static("idempotent-replayed"), HeaderValue::from_static("true")));
        }
        res.body(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseUrl;
    use crate::db::{establish, migrations};
    use actix_web::test::TestRequest;
    use diesel::Connection;

    fn conn() -> (tempfile::TempDir, DbConnection) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = establish(&DatabaseUrl::Sqlite(dir.path().join("i.db"))).unwrap();
        migrations::run(&mut c).unwrap();
        (dir, c)
    }

    fn idem(key: Option<&str>, principal: &str, path: &str, body: &[u8]) -> Idempotency {
        let mut req = TestRequest::post().uri(path);
        if let Some(k) = key {
            req = req.insert_header((HEADER, k));
        }
        let req = req.to_http_request();
        req.extensions_mut().insert(BodyDigest::of(body));
        Idempotency::from_request_parts(&req, principal).unwrap()
    }

    /// One handler run: lookup, then (when fresh) "create" and store, in one transaction.
    fn run(c: &mut DbConnection, i: &Idempotency, n: &mut u32) -> Result<StoredResponse, AppError> {
        c.transaction(|c| {
            if let Some(r) = i.lookup(c)? {
                return Ok(r);
            }
            *n += 1;
            let res = StoredResponse::json(StatusCode::CREATED, &serde_json::json!({"n": *n}))?
                .with_header(header::ETAG, "\"1\"")
                .with_header(header::LOCATION, format!("/things/{n}"));
            i.store(c, &res)?;
            Ok(res)
        })
    }

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(BodyDigest::of(b"").0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(BodyDigest::of(b"{}").0.len(), 64);
    }

    #[test]
    fn keys_are_validated() {
        let with = |k: &[u8]| {
            let req = TestRequest::post()
                .uri("/x")
                .insert_header((HEADER, HeaderValue::from_bytes(k).unwrap()))
                .to_http_request();
            Idempotency::from_request_parts(&req, "p")
        };
        assert_eq!(with(b"abc-123_~!").unwrap().key(), Some("abc-123_~!"));
        assert_eq!(with(&[b'k'; 255]).unwrap().key().map(str::len), Some(255));
        for bad in [&b""[..], b"has space", &[b'k'; 256], b"caf\xc3\xa9", b"tab\there"] {
            let e = with(bad).unwrap_err();
            assert_eq!((e.status().as_u16(), e.code()), (400, "invalid_header"));
            assert_eq!(e.field_errors()[0].field.as_deref(), Some(HEADER));
        }
        let req = TestRequest::post().uri("/x").to_http_request();
        let none = Idempotency::from_request_parts(&req, "p").unwrap();
        assert_eq!((none.key(), none.digest.as_str()), (None, BodyDigest::of(b"").0.as_str()));
        let req =
            TestRequest::post().uri("/x").append_header((HEADER, "a")).append_header((HEADER, "b")).to_http_request();
        assert_eq!(Idempotency::from_request_parts(&req, "p").unwrap_err().code(), "invalid_header");
    }

    #[test]
    fn same_request_replays_and_different_request_is_refused() {
        let (_dir, mut c) = conn();
        let mut n = 0;
        let first = run(&mut c, &idem(Some("k1"), "alice", "/things", b"{\"a\":1}"), &mut n).unwrap();
        assert!(!first.is_replay());
        let again = run(&mut c, &idem(Some("k1"), "alice", "/things", b"{\"a\":1}"), &mut n).unwrap();
        assert!(again.is_replay());
        assert_eq!(n, 1);
        assert_eq!((again.status(), again.body()), (StatusCode::CREATED, first.body()));
        assert_eq!(again.header("etag"), Some("\"1\""));
        assert_eq!(again.header("location"), Some("/things/1"));
        assert_eq!(again.header("content-type"), Some("application/json"));
        let res = again.into_response();
        assert_eq!(res.headers().get(REPLAYED_HEADER).unwrap(), "true");
        assert_eq!(res.headers().get(header::ETAG).unwrap(), "\"1\"");

        for (path, body) in [("/things", &b"{\"a\":2}"[..]), ("/other", b"{\"a\":1}")] {
            let e = run(&mut c, &idem(Some("k1"), "alice", path, body), &mut n).unwrap_err();
            assert_eq!((e.status().as_u16(), e.code()), (422, "idempotency_key_reused"));
        }
        // Another principal, another key, or no key: independent.
        assert!(!run(&mut c, &idem(Some("k1"), "bob", "/things", b"{\"a\":2}"), &mut n).unwrap().is_replay());
        assert!(!run(&mut c, &idem(Some("k2"), "alice", "/things", b"{\"a\":1}"), &mut n).unwrap().is_replay());
        assert!(!run(&mut c, &idem(None, "alice", "/things", b"{\"a\":1}"), &mut n).unwrap().is_replay());
        assert!(!run(&mut c, &idem(None, "alice", "/things", b"{\"a\":1}"), &mut n).unwrap().is_replay());
        assert_eq!(n, 5);
    }

    #[test]
    fn a_failed_request_leaves_no_key_and_old_keys_expire() {
        let (_dir, mut c) = conn();
        let i = idem(Some("k"), "alice", "/things", b"{}");
        let failed: Result<(), AppError> = c.transaction(|c| {
            assert!(i.lookup(c)?.is_none());
            Err(AppError::conflict("boom", "the change failed"))
        });
        assert!(failed.is_err());
        assert!(q::find(&mut c, "alice", "k").unwrap().is_none());

        let mut n = 0;
        run(&mut c, &i, &mut n).unwrap();
        let old = crate::clock::now() - chrono::Duration::hours(TTL_HOURS + 1);
        diesel::RunQueryDsl::execute(
            diesel::update(crate::schema::idempotency_keys::table)
                .set(diesel::ExpressionMethods::eq(crate::schema::idempotency_keys::created_at, old)),
            &mut c,
        )
        .unwrap();
        // Expired: runs again, even with another body, and the key is fresh afterwards.
        let other = idem(Some("k"), "alice", "/things", b"{\"x\":1}");
        assert!(!run(&mut c, &other, &mut n).unwrap().is_replay());
        assert_eq!(n, 2);
        assert!(run(&mut c, &other, &mut n).unwrap().is_replay());
    }

    #[test]
    fn store_without_lookup_inserts_and_old_rows_are_purged() {
        let (_dir, mut c) = conn();
        let i = idem(Some("k"), "alice", "/things", b"{}");
        let res = StoredResponse::json(StatusCode::OK, &serde_json::json!({})).unwrap();
        i.store(&mut c, &res).unwrap();
        assert!(run(&mut c, &i, &mut 0).unwrap().is_replay());
        // Losing the race for the primary key (only observable concurrently on PostgreSQL).
        let e = i.insert(&mut c, "k", 0, "", "[]", crate::clock::now()).unwrap_err();
        assert_eq!((e.status().as_u16(), e.code()), (409, "idempotency_key_in_use"));
        let old = crate::clock::now() - chrono::Duration::hours(PURGE_AFTER_HOURS + 1);
        assert_eq!(q::purge_before(&mut c, old).unwrap(), 0);
        assert_eq!(q::purge_before(&mut c, crate::clock::now() + chrono::Duration::hours(1)).unwrap(), 1);
    }
}
