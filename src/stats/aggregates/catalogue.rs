//! The milestone catalogue and the tracked indicators as the approval hook reads them, loaded
//! from the database once per process. No API changes those tables (they are seeded from the
//! binary's reference data), so an approval need not read them again: four statements fewer in
//! every approval and revocation.

use std::sync::{Arc, OnceLock};

use super::store::{tracked, TrackedIndicator};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::stats::definitions::model::TypeTable;
use crate::stats::reports::load;

/// What [`super::store::around`] needs to know of the catalogue.
#[derive(Debug)]
pub struct Catalogue {
    /// Every milestone type.
    pub types: TypeTable,
    /// Every tracked indicator with the types that can affect it.
    pub tracked: Vec<TrackedIndicator>,
}

impl Catalogue {
    /// Reads the catalogue (four queries).
    pub fn load(conn: &mut DbConnection) -> Result<Self, AppError> {
        let types = load::types(conn)?;
        let tracked = tracked(conn, &types)?;
        Ok(Self { types, tracked })
    }

    /// The tracked indicators a record of `type_code` can affect.
    pub fn affected_by(&self, type_code: &str) -> Vec<&TrackedIndicator> {
        self.tracked.iter().filter(|t| t.types.iter().any(|x| x == type_code)).collect()
    }
}

/// The catalogue of this process's database, read on first use.
#[derive(Debug, Default)]
pub struct CatalogueCache(OnceLock<Arc<Catalogue>>);

impl CatalogueCache {
    /// The catalogue, read with `conn` the first time.
    pub fn get(&self, conn: &mut DbConnection) -> Result<Arc<Catalogue>, AppError> {
        if let Some(c) = self.0.get() {
            return Ok(c.clone());
        }
        let loaded = Arc::new(Catalogue::load(conn)?);
        // Two first requests may both read it; either copy is the same.
        Ok(self.0.get_or_init(|| loaded).clone())
    }
}
