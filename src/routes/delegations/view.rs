//! The JSON shape of a delegation.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::providers::delegations::{in_force, Delegation};

/// A delegation as the API shows it; `in_force` as of the request's day.
#[derive(Debug, Serialize)]
pub struct DelegationView {
    id: String,
    enterprise_id: String,
    provider_id: String,
    provider_name: String,
    types: Vec<String>,
    expires_on: Option<NaiveDate>,
    in_force: bool,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    created_by: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    revoked_at: Option<NaiveDateTime>,
}

impl DelegationView {
    /// `d` as seen on `today`.
    pub fn new(d: Delegation, today: NaiveDate) -> Self {
        let in_force = in_force(&d.row, today);
        let r = d.row;
        Self {
            id: r.id,
            enterprise_id: r.enterprise_id,
            provider_id: r.provider_id,
            provider_name: d.provider_name,
            types: d.types,
            expires_on: r.expires_on,
            in_force,
            created_at: r.created_at,
            created_by: r.created_by,
            revoked_at: r.revoked_at,
        }
    }
}
