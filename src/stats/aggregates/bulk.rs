//! Keeping the aggregates in step when one transaction changes the records of many enterprises
//! (an import of an official list): [`super::store::Before`] for many enterprises at once. Each
//! enterprise's contribution is computed as for one approval ([`enterprise_deltas`],
//! [`knowledge_history`]) — the contributions of the enterprises before the change are
//! subtracted, those after it added, and the sums written in one pass. Contributions add up, so
//! the result equals one `Before`/`settle` per enterprise, with a bounded number of statements.

use std::collections::BTreeMap;

use super::catalogue::Catalogue;
use super::events::{enterprise_deltas, knowledge_history, Deltas, KnownDeltas};
use super::known;
use super::store::{self, TrackedIndicator};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::stats::definitions::model::RecordFacts;
use crate::stats::reports::load::{self, FactScope};

/// Enterprises whose records are read per statement.
const CHUNK: usize = 500;

/// The running difference a change makes to the aggregates of the indicators it can affect.
pub struct Bulk<'c> {
    catalogue: &'c Catalogue,
    list: Vec<&'c TrackedIndicator>,
    codes: Vec<String>,
    daily: Vec<Deltas>,
    known: Vec<KnownDeltas>,
}

impl<'c> Bulk<'c> {
    /// For a change of records of `type_codes`.
    pub fn new(catalogue: &'c Catalogue, type_codes: &[String]) -> Self {
        let mut list: Vec<&TrackedIndicator> = Vec::new();
        for code in type_codes {
            for t in catalogue.affected_by(code) {
                if !list.iter().any(|x| x.plan == t.plan && x.code == t.code) {
                    list.push(t);
                }
            }
        }
        let mut codes: Vec<String> = list.iter().flat_map(|t| t.types.iter().cloned()).collect();
        codes.sort();
        codes.dedup();
        let n = list.len();
        Self { catalogue, list, codes, daily: vec![Deltas::new(); n], known: vec![KnownDeltas::new(); n] }
    }

    /// Subtracts what `enterprise_ids` contribute now (before the change).
    pub fn before(&mut self, conn: &mut DbConnection, enterprise_ids: &[String]) -> Result<(), AppError> {
        self.account(conn, enterprise_ids, -1)
    }

    /// Adds what `enterprise_ids` contribute now (after the change).
    pub fn after(&mut self, conn: &mut DbConnection, enterprise_ids: &[String]) -> Result<(), AppError> {
        self.account(conn, enterprise_ids, 1)
    }

    /// Adds what enterprises new in this transaction contribute: `records`, every record they
    /// have (approved ones count), in hand — no need to read them back.
    pub fn new_enterprises(&mut self, mut records: Vec<RecordFacts>) {
        records.sort_by(|a, b| a.enterprise_id.cmp(&b.enterprise_id));
        self.account_facts(&records, 1);
    }

    fn account(&mut self, conn: &mut DbConnection, enterprise_ids: &[String], sign: i64) -> Result<(), AppError> {
        if self.list.is_empty() {
            return Ok(());
        }
        for chunk in enterprise_ids.chunks(CHUNK) {
            let facts = load::facts(conn, &self.codes, FactScope::Enterprises(chunk))?;
            self.account_facts(&facts, sign);
        }
        Ok(())
    }

    /// Adds `sign` × the contributions of `facts` (grouped by enterprise, consecutive).
    fn account_facts(&mut self, facts: &[RecordFacts], sign: i64) {
        let types = &self.catalogue.types;
        for records in facts.chunk_by(|a, b| a.enterprise_id == b.enterprise_id) {
            for (i, t) in self.list.iter().enumerate() {
                let mine: Vec<RecordFacts> = records
                    .iter()
                    .filter(|f| t.types.contains(&f.milestone_type) && f.approved_at.is_some())
                    .cloned()
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                add_into(&mut self.daily[i], enterprise_deltas(&mine, &t.def, types), sign);
                add_into(&mut self.known[i], knowledge_history(&mine, &t.def, types), sign);
            }
        }
    }

    /// Writes the difference to `stat_daily` and the knowledge-time aggregate.
    pub fn settle(self, conn: &mut DbConnection) -> Result<(), AppError> {
        let mut daily = self.daily;
        for d in &mut daily {
            d.retain(|_, v| *v != 0);
        }
        store::add(conn, self.list.iter().zip(&daily).map(|(t, d)| (t.plan.as_str(), t.code.as_str(), d)))?;
        let known = self
            .list
            .iter()
            .zip(self.known)
            .map(|(t, mut k)| {
                k.retain(|_, v| *v != 0);
                (t.plan.as_str(), t.code.as_str(), k)
            })
            .collect();
        known::add(conn, known)
    }
}

fn add_into<K: Ord>(total: &mut BTreeMap<K, i64>, part: BTreeMap<K, i64>, sign: i64) {
    for (k, v) in part {
        *total.entry(k).or_default() += sign * v;
    }
}
