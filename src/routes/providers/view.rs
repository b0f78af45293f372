//! The JSON shape of a provider.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::queries::providers::ProviderRow;

/// A provider as the API shows it.
#[derive(Debug, Serialize)]
pub struct ProviderView {
    id: String,
    uscc: String,
    name: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
}

impl From<ProviderRow> for ProviderView {
    fn from(p: ProviderRow) -> Self {
        Self { id: p.id, uscc: p.uscc, name: p.name, created_at: p.created_at }
    }
}
