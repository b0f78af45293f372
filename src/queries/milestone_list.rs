//! Listing milestones: the filter (already narrowed to the caller's scope), the orders a list
//! may take with their keyset positions, the names shown beside each record, and the count of
//! matching records (from the maintained pending counts when the filter is a review queue).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::milestone::review::Stage;
use crate::domain::MilestoneState;
use crate::queries::milestones::MilestoneRow;
use crate::schema::{delegation_types, enterprises, milestones, stat_pending, users};

type Backend = <DbConnection as Connection>::Backend;

/// A boolean condition on a milestone row.
type Condition = Box<dyn BoxableExpression<milestones::table, Backend, SqlType = diesel::sql_types::Bool>>;

/// Filters for listing milestones (already intersected with the caller's scope).
#[derive(Debug, Default, Clone)]
pub struct MilestoneFilter {
    /// Only this enterprise.
    pub enterprise_id: Option<String>,
    /// Only this city.
    pub city: Option<String>,
    /// Only this county.
    pub county: Option<String>,
    /// Only this state.
    pub state: Option<MilestoneState>,
    /// Only records waiting at this review stage.
    pub stage: Option<Stage>,
    /// Never drafts (officials do not see an enterprise's unsent drafts).
    pub exclude_drafts: bool,
    /// Only this type.
    pub milestone_type: Option<String>,
    /// Effective on or after.
    pub effective_from: Option<chrono::NaiveDate>,
    /// Effective on or before.
    pub effective_to: Option<chrono::NaiveDate>,
    /// Only the records of the types and enterprises delegated to this provider, in force on
    /// `delegated_on` (a provider's list).
    pub delegated_to: Option<String>,
    /// The day delegations must be in force (default: today in Asia/Shanghai).
    pub delegated_on: Option<chrono::NaiveDate>,
}

/// The order of a list. Records never submitted (an enterprise's drafts) have no submission time
/// and come last in both submission orders; ties are broken by id in the order's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By id (creation order), the default.
    Id,
    /// Oldest submission first.
    SubmittedAsc,
    /// Newest submission first.
    SubmittedDesc,
    /// The province's queue (DESIGN §3.7): by city, then the recommendation's priority (records
    /// without one after those with one), then oldest submission first.
    Queue,
}

/// Where a page starts: after this record of the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    /// The last record's submission time (unused in id order).
    pub submitted_at: Option<NaiveDateTime>,
    /// The last record's id.
    pub id: String,
    /// The last record's city and priority (queue order only).
    pub queue: Option<(String, Option<i32>)>,
}

fn filtered(f: &MilestoneFilter) -> milestones::BoxedQuery<'_, Backend> {
    let mut q = milestones::table.into_boxed();
    if let Some(v) = &f.enterprise_id {
        q = q.filter(milestones::enterprise_id.eq(v.clone()));
    }
    if let Some(v) = &f.city {
        q = q.filter(milestones::city_code.eq(v.clone()));
    }
    if let Some(v) = &f.county {
        q = q.filter(milestones::county_code.eq(v.clone()));
    }
    if let Some(v) = f.state {
        q = q.filter(milestones::state.eq(v));
    }
    if let Some(v) = f.stage {
        q = q.filter(milestones::stage.eq(v));
    }
    if f.exclude_drafts {
        q = q.filter(milestones::state.ne(MilestoneState::Draft));
    }
    if let Some(v) = &f.milestone_type {
        q = q.filter(milestones::milestone_type.eq(v.clone()));
    }
    if let Some(v) = f.effective_from {
        q = q.filter(milestones::effective_on.ge(v));
    }
    if let Some(v) = f.effective_to {
        q = q.filter(milestones::effective_on.le(v));
    }
    if let Some(p) = &f.delegated_to {
        let on = f.delegated_on.unwrap_or_else(crate::clock::today_shanghai);
        let enterprises = delegation_types::table
            .filter(delegation_types::provider_id.eq(p.clone()))
            .select(delegation_types::enterprise_id);
        let keys = crate::queries::delegations::keys_in_force(p, on);
        let key = milestones::enterprise_id.concat(":").concat(milestones::milestone_type);
        q = q.filter(milestones::enterprise_id.eq_any(enterprises)).filter(key.eq_any(keys));
    }
    q
}

/// A page of milestones in `order` after `after`.
pub fn list(
    conn: &mut DbConnection,
    f: &MilestoneFilter,
    order: Order,
    after: Option<&After>,
    limit: i64,
) -> QueryResult<Vec<MilestoneRow>> {
    use milestones::{city_code, id, priority, submitted_at};
    let q = filtered(f).select(MilestoneRow::as_select()).limit(limit);
    let q = match (order, after) {
        (Order::Id, None) => q.order(id),
        (Order::Id, Some(a)) => q.filter(id.gt(a.id.clone())).order(id),
        // `submitted_at IS NULL` first in the ORDER BY puts never-submitted records last on
        // both backends (PostgreSQL and SQLite disagree on where NULLs sort by default).
        (Order::SubmittedAsc, a) => {
            let q = q.order((submitted_at.is_null(), submitted_at, id));
            match a {
                None => q,
                Some(After { submitted_at: Some(t), id: k, .. }) => q.filter(
                    submitted_at.gt(*t).or(submitted_at.eq(*t).and(id.gt(k.clone()))).or(submitted_at.is_null()),
                ),
                Some(After { submitted_at: None, id: k, .. }) => q.filter(submitted_at.is_null().and(id.gt(k.clone()))),
            }
        }
        (Order::SubmittedDesc, a) => {
            let q = q.order((submitted_at.is_null(), submitted_at.desc(), id.desc()));
            match a {
                None => q,
                Some(After { submitted_at: Some(t), id: k, .. }) => q.filter(
                    submitted_at.lt(*t).or(submitted_at.eq(*t).and(id.lt(k.clone()))).or(submitted_at.is_null()),
                ),
                Some(After { submitted_at: None, id: k, .. }) => q.filter(submitted_at.is_null().and(id.lt(k.clone()))),
            }
        }
        (Order::Queue, a) => {
            let q = q.order((city_code, priority.is_null(), priority, submitted_at, id));
            // Every record of the queue was submitted, so `submitted_at` is never null in it.
            match a {
                None => q,
                Some(After { submitted_at: t, id: k, queue }) => {
                    let (c, p) = queue.clone().unwrap_or_default();
                    let t = t.unwrap_or_default();
                    let at = submitted_at.assume_not_null();
                    let later = at.gt(t).or(at.eq(t).and(id.gt(k.clone())));
                    let within_city: Condition = match p {
                        Some(p) => {
                            let pr = priority.assume_not_null();
                            Box::new(priority.is_null().or(pr.gt(p)).or(pr.eq(p).and(later)))
                        }
                        None => Box::new(priority.is_null().and(later)),
                    };
                    q.filter(city_code.gt(c.clone()).or(city_code.eq(c).and(within_city)))
                }
            }
        }
    };
    q.load(conn)
}

/// How many records match `f`, by counting them.
pub fn count(conn: &mut DbConnection, f: &MilestoneFilter) -> QueryResult<i64> {
    filtered(f).count().get_result(conn)
}

/// Records awaiting review of `city`, `county` and `milestone_type` (each when given), from the
/// maintained pending counts (`stat_pending`) instead of the records.
pub fn pending_count(
    conn: &mut DbConnection,
    city: Option<&str>,
    county: Option<&str>,
    milestone_type: Option<&str>,
) -> QueryResult<i64> {
    let mut q = stat_pending::table.select(stat_pending::n).into_boxed::<Backend>();
    if let Some(v) = city {
        q = q.filter(stat_pending::city_code.eq(v.to_string()));
    }
    if let Some(v) = county {
        q = q.filter(stat_pending::county_code.eq(v.to_string()));
    }
    if let Some(v) = milestone_type {
        q = q.filter(stat_pending::milestone_type.eq(v.to_string()));
    }
    // Summed here: SUM's result type differs between the backends (numeric on PostgreSQL).
    Ok(q.load::<i64>(conn)?.into_iter().sum())
}

/// Name and USCC of each enterprise of `ids`.
pub fn enterprise_names(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, (String, String)>> {
    let rows: Vec<(String, String, String)> = enterprises::table
        .filter(enterprises::id.eq_any(ids))
        .select((enterprises::id, enterprises::name, enterprises::uscc))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, name, uscc)| (id, (name, uscc))).collect())
}

/// Display name (the username when it has none) of each user of `ids`.
pub fn user_names(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, Option<String>, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name, users::username))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, display, username)| (id, display.unwrap_or(username))).collect())
}

/// How many records match `f`. A review queue — state `submitted`, narrowed at most by city,
/// county and type — reads the maintained pending counts, which hold exactly those records;
/// any other filter (a stage too: the pending counts know none) counts the records.
pub fn total(conn: &mut DbConnection, f: &MilestoneFilter) -> QueryResult<i64> {
    let queue = f.state == Some(MilestoneState::Submitted)
        && f.stage.is_none()
        && f.enterprise_id.is_none()
        && f.delegated_to.is_none()
        && f.effective_from.is_none()
        && f.effective_to.is_none();
    if queue {
        pending_count(conn, f.city.as_deref(), f.county.as_deref(), f.milestone_type.as_deref())
    } else {
        count(conn, f)
    }
}
