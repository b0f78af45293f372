//! Login outcomes, refresh-token rotation and logout — the database side of sessions. Each
//! function runs inside one transaction and records its audit entry there; a refused attempt is
//! returned as `Ok(Err(problem))` so that its counters and audit entry still commit.

use chrono::{Duration, NaiveDateTime};

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::principal::{Principal, PrincipalKind};
use crate::auth::tokens::{hash_secret, new_secret};
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::Role;
use crate::error::AppError;
use crate::queries::refresh_tokens::{self as rt, RefreshTokenRow};
use crate::queries::users::{self, UserRow};
use crate::tail;

/// A refresh token dies after this long unused.
pub const IDLE_TTL: Duration = Duration::minutes(30);
/// A login's refresh family dies after this long, however it is used.
pub const FAMILY_TTL: Duration = Duration::hours(12);

/// Result of a committed step that may still refuse the caller.
pub type Refusable<T> = Result<T, AppError>;

/// A session granted to a user: who, and the new refresh token (plain, shown once).
#[derive(Debug)]
pub struct Granted {
    /// The user as stored.
    pub user: UserRow,
    /// The refresh token to hand out.
    pub refresh_token: String,
}

/// The principal an access token for `user` carries.
pub fn principal_of(user: &UserRow) -> Result<Principal, AppError> {
    Ok(Principal {
        id: user.id.clone(),
        kind: PrincipalKind::User,
        role: Role::parse(&user.role).map_err(AppError::internal)?,
        enterprise_id: user.enterprise_id.clone().map(EnterpriseId::from_stored),
        city_code: user.city_code.clone(),
        county_code: user.county_code.clone(),
        provider_id: user.provider_id.clone(),
        must_change_password: user.must_change_password,
    })
}

fn invalid_credentials() -> AppError {
    AppError::unauthorized(
        "invalid_credentials",
        "the username or password is wrong, or the account is locked or disabled",
    )
}

/// Lockout policy.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    /// Consecutive failures that lock.
    pub threshold: i32,
    /// Lock duration.
    pub duration: Duration,
}

/// Finishes a login whose password was already checked (`password_ok`) off the database.
pub fn finish_login(
    conn: &mut DbConnection,
    username: &str,
    user_id: Option<&str>,
    password_ok: bool,
    lockout: Lockout,
    meta: &RequestMeta,
) -> Result<Refusable<Granted>, AppError> {
    let now = crate::clock::now();
    let Some(user) = user_id.map(|id| users::find(conn, id)).transpose()?.flatten() else {
        tail::audited(
            conn,
            meta,
            &Actor::Anonymous,
            Event {
                action: "auth.login",
                object_type: Some("user"),
                object_id: None,
                success: false,
                detail: Some(serde_json::json!({"reason": "unknown_user", "username": username})),
            },
        )?;
        return Ok(Err(invalid_credentials()));
    };
    let actor = Actor::User { id: user.id.clone(), role: user.role.clone() };
    let refuse = |conn: &mut DbConnection, reason: &str, extra: serde_json::Value| -> Result<(), AppError> {
        tail::audited(
            conn,
            meta,
            &actor,
            Event::ok("auth.login", "user", &user.id)
                .failed()
                .detail(serde_json::json!({"reason": reason, "extra": extra})),
        )?;
        Ok(())
    };
    if user.disabled {
        refuse(conn, "disabled", serde_json::Value::Null)?;
        return Ok(Err(invalid_credentials()));
    }
    if user.locked_until.is_some_and(|t| t > now) {
        refuse(conn, "locked", serde_json::Value::Null)?;
        return Ok(Err(invalid_credentials()));
    }
    if !password_ok {
        let Some(count) = users::record_failure(conn, &user.id, lockout.threshold, now, now + lockout.duration)? else {
            refuse(conn, "locked", serde_json::Value::Null)?;
            return Ok(Err(invalid_credentials()));
        };
        let locked = count >= lockout.threshold;
        refuse(conn, "wrong_password", serde_json::json!({"failures": count, "locked": locked}))?;
        return Ok(Err(invalid_credentials()));
    }
    users::record_success(conn, &user.id)?;
    let refresh_token = issue_refresh(conn, &user.id, uuid::Uuid::now_v7().to_string(), now, now + FAMILY_TTL)?;
    tail::audited(conn, meta, &actor, Event::ok("auth.login", "user", &user.id))?;
    Ok(Ok(Granted { user, refresh_token }))
}

fn issue_refresh(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: String,
    now: NaiveDateTime,
    family_expires_at: NaiveDateTime,
) -> Result<String, AppError> {
    let token = new_secret();
    rt::insert(
        conn,
        &RefreshTokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            family_id,
            user_id: user_id.to_string(),
            token_hash: hash_secret(&token),
            issued_at: now,
            idle_expires_at: (now + IDLE_TTL).min(family_expires_at),
            family_expires_at,
            rotated_at: None,
            revoked_at: None,
        },
    )?;
    Ok(token)
}

fn refused_refresh(code: &'static str) -> AppError {
    AppError::unauthorized(code, "the refresh token is not valid; log in again")
}

/// Exchanges a refresh token for a new one in the same family. A token used twice revokes
/// its whole family (someone else holds a copy).
pub fn rotate(conn: &mut DbConnection, presented: &str, meta: &RequestMeta) -> Result<Refusable<Granted>, AppError> {
    let now = crate::clock::now();
    let Some(token) = rt::find_by_hash(conn, &hash_secret(presented))? else {
        return Ok(Err(refused_refresh("invalid_refresh_token")));
    };
    let user = users::find(conn, &token.user_id)?.ok_or_else(|| AppError::internal("refresh token without user"))?;
    let actor = Actor::User { id: user.id.clone(), role: user.role.clone() };
    let fail = |conn: &mut DbConnection, reason: &str| -> Result<(), AppError> {
        tail::audited(
            conn,
            meta,
            &actor,
            Event::ok("auth.refresh", "refresh_family", &token.family_id)
                .failed()
                .detail(serde_json::json!({ "reason": reason })),
        )?;
        Ok(())
    };
    if token.revoked_at.is_some() {
        fail(conn, "revoked")?;
        return Ok(Err(refused_refresh("invalid_refresh_token")));
    }
    if token.rotated_at.is_some() || !rt::mark_rotated(conn, &token.id, now)? {
        rt::revoke_family(conn, &token.family_id, now)?;
        fail(conn, "reused")?;
        return Ok(Err(refused_refresh("refresh_token_reused")));
    }
    if token.idle_expires_at <= now || token.family_expires_at <= now {
        rt::revoke_family(conn, &token.family_id, now)?;
        fail(conn, "expired")?;
        return Ok(Err(refused_refresh("refresh_token_expired")));
    }
    if user.disabled {
        rt::revoke_family(conn, &token.family_id, now)?;
        fail(conn, "disabled")?;
        return Ok(Err(refused_refresh("invalid_refresh_token")));
    }
    let refresh_token = issue_refresh(conn, &user.id, token.family_id.clone(), now, token.family_expires_at)?;
    tail::audited(conn, meta, &actor, Event::ok("auth.refresh", "refresh_family", &token.family_id))?;
    Ok(Ok(Granted { user, refresh_token }))
}

/// Revokes the family of `presented` if it belongs to `user_id`; silent otherwise.
pub fn logout(
    conn: &mut DbConnection,
    user_id: &str,
    presented: &str,
    meta: &RequestMeta,
    actor: &Actor,
) -> Result<(), AppError> {
    if let Some(token) = rt::find_by_hash(conn, &hash_secret(presented))? {
        if token.user_id == user_id {
            rt::revoke_family(conn, &token.family_id, crate::clock::now())?;
            tail::audited(conn, meta, actor, Event::ok("auth.logout", "refresh_family", &token.family_id))?;
        }
    }
    Ok(())
}
