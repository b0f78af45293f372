//! The JSON shape of an enterprise; the contact phone is masked for everyone but the enterprise.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::auth::Principal;
use crate::conditional::etag;
use crate::domain::Phone;
use crate::error::AppError;
use crate::idempotency::StoredResponse;
use crate::queries::enterprises::EnterpriseRow;

/// An enterprise as the API shows it.
#[derive(Debug, Serialize)]
pub struct EnterpriseView {
    id: String,
    uscc: String,
    name: String,
    county_code: String,
    city_code: String,
    industry_code: Option<String>,
    size_class: Option<String>,
    contact_name: String,
    contact_phone: String,
    verified: bool,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    verified_at: Option<NaiveDateTime>,
    registered_via: String,
    version: i32,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    updated_at: NaiveDateTime,
}

/// The phone as `viewer` may see it.
fn phone_for(viewer: &Principal, e: &EnterpriseRow) -> String {
    if viewer.scope().is_enterprise(&e.id) {
        return e.contact_phone.clone();
    }
    Phone::parse(&e.contact_phone).map(|p| p.masked()).unwrap_or_else(|_| "****".into())
}

impl EnterpriseView {
    /// The view of `e` for `viewer`.
    pub fn for_viewer(e: EnterpriseRow, viewer: &Principal) -> Self {
        Self {
            contact_phone: phone_for(viewer, &e),
            id: e.id,
            uscc: e.uscc,
            name: e.name,
            county_code: e.county_code,
            city_code: e.city_code,
            industry_code: e.industry_code,
            size_class: e.size_class,
            contact_name: e.contact_name,
            verified: e.verified,
            verified_at: e.verified_at,
            registered_via: e.registered_via,
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A single-enterprise response with its ETag (and Location when created).
pub fn respond(status: StatusCode, e: EnterpriseRow, viewer: &Principal) -> HttpResponse {
    reply(status, e, viewer).map_or_else(HttpResponse::from_error, StoredResponse::into_response)
}

/// [`respond`] as a [`StoredResponse`], for handlers that honour `Idempotency-Key`.
pub fn reply(status: StatusCode, e: EnterpriseRow, viewer: &Principal) -> Result<StoredResponse, AppError> {
    let tag = etag(e.version);
    let location = format!("/api/v1/enterprises/{}", e.id);
    let res = StoredResponse::json(status, &EnterpriseView::for_viewer(e, viewer))?.with_header(header::ETAG, tag);
    Ok(if status == StatusCode::CREATED { res.with_header(header::LOCATION, location) } else { res })
}
