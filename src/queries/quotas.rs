//! Quotas (推荐名额, DESIGN §3.7): the rows of `review_quotas`, and the count of a city's
//! recommendations into the province stage that a quota caps.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{upsert_rows, DbConnection};
use crate::domain::milestone::review::Stage;
use crate::domain::MilestoneState;
use crate::schema::{milestones, review_quotas};

/// One city's quota of a type and year, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = review_quotas)]
pub struct QuotaRow {
    /// The milestone type.
    pub milestone_type: String,
    /// The year of the recommendations it caps.
    pub year: i32,
    /// The city.
    pub city_code: String,
    /// How many recommendations the city may make.
    pub value: i32,
    /// When it was set.
    pub updated_at: NaiveDateTime,
    /// Who set it.
    pub updated_by: String,
}

/// The quotas of `milestone_type` in `year`, by city code.
pub fn of_year(conn: &mut DbConnection, milestone_type: &str, year: i32) -> QueryResult<Vec<QuotaRow>> {
    review_quotas::table
        .filter(review_quotas::milestone_type.eq(milestone_type))
        .filter(review_quotas::year.eq(year))
        .order(review_quotas::city_code)
        .select(QuotaRow::as_select())
        .load(conn)
}

/// Stores `rows` (all of one type and year) and deletes that year's quotas of cities not among
/// them. Rows are updated in place rather than deleted and inserted again, so that an approval
/// waiting on a row's lock reads its new value instead of finding it gone.
pub fn replace(conn: &mut DbConnection, milestone_type: &str, year: i32, rows: &[QuotaRow]) -> QueryResult<()> {
    let keep: Vec<&str> = rows.iter().map(|r| r.city_code.as_str()).collect();
    diesel::delete(
        review_quotas::table
            .filter(review_quotas::milestone_type.eq(milestone_type))
            .filter(review_quotas::year.eq(year))
            .filter(review_quotas::city_code.ne_all(keep)),
    )
    .execute(conn)?;
    upsert_rows!(conn, rows, 100, |c, values| diesel::insert_into(review_quotas::table)
        .values(values)
        .on_conflict((review_quotas::milestone_type, review_quotas::year, review_quotas::city_code))
        .do_update()
        .set((
            review_quotas::value.eq(diesel::upsert::excluded(review_quotas::value)),
            review_quotas::updated_at.eq(diesel::upsert::excluded(review_quotas::updated_at)),
            review_quotas::updated_by.eq(diesel::upsert::excluded(review_quotas::updated_by)),
        ))
        .execute(c)?);
    Ok(())
}

/// The quota of `city_code` for `milestone_type` in `year`, its row locked until the transaction
/// ends on PostgreSQL (so that of two recommendations for a city's last place, the second counts
/// after the first committed); `None` when there is no quota (no cap).
pub fn lock(conn: &mut DbConnection, milestone_type: &str, year: i32, city_code: &str) -> QueryResult<Option<i32>> {
    let row = review_quotas::table
        .find((milestone_type.to_string(), year, city_code.to_string()))
        .select(review_quotas::value);
    match conn {
        DbConnection::Pg(c) => row.for_update().first(c).optional(),
        DbConnection::Sqlite(c) => row.first(c).optional(),
    }
}

fn recommended_between(
    milestone_type: &str,
    (from, until): (NaiveDate, NaiveDate),
) -> milestones::BoxedQuery<'static, <DbConnection as Connection>::Backend> {
    milestones::table
        .into_boxed()
        .filter(milestones::milestone_type.eq(milestone_type.to_string()))
        .filter(milestones::recommended_on.ge(from))
        .filter(milestones::recommended_on.lt(until))
        .filter(
            milestones::state
                .eq(MilestoneState::Submitted)
                .and(milestones::stage.eq(Stage::Province))
                .or(milestones::state.eq_any([MilestoneState::Publicised, MilestoneState::Approved])),
        )
}

/// The first day of `year` and of the year after.
fn year_span(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?))
}

/// How many records of `milestone_type` of `city_code` were recommended into the province stage
/// in `year` and are still there, in 公示 or approved — the places a quota counts as used.
pub fn used(conn: &mut DbConnection, milestone_type: &str, year: i32, city_code: &str) -> QueryResult<i64> {
    let Some(span) = year_span(year) else { return Ok(0) };
    recommended_between(milestone_type, span)
        .filter(milestones::city_code.eq(city_code.to_string()))
        .count()
        .get_result(conn)
}

/// [`used`] for every city with at least one such record.
pub fn used_by_city(conn: &mut DbConnection, milestone_type: &str, year: i32) -> QueryResult<BTreeMap<String, i64>> {
    let Some(span) = year_span(year) else { return Ok(BTreeMap::new()) };
    let cities: Vec<String> = recommended_between(milestone_type, span).select(milestones::city_code).load(conn)?;
    let mut counts = BTreeMap::new();
    for city in cities {
        *counts.entry(city).or_insert(0) += 1;
    }
    Ok(counts)
}
