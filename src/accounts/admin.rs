//! Writes to existing accounts: a sysadmin's changes (disable/enable, display name, unlock) and a
//! user's own password change. Each runs in the caller's transaction and ends with the write tail
//! (`crate::tail`). Disabling an account and changing a password end its sessions.

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::conditional::{stale, IfMatch};
use crate::db::DbConnection;
use crate::domain::id::{ResourceId, UserId};
use crate::error::AppError;
use crate::queries::refresh_tokens;
use crate::queries::users::{self, UserRow};
use crate::tail::{self, Figures};

/// A sysadmin's changes to an account: `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    /// Disable (`true`) or enable (`false`).
    pub disabled: Option<bool>,
    /// New display name (`Some(None)` clears it), already checked.
    pub display_name: Option<Option<String>>,
}

/// Applies `changes` to account `id` as sysadmin `p`, guarded by `If-Match`.
pub fn update(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    id: &UserId,
    if_match: IfMatch,
    changes: AccountChanges,
) -> Result<UserRow, AppError> {
    let id = id.as_str();
    let current = users::find(conn, id)?.ok_or_else(|| AppError::not_found("user"))?;
    if_match.check(current.version)?;
    let now = crate::clock::now();
    if !users::update_admin(conn, id, current.version, changes.disabled, changes.display_name.clone(), now)? {
        return Err(stale(current.version));
    }
    if changes.disabled == Some(true) {
        refresh_tokens::revoke_user(conn, id, now)?;
    }
    let mut changed = Vec::new();
    if let Some(d) = changes.disabled {
        changed.push(if d { "disabled" } else { "enabled" });
    }
    if changes.display_name.is_some() {
        changed.push("display_name");
    }
    let event = Event::ok("user.update", "user", id).detail(serde_json::json!({ "changed": changed }));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    users::find(conn, id)?.ok_or_else(|| AppError::not_found("user"))
}

/// Clears account `id`'s lockout and failure counter.
pub fn unlock(conn: &mut DbConnection, p: &Principal, meta: &RequestMeta, id: &UserId) -> Result<UserRow, AppError> {
    let id = id.as_str();
    if users::unlock(conn, id, crate::clock::now())? == 0 {
        return Err(AppError::not_found("user"));
    }
    let event = Event::ok("user.unlock", "user", id);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    users::find(conn, id)?.ok_or_else(|| AppError::not_found("user"))
}

/// Stores `p`'s new password hash (checked and hashed by the caller, off the database) and ends
/// every session of the account.
pub fn change_password(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    new_hash: &str,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    users::set_password(conn, &p.id, new_hash, now)?;
    refresh_tokens::revoke_user(conn, &p.id, now)?;
    let event = Event::ok("user.password_change", "user", &p.id);
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])
}
