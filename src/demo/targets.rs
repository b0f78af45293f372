//! Targets for the demo, scaled to its size (`enterprises / 500,000`) so that completion rates
//! read like the real province's: every tracked indicator's plan target for a year in 2020–2025
//! split across the 11 cities by their share of enterprises (at least 1 per city, set by the
//! province officer), and the plans' province-wide targets themselves, so that the province's
//! figures agree with its cities'.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::plan::{Plan, FULL_SCALE};
use crate::db::DbConnection;
use crate::queries::targets::{self, NewCityTarget};
use crate::reference::Reference;
use crate::schema::plan_targets;

/// A plan target scaled to the demo: at least 1 where the plan's is positive.
fn scaled(value: i64, scale: f64) -> i64 {
    if value > 0 {
        ((value as f64 * scale).round() as i64).max(1)
    } else {
        0
    }
}

/// One indicator's targets for one year, by city code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTargets {
    /// Plan code.
    pub plan_code: String,
    /// Indicator code.
    pub indicator_code: String,
    /// Year.
    pub year: i32,
    /// (city code, value) in GB/T 2260 order.
    pub cities: Vec<(String, i64)>,
}

/// The targets to store for a demo of `enterprises` firms.
pub fn plan_targets(reference: &Reference, plan: &Plan, enterprises: u64) -> Vec<YearTargets> {
    let scale = enterprises as f64 / FULL_SCALE;
    let mut out: Vec<YearTargets> = Vec::new();
    for t in &reference.plan_targets {
        let Some(year) = t.target_year.filter(|y| (2020..=2025).contains(y)) else {
            continue;
        };
        let tracked = reference
            .indicator_sources
            .iter()
            .any(|s| s.plan_code == t.plan_code && s.indicator_code == t.indicator_code);
        let seen =
            out.iter().any(|o| o.plan_code == t.plan_code && o.indicator_code == t.indicator_code && o.year == year);
        if !tracked || seen {
            continue;
        }
        let cities = plan.cities.iter().map(|c| (c.code.clone(), scaled(t.target_value, c.share * scale))).collect();
        out.push(YearTargets {
            plan_code: t.plan_code.clone(),
            indicator_code: t.indicator_code.clone(),
            year,
            cities,
        });
    }
    out
}

/// Stores the targets (replacing any for the same indicator and year), as set by `officer`
/// in the January of each target year; returns the number of rows.
pub fn store(conn: &mut DbConnection, all: &[YearTargets], officer: &str) -> Result<usize, diesel::result::Error> {
    let mut n = 0;
    for t in all {
        let set_at = NaiveDate::from_ymd_opt(t.year, 1, 15)
            .map(|d| NaiveDateTime::new(d, NaiveTime::MIN) + chrono::Duration::hours(2))
            .unwrap_or_default();
        let rows: Vec<NewCityTarget<'_>> = t
            .cities
            .iter()
            .map(|(city, value)| NewCityTarget {
                plan_code: &t.plan_code,
                indicator_code: &t.indicator_code,
                year: t.year,
                region_code: city,
                value: *value,
                updated_at: set_at,
                updated_by: officer,
            })
            .collect();
        targets::replace_year(conn, &t.plan_code, &t.indicator_code, t.year, &rows)?;
        n += rows.len();
    }
    Ok(n)
}

/// Scales the plans' province-wide targets stored in `plan_targets` (every year's) to a demo of
/// `enterprises` firms, noting it in each target's quote from the plan; returns the rows
/// changed (none at full scale). Reference seeding leaves existing rows alone, so the scaled
/// targets stay.
pub fn scale_plan_targets(conn: &mut DbConnection, enterprises: u64) -> Result<usize, diesel::result::Error> {
    let scale = enterprises as f64 / FULL_SCALE;
    if enterprises as f64 == FULL_SCALE {
        return Ok(0);
    }
    let note = format!("（演示数据：目标按 {enterprises} / 500,000 缩放）");
    let rows: Vec<(String, String, i32, i64, String)> = plan_targets::table
        .filter(plan_targets::target_value.gt(0))
        .select((
            plan_targets::plan_code,
            plan_targets::indicator_code,
            plan_targets::seq,
            plan_targets::target_value,
            plan_targets::source_quote,
        ))
        .load(conn)?;
    for (plan, indicator, seq, value, quote) in &rows {
        diesel::update(plan_targets::table.find((plan, indicator, seq)))
            .set((
                plan_targets::target_value.eq(scaled(*value, scale)),
                plan_targets::source_quote.eq(format!("{quote}{note}")),
            ))
            .execute(conn)?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_cover_tracked_indicators_of_2020_to_2025() {
        let reference = Reference::load().unwrap();
        let plan = Plan::new(&reference).unwrap();
        let all = plan_targets(&reference, &plan, 500_000);
        let cloud = all
            .iter()
            .find(|t| {
                t.plan_code == "ZJ2018-SZJJ" && t.indicator_code == "cloud_adoption_enterprises" && t.year == 2022
            })
            .unwrap();
        assert_eq!(cloud.cities.len(), 11);
        let sum: i64 = cloud.cities.iter().map(|c| c.1).sum();
        assert!((499_990..=500_010).contains(&sum), "{sum}");
        assert_eq!(cloud.cities[0], ("330100".to_string(), 110_000));
        // Untracked indicators and undated targets get none.
        assert!(!all.iter().any(|t| t.indicator_code == "world_class_enterprises"));
        assert!(!all.iter().any(|t| t.plan_code == "ZJ2017-XXJJ"));
        // A small demo keeps every city's target positive.
        let small = plan_targets(&reference, &plan, 300);
        assert!(small.iter().all(|t| t.cities.iter().all(|c| c.1 >= 1)));
        assert_eq!(small.len(), all.len());
    }
}
