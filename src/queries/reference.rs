//! Reads of the reference tables: divisions, milestone types, plans and indicators.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConnection;
use crate::schema::{divisions, indicator_sources, indicators, milestone_types, plan_targets, plans};

/// A division as the API shows it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = divisions)]
pub struct Division {
    /// GB/T 2260 code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `province`, `city` or `county`.
    pub level: String,
    /// Parent code.
    pub parent_code: Option<String>,
}

/// Divisions, optionally of one level and/or one parent, in GB/T 2260 order.
pub fn list_divisions(
    conn: &mut DbConnection,
    level: Option<&str>,
    parent: Option<&str>,
) -> QueryResult<Vec<Division>> {
    let mut q = divisions::table.select(Division::as_select()).order(divisions::sort_order).into_boxed();
    if let Some(level) = level {
        q = q.filter(divisions::level.eq(level.to_string()));
    }
    if let Some(parent) = parent {
        q = q.filter(divisions::parent_code.eq(parent.to_string()));
    }
    q.load(conn)
}

/// A milestone type row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = milestone_types)]
pub struct MilestoneType {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `|`-separated levels.
    pub levels: String,
    /// Multiplicity rule.
    pub multiplicity: String,
    /// Exclusive group.
    pub exclusive_group: Option<String>,
    /// Validity in years.
    pub validity_years: Option<i32>,
    /// Recognising authority.
    pub recognised_by: String,
    /// Review chain (`city>province`); null until seeded.
    pub review_chain: Option<String>,
    /// 公示 length in working days; null until seeded.
    pub publicity_days: Option<i32>,
}

/// The milestone catalogue in catalogue order.
pub fn list_milestone_types(conn: &mut DbConnection) -> QueryResult<Vec<MilestoneType>> {
    milestone_types::table.select(MilestoneType::as_select()).order(milestone_types::sort_order).load(conn)
}

/// The milestone type with this code.
pub fn find_milestone_type(conn: &mut DbConnection, code: &str) -> QueryResult<Option<MilestoneType>> {
    milestone_types::table.find(code).select(MilestoneType::as_select()).first(conn).optional()
}

/// A type's stored review chain and 公示 length; `None` when there is no such type.
pub fn review_of(conn: &mut DbConnection, code: &str) -> QueryResult<Option<(Option<String>, Option<i32>)>> {
    milestone_types::table
        .find(code)
        .select((milestone_types::review_chain, milestone_types::publicity_days))
        .first(conn)
        .optional()
}

/// Sets a type's review chain and 公示 length; false when there is no such type.
pub fn set_review(conn: &mut DbConnection, code: &str, chain: &str, days: i32) -> QueryResult<bool> {
    let n = diesel::update(milestone_types::table.find(code))
        .set((milestone_types::review_chain.eq(chain), milestone_types::publicity_days.eq(days)))
        .execute(conn)?;
    Ok(n == 1)
}

/// A plan row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct Plan {
    /// Plan code.
    pub code: String,
    /// Title.
    pub name_zh: String,
    /// Issue date or year.
    pub issued: String,
}

/// Every plan in order.
pub fn list_plans(conn: &mut DbConnection) -> QueryResult<Vec<Plan>> {
    plans::table.select(Plan::as_select()).order(plans::sort_order).load(conn)
}

/// Whether a plan exists.
pub fn plan_exists(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(plans::table.filter(plans::code.eq(code.to_string())))).get_result(conn)
}

/// An indicator row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = indicators)]
pub struct Indicator {
    /// Plan code.
    pub plan_code: String,
    /// Indicator code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `家` or `个`.
    pub unit: String,
    /// `cumulative` or `increment`.
    pub kind: String,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// Baseline value.
    pub baseline_value: Option<i64>,
}

/// A plan target row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plan_targets)]
pub struct PlanTarget {
    /// Plan code.
    pub plan_code: String,
    /// Indicator code.
    pub indicator_code: String,
    /// Target year.
    pub target_year: Option<i32>,
    /// Target value.
    pub target_value: i64,
    /// Quote from the plan.
    pub source_quote: String,
}

/// An indicator → milestone type mapping row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = indicator_sources)]
pub struct IndicatorSource {
    /// Plan code.
    pub plan_code: String,
    /// Indicator code.
    pub indicator_code: String,
    /// Milestone type.
    pub milestone_type: String,
    /// `|`-separated levels; empty = all.
    pub levels: String,
}

/// An indicator with its plan targets and the milestone types it counts.
pub type IndicatorWithDetails = (Indicator, Vec<PlanTarget>, Vec<IndicatorSource>);

/// Indicators (optionally of one plan) with their plan targets and milestone sources.
pub fn list_indicators(conn: &mut DbConnection, plan: Option<&str>) -> QueryResult<Vec<IndicatorWithDetails>> {
    let mut iq = indicators::table
        .inner_join(plans::table)
        .select(Indicator::as_select())
        .order((plans::sort_order, indicators::sort_order))
        .into_boxed();
    let mut tq = plan_targets::table
        .select(PlanTarget::as_select())
        .order((plan_targets::plan_code, plan_targets::indicator_code, plan_targets::seq))
        .into_boxed();
    let mut sq = indicator_sources::table.select(IndicatorSource::as_select()).into_boxed();
    if let Some(p) = plan {
        iq = iq.filter(indicators::plan_code.eq(p.to_string()));
        tq = tq.filter(plan_targets::plan_code.eq(p.to_string()));
        sq = sq.filter(indicator_sources::plan_code.eq(p.to_string()));
    }
    let inds = iq.load(conn)?;
    let targets = tq.load(conn)?;
    let sources = sq.load(conn)?;
    Ok(inds
        .into_iter()
        .map(|i| {
            let t =
                targets.iter().filter(|t| t.plan_code == i.plan_code && t.indicator_code == i.code).cloned().collect();
            let s =
                sources.iter().filter(|s| s.plan_code == i.plan_code && s.indicator_code == i.code).cloned().collect();
            (i, t, s)
        })
        .collect())
}
