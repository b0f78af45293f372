//! The audit trail: append-only, hash-chained entries written in the same transaction as the
//! change they record. Each entry's hash covers its content and the previous entry's hash in its
//! chain, so a changed, removed or reordered entry breaks the chain ([`verify`]). The trail is
//! [`CHAINS`] chains, an entry's chosen by its object (no row every write waits on), and
//! [`anchor`]s chain the heads together so that a chain's newest entries cannot vanish unseen.

pub mod anchor;
mod chain;
pub mod verify;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use serde_json::Value;
use tracing_actix_web::RequestId;

use crate::auth::{Principal, PrincipalKind};
use crate::db::DbConnection;
use crate::queries::prepared::{AdvanceChain, SetChainHash};
use crate::schema::audit_events;

pub use chain::{chain_for, entry_hash, genesis, AuditRow, CHAINS};

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

/// Appends `events` in order, inside the transaction of the change they record, to one chain:
/// the one the first event's object (else the actor) hashes to ([`chain_for`]). One write locks
/// one chain head, whatever it records, so writes about different objects rarely wait on each
/// other, and two writes never wait on each other in opposite orders.
pub fn record_all(
    conn: &mut DbConnection,
    meta: &RequestMeta,
    actor: &Actor,
    events: Vec<Event<'_>>,
) -> QueryResult<()> {
    let Some(first) = events.first() else { return Ok(()) };
    let (actor_type, actor_id, actor_role) = actor.parts();
    let chain = chain_for(first.object_id.or(actor_id.as_deref()).unwrap_or(first.action));
    let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
    // Taking the head row's write lock first serialises appenders to this chain on PostgreSQL;
    // callers append as the last step of their transaction, so it is held only until the commit.
    let (last, mut prev_hash): (i64, String) = AdvanceChain { chain, n }.get_result(conn)?;
    let now = crate::clock::now();
    let mut rows = Vec::with_capacity(events.len());
    for (seq, event) in (last - n + 1..).zip(events) {
        let row = AuditRow {
            id: uuid::Uuid::now_v7().to_string(),
            chain,
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
    SetChainHash { chain, hash: prev_hash }.execute(conn)?;
    // One entry (most writes) as one row, a statement diesel keeps prepared; many in chunks.
    if let [row] = rows.as_slice() {
        diesel::insert_into(audit_events::table).values(row).execute(conn)?;
        return Ok(());
    }
    for chunk in rows.chunks(500) {
        crate::db::on_backend!(conn, c => diesel::insert_into(audit_events::table).values(chunk).execute(c)?);
    }
    Ok(())
}

/// Appends one entry ([`record_all`] of one). Call it inside the transaction of the change it
/// records.
pub fn record(conn: &mut DbConnection, meta: &RequestMeta, actor: &Actor, event: Event<'_>) -> QueryResult<()> {
    record_all(conn, meta, actor, vec![event])
}
