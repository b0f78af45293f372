//! Seeds the reference tables from the embedded CSV files. Idempotent: rows already present
//! (by key) are left alone, so a province's later edits survive restarts.

use std::collections::HashSet;

use diesel::prelude::*;

use super::Reference;
use crate::db::DbConnection;
use crate::schema::{divisions, indicator_sources, indicators, milestone_types, plan_targets, plans};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Insertable)]
#[diesel(table_name = divisions)]
struct NewDivision<'a> {
    code: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    level: &'a str,
    parent_code: Option<&'a str>,
    sort_order: i32,
}

#[derive(Insertable)]
#[diesel(table_name = milestone_types)]
struct NewMilestoneType<'a> {
    code: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    levels: &'a str,
    multiplicity: &'a str,
    exclusive_group: Option<&'a str>,
    validity_years: Option<i32>,
    recognised_by: &'a str,
    sort_order: i32,
    review_chain: Option<&'a str>,
    publicity_days: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = plans)]
struct NewPlan<'a> {
    code: &'a str,
    name_zh: &'a str,
    issued: &'a str,
    sort_order: i32,
}

#[derive(Insertable)]
#[diesel(table_name = indicators)]
struct NewIndicator<'a> {
    plan_code: &'a str,
    code: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    unit: &'a str,
    kind: &'a str,
    baseline_year: Option<i32>,
    baseline_value: Option<i64>,
    sort_order: i32,
}

#[derive(Insertable)]
#[diesel(table_name = plan_targets)]
struct NewPlanTarget<'a> {
    plan_code: &'a str,
    indicator_code: &'a str,
    seq: i32,
    target_year: Option<i32>,
    target_value: i64,
    source_quote: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = indicator_sources)]
struct NewIndicatorSource<'a> {
    plan_code: &'a str,
    indicator_code: &'a str,
    milestone_type: &'a str,
    levels: &'a str,
}

/// Inserts every embedded reference row whose key is not yet in the database, in one transaction,
/// then the calendar's (`super::calendar`, in a second).
pub fn seed(conn: &mut DbConnection) -> Result<(), BoxError> {
    let r = Reference::load()?;
    crate::db::write_transaction::<_, diesel::result::Error, _>(conn, |conn| {
        let have: HashSet<String> = divisions::table.select(divisions::code).load(conn)?.into_iter().collect();
        for (i, d) in r.divisions.iter().enumerate() {
            if !have.contains(&d.code) {
                diesel::insert_into(divisions::table)
                    .values(NewDivision {
                        code: &d.code,
                        name_zh: &d.name_zh,
                        name_en: &d.name_en,
                        level: &d.level,
                        parent_code: d.parent_code.as_deref(),
                        sort_order: i as i32,
                    })
                    .execute(conn)?;
            }
        }
        let have: HashSet<String> =
            milestone_types::table.select(milestone_types::code).load(conn)?.into_iter().collect();
        for (i, t) in r.milestone_types.iter().enumerate() {
            if !have.contains(&t.code) {
                diesel::insert_into(milestone_types::table)
                    .values(NewMilestoneType {
                        code: &t.code,
                        name_zh: &t.name_zh,
                        name_en: &t.name_en,
                        levels: &t.levels,
                        multiplicity: &t.multiplicity,
                        exclusive_group: t.exclusive_group.as_deref(),
                        validity_years: t.validity_years,
                        recognised_by: &t.recognised_by,
                        sort_order: i as i32,
                        review_chain: Some(&t.review_chain),
                        publicity_days: Some(t.publicity_days),
                    })
                    .execute(conn)?;
            }
        }
        fill_review_defaults(conn, &r)?;
        seed_plans(conn, &r)?;
        let have: HashSet<(String, String, String)> = indicator_sources::table
            .select((
                indicator_sources::plan_code,
                indicator_sources::indicator_code,
                indicator_sources::milestone_type,
            ))
            .load(conn)?
            .into_iter()
            .collect();
        for s in &r.indicator_sources {
            let key = (s.plan_code.clone(), s.indicator_code.clone(), s.milestone_type.clone());
            if !have.contains(&key) {
                diesel::insert_into(indicator_sources::table)
                    .values(NewIndicatorSource {
                        plan_code: &s.plan_code,
                        indicator_code: &s.indicator_code,
                        milestone_type: &s.milestone_type,
                        levels: &s.levels,
                    })
                    .execute(conn)?;
            }
        }
        Ok(())
    })?;
    crate::db::write_transaction(conn, super::calendar::seed)?;
    Ok(())
}

/// Gives every type without a review chain yet (a database from before chains existed) its
/// default from the embedded catalogue, and a type the province added `city` with no 公示; a
/// chain already set (seeded or the province's) is left alone.
fn fill_review_defaults(conn: &mut DbConnection, r: &Reference) -> QueryResult<()> {
    for t in &r.milestone_types {
        diesel::update(milestone_types::table.find(&t.code).filter(milestone_types::review_chain.is_null()))
            .set((
                milestone_types::review_chain.eq(&t.review_chain),
                milestone_types::publicity_days.eq(t.publicity_days),
            ))
            .execute(conn)?;
    }
    diesel::update(milestone_types::table.filter(milestone_types::review_chain.is_null()))
        .set((milestone_types::review_chain.eq("city"), milestone_types::publicity_days.eq(0)))
        .execute(conn)?;
    Ok(())
}

// Plans, indicators and their targets all come from plan_targets.csv: one row per
// (indicator, target year); the first row of a plan or indicator names it.
fn seed_plans(conn: &mut DbConnection, r: &Reference) -> QueryResult<()> {
    let have_plans: HashSet<String> = plans::table.select(plans::code).load(conn)?.into_iter().collect();
    let have_indicators: HashSet<(String, String)> =
        indicators::table.select((indicators::plan_code, indicators::code)).load(conn)?.into_iter().collect();
    let have_targets: HashSet<(String, String, i32)> = plan_targets::table
        .select((plan_targets::plan_code, plan_targets::indicator_code, plan_targets::seq))
        .load(conn)?
        .into_iter()
        .collect();
    let mut plans_seen = HashSet::new();
    let mut indicators_seen: Vec<(String, String)> = Vec::new();
    for row in &r.plan_targets {
        if plans_seen.insert(row.plan_code.clone()) && !have_plans.contains(&row.plan_code) {
            diesel::insert_into(plans::table)
                .values(NewPlan {
                    code: &row.plan_code,
                    name_zh: &row.plan_name_zh,
                    issued: &row.issued,
                    sort_order: plans_seen.len() as i32,
                })
                .execute(conn)?;
        }
        let key = (row.plan_code.clone(), row.indicator_code.clone());
        let seq = indicators_seen.iter().filter(|k| **k == key).count() as i32;
        if seq == 0 && !have_indicators.contains(&key) {
            diesel::insert_into(indicators::table)
                .values(NewIndicator {
                    plan_code: &row.plan_code,
                    code: &row.indicator_code,
                    name_zh: &row.indicator_name_zh,
                    name_en: &row.indicator_name_en,
                    unit: &row.unit,
                    kind: &row.kind,
                    baseline_year: row.baseline_year,
                    baseline_value: row.baseline_value,
                    sort_order: indicators_seen.len() as i32,
                })
                .execute(conn)?;
        }
        if !have_targets.contains(&(key.0.clone(), key.1.clone(), seq)) {
            diesel::insert_into(plan_targets::table)
                .values(NewPlanTarget {
                    plan_code: &row.plan_code,
                    indicator_code: &row.indicator_code,
                    seq,
                    target_year: row.target_year,
                    target_value: row.target_value,
                    source_quote: &row.source_quote,
                })
                .execute(conn)?;
        }
        indicators_seen.push(key);
    }
    Ok(())
}
