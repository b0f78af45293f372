//! The audit trail: append-only, hash-chained entries written in the same transaction as the
//! change they record. Each entry's hash covers its content and the previous entry's hash, so a
//! changed, removed or reordered entry breaks the chain ([`verify`]).

mod chain;
pub mod verify;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use serde_json::Value;
use tracing_actix_web::RequestId;

use crate::auth::{Principal, PrincipalKind};
use crate::db::DbConnection;
use crate::schema::{audit_events, audit_head};

pub use chain::{entry_hash, AuditRow};

/// Where a request came from, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// Peer IP address.
    pub ip: Option<String>,
    /// The request id also sent as `X-Request-Id`.
    pub request_id: Option<String>,
}

impl FromRequest for RequestMeta {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(RequestMeta::of(req)))
    }
}

impl RequestMeta {
    /// The origin of `req`.
    pub fn of(req: &HttpRequest) -> Self {
        RequestMeta {
            ip: req.peer_addr().map(|a| a.ip().to_string()),
            request_id: req.extensions().get::<RequestId>().map(|r| r.to_string()),
        }
    }
}

/// Who acted.
#[derive(Debug, Clone)]
pub enum Actor {
    /// An authenticated user or client.
    Principal(Principal),
    /// A user identified by id and role but not (yet) holding a token, e.g. at login.
    User {
        /// User id.
        id: String,
        /// Role name.
        role: String,
    },
    /// Nobody identified (e.g. a login with an unknown username).
    Anonymous,
    /// The service itself or its command line.
    System(&'static str),
}

impl Actor {
    fn parts(&self) -> (&'static str, Option<String>, Option<String>) {
        match self {
            Actor::Principal(p) => (
                match p.kind {
                    PrincipalKind::User => "user",
                    PrincipalKind::Client => "client",
                },
                Some(p.id.clone()),
                Some(p.role.as_str().to_string()),
            ),
            Actor::User { id, role } => ("user", Some(id.clone()), Some(role.clone())),
            Actor::Anonymous => ("anonymous", None, None),
            Actor::System(name) => ("system", Some((*name).to_string()), None),
        }
    }
}

/// What happened, to which object, with what result.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Dotted action name, e.g. `auth.login`, `user.create`.
    pub action: &'a str,
    /// Kind of object (`user`, `enterprise`, `milestone`, …).
    pub object_type: Option<&'a str>,
    /// The object's id.
    pub object_id: Option<&'a str>,
    /// Whether the action succeeded.
    pub success: bool,
    /// Extra, non-personal detail (reason codes, changed field names).
    pub detail: Option<Value>,
}

impl<'a> Event<'a> {
    /// A successful action on an object.
    pub fn ok(action: &'a str, object_type: &'a str, object_id: &'a str) -> Self {
        Self { action, object_type: Some(object_type), object_id: Some(object_id), success: true, detail: None }
    }

    /// Adds detail.
    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Marks the action as failed.
    pub fn failed(mut self) -> Self {
        self.success = false;
        self
    }
}

/// Appends `events` to the chain in order, inside the transaction of the change they record: one
/// entry as [`record`] does; several (a bulk write's) with one update of the head and multi-row
/// inserts, the hashes chained in memory.
pub fn record_all(
    conn: &mut DbConnection,
    meta: &RequestMeta,
    actor: &Actor,
    events: Vec<Event<'_>>,
) -> QueryResult<()> {
    if events.len() <= 1 {
        return events.into_iter().try_for_each(|e| record(conn, meta, actor, e));
    }
    let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let (last, mut prev_hash): (i64, String) = diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + n))
        .returning((audit_head::seq, audit_head::hash))
        .get_result(conn)?;
    let (actor_type, actor_id, actor_role) = actor.parts();
    let now = crate::clock::now();
    let mut rows = Vec::with_capacity(events.len());
    for (seq, event) in (last - n + 1..).zip(events) {
        let row = AuditRow {
            id: uuid::Uuid::now_v7().to_string(),
            seq,
            occurred_at: now,
            actor_type: actor_type.to_string(),
            actor_id: actor_id.clone(),
            actor_role: actor_role.clone(),
            action: event.action.to_string(),
            object_type: event.object_type.map(str::to_string),
            object_id: event.object_id.map(str::to_string),
            result: if event.success { "success" } else { "failure" }.to_string(),
            detail: event.detail.map(|d| d.to_string()),
            ip: meta.ip.clone(),
            request_id: meta.request_id.clone(),
            hash: String::new(),
            prev_hash,
        };
        let row = AuditRow { hash: entry_hash(&row), ..row };
        prev_hash = row.hash.clone();
        rows.push(row);
    }
    diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(&prev_hash)).execute(conn)?;
    for chunk in rows.chunks(500) {
        crate::db::on_backend!(conn, c => diesel::insert_into(audit_events::table).values(chunk).execute(c)?);
    }
    Ok(())
}

/// Appends one entry to the chain. Call it inside the transaction of the change it records.
pub fn record(conn: &mut DbConnection, meta: &RequestMeta, actor: &Actor, event: Event<'_>) -> QueryResult<()> {
    // Taking the head row's write lock first serialises appenders on PostgreSQL; callers append
    // as the last step of their transaction, so the lock is held only until the commit.
    let (seq, prev_hash): (i64, String) = diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + 1))
        .returning((audit_head::seq, audit_head::hash))
        .get_result(conn)?;
    let (actor_type, actor_id, actor_role) = actor.parts();
    let row = AuditRow {
        id: uuid::Uuid::now_v7().to_string(),
        seq,
        occurred_at: crate::clock::now(),
        actor_type: actor_type.to_string(),
        actor_id,
        actor_role,
        action: event.action.to_string(),
        object_type: event.object_type.map(str::to_string),
        object_id: event.object_id.map(str::to_string),
        result: if event.success { "success" } else { "failure" }.to_string(),
        detail: event.detail.map(|d| d.to_string()),
        ip: meta.ip.clone(),
        request_id: meta.request_id.clone(),
        hash: String::new(),
        prev_hash,
    };
    let row = AuditRow { hash: entry_hash(&row), ..row };
    diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(&row.hash)).execute(conn)?;
    diesel::insert_into(audit_events::table).values(&row).execute(conn)?;
    Ok(())
}
