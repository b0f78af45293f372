//! Creating accounts, shared by `POST /users` and the `create-user` command: validation of the
//! username, role and scope (separation of duties), the password policy, and the insert with its
//! audit entry.

pub mod admin;
pub mod clients;
pub mod names;
pub mod sessions;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::password;
use crate::db::DbConnection;
use crate::domain::{DivisionCode, Role};
use crate::error::{AppError, FieldError};
use crate::queries::{enterprises, providers, users};
use crate::reference::Reference;
use crate::tail;

/// A login name: 3–64 characters of `a-z 0-9 . _ -`, starting with a letter or digit; input is
/// trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Normalises and checks a username.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_lowercase();
        let len = s.chars().count();
        if !(3..=64).contains(&len) {
            return Err("must be 3 to 64 characters long".into());
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)) {
            return Err("may contain only letters, digits, `.`, `_` and `-`".into());
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err("must start with a letter or digit".into());
        }
        Ok(Self(s))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Unvalidated input for a new account.
#[derive(Debug, Clone, Default)]
pub struct RawAccount {
    /// Login name.
    pub username: String,
    /// Initial password.
    pub password: String,
    /// Role name.
    pub role: String,
    /// Enterprise scope.
    pub enterprise_id: Option<String>,
    /// City scope.
    pub city_code: Option<String>,
    /// County scope.
    pub county_code: Option<String>,
    /// Provider scope.
    pub provider_id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
}

/// A validated new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login name.
    pub username: Username,
    /// Initial password (policy-checked).
    pub password: String,
    /// The one role (separation of duties: an account holds exactly one).
    pub role: Role,
    /// Enterprise scope (enterprise role only).
    pub enterprise_id: Option<String>,
    /// City scope (city reviewers only).
    pub city_code: Option<String>,
    /// County scope (county reviewers only).
    pub county_code: Option<String>,
    /// Provider scope (providers only).
    pub provider_id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// Whether the account must change its password at first login.
    pub must_change_password: bool,
}

/// A reviewer's region field (`city_code`, `county_code`): required for its role, refused for
/// every other, checked at its level.
struct RegionField {
    field: &'static str,
    role: Role,
    invalid: &'static str,
}

impl RegionField {
    /// The trimmed code, or `None` with the field's error pushed.
    fn check(
        &self,
        raw: Option<String>,
        role: Option<Role>,
        parse: impl Fn(&str) -> Result<DivisionCode, String>,
        errors: &mut Vec<FieldError>,
    ) -> Option<String> {
        let code = raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        match (role, &code) {
            (Some(r), None) if r == self.role => {
                errors.push(FieldError::new(self.field, "required", format!("is required for the {r} role")))
            }
            (Some(r), Some(_)) if r != self.role => {
                errors.push(FieldError::new(self.field, "not_allowed", format!("must not be given for the role `{r}`")))
            }
            (_, Some(c)) => {
                if let Err(m) = parse(c) {
                    errors.push(FieldError::new(self.field, self.invalid, m));
                }
            }
            _ => {}
        }
        code
    }
}

/// The provider scope (`provider_id`): required for, and only for, the provider role; a UUID.
fn provider_field(raw: Option<String>, role: Option<Role>, errors: &mut Vec<FieldError>) -> Option<String> {
    let id = raw.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    match (role, &id) {
        (Some(Role::Provider), None) => {
            errors.push(FieldError::new("provider_id", "required", "is required for the provider role"))
        }
        (Some(r), Some(_)) if r != Role::Provider => {
            errors.push(FieldError::new("provider_id", "not_allowed", format!("must not be given for the role `{r}`")))
        }
        (_, Some(id)) if uuid::Uuid::parse_str(id).is_err() => {
            errors.push(FieldError::new("provider_id", "invalid_format", "must be a UUID"))
        }
        _ => {}
    }
    id
}

/// Validates every field, reporting all that are wrong at once.
pub fn validate(raw: RawAccount, reference: &Reference, must_change_password: bool) -> Result<NewAccount, AppError> {
    let mut errors = Vec::new();
    let username = Username::parse(&raw.username)
        .map_err(|m| errors.push(FieldError::new("username", "invalid_username", m)))
        .ok();
    let role = Role::parse(raw.role.trim()).map_err(|m| errors.push(FieldError::new("role", "invalid_role", m))).ok();
    let enterprise_id = raw.enterprise_id.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    match (role, &enterprise_id) {
        (Some(Role::Enterprise), None) => {
            errors.push(FieldError::new("enterprise_id", "required", "is required for the enterprise role"))
        }
        (Some(r), Some(_)) if r != Role::Enterprise => errors.push(FieldError::new(
            "enterprise_id",
            "not_allowed",
            format!("must not be given for the role `{r}`"),
        )),
        (_, Some(id)) if uuid::Uuid::parse_str(id).is_err() => {
            errors.push(FieldError::new("enterprise_id", "invalid_format", "must be a UUID"))
        }
        _ => {}
    }
    let provider_id = provider_field(raw.provider_id, role, &mut errors);
    let city = RegionField { field: "city_code", role: Role::CityReviewer, invalid: "invalid_city" };
    let city_code = city.check(raw.city_code, role, |c| DivisionCode::parse_city(c, reference), &mut errors);
    let county = RegionField { field: "county_code", role: Role::CountyReviewer, invalid: "invalid_county" };
    let county_code = county.check(raw.county_code, role, |c| DivisionCode::parse_county(c, reference), &mut errors);
    let display_name = match raw.display_name.as_deref().map(names::display_name).transpose() {
        Ok(name) => name.flatten(),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    if let Some(u) = &username {
        if let Err(e) = password::check_policy(&raw.password, u.as_str(), "password") {
            errors.extend(e.field_errors().iter().cloned());
        }
    }
    match (username, role) {
        (Some(username), Some(role)) if errors.is_empty() => Ok(NewAccount {
            username,
            password: raw.password,
            role,
            enterprise_id,
            city_code,
            county_code,
            provider_id,
            display_name,
            must_change_password,
        }),
        _ => Err(AppError::validation(errors)),
    }
}

/// Inserts a validated account with its (already computed) password hash and audits it.
pub fn insert(
    conn: &mut DbConnection,
    account: &NewAccount,
    password_hash: String,
    meta: &RequestMeta,
    actor: &Actor,
) -> Result<users::UserRow, AppError> {
    let taken = || AppError::conflict("username_taken", "this username is already taken").with("field", "username");
    if users::find_by_username(conn, account.username.as_str())?.is_some() {
        return Err(taken());
    }
    if let Some(e) = &account.enterprise_id {
        if !enterprises::exists(conn, e)? {
            return Err(AppError::invalid_field("enterprise_id", "not_found", "no enterprise has this id"));
        }
    }
    if let Some(p) = &account.provider_id {
        if providers::find(conn, p)?.is_none() {
            return Err(AppError::invalid_field("provider_id", "not_found", "no provider has this id"));
        }
    }
    let now = crate::clock::now();
    let row = users::UserRow {
        id: uuid::Uuid::now_v7().to_string(),
        username: account.username.as_str().to_string(),
        display_name: account.display_name.clone(),
        role: account.role.as_str().to_string(),
        enterprise_id: account.enterprise_id.clone(),
        city_code: account.city_code.clone(),
        county_code: account.county_code.clone(),
        provider_id: account.provider_id.clone(),
        password_hash,
        must_change_password: account.must_change_password,
        password_changed_at: now,
        disabled: false,
        failed_logins: 0,
        locked_until: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    if !users::insert(conn, &row)? {
        return Err(taken());
    }
    tail::audited(
        conn,
        meta,
        actor,
        Event::ok("user.create", "user", &row.id).detail(serde_json::json!({
            "username": row.username, "role": row.role,
            "enterprise_id": row.enterprise_id, "city_code": row.city_code, "county_code": row.county_code,
            "provider_id": row.provider_id,
        })),
    )?;
    Ok(row)
}

/// Creates an account outside HTTP (the `create-user` command): validates, hashes and inserts,
/// audited as the system. Call it inside `Db::write` (one transaction, serialised on SQLite).
pub fn create_direct(
    conn: &mut DbConnection,
    raw: RawAccount,
    reference: &Reference,
    must_change_password: bool,
) -> Result<users::UserRow, AppError> {
    let account = validate(raw, reference, must_change_password)?;
    let hash = password::hash(&account.password)?;
    insert(conn, &account, hash, &RequestMeta::default(), &Actor::System("cli"))
}
