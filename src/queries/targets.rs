//! City targets of an indicator (§3.5): the per-city figures the province sets for a year, and
//! the plan's own province-wide target they are shown beside.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::{city_targets, divisions, indicators, plan_targets};

/// One city's target for a year, with the city's name.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CityTarget {
    /// GB/T 2260 code of the city.
    pub region_code: String,
    /// The city's Chinese name.
    pub name_zh: String,
    /// The target value.
    pub value: i64,
}

/// A row to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = city_targets)]
pub struct NewCityTarget<'a> {
    /// Plan code.
    pub plan_code: &'a str,
    /// Indicator code.
    pub indicator_code: &'a str,
    /// Target year.
    pub year: i32,
    /// City code.
    pub region_code: &'a str,
    /// Target value (≥ 0).
    pub value: i64,
    /// When it was set.
    pub updated_at: NaiveDateTime,
    /// Who set it (principal id).
    pub updated_by: &'a str,
}

/// Whether the plan has this indicator.
pub fn indicator_exists(conn: &mut DbConnection, plan: &str, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        indicators::table
            .filter(indicators::plan_code.eq(plan.to_string()))
            .filter(indicators::code.eq(code.to_string())),
    ))
    .get_result(conn)
}

/// Takes the indicator row's write lock (a no-op update) so that on PostgreSQL two replacements
/// of its targets run one after the other instead of interleaving their deletes and inserts.
/// Returns whether the indicator exists. (SQLite writers are already serialised by `Db::write`.)
pub fn lock_indicator(conn: &mut DbConnection, plan: &str, code: &str) -> QueryResult<bool> {
    let n = diesel::update(
        indicators::table
            .filter(indicators::plan_code.eq(plan.to_string()))
            .filter(indicators::code.eq(code.to_string())),
    )
    .set(indicators::sort_order.eq(indicators::sort_order))
    .execute(conn)?;
    Ok(n == 1)
}

/// The plan's province-wide target for the indicator in `year`, if it states one.
pub fn province_target(conn: &mut DbConnection, plan: &str, code: &str, year: i32) -> QueryResult<Option<i64>> {
    plan_targets::table
        .filter(plan_targets::plan_code.eq(plan.to_string()))
        .filter(plan_targets::indicator_code.eq(code.to_string()))
        .filter(plan_targets::target_year.eq(year))
        .order(plan_targets::seq)
        .select(plan_targets::target_value)
        .first(conn)
        .optional()
}

/// The city targets of an indicator for `year`, in GB/T 2260 order (only cities that have one).
pub fn for_year(conn: &mut DbConnection, plan: &str, code: &str, year: i32) -> QueryResult<Vec<CityTarget>> {
    city_targets::table
        .inner_join(divisions::table)
        .filter(city_targets::plan_code.eq(plan.to_string()))
        .filter(city_targets::indicator_code.eq(code.to_string()))
        .filter(city_targets::year.eq(year))
        .order(divisions::sort_order)
        .select((city_targets::region_code, divisions::name_zh, city_targets::value))
        .load(conn)
}

/// Replaces the whole set of city targets of an indicator for `year` with `rows` (delete, then
/// insert one by one). Call it inside the caller's transaction; returns how many rows it deleted.
pub fn replace_year(
    conn: &mut DbConnection,
    plan: &str,
    code: &str,
    year: i32,
    rows: &[NewCityTarget<'_>],
) -> QueryResult<usize> {
    let deleted = diesel::delete(
        city_targets::table
            .filter(city_targets::plan_code.eq(plan.to_string()))
            .filter(city_targets::indicator_code.eq(code.to_string()))
            .filter(city_targets::year.eq(year)),
    )
    .execute(conn)?;
    for row in rows {
        diesel::insert_into(city_targets::table).values(row).execute(conn)?;
    }
    Ok(deleted)
}
