//! Shared application state handed to every handler.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;
use crate::reference::Reference;

/// What handlers need: the database, the reference data and the settings.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: Db,
    /// Embedded reference data (divisions, milestone catalogue).
    pub reference: Arc<Reference>,
    /// Validated configuration.
    pub settings: Arc<Settings>,
}
