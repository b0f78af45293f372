//! The JSON shape of a user (never the hash).

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::conditional::etag;
use crate::error::AppError;
use crate::idempotency::StoredResponse;
use crate::queries::users::UserRow;

/// Who an account is and its scope: what every view of an account shows (`/me` and `/users`).
#[derive(Debug, Serialize)]
pub struct AccountIdentity {
    id: String,
    username: String,
    display_name: Option<String>,
    role: String,
    enterprise_id: Option<String>,
    city_code: Option<String>,
    county_code: Option<String>,
    provider_id: Option<String>,
}

impl AccountIdentity {
    /// The identity of `u`.
    pub fn of(u: &UserRow) -> Self {
        Self {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            enterprise_id: u.enterprise_id.clone(),
            city_code: u.city_code.clone(),
            county_code: u.county_code.clone(),
            provider_id: u.provider_id.clone(),
        }
    }
}

/// A user as the API shows it to sysadmins.
#[derive(Debug, Serialize)]
pub struct UserView {
    #[serde(flatten)]
    identity: AccountIdentity,
    disabled: bool,
    locked: bool,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    locked_until: Option<NaiveDateTime>,
    must_change_password: bool,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    password_changed_at: NaiveDateTime,
    version: i32,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    updated_at: NaiveDateTime,
}

impl From<UserRow> for UserView {
    fn from(u: UserRow) -> Self {
        let now = crate::clock::now();
        let locked_until = u.locked_until.filter(|t| *t > now);
        Self {
            identity: AccountIdentity::of(&u),
            disabled: u.disabled,
            locked: locked_until.is_some(),
            locked_until,
            must_change_password: u.must_change_password,
            password_changed_at: u.password_changed_at,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A single-user response with its ETag (and Location when created).
pub fn respond(status: StatusCode, user: UserRow) -> HttpResponse {
    reply(status, user).map_or_else(HttpResponse::from_error, StoredResponse::into_response)
}

/// [`respond`] as a [`StoredResponse`], for handlers that honour `Idempotency-Key`.
pub fn reply(status: StatusCode, user: UserRow) -> Result<StoredResponse, AppError> {
    let tag = etag(user.version);
    let location = format!("/api/v1/users/{}", user.id);
    let res = StoredResponse::json(status, &UserView::from(user))?.with_header(header::ETAG, tag);
    Ok(if status == StatusCode::CREATED { res.with_header(header::LOCATION, location) } else { res })
}
