//! The report of an import (DESIGN §3.8): `{id, file_sha256, dry_run, rows, created_enterprises,
//! created_records, duplicates, errors, created_at}`, plus the media type, the rows that
//! duplicated a live record (each with that record's id) and who imported it.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::check::RowError;
use crate::error::AppError;
use crate::queries::imports::ImportRow;

/// A row that duplicates a live record (nothing written for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DuplicateRow {
    /// The row's line.
    pub row: u64,
    /// The live record it duplicates.
    pub milestone_id: String,
}

/// The report of an import.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The stored import's id; `null` when nothing was stored (a dry run, a refused list).
    pub id: Option<String>,
    /// SHA-256 of the file (lower-case hex).
    pub file_sha256: String,
    /// `csv` or `xlsx`.
    pub media_type: &'static str,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// Enterprises created (or that would be).
    pub created_enterprises: usize,
    /// Records created (or that would be).
    pub created_records: usize,
    /// Rows that duplicate a live record.
    pub duplicates: usize,
    /// Those rows, each with the record it duplicates.
    pub duplicate_rows: Vec<DuplicateRow>,
    /// How many faults the list has.
    pub error_count: usize,
    /// The faults, by row: all of them, or the first [`super::MAX_LISTED_ERRORS`].
    pub errors: Vec<RowError>,
    /// Who imported the list (the stored import's).
    pub created_by: Option<String>,
    /// When.
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    pub created_at: NaiveDateTime,
}

impl Report {
    /// The report of a stored import.
    pub fn of_stored(row: ImportRow) -> Result<Self, AppError> {
        let duplicate_rows: Vec<DuplicateRow> = serde_json::from_str(&row.duplicate_rows)
            .map_err(|e| AppError::internal(format!("stored duplicate rows of import {}: {e}", row.id)))?;
        let media_type = if row.media_type == "xlsx" { "xlsx" } else { "csv" };
        let count = |n: i32| usize::try_from(n).unwrap_or(0);
        Ok(Self {
            id: Some(row.id),
            file_sha256: row.file_sha256,
            media_type,
            dry_run: false,
            rows: count(row.row_count),
            created_enterprises: count(row.created_enterprises),
            created_records: count(row.created_records),
            duplicates: count(row.duplicates),
            duplicate_rows,
            error_count: 0,
            errors: Vec::new(),
            created_by: Some(row.created_by),
            created_at: row.created_at,
        })
    }

    /// The 422 of a list with faults: the report under `report`, nothing written.
    pub fn refused(&self) -> AppError {
        AppError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_list",
            format!("the list has {} fault(s); nothing was imported", self.error_count),
        )
        .with("report", serde_json::to_value(self).unwrap_or(serde_json::Value::Null))
    }
}
