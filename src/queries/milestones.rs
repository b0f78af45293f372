//! Milestone records and their history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::{MilestoneState, Stage};
use crate::schema::{milestone_history, milestone_types, milestones};

pub use super::milestone_list::MilestoneFilter;

/// A stored milestone.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = milestones)]
pub struct MilestoneRow {
    /// Id (UUIDv7).
    pub id: String,
    /// The reporting enterprise.
    pub enterprise_id: String,
    /// Catalogue code.
    pub milestone_type: String,
    /// Level, when the type has levels.
    pub level: Option<String>,
    /// When the milestone took effect.
    pub effective_on: NaiveDate,
    /// Title.
    pub title: String,
    /// JSON object of details.
    pub details: Option<String>,
    /// JSON array of evidence references.
    pub evidence: Option<String>,
    /// County at (last) submission.
    pub county_code: String,
    /// City at (last) submission.
    pub city_code: String,
    /// Workflow state.
    pub state: MilestoneState,
    /// Optimistic version.
    pub version: i32,
    /// Creator (user or client id).
    pub created_by: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Last submission.
    pub submitted_at: Option<NaiveDateTime>,
    /// Last review decision.
    pub decided_at: Option<NaiveDateTime>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The last decision's comment.
    pub comment: Option<String>,
    /// When it was approved (knowledge time for statistics).
    pub approved_at: Option<NaiveDateTime>,
    /// When the revocation was recorded.
    pub revoked_at: Option<NaiveDateTime>,
    /// When the revocation takes effect.
    pub revoked_effective_on: Option<NaiveDate>,
    /// Date another tier recognition replaced it.
    pub ended_on: Option<NaiveDate>,
    /// The review chain it was (last) submitted under (`city>province`).
    pub review_chain: Option<String>,
    /// The 公示 length it was (last) submitted under, in working days.
    pub publicity_days: Option<i32>,
    /// The stage it waits at (submitted records only).
    pub stage: Option<Stage>,
    /// First day of its 公示.
    pub publicity_starts_on: Option<NaiveDate>,
    /// Last day of its 公示.
    pub publicity_ends_on: Option<NaiveDate>,
    /// 文号 given by the final approver.
    pub document_no: Option<String>,
    /// Batch (批次) given by the final approver.
    pub batch: Option<String>,
    /// Day of the recommendation into the province stage (Asia/Shanghai), counted by quotas.
    pub recommended_on: Option<NaiveDate>,
    /// Priority of the last recommendation (1 = first).
    pub priority: Option<i32>,
    /// The import of an official list that wrote it (§3.8).
    pub import_id: Option<String>,
    /// Who last submitted it (user or client id).
    pub submitted_by: Option<String>,
    /// The provider that created or last submitted it (§3.9).
    pub provider_id: Option<String>,
}

/// What a new record is made of; [`Draft::into_row`] makes it a fresh draft (version 1, never
/// submitted, decided or ended) — the one definition of a new record, for the API and the demo.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Id (UUIDv7).
    pub id: String,
    /// Creator (user or client id).
    pub created_by: String,
    /// The reporting enterprise.
    pub enterprise_id: String,
    /// The enterprise's county.
    pub county_code: String,
    /// The enterprise's city.
    pub city_code: String,
    /// Catalogue code.
    pub milestone_type: String,
    /// Level, when the type has levels.
    pub level: Option<String>,
    /// When the milestone took effect.
    pub effective_on: NaiveDate,
    /// Title.
    pub title: String,
    /// JSON object of details.
    pub details: Option<String>,
    /// JSON array of evidence references.
    pub evidence: Option<String>,
    /// The provider creating it for the enterprise, if one does.
    pub provider_id: Option<String>,
}

impl Draft {
    /// The row of a draft created at `at`.
    pub fn into_row(self, at: NaiveDateTime) -> MilestoneRow {
        MilestoneRow {
            id: self.id,
            enterprise_id: self.enterprise_id,
            milestone_type: self.milestone_type,
            level: self.level,
            effective_on: self.effective_on,
            title: self.title,
            details: self.details,
            evidence: self.evidence,
            county_code: self.county_code,
            city_code: self.city_code,
            state: MilestoneState::Draft,
            version: 1,
            created_by: self.created_by,
            created_at: at,
            updated_at: at,
            submitted_at: None,
            decided_at: None,
            decided_by: None,
            comment: None,
            approved_at: None,
            revoked_at: None,
            revoked_effective_on: None,
            ended_on: None,
            review_chain: None,
            publicity_days: None,
            stage: None,
            publicity_starts_on: None,
            publicity_ends_on: None,
            document_no: None,
            batch: None,
            recommended_on: None,
            priority: None,
            import_id: None,
            submitted_by: None,
            provider_id: self.provider_id,
        }
    }
}

/// Columns a transition or edit may change; `None` leaves a column alone.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = milestones)]
pub struct MilestoneChanges {
    /// New state.
    pub state: Option<MilestoneState>,
    /// Level.
    pub level: Option<Option<String>>,
    /// Effective date.
    pub effective_on: Option<NaiveDate>,
    /// Title.
    pub title: Option<String>,
    /// Details JSON.
    pub details: Option<Option<String>>,
    /// Evidence JSON.
    pub evidence: Option<Option<String>>,
    /// County copied at submission.
    pub county_code: Option<String>,
    /// City copied at submission.
    pub city_code: Option<String>,
    /// Submission time.
    pub submitted_at: Option<NaiveDateTime>,
    /// Decision time.
    pub decided_at: Option<NaiveDateTime>,
    /// Decider.
    pub decided_by: Option<String>,
    /// Decision comment (`Some(None)` clears it).
    pub comment: Option<Option<String>>,
    /// Approval time.
    pub approved_at: Option<NaiveDateTime>,
    /// Revocation record time.
    pub revoked_at: Option<NaiveDateTime>,
    /// Revocation effective date.
    pub revoked_effective_on: Option<NaiveDate>,
    /// Tier replacement date.
    pub ended_on: Option<Option<NaiveDate>>,
    /// Review chain copied at submission.
    pub review_chain: Option<String>,
    /// 公示 length copied at submission.
    pub publicity_days: Option<i32>,
    /// Stage (`Some(None)` clears it when the record leaves `submitted`).
    pub stage: Option<Option<Stage>>,
    /// 公示 start (`Some(None)` clears it).
    pub publicity_starts_on: Option<Option<NaiveDate>>,
    /// 公示 end (`Some(None)` clears it).
    pub publicity_ends_on: Option<Option<NaiveDate>>,
    /// 文号.
    pub document_no: Option<String>,
    /// Batch.
    pub batch: Option<String>,
    /// Day of the recommendation into the province stage (`Some(None)` clears it).
    pub recommended_on: Option<Option<NaiveDate>>,
    /// Priority of the last recommendation (`Some(None)` clears it).
    pub priority: Option<Option<i32>>,
    /// Who submitted (set at every submission).
    pub submitted_by: Option<String>,
    /// The provider that submitted (never cleared: the enterprise's own actions leave it).
    pub provider_id: Option<String>,
}

/// Inserts a milestone.
pub fn insert(conn: &mut DbConnection, row: &MilestoneRow) -> QueryResult<()> {
    diesel::insert_into(milestones::table).values(row).execute(conn).map(drop)
}

/// The milestone with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<MilestoneRow>> {
    milestones::table.find(id).select(MilestoneRow::as_select()).first(conn).optional()
}

/// Applies `changes` (plus a version bump and `updated_at`) if the record is still in
/// `expected_state` at `expected_version`; returns the record as changed, or `None` when it was
/// not (one statement: `RETURNING`).
pub fn update_if(
    conn: &mut DbConnection,
    id: &str,
    expected_state: MilestoneState,
    expected_version: i32,
    changes: &MilestoneChanges,
    now: NaiveDateTime,
) -> QueryResult<Option<MilestoneRow>> {
    let target = milestones::table
        .filter(milestones::id.eq(id))
        .filter(milestones::state.eq(expected_state))
        .filter(milestones::version.eq(expected_version));
    let set = (changes, milestones::version.eq(expected_version + 1), milestones::updated_at.eq(now));
    // The inner connection: `MultiConnection` cannot return a `Selectable` row.
    crate::db::on_backend!(conn, c => diesel::update(target)
        .set(set)
        .returning(MilestoneRow::as_returning())
        .get_result(c)
        .optional())
}

/// Sets the tier-replacement date of an approved record.
pub fn set_ended_on(conn: &mut DbConnection, id: &str, on: NaiveDate, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(milestones::table.find(id))
        .set((
            milestones::ended_on.eq(Some(on)),
            milestones::version.eq(milestones::version + 1),
            milestones::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// The enterprise's records of `types` in non-terminal states (multiplicity and tier checks).
pub fn open_of_types(conn: &mut DbConnection, enterprise_id: &str, types: &[String]) -> QueryResult<Vec<MilestoneRow>> {
    milestones::table
        .filter(milestones::enterprise_id.eq(enterprise_id))
        .filter(milestones::milestone_type.eq_any(types))
        .filter(milestones::state.eq_any(MilestoneState::OPEN_OR_APPROVED))
        .order(milestones::id)
        .select(MilestoneRow::as_select())
        .load(conn)
}

/// The enterprise's records of `types` that were ever approved (approved or since revoked).
pub fn approved_of_types(
    conn: &mut DbConnection,
    enterprise_id: &str,
    types: &[String],
) -> QueryResult<Vec<MilestoneRow>> {
    milestones::table
        .filter(milestones::enterprise_id.eq(enterprise_id))
        .filter(milestones::milestone_type.eq_any(types))
        .filter(milestones::approved_at.is_not_null())
        .order(milestones::id)
        .select(MilestoneRow::as_select())
        .load(conn)
}

/// Codes of the types in an exclusive group.
pub fn types_in_group(conn: &mut DbConnection, group: &str) -> QueryResult<Vec<String>> {
    milestone_types::table.filter(milestone_types::exclusive_group.eq(group)).select(milestone_types::code).load(conn)
}

/// One history entry.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = milestone_history)]
pub struct HistoryRow {
    /// Id.
    pub id: String,
    /// The milestone.
    pub milestone_id: String,
    /// Order within the milestone, from 1.
    pub seq: i32,
    /// `create`, `edit`, `submit`, …, `supersede`.
    pub action: String,
    /// State before.
    pub from_state: Option<MilestoneState>,
    /// State after.
    pub to_state: MilestoneState,
    /// Who acted.
    pub actor_id: String,
    /// In which role.
    pub actor_role: String,
    /// When.
    pub at: NaiveDateTime,
    /// Comment given.
    pub comment: Option<String>,
    /// Date given (approval correction, revocation date).
    pub effective_on: Option<NaiveDate>,
    /// The stage acted at (reviewers' decisions and recommendations, objections).
    pub stage: Option<Stage>,
}

/// Appends a history entry with the next sequence number (computed here: `row.seq` is not read).
pub fn append_history(conn: &mut DbConnection, row: HistoryRow) -> QueryResult<()> {
    // One statement: the entry's place is computed where it is inserted (the caller holds the
    // enterprise's lock, so no other entry of the milestone is written meanwhile).
    super::prepared::AppendHistory {
        id: row.id,
        milestone_id: row.milestone_id,
        action: row.action,
        from_state: row.from_state.map(|s| s.as_str().to_string()),
        to_state: row.to_state.as_str().to_string(),
        actor_id: row.actor_id,
        actor_role: row.actor_role,
        at: row.at,
        comment: row.comment,
        effective_on: row.effective_on,
        stage: row.stage.map(|s| s.as_str().to_string()),
    }
    .execute(conn)
    .map(drop)
}

/// A milestone's history, oldest first.
pub fn history(conn: &mut DbConnection, milestone_id: &str) -> QueryResult<Vec<HistoryRow>> {
    milestone_history::table
        .filter(milestone_history::milestone_id.eq(milestone_id))
        .order(milestone_history::seq)
        .select(HistoryRow::as_select())
        .load(conn)
}
