//! The checks that need the other rows and the database (DESIGN §3.8): one enterprise per USCC
//! within the file, multiplicity against earlier rows of the file and against the enterprises'
//! live records (the rule of `crate::milestones::check_multiplicity`, applied to many
//! enterprises at once). A row that repeats a live record — same enterprise, type and level, and
//! for `many` types the same title — is a duplicate: reported with the record, nothing written.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::check::{CheckedRow, RowError, TypeEntry};
use super::report::DuplicateRow;
use crate::db::DbConnection;
use crate::domain::milestone::rules::conflicts;
use crate::domain::{ExistingRecord, Multiplicity};
use crate::error::AppError;
use crate::milestones::is_live;
use crate::queries::enterprises::EnterpriseRow;
use crate::queries::{imports as q, locks};

/// What an import will write.
#[derive(Debug, Default)]
pub struct Plan {
    /// The rows to write as records, in file order.
    pub rows: Vec<CheckedRow>,
    /// Registered enterprises by USCC (locked on PostgreSQL until the transaction ends).
    pub existing: HashMap<String, EnterpriseRow>,
    /// How many enterprises the rows create.
    pub new_enterprises: usize,
    /// Rows that duplicate a live record.
    pub duplicates: Vec<DuplicateRow>,
    /// Faults found here.
    pub errors: Vec<RowError>,
}

/// The key of the multiplicity rule: for `one` the type, for `one_per_level` also the level,
/// for `many` also the title (rows of `many` types conflict only when they repeat a record).
fn key(row: &CheckedRow, t: &TypeEntry) -> (String, usize, Option<String>, Option<String>) {
    match t.rules.multiplicity {
        Multiplicity::One => (row.uscc.clone(), row.type_index, None, None),
        Multiplicity::OnePerLevel => (row.uscc.clone(), row.type_index, row.level.clone(), None),
        Multiplicity::Many => (row.uscc.clone(), row.type_index, row.level.clone(), Some(row.title.clone())),
    }
}

/// Checks `rows` (each already valid on its own) against each other and the database; takes
/// the registered enterprises' locks first.
pub fn plan(
    conn: &mut DbConnection,
    rows: Vec<CheckedRow>,
    types: &[TypeEntry],
    today: NaiveDate,
) -> Result<Plan, AppError> {
    let mut usccs: Vec<String> = rows.iter().map(|r| r.uscc.clone()).collect();
    usccs.sort();
    usccs.dedup();
    let existing: HashMap<String, EnterpriseRow> =
        q::enterprises_by_uscc(conn, &usccs)?.into_iter().map(|e| (e.uscc.clone(), e)).collect();
    let ids: Vec<String> = existing.values().map(|e| e.id.clone()).collect();
    // Before the first read of their records (queries::locks).
    locks::enterprises(conn, &ids)?;
    let mut codes: Vec<String> = rows.iter().map(|r| types[r.type_index].code.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut live: HashMap<(String, String), Vec<crate::queries::milestones::MilestoneRow>> = HashMap::new();
    for m in q::open_records(conn, &ids, &codes)? {
        live.entry((m.enterprise_id.clone(), m.milestone_type.clone())).or_default().push(m);
    }

    let mut out = Plan { existing, ..Plan::default() };
    let mut first_of: HashMap<String, (u64, String, String)> = HashMap::new();
    let mut seen: HashMap<(String, usize, Option<String>, Option<String>), u64> = HashMap::new();
    for row in rows {
        let t = &types[row.type_index];
        let line = row.line;
        let fault = |field: &str, code: &str, message: String| RowError {
            row: line,
            field: field.into(),
            code: code.into(),
            message,
        };
        match first_of.get(&row.uscc) {
            Some((first, name, county)) if *name != row.name || *county != row.county_code => {
                out.errors.push(fault(
                    "uscc",
                    "conflicting_rows",
                    format!("row {first} gives this USCC another enterprise name or county"),
                ));
                continue;
            }
            Some(_) => {}
            None => {
                first_of.insert(row.uscc.clone(), (line, row.name.clone(), row.county_code.clone()));
            }
        }
        if let Some(first) = seen.get(&key(&row, t)) {
            out.errors.push(fault("type", "duplicate_row", format!("repeats the record of row {first}")));
            continue;
        }
        seen.insert(key(&row, t), line);
        if let Some(e) = out.existing.get(&row.uscc) {
            let records: Vec<&crate::queries::milestones::MilestoneRow> = live
                .get(&(e.id.clone(), t.code.clone()))
                .map(|v| v.iter().filter(|m| is_live(m, &t.rules, today)).collect())
                .unwrap_or_default();
            let same = records
                .iter()
                .find(|m| m.level == row.level && (t.rules.multiplicity != Multiplicity::Many || m.title == row.title));
            if let Some(m) = same {
                out.duplicates.push(DuplicateRow { row: line, milestone_id: m.id.clone() });
                continue;
            }
            let existing: Vec<ExistingRecord> = records
                .iter()
                .map(|m| ExistingRecord { id: m.id.clone(), level: m.level.clone(), state: m.state })
                .collect();
            if let Some(dup) = conflicts(&t.rules, row.level.as_deref(), &existing) {
                out.errors.push(fault(
                    "type",
                    "duplicate_milestone",
                    format!("the enterprise already has a live record of this type: {}", dup.id),
                ));
                continue;
            }
        }
        out.rows.push(row);
    }
    let mut new: Vec<&str> =
        out.rows.iter().map(|r| r.uscc.as_str()).filter(|u| !out.existing.contains_key(*u)).collect();
    new.sort_unstable();
    new.dedup();
    out.new_enterprises = new.len();
    Ok(out)
}
