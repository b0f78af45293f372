//! User accounts: lookups, creation, lockout counters and administrative updates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::users;

/// A stored user (the hash never leaves the query and auth layers).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id (UUIDv7).
    pub id: String,
    /// Lower-case login name.
    pub username: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Role name.
    pub role: String,
    /// Enterprise scope.
    pub enterprise_id: Option<String>,
    /// City scope.
    pub city_code: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Must change password at next login.
    pub must_change_password: bool,
    /// When the password was last set.
    pub password_changed_at: NaiveDateTime,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Consecutive failed logins.
    pub failed_logins: i32,
    /// Locked until this time.
    pub locked_until: Option<NaiveDateTime>,
    /// Optimistic version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// County scope (county reviewers).
    pub county_code: Option<String>,
    /// Provider scope (providers' users).
    pub provider_id: Option<String>,
}

/// Inserts a user.
pub fn insert(conn: &mut DbConnection, row: &UserRow) -> QueryResult<bool> {
    // A concurrent insert of the same username makes this one wait for it, then do nothing:
    // the caller answers as it would have had it come second.
    let n = crate::db::on_backend!(conn, c => diesel::insert_into(users::table).values(row).on_conflict_do_nothing().execute(c)?);
    Ok(n == 1)
}

/// The user with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

/// The user with this (lower-case) username.
pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

/// Filters for listing users.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    /// Only this role.
    pub role: Option<String>,
    /// Only enabled (`false`) or disabled (`true`) accounts.
    pub disabled: Option<bool>,
    /// Only users of this enterprise.
    pub enterprise_id: Option<String>,
}

/// A page of users in id order after `after`.
pub fn list(conn: &mut DbConnection, f: &UserFilter, after: Option<&str>, limit: i64) -> QueryResult<Vec<UserRow>> {
    let mut q = users::table.select(UserRow::as_select()).order(users::id).limit(limit).into_boxed();
    if let Some(role) = &f.role {
        q = q.filter(users::role.eq(role.clone()));
    }
    if let Some(d) = f.disabled {
        q = q.filter(users::disabled.eq(d));
    }
    if let Some(e) = &f.enterprise_id {
        q = q.filter(users::enterprise_id.eq(e.clone()));
    }
    if let Some(a) = after {
        q = q.filter(users::id.gt(a.to_string()));
    }
    q.load(conn)
}

/// Counts one more failed login and locks the account when `threshold` is reached; returns
/// the count reached, or `None` when the account is locked at `now` (locked by a concurrent
/// attempt after the caller read it: that attempt is not counted). One conditional `UPDATE`, so
/// racing attempts count one after the other and exactly one of them locks.
pub fn record_failure(
    conn: &mut DbConnection,
    id: &str,
    threshold: i32,
    now: NaiveDateTime,
    lock_until: NaiveDateTime,
) -> QueryResult<Option<i32>> {
    let unlocked = users::locked_until.is_null().or(users::locked_until.le(now));
    let count: Option<i32> = diesel::update(users::table.filter(users::id.eq(id)).filter(unlocked))
        .set(users::failed_logins.eq(users::failed_logins + 1))
        .returning(users::failed_logins)
        .get_result(conn)
        .optional()?;
    if count.is_some_and(|n| n >= threshold) {
        diesel::update(users::table.find(id))
            .set((users::locked_until.eq(Some(lock_until)), users::failed_logins.eq(0)))
            .execute(conn)?;
    }
    Ok(count)
}

/// Clears the failure counter after a successful login.
pub fn record_success(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::failed_logins.eq(0), users::locked_until.eq(None::<NaiveDateTime>)))
        .execute(conn)
        .map(drop)
}

/// Administrative changes (only the fields given), guarded by the expected version; returns
/// whether the row matched.
pub fn update_admin(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    disabled: Option<bool>,
    display_name: Option<Option<String>>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = users::table.filter(users::id.eq(id)).filter(users::version.eq(expected_version));
    let n =
        diesel::update(target).set((users::version.eq(users::version + 1), users::updated_at.eq(now))).execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    if let Some(d) = disabled {
        diesel::update(users::table.find(id)).set(users::disabled.eq(d)).execute(conn)?;
    }
    if let Some(name) = display_name {
        diesel::update(users::table.find(id)).set(users::display_name.eq(name)).execute(conn)?;
    }
    Ok(true)
}

/// Unlocks an account and clears its failure counter.
pub fn unlock(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Sets a new password hash and clears the must-change flag.
pub fn set_password(conn: &mut DbConnection, id: &str, hash: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(false),
            users::password_changed_at.eq(now),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}
