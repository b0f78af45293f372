//! Bulk writing on SQLite: multi-row `INSERT … VALUES (…),(…)` statements of a few hundred rows
//! with bound parameters (kept under SQLite's 32,766-parameter limit, prepared once and reused
//! through diesel's statement cache), one transaction per chunk, with `synchronous = OFF` and a
//! large page cache for the duration of the load.

use diesel::connection::SimpleConnection;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Date, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{Connection, QueryResult, RunQueryDsl};

use super::generate::Chunk;
use super::progress::Progress;
use crate::queries::enterprises::EnterpriseRow;
use crate::queries::milestones::{HistoryRow, MilestoneRow};

/// Rows per statement (at most 32,766 / columns).
const ROWS_PER_STATEMENT: usize = 500;

/// A row that binds its columns in the order of [`SqliteRow::COLUMNS`].
trait SqliteRow {
    /// The table.
    const TABLE: &'static str;
    /// Its columns, in binding order.
    const COLUMNS: &'static [&'static str];
    /// Binds one row's values, separated by commas.
    fn bind<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()>;
}

/// `INSERT INTO table (columns) VALUES (…),(…)` for a slice of rows.
struct MultiInsert<'a, R> {
    rows: &'a [R],
}

impl<R: SqliteRow> QueryFragment<Sqlite> for MultiInsert<'_, R> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        out.push_sql(R::TABLE);
        out.push_sql(" (");
        out.push_sql(&R::COLUMNS.join(", "));
        out.push_sql(") VALUES ");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_sql(if i == 0 { "(" } else { "), (" });
            row.bind(&mut out)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

// No static id: diesel caches the prepared statement by its SQL text, so every full batch of a
// table reuses one statement.
impl<R> QueryId for MultiInsert<'_, R> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<R> RunQueryDsl<SqliteConnection> for MultiInsert<'_, R> {}

/// Binds `value` as `$ty`, preceded by a comma unless it is the first column.
macro_rules! bind_all {
    ($out:ident; $first_ty:ty => $first:expr $(, $ty:ty => $value:expr)* $(,)?) => {{
        $out.push_bind_param::<$first_ty, _>($first)?;
        $(
            $out.push_sql(", ");
            $out.push_bind_param::<$ty, _>($value)?;
        )*
        Ok(())
    }};
}

impl SqliteRow for EnterpriseRow {
    const TABLE: &'static str = "enterprises";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "uscc",
        "name",
        "county_code",
        "city_code",
        "industry_code",
        "size_class",
        "contact_name",
        "contact_phone",
        "verified",
        "verified_at",
        "verified_by",
        "registered_via",
        "version",
        "created_at",
        "updated_at",
    ];

    fn bind<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        bind_all!(out;
            Text => &self.id, Text => &self.uscc, Text => &self.name, Text => &self.county_code,
            Text => &self.city_code, Nullable<Text> => &self.industry_code, Nullable<Text> => &self.size_class,
            Text => &self.contact_name, Text => &self.contact_phone, Bool => &self.verified,
            Nullable<Timestamp> => &self.verified_at, Nullable<Text> => &self.verified_by,
            Text => &self.registered_via, Integer => &self.version, Timestamp => &self.created_at,
            Timestamp => &self.updated_at,
        )
    }
}

impl SqliteRow for MilestoneRow {
    const TABLE: &'static str = "milestones";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "enterprise_id",
        "milestone_type",
        "level",
        "effective_on",
        "title",
        "details",
        "evidence",
        "county_code",
        "city_code",
        "state",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "decided_by",
        "comment",
        "approved_at",
        "revoked_at",
        "revoked_effective_on",
        "ended_on",
        "review_chain",
        "publicity_days",
        "stage",
        "publicity_starts_on",
        "publicity_ends_on",
        "document_no",
        "batch",
        "recommended_on",
        "priority",
        "import_id",
        "submitted_by",
        "provider_id",
    ];

    fn bind<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        bind_all!(out;
            Text => &self.id, Text => &self.enterprise_id, Text => &self.milestone_type,
            Nullable<Text> => &self.level, Date => &self.effective_on, Text => &self.title,
            Nullable<Text> => &self.details, Nullable<Text> => &self.evidence, Text => &self.county_code,
            Text => &self.city_code, Text => &self.state, Integer => &self.version,
            Text => &self.created_by, Timestamp => &self.created_at, Timestamp => &self.updated_at,
            Nullable<Timestamp> => &self.submitted_at, Nullable<Timestamp> => &self.decided_at,
            Nullable<Text> => &self.decided_by, Nullable<Text> => &self.comment,
            Nullable<Timestamp> => &self.approved_at, Nullable<Timestamp> => &self.revoked_at,
            Nullable<Date> => &self.revoked_effective_on, Nullable<Date> => &self.ended_on,
            Nullable<Text> => &self.review_chain, Nullable<Integer> => &self.publicity_days,
            Nullable<Text> => &self.stage, Nullable<Date> => &self.publicity_starts_on,
            Nullable<Date> => &self.publicity_ends_on, Nullable<Text> => &self.document_no,
            Nullable<Text> => &self.batch, Nullable<Date> => &self.recommended_on,
            Nullable<Integer> => &self.priority, Nullable<Text> => &self.import_id,
            Nullable<Text> => &self.submitted_by, Nullable<Text> => &self.provider_id,
        )
    }
}

impl SqliteRow for HistoryRow {
    const TABLE: &'static str = "milestone_history";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "milestone_id",
        "seq",
        "action",
        "from_state",
        "to_state",
        "actor_id",
        "actor_role",
        "at",
        "comment",
        "effective_on",
        "stage",
    ];

    fn bind<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        bind_all!(out;
            Text => &self.id, Text => &self.milestone_id, Integer => &self.seq, Text => &self.action,
            Nullable<Text> => &self.from_state, Text => &self.to_state, Text => &self.actor_id,
            Text => &self.actor_role, Timestamp => &self.at, Nullable<Text> => &self.comment,
            Nullable<Date> => &self.effective_on, Nullable<Text> => &self.stage,
        )
    }
}

fn insert_all<R: SqliteRow>(conn: &mut SqliteConnection, rows: &[R], progress: &mut Progress) -> QueryResult<()> {
    let per_statement = ROWS_PER_STATEMENT.min(32_766 / R::COLUMNS.len());
    for batch in rows.chunks(per_statement) {
        MultiInsert { rows: batch }.execute(conn)?;
        progress.advance(0, batch.len() as u64);
    }
    Ok(())
}

/// Prepares the connection for a bulk load: durability off (a crash mid-load leaves a database
/// to throw away anyway) and a 512 MiB page cache so that index pages stay in memory.
pub fn begin(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.batch_execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -524288;")
}

/// Restores the connection's usual settings (those of `crate::db::establish`).
pub fn end(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.batch_execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000;")
}

/// Refreshes the planner's statistics after the load (sampling at most 1,000 rows per index).
pub fn analyze(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.batch_execute("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0;")
}

/// Stores one chunk in one transaction: enterprises, then milestones, then history.
pub fn write(conn: &mut SqliteConnection, chunk: &Chunk, progress: &mut Progress) -> QueryResult<()> {
    conn.transaction(|c| {
        insert_all(c, &chunk.enterprises, progress)?;
        insert_all(c, &chunk.milestones, progress)?;
        insert_all(c, &chunk.history, progress)
    })?;
    progress.advance(chunk.enterprises.len() as u64, 0);
    Ok(())
}
