//! Imports of official lists (§3.8): their stored reports, and the many-row reads and writes an
//! import makes (enterprises by USCC, live records of many enterprises, multi-row inserts).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enterprises::EnterpriseRow;
use super::milestones::{HistoryRow, MilestoneRow};
use crate::db::{self, DbConnection};
use crate::domain::MilestoneState;
use crate::schema::{enterprises, imports, milestone_history, milestone_types, milestones};

/// Rows per multi-row insert: within SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
/// for the widest table (milestones, 32 columns).
const INSERT_CHUNK: usize = 1_000;

/// Keys per `IN (…)` list.
const LOOKUP_CHUNK: usize = 1_000;

/// A stored (applied) import.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    /// Id (UUIDv7).
    pub id: String,
    /// SHA-256 of the file, lower-case hex.
    pub file_sha256: String,
    /// `csv` or `xlsx`.
    pub media_type: String,
    /// Data rows in the file.
    pub row_count: i32,
    /// Enterprises it created.
    pub created_enterprises: i32,
    /// Records it created.
    pub created_records: i32,
    /// Rows that duplicated a live record.
    pub duplicates: i32,
    /// Those rows with the record each duplicates, as a JSON array.
    pub duplicate_rows: String,
    /// The province officer who imported it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Inserts `row` unless an import of the same file exists; returns whether it did. A concurrent
/// import of the same file makes this wait for it on PostgreSQL, then do nothing.
pub fn claim(conn: &mut DbConnection, row: &ImportRow) -> QueryResult<bool> {
    let n = db::on_backend!(conn, c => diesel::insert_into(imports::table)
        .values(row)
        .on_conflict(imports::file_sha256)
        .do_nothing()
        .execute(c)?);
    Ok(n == 1)
}

/// The applied import of the file with this SHA-256.
pub fn by_sha256(conn: &mut DbConnection, sha256: &str) -> QueryResult<Option<ImportRow>> {
    imports::table.filter(imports::file_sha256.eq(sha256)).select(ImportRow::as_select()).first(conn).optional()
}

/// The import with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ImportRow>> {
    imports::table.find(id).select(ImportRow::as_select()).first(conn).optional()
}

/// A page of imports, newest first (ids are UUIDv7, so in time order), before `before`.
pub fn list(conn: &mut DbConnection, before: Option<&str>, limit: i64) -> QueryResult<Vec<ImportRow>> {
    let mut q = imports::table.select(ImportRow::as_select()).order(imports::id.desc()).limit(limit).into_boxed();
    if let Some(b) = before {
        q = q.filter(imports::id.lt(b.to_string()));
    }
    q.load(conn)
}

/// A catalogue row as an import reads it: code, Chinese name, levels, multiplicity, exclusive
/// group, validity.
pub type TypeColumns = (String, String, String, String, Option<String>, Option<i32>);

/// Every milestone type, in catalogue order.
pub fn types(conn: &mut DbConnection) -> QueryResult<Vec<TypeColumns>> {
    milestone_types::table
        .order((milestone_types::sort_order, milestone_types::code))
        .select((
            milestone_types::code,
            milestone_types::name_zh,
            milestone_types::levels,
            milestone_types::multiplicity,
            milestone_types::exclusive_group,
            milestone_types::validity_years,
        ))
        .load(conn)
}

/// The enterprises holding any of `usccs`.
pub fn enterprises_by_uscc(conn: &mut DbConnection, usccs: &[String]) -> QueryResult<Vec<EnterpriseRow>> {
    let mut out = Vec::new();
    for chunk in usccs.chunks(LOOKUP_CHUNK) {
        out.extend(
            enterprises::table.filter(enterprises::uscc.eq_any(chunk)).select(EnterpriseRow::as_select()).load(conn)?,
        );
    }
    Ok(out)
}

/// The records of `enterprise_ids` of `types` in non-terminal states or approved (multiplicity).
pub fn open_records(
    conn: &mut DbConnection,
    enterprise_ids: &[String],
    types: &[String],
) -> QueryResult<Vec<MilestoneRow>> {
    let mut out = Vec::new();
    for chunk in enterprise_ids.chunks(LOOKUP_CHUNK) {
        out.extend(
            milestones::table
                .filter(milestones::enterprise_id.eq_any(chunk))
                .filter(milestones::milestone_type.eq_any(types))
                .filter(milestones::state.eq_any(MilestoneState::OPEN_OR_APPROVED))
                .order(milestones::id)
                .select(MilestoneRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Inserts new enterprises: `COPY` on PostgreSQL (the demo loader's), many rows per statement
/// on SQLite.
pub fn insert_enterprises(conn: &mut DbConnection, rows: &[EnterpriseRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => crate::demo::postgres::copy_enterprises(c, rows).map(drop),
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(INSERT_CHUNK) {
                diesel::insert_into(enterprises::table).values(chunk).execute(c)?;
            }
            Ok(())
        }
    }
}

/// Inserts new records, as [`insert_enterprises`] does.
pub fn insert_records(conn: &mut DbConnection, rows: &[MilestoneRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => crate::demo::postgres::copy_milestones(c, rows).map(drop),
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(INSERT_CHUNK) {
                diesel::insert_into(milestones::table).values(chunk).execute(c)?;
            }
            Ok(())
        }
    }
}

/// Inserts the first history entries of new records, as [`insert_enterprises`] does.
pub fn insert_history(conn: &mut DbConnection, rows: &[HistoryRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => crate::demo::postgres::copy_history(c, rows).map(drop),
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(INSERT_CHUNK) {
                diesel::insert_into(milestone_history::table).values(chunk).execute(c)?;
            }
            Ok(())
        }
    }
}

/// Writes the counts of claimed import `id`: (rows, created enterprises, created records,
/// duplicates), and the duplicate rows' JSON.
pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    counts: (i32, i32, i32, i32),
    duplicate_rows: &str,
) -> QueryResult<()> {
    let (rows, enterprises, records, duplicates) = counts;
    diesel::update(imports::table.find(id))
        .set((
            imports::row_count.eq(rows),
            imports::created_enterprises.eq(enterprises),
            imports::created_records.eq(records),
            imports::duplicates.eq(duplicates),
            imports::duplicate_rows.eq(duplicate_rows),
        ))
        .execute(conn)
        .map(drop)
}
