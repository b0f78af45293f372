//! Bulk writing on PostgreSQL: each chunk's rows rendered in `COPY … FROM STDIN` text format and
//! streamed with diesel's `copy_from` (one transaction per chunk and table), with
//! `synchronous_commit = off` for the sessions of the load.

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::pg::{CopyFormat, CopyTarget, PgConnection};
use diesel::prelude::ExecuteCopyFromDsl;
use diesel::{Connection, QueryResult};

use super::generate::Chunk;
use crate::queries::enterprises::EnterpriseRow;
use crate::queries::milestones::{HistoryRow, MilestoneRow};
use crate::schema::{enterprises, milestone_history, milestones};

/// One line of COPY text: fields separated by tabs, `\N` for NULL, with backslash escapes.
struct Line {
    buf: String,
    first: bool,
}

impl Line {
    fn sep(&mut self) {
        if !self.first {
            self.buf.push('\t');
        }
        self.first = false;
    }

    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        for c in s.chars() {
            match c {
                '\\' => self.buf.push_str("\\\\"),
                '\t' => self.buf.push_str("\\t"),
                '\n' => self.buf.push_str("\\n"),
                '\r' => self.buf.push_str("\\r"),
                c => self.buf.push(c),
            }
        }
        self
    }

    fn null(&mut self) -> &mut Self {
        self.sep();
        self.buf.push_str("\\N");
        self
    }

    fn opt_text(&mut self, s: &Option<String>) -> &mut Self {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{v}");
        self
    }

    fn boolean(&mut self, v: bool) -> &mut Self {
        self.sep();
        self.buf.push(if v { 't' } else { 'f' });
        self
    }

    fn date(&mut self, d: NaiveDate) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{}", d.format("%Y-%m-%d"));
        self
    }

    fn opt_date(&mut self, d: Option<NaiveDate>) -> &mut Self {
        match d {
            Some(d) => self.date(d),
            None => self.null(),
        }
    }

    fn time(&mut self, t: NaiveDateTime) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f"));
        self
    }

    fn opt_time(&mut self, t: Option<NaiveDateTime>) -> &mut Self {
        match t {
            Some(t) => self.time(t),
            None => self.null(),
        }
    }

    fn end(&mut self) {
        self.buf.push('\n');
        self.first = true;
    }
}

/// A row that renders itself in the column order of its diesel table (what `copy_from(table)`
/// lists).
trait CopyRow {
    fn render(&self, line: &mut Line);
}

impl CopyRow for EnterpriseRow {
    fn render(&self, l: &mut Line) {
        l.text(&self.id).text(&self.uscc).text(&self.name).text(&self.county_code).text(&self.city_code);
        l.opt_text(&self.industry_code).opt_text(&self.size_class).text(&self.contact_name).text(&self.contact_phone);
        l.boolean(self.verified).opt_time(self.verified_at).opt_text(&self.verified_by).text(&self.registered_via);
        l.int(self.version.into()).time(self.created_at).time(self.updated_at);
    }
}

impl CopyRow for MilestoneRow {
    fn render(&self, l: &mut Line) {
        l.text(&self.id).text(&self.enterprise_id).text(&self.milestone_type).opt_text(&self.level);
        l.date(self.effective_on).text(&self.title).opt_text(&self.details).opt_text(&self.evidence);
        l.text(&self.county_code).text(&self.city_code).text(self.state.as_str()).int(self.version.into());
        l.text(&self.created_by).time(self.created_at).time(self.updated_at).opt_time(self.submitted_at);
        l.opt_time(self.decided_at).opt_text(&self.decided_by).opt_text(&self.comment).opt_time(self.approved_at);
        l.opt_time(self.revoked_at).opt_date(self.revoked_effective_on).opt_date(self.ended_on);
        l.opt_text(&self.review_chain);
        match self.publicity_days {
            Some(d) => l.int(d.into()),
            None => l.null(),
        };
        l.opt_text(&self.stage.map(|s| s.as_str().to_string()));
        l.opt_date(self.publicity_starts_on).opt_date(self.publicity_ends_on);
        l.opt_text(&self.document_no).opt_text(&self.batch).opt_date(self.recommended_on);
        match self.priority {
            Some(p) => l.int(p.into()),
            None => l.null(),
        };
        l.opt_text(&self.import_id);
        l.opt_text(&self.submitted_by).opt_text(&self.provider_id);
    }
}

impl CopyRow for HistoryRow {
    fn render(&self, l: &mut Line) {
        l.text(&self.id).text(&self.milestone_id).int(self.seq.into()).text(&self.action);
        match self.from_state {
            Some(from) => l.text(from.as_str()),
            None => l.null(),
        };
        l.text(self.to_state.as_str()).text(&self.actor_id).text(&self.actor_role);
        l.time(self.at).opt_text(&self.comment).opt_date(self.effective_on);
        l.opt_text(&self.stage.map(|s| s.as_str().to_string()));
    }
}

fn render<R: CopyRow>(rows: &[R]) -> Vec<u8> {
    let mut line = Line { buf: String::with_capacity(rows.len() * 256), first: true };
    for r in rows {
        r.render(&mut line);
        line.end();
    }
    line.buf.into_bytes()
}

fn copy<T>(conn: &mut PgConnection, table: T, data: &[u8]) -> QueryResult<usize>
where
    T: diesel::Table + CopyTarget<Table = T> + Copy,
{
    diesel::copy_from(table)
        .from_raw_data(table, |sink: &mut dyn std::io::Write| {
            sink.write_all(data).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .with_format(CopyFormat::Text)
        .execute(conn)
}

/// A chunk rendered as COPY text (on the generating thread), table by table.
#[derive(Debug, Default)]
pub struct Batch {
    enterprises: Vec<u8>,
    milestones: Vec<u8>,
    history: Vec<u8>,
    counts: [u64; 3],
}

impl Batch {
    /// Renders a chunk's three tables.
    pub fn render(chunk: &Chunk) -> Self {
        Self {
            enterprises: render(&chunk.enterprises),
            milestones: render(&chunk.milestones),
            history: render(&chunk.history),
            counts: [chunk.enterprises.len(), chunk.milestones.len(), chunk.history.len()].map(|n| n as u64),
        }
    }

    /// Enterprises in the batch.
    pub fn enterprises(&self) -> u64 {
        self.counts[0]
    }
}

/// The tables a batch fills, in the order their foreign keys require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `enterprises`.
    Enterprises,
    /// `milestones` (names enterprises).
    Milestones,
    /// `milestone_history` (names milestones).
    History,
}

/// Session settings for the load: commits need not wait for the WAL flush (a crash mid-load
/// leaves a database to throw away anyway).
pub fn begin(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("SET synchronous_commit = off")
}

/// Restores the session's settings.
pub fn end(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("RESET synchronous_commit")
}

/// Refreshes the planner's statistics of the loaded tables (autovacuum would, a little later).
pub fn analyze(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("ANALYZE enterprises, milestones, milestone_history")
}

/// Stores one table's part of a batch in its own transaction; returns the rows stored.
pub fn write(conn: &mut PgConnection, batch: &Batch, table: Table) -> QueryResult<u64> {
    conn.transaction(|c| match table {
        Table::Enterprises => copy(c, enterprises::table, &batch.enterprises),
        Table::Milestones => copy(c, milestones::table, &batch.milestones),
        Table::History => copy(c, milestone_history::table, &batch.history),
    })
    .map(|n| n as u64)
}

/// Copies enterprises into their table within the caller's transaction (an import's bulk path).
pub fn copy_enterprises(conn: &mut PgConnection, rows: &[EnterpriseRow]) -> QueryResult<usize> {
    copy(conn, enterprises::table, &render(rows))
}

/// Copies records into their table within the caller's transaction (an import's bulk path).
pub fn copy_milestones(conn: &mut PgConnection, rows: &[MilestoneRow]) -> QueryResult<usize> {
    copy(conn, milestones::table, &render(rows))
}

/// Copies history entries into their table within the caller's transaction (an import's bulk
/// path).
pub fn copy_history(conn: &mut PgConnection, rows: &[HistoryRow]) -> QueryResult<usize> {
    copy(conn, milestone_history::table, &render(rows))
}
