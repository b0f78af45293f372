//! Imports of the province's official lists (DESIGN §3.8): a CSV or `.xlsx` file of recognitions
//! (文号, batch, enterprises, type, level, date) becomes approved records in one transaction.
//!
//! [`import`] runs inside the caller's write transaction, in this order: a file imported before
//! (same SHA-256) answers its stored report and writes nothing; otherwise the import's row is
//! claimed first (two concurrent imports of one file: the second waits, then replays the first),
//! then the file is read row by row and each row checked on its own ([`check`]), then against
//! the other rows and the database under the enterprises' locks ([`plan`]). Any fault: 422 with
//! the whole report, and the transaction (with its claim) rolls back. A dry run stops there with
//! the report. Otherwise [`apply`] writes everything and the tail records one audit event.

pub mod apply;
pub mod check;
pub mod plan;
pub mod read;
pub mod report;

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use crate::audit::{Actor, Event, RequestMeta};
use crate::db::DbConnection;
use crate::domain::TypeRules;
use crate::error::AppError;
use crate::queries::imports::{self as q, ImportRow};
use crate::reference::{MilestoneTypeRow, Reference};
use crate::stats::aggregates::catalogue::CatalogueCache;
use crate::tail::{self, Figures};

use check::{check_row, CheckedRow, RowError, TypeEntry};
use read::Format;
use report::Report;

/// Faults listed in a report at most (the first ones in file order; `error_count` counts all),
/// which bounds a refused list's report whatever the file holds.
pub const MAX_LISTED_ERRORS: usize = 10_000;

/// Who imports, from where, and when.
#[derive(Debug, Clone)]
pub struct Importer {
    /// Id written as the records' creator and approver (a user id, or `system`).
    pub id: String,
    /// Role written in the history (`province_officer`, or `system`).
    pub role: String,
    /// The audit trail's actor.
    pub actor: Actor,
    /// Request origin for the audit trail.
    pub meta: RequestMeta,
    /// Now (UTC).
    pub now: NaiveDateTime,
    /// Today in Asia/Shanghai (no date may be after it).
    pub today: NaiveDate,
}

/// What an import answered.
#[derive(Debug)]
pub enum Outcome {
    /// Written now (201).
    Applied(Report),
    /// The same file was imported before: its report (200), nothing written.
    Replayed(Report),
    /// A dry run of a valid list (200), nothing written.
    DryRun(Report),
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The catalogue as imports read it (types added by the province included).
fn types(conn: &mut DbConnection) -> Result<Vec<TypeEntry>, AppError> {
    q::types(conn)?
        .into_iter()
        .map(|(code, name_zh, levels, multiplicity, exclusive_group, validity_years)| {
            let row = MilestoneTypeRow {
                code: code.clone(),
                name_zh: name_zh.clone(),
                name_en: String::new(),
                levels,
                multiplicity,
                exclusive_group,
                validity_years,
                recognised_by: String::new(),
                review_chain: String::new(),
                publicity_days: 0,
            };
            let rules = TypeRules::from_row(&row).map_err(AppError::internal)?;
            Ok(TypeEntry { code, name_zh, rules })
        })
        .collect()
}

/// Imports the list `bytes` in `format` (inside the caller's transaction; see the module doc).
/// `progress` is called with the number of rows read so far, now and then.
#[allow(clippy::too_many_arguments)]
pub fn import(
    conn: &mut DbConnection,
    by: &Importer,
    reference: &Reference,
    catalogue: &CatalogueCache,
    format: Format,
    bytes: &[u8],
    dry_run: bool,
    progress: &dyn Fn(usize),
) -> Result<Outcome, AppError> {
    let started = std::time::Instant::now();
    let sha = sha256_hex(bytes);
    if let Some(stored) = q::by_sha256(conn, &sha)? {
        return Ok(Outcome::Replayed(Report::of_stored(stored)?));
    }
    let id = uuid::Uuid::now_v7().to_string();
    if !dry_run {
        let claim = ImportRow {
            id: id.clone(),
            file_sha256: sha.clone(),
            media_type: format.as_str().into(),
            row_count: 0,
            created_enterprises: 0,
            created_records: 0,
            duplicates: 0,
            duplicate_rows: "[]".into(),
            created_by: by.id.clone(),
            created_at: by.now,
        };
        if !q::claim(conn, &claim)? {
            // Imported concurrently: that transaction has committed by now.
            let stored =
                q::by_sha256(conn, &sha)?.ok_or_else(|| AppError::internal("import claim without a holder"))?;
            return Ok(Outcome::Replayed(Report::of_stored(stored)?));
        }
    }
    let types = types(conn)?;
    let mut checked: Vec<CheckedRow> = Vec::new();
    let mut errors: Vec<RowError> = Vec::new();
    let mut error_count = 0;
    let mut seen = 0;
    let rows = read::read(format, bytes, |row| {
        match check_row(&row, &types, reference, by.today) {
            Ok(c) => checked.push(c),
            Err(e) => {
                error_count += e.len();
                errors.extend(e.into_iter().take(MAX_LISTED_ERRORS.saturating_sub(errors.len())));
            }
        }
        seen += 1;
        if seen % 10_000 == 0 {
            progress(seen);
        }
    })?;
    let read_ms = started.elapsed().as_millis();
    let plan = plan::plan(conn, checked, &types, by.today)?;
    let plan_ms = started.elapsed().as_millis() - read_ms;
    error_count += plan.errors.len();
    errors.extend(plan.errors.iter().cloned());
    // Stable: a row's own faults keep their order.
    errors.sort_by_key(|e| e.row);
    errors.truncate(MAX_LISTED_ERRORS);
    let mut report = Report {
        id: None,
        file_sha256: sha,
        media_type: format.as_str(),
        dry_run,
        rows,
        created_enterprises: plan.new_enterprises,
        created_records: plan.rows.len(),
        duplicates: plan.duplicates.len(),
        duplicate_rows: plan.duplicates.clone(),
        error_count,
        errors,
        created_by: None,
        created_at: by.now,
    };
    if !report.errors.is_empty() {
        return Err(report.refused());
    }
    if dry_run {
        return Ok(Outcome::DryRun(report));
    }
    let catalogue = catalogue.get(conn)?;
    let superseded = apply::apply(conn, by, reference, &catalogue, &types, &plan, &id)?;
    let count = |n: usize| i32::try_from(n).map_err(|_| AppError::internal("count out of range"));
    q::finish(
        conn,
        &id,
        (count(rows)?, count(report.created_enterprises)?, count(report.created_records)?, count(report.duplicates)?),
        &serde_json::to_string(&report.duplicate_rows).map_err(|e| AppError::internal(e.to_string()))?,
    )?;
    report.id = Some(id.clone());
    report.created_by = Some(by.id.clone());
    let detail = serde_json::json!({
        "file_sha256": report.file_sha256,
        "media_type": report.media_type,
        "rows": report.rows,
        "created_enterprises": report.created_enterprises,
        "created_records": report.created_records,
        "duplicates": report.duplicates,
    });
    let events = std::iter::once(Event::ok("import.apply", "import", &id).detail(detail)).chain(
        superseded.iter().flat_map(|(record, ended)| crate::milestones::transitions::supersede_events(record, ended)),
    );
    tail::finish(conn, &by.meta, &by.actor, Figures::Changed, events)?;
    let apply_ms = started.elapsed().as_millis() - read_ms - plan_ms;
    tracing::info!(import = %id, rows, read_ms, plan_ms, apply_ms, "official list imported");
    Ok(Outcome::Applied(report))
}
