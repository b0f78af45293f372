//! Quotas (推荐名额, DESIGN §3.7): the province caps how many records of a type each city may
//! recommend to the province stage in a year; a recommendation past the cap is 409
//! `quota_exceeded`.
//!
//! The count is of records recommended into the province stage in the year (the day of that
//! recommendation, Asia/Shanghai) that are still at the province stage, in 公示 or approved: a
//! record the province returned or rejected frees its place. Of two recommendations racing for a
//! city's last place exactly one passes: the quota row is locked before counting
//! (`queries::quotas::lock`, after the enterprise's lock), so the second counts after the first
//! committed; on SQLite writes run one at a time.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::queries::locks;
use crate::queries::milestones::MilestoneRow;
use crate::queries::quotas::{self as q, QuotaRow};
use crate::tail::{self, Figures};

/// One city's quota as the API shows it: the cap and the places used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityQuota {
    /// The city.
    pub city_code: String,
    /// How many records the city may recommend in the year.
    pub value: i32,
    /// How many it recommended that count against the quota now.
    pub used: i64,
}

/// The quotas of a type for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaTable {
    /// The milestone type.
    pub milestone_type: String,
    /// The year.
    pub year: i32,
    /// The cities with a quota, by code (a city not listed has no cap).
    pub quotas: Vec<CityQuota>,
}

/// The quotas of type `code` in `year` with the places used (404 for an unknown type).
pub fn table(conn: &mut DbConnection, code: &str, year: i32) -> Result<QuotaTable, AppError> {
    if crate::queries::reference::review_of(conn, code)?.is_none() {
        return Err(AppError::not_found("milestone type"));
    }
    let used = q::used_by_city(conn, code, year)?;
    let quotas = q::of_year(conn, code, year)?
        .into_iter()
        .map(|r| CityQuota {
            used: used.get(&r.city_code).copied().unwrap_or(0),
            city_code: r.city_code,
            value: r.value,
        })
        .collect();
    Ok(QuotaTable { milestone_type: code.to_string(), year, quotas })
}

/// Replaces the quotas of type `code` in `year` with `quotas` (city, value), as `p`; audited
/// `milestone_type.quotas` with the new and the previous set. 404 for an unknown type.
pub fn put(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    (code, year): (&str, i32),
    quotas: &[(String, i32)],
) -> Result<QuotaTable, AppError> {
    // The type's row, locked: of two racing changes the later records the earlier as previous.
    locks::milestone_type(conn, code)?.ok_or_else(|| AppError::not_found("milestone type"))?;
    let before = q::of_year(conn, code, year)?;
    let now = crate::clock::now();
    let rows: Vec<QuotaRow> = quotas
        .iter()
        .map(|(city, value)| QuotaRow {
            milestone_type: code.to_string(),
            year,
            city_code: city.clone(),
            value: *value,
            updated_at: now,
            updated_by: p.id.clone(),
        })
        .collect();
    q::replace(conn, code, year, &rows)?;
    let listed = |rows: &[QuotaRow]| {
        rows.iter().map(|r| json!({"city_code": r.city_code, "value": r.value})).collect::<Vec<_>>()
    };
    let event = Event::ok("milestone_type.quotas", "milestone_type", code).detail(json!({
        "year": year,
        "quotas": listed(&rows),
        "previous": listed(&before),
    }));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    table(conn, code, year)
}

/// 409 `quota_exceeded` when recommending `m` into the province stage on `today` would pass its
/// city's quota for the type and year; nothing when there is no quota or a place is free.
pub fn check(conn: &mut DbConnection, m: &MilestoneRow, today: NaiveDate) -> Result<(), AppError> {
    let year = today.year();
    let Some(quota) = q::lock(conn, &m.milestone_type, year, &m.city_code)? else {
        return Ok(());
    };
    let used = q::used(conn, &m.milestone_type, year, &m.city_code)?;
    if used >= i64::from(quota) {
        return Err(AppError::conflict(
            "quota_exceeded",
            format!("the city has used all {quota} of its places for this type in {year}"),
        )
        .with("quota", quota)
        .with("used", used)
        .with("year", year));
    }
    Ok(())
}
