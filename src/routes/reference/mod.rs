//! Public reference data: divisions, milestone types, plans and indicators.

pub mod divisions;
pub mod indicators;
pub mod milestone_types;
pub mod plans;
pub mod quotas;

use serde::Serialize;

/// A plain list wrapper (`{"items": [...]}`); reference lists are small and unpaged.
#[derive(Debug, Serialize)]
pub struct Items<T> {
    /// The rows.
    pub items: Vec<T>,
}
