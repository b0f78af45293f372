//! The JSON shape shared by reading and replacing an indicator's city targets.

use serde::Serialize;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::queries::targets as q;

/// One city's target.
#[derive(Debug, Serialize)]
pub struct CityTargetView {
    region_code: String,
    name_zh: String,
    value: i64,
}

/// An indicator's city targets for a year, beside the plan's province-wide target.
#[derive(Debug, Serialize)]
pub struct TargetsView {
    plan: String,
    indicator: String,
    year: i32,
    /// The plan's own target for the year, if it states one.
    province_target: Option<i64>,
    /// The sum of the city targets; `None` when no city has one.
    city_sum: Option<i64>,
    targets: Vec<CityTargetView>,
}

impl TargetsView {
    /// The sum of the city targets (`None` when there are none).
    pub fn city_sum(&self) -> Option<i64> {
        self.city_sum
    }

    /// How many cities have a target.
    pub fn count(&self) -> usize {
        self.targets.len()
    }
}

/// Reads the view for an existing indicator (call after checking that it exists).
pub fn load(conn: &mut DbConnection, plan: &str, code: &str, year: i32) -> Result<TargetsView, AppError> {
    let province_target = q::province_target(conn, plan, code, year)?;
    let rows = q::for_year(conn, plan, code, year)?;
    // Each value is at most 10^9 and there are at most 11 cities: the sum cannot overflow.
    let city_sum = (!rows.is_empty()).then(|| rows.iter().map(|r| r.value).sum());
    Ok(TargetsView {
        plan: plan.to_string(),
        indicator: code.to_string(),
        year,
        province_target,
        city_sum,
        targets: rows
            .into_iter()
            .map(|r| CityTargetView { region_code: r.region_code, name_zh: r.name_zh, value: r.value })
            .collect(),
    })
}
