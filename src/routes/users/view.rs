//! The JSON shape of a user (never the hash).

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::conditional::etag;
use crate::queries::users::UserRow;

/// A user as the API shows it.
#[derive(Debug, Serialize)]
pub struct UserView {
    id: String,
    username: String,
    display_name: Option<String>,
    role: String,
    enterprise_id: Option<String>,
    city_code: Option<String>,
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
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            enterprise_id: u.enterprise_id,
            city_code: u.city_code,
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

/// A single-user response with its ETag.
pub fn respond(status: actix_web::http::StatusCode, user: UserRow) -> HttpResponse {
    let tag = etag(user.version);
    let location = format!("/api/v1/users/{}", user.id);
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, tag));
    if status == actix_web::http::StatusCode::CREATED {
        res.insert_header((header::LOCATION, location));
    }
    res.json(UserView::from(user))
}
