//! Per-instance cache of current-knowledge progress tables. A table is reused only while the
//! database's statistics generation is unchanged; every change that can alter a statistic bumps
//! it in its own transaction, so instances behind a load balancer never serve stale figures.
//!
//! The generation is the sum of [`SLOTS`] counters and a change bumps one of them at random:
//! every bump raises the sum, so an unchanged sum means no change committed — and two writes
//! wait on each other for a slot only when they pick the same one, instead of every write in the
//! province queueing for one row until its commit (issue 19).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::schema::stat_generation_slots as slots;
use crate::stats::reports::report::Report;

/// Largest number of cached tables; the cache is emptied when it would grow beyond.
const CAPACITY: usize = 512;

/// What identifies a table: plan, indicator, year, as-of date (as asked) and drill-down city.
pub type Key = (String, String, i32, NaiveDate, Option<String>);

/// The cache.
#[derive(Debug, Default)]
pub struct StatsCache {
    tables: Mutex<HashMap<Key, (i64, Arc<Report>)>>,
    /// One lock per key, held while a missing table is computed, so that requests which miss
    /// together compute it once (measured: 64 connections missing at once put the first
    /// responses at 300 ms on PostgreSQL).
    flights: Mutex<HashMap<Key, Arc<Mutex<()>>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl StatsCache {
    /// The table for `key` computed at `generation`, if cached.
    pub fn get(&self, key: &Key, generation: i64) -> Option<Arc<Report>> {
        let tables = lock(&self.tables);
        tables.get(key).filter(|(g, _)| *g == generation).map(|(_, r)| r.clone())
    }

    /// Remembers a table computed at `generation`.
    pub fn put(&self, key: Key, generation: i64, report: Arc<Report>) {
        let mut tables = lock(&self.tables);
        if tables.len() >= CAPACITY {
            tables.clear();
            // A request holding a dropped flight lock finishes alone; at worst one table is
            // computed twice.
            lock(&self.flights).clear();
        }
        tables.insert(key, (generation, report));
    }

    /// The table for `key` at `generation`, computed by `compute` when it is not cached — once,
    /// however many requests miss together: the others wait (on their blocking threads) and
    /// take the result from the cache.
    pub fn get_or_compute(
        &self,
        key: Key,
        generation: i64,
        compute: impl FnOnce() -> Result<Report, AppError>,
    ) -> Result<Arc<Report>, AppError> {
        if let Some(hit) = self.get(&key, generation) {
            return Ok(hit);
        }
        let flight = lock(&self.flights).entry(key.clone()).or_default().clone();
        let _computing = lock(&flight);
        if let Some(hit) = self.get(&key, generation) {
            return Ok(hit);
        }
        let report = Arc::new(compute()?);
        self.put(key, generation, report.clone());
        Ok(report)
    }
}

/// How many counters the generation is spread over (the rows the migration made).
pub const SLOTS: i32 = 64;

/// The current statistics generation: the sum of the slots.
pub fn generation(conn: &mut DbConnection) -> Result<i64, AppError> {
    // 64 small rows summed here: SQL's SUM of a BIGINT is a NUMERIC on PostgreSQL.
    Ok(slots::table.select(slots::n).load::<i64>(conn)?.iter().sum())
}

/// Marks every cached table stale (call inside the changing transaction).
pub fn bump(conn: &mut DbConnection) -> Result<(), AppError> {
    let slot = rand::Rng::gen_range(&mut rand::thread_rng(), 0..SLOTS);
    crate::queries::prepared::BumpGeneration { slot }.execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;

    fn report() -> Report {
        let day = NaiveDate::from_ymd_opt(2023, 6, 30).unwrap();
        Report {
            query: crate::stats::reports::report::ProgressQuery {
                plan: "P".into(),
                indicator: "I".into(),
                year: 2023,
                as_of: day,
                known_at: day.and_hms_opt(0, 0, 0).unwrap(),
                current: true,
            },
            name_zh: String::new(),
            unit: "个",
            kind: "increment",
            tracked: true,
            total: None,
            total_target: None,
            city_target_sum: None,
            rows: Vec::new(),
        }
    }

    #[test]
    fn requests_missing_together_compute_once() {
        let cache = Arc::new(StatsCache::default());
        let computed = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(Barrier::new(8));
        let key: Key = ("P".into(), "I".into(), 2023, NaiveDate::from_ymd_opt(2023, 6, 30).unwrap(), None);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, computed, start, key) = (cache.clone(), computed.clone(), start.clone(), key.clone());
                std::thread::spawn(move || {
                    start.wait();
                    cache
                        .get_or_compute(key, 7, || {
                            computed.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Ok(report())
                        })
                        .unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        // A newer generation is computed afresh.
        cache.get_or_compute(key.clone(), 8, || Ok(report())).unwrap();
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        assert!(cache.get(&key, 8).is_some());
    }
}
