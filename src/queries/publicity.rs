//! The public notice list (DESIGN §3.7): records in 公示 now, with the enterprise's name and
//! USCC — and only the columns the notice shows.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::MilestoneState;
use crate::schema::{enterprises, milestones};

/// One line of the notice.
#[derive(Debug, Clone, Queryable)]
pub struct NoticeRow {
    /// Record id (the paging key).
    pub id: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Enterprise USCC.
    pub uscc: String,
    /// County.
    pub county_code: String,
    /// City.
    pub city_code: String,
    /// Milestone type.
    pub milestone_type: String,
    /// Level.
    pub level: Option<String>,
    /// Title.
    pub title: String,
    /// First day of 公示.
    pub publicity_starts_on: Option<NaiveDate>,
    /// Last day of 公示.
    pub publicity_ends_on: Option<NaiveDate>,
}

/// Up to `limit` records in 公示, by id, after `after`.
pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> QueryResult<Vec<NoticeRow>> {
    let mut q = milestones::table
        .inner_join(enterprises::table.on(enterprises::id.eq(milestones::enterprise_id)))
        .filter(milestones::state.eq(MilestoneState::Publicised))
        .select((
            milestones::id,
            enterprises::name,
            enterprises::uscc,
            milestones::county_code,
            milestones::city_code,
            milestones::milestone_type,
            milestones::level,
            milestones::title,
            milestones::publicity_starts_on,
            milestones::publicity_ends_on,
        ))
        .order(milestones::id)
        .limit(limit)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(milestones::id.gt(a.to_string()));
    }
    q.load(conn)
}
