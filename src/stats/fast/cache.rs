//! Per-instance cache of current-knowledge progress tables. A table is reused only while the
//! database's statistics generation is unchanged; every change that can alter a statistic bumps
//! it in its own transaction, so instances behind a load balancer never serve stale figures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::schema::stat_generation;
use crate::stats::report::Report;

/// Largest number of cached tables; the cache is emptied when it would grow beyond.
const CAPACITY: usize = 512;

/// What identifies a table: plan, indicator, year, as-of date (as asked) and drill-down city.
pub type Key = (String, String, i32, NaiveDate, Option<String>);

/// The cache.
#[derive(Debug, Default)]
pub struct StatsCache {
    tables: Mutex<HashMap<Key, (i64, Arc<Report>)>>,
}

impl StatsCache {
    /// The table for `key` computed at `generation`, if cached.
    pub fn get(&self, key: &Key, generation: i64) -> Option<Arc<Report>> {
        let tables = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        tables.get(key).filter(|(g, _)| *g == generation).map(|(_, r)| r.clone())
    }

    /// Remembers a table computed at `generation`.
    pub fn put(&self, key: Key, generation: i64, report: Arc<Report>) {
        let mut tables = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        if tables.len() >= CAPACITY {
            tables.clear();
        }
        tables.insert(key, (generation, report));
    }
}

/// The current statistics generation.
pub fn generation(conn: &mut DbConnection) -> Result<i64, AppError> {
    Ok(stat_generation::table.find(1).select(stat_generation::n).first(conn)?)
}

/// Marks every cached table stale (call inside the changing transaction).
pub fn bump(conn: &mut DbConnection) -> Result<(), AppError> {
    diesel::update(stat_generation::table.find(1)).set(stat_generation::n.eq(stat_generation::n + 1)).execute(conn)?;
    Ok(())
}
