//! The progress tables of §3.6: the province with its 11 cities (ranked), or one city with its
//! counties — read from the maintained aggregates ([`build`]), or computed from the facts with
//! the reference definitions ([`build_direct`], the yardstick the aggregates are checked against).

use chrono::{NaiveDate, NaiveDateTime};

use super::load;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::reference::Reference;
use crate::stats::aggregates as fast;
use crate::stats::definitions::compute::{region_figures, Figures};
use crate::stats::definitions::model::{IndicatorDef, Kind};
use crate::stats::definitions::model::{Params, Region};
use crate::stats::definitions::rates::{progress, rank, Progress};

/// What a progress request asks for.
#[derive(Debug, Clone)]
pub struct ProgressQuery {
    /// Plan code.
    pub plan: String,
    /// Indicator code.
    pub indicator: String,
    /// Year Y.
    pub year: i32,
    /// As-of date D (clamped to Y-12-31).
    pub as_of: NaiveDate,
    /// Knowledge time T.
    pub known_at: NaiveDateTime,
    /// T is now (no `known_at`, or one not in the past): `stat_daily` answers (otherwise the
    /// knowledge-time aggregate).
    pub current: bool,
}

/// One row of a table: a city or a county.
#[derive(Debug, Clone)]
pub struct RegionRow {
    /// Division code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// Its figures (None when the indicator is not tracked).
    pub progress: Option<Progress>,
    /// Competition rank among the cities (None for counties and cities without a target).
    pub rank: Option<u32>,
}

/// A whole table.
#[derive(Debug, Clone)]
pub struct Report {
    /// The request, with D clamped.
    pub query: ProgressQuery,
    /// Indicator name.
    pub name_zh: String,
    /// `家` or `个`.
    pub unit: &'static str,
    /// `cumulative` or `increment`.
    pub kind: &'static str,
    /// Whether milestones feed the indicator.
    pub tracked: bool,
    /// The whole region (province, or the city of a drill-down).
    pub total: Option<Progress>,
    /// Target of the whole region.
    pub total_target: Option<i64>,
    /// Sum of the city targets (province table only).
    pub city_target_sum: Option<i64>,
    /// Cities (ranked) or counties.
    pub rows: Vec<RegionRow>,
}

/// A row to compute: code, name, region and target.
type Child = (String, String, Region, Option<i64>);

/// Where a table's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// The maintained aggregates: `stat_daily` when T is now, `stat_known` otherwise.
    Aggregates,
    /// The reference computation over the facts.
    Direct,
}

/// The province table, or with `city` the drill-down to that city's counties, from the
/// maintained aggregates.
pub fn build(
    conn: &mut DbConnection,
    reference: &Reference,
    q: ProgressQuery,
    city: Option<&str>,
) -> Result<Report, AppError> {
    build_with(conn, reference, q, city, Method::Aggregates)
}

/// The same table computed directly from the records by the reference implementation of §3.6
/// (`stats::definitions::compute`), whatever T. It loads every fact of the indicator known at T, so it is
/// slow at scale: the service does not use it, tests compare the aggregates with it.
pub fn build_direct(
    conn: &mut DbConnection,
    reference: &Reference,
    q: ProgressQuery,
    city: Option<&str>,
) -> Result<Report, AppError> {
    build_with(conn, reference, q, city, Method::Direct)
}

fn build_with(
    conn: &mut DbConnection,
    reference: &Reference,
    q: ProgressQuery,
    city: Option<&str>,
    method: Method,
) -> Result<Report, AppError> {
    let info = load::indicator(conn, &q.plan, &q.indicator)?;
    let params = Params::new(q.year, q.as_of, q.known_at)
        .map_err(|e| AppError::bad_request("invalid_parameter", Some("year"), e.to_string()))?;
    let q = ProgressQuery { as_of: params.as_of(), ..q };
    let city_targets = load::city_targets(conn, &q.plan, &q.indicator, q.year)?;
    let (total_region, total_target, children): (Region, Option<i64>, Vec<Child>) = match city {
        None => (
            Region::Province,
            load::plan_target(conn, &q.plan, &q.indicator, q.year)?,
            divisions(reference, "city", "330000")
                .map(|(code, name)| (code.clone(), name, Region::City(code.clone()), city_targets.get(&code).copied()))
                .collect(),
        ),
        Some(c) => (
            Region::City(c.to_string()),
            city_targets.get(c).copied(),
            divisions(reference, "county", c)
                .map(|(code, name)| (code.clone(), name, Region::County(code), None))
                .collect(),
        ),
    };
    let city_target_sum = (city.is_none() && !city_targets.is_empty()).then(|| city_targets.values().sum());
    let unit = info.def.unit.as_str();
    let kind = info.def.kind.as_str();
    if !info.tracked {
        let rows = children
            .into_iter()
            .map(|(code, name_zh, _, _)| RegionRow { code, name_zh, progress: None, rank: None })
            .collect();
        return Ok(Report {
            query: q,
            name_zh: info.name_zh,
            unit,
            kind,
            tracked: false,
            total: None,
            total_target,
            city_target_sum,
            rows,
        });
    }
    let figures_of = figures_source(conn, method, &info.def, &q, &params, &total_region, &children)?;
    let total = progress(figures_of(&total_region), total_target, info.def.kind, &params);
    let mut rows: Vec<RegionRow> = children
        .into_iter()
        .map(|(code, name_zh, region, target)| RegionRow {
            progress: Some(progress(figures_of(&region), target, info.def.kind, &params)),
            code,
            name_zh,
            rank: None,
        })
        .collect();
    if city.is_none() {
        let rates: Vec<(String, Option<f64>)> =
            rows.iter().map(|r| (r.code.clone(), r.progress.as_ref().and_then(|p| p.completion_rate))).collect();
        for ((_, place), row) in rank(&rates).into_iter().zip(rows.iter_mut()) {
            row.rank = place;
        }
    }
    Ok(Report {
        query: q,
        name_zh: info.name_zh,
        unit,
        kind,
        tracked: true,
        total: Some(total),
        total_target,
        city_target_sum,
        rows,
    })
}

/// A region's figures, however obtained.
type FiguresOf = Box<dyn Fn(&Region) -> Figures>;

/// How a region's figures are obtained: the sums of the maintained aggregates (pending and in
/// 公示, which are the current state, from `stat_pending`), or the direct computation of §3.6 over the facts
/// known at T.
fn figures_source(
    conn: &mut DbConnection,
    method: Method,
    def: &IndicatorDef,
    q: &ProgressQuery,
    params: &Params,
    total: &Region,
    children: &[Child],
) -> Result<FiguresOf, AppError> {
    if method == Method::Direct {
        let city = match total {
            Region::City(c) => Some(c.as_str()),
            _ => None,
        };
        let types = load::types(conn)?;
        let codes = load::relevant_types(def, &types, &load::type_codes(conn)?);
        let facts = load::facts(
            conn,
            &codes,
            load::FactScope::AtTime { as_of: params.as_of(), known_at: params.known_at(), city },
        )?;
        let (def, params) = (def.clone(), *params);
        return Ok(Box::new(move |r: &Region| region_figures(&facts, &def, &types, &params, r)));
    }
    let mut regions: Vec<String> = children.iter().map(|c| c.0.clone()).collect();
    regions.push(region_code(total));
    let sums = if q.current {
        fast::store::sums(conn, &q.plan, &q.indicator, &regions, q.year, params.as_of())?
    } else {
        fast::known::sums(conn, &q.plan, &q.indicator, &regions, q.year, params.as_of(), params.known_at())?
    };
    let types: Vec<String> = def.sources.iter().map(|s| s.milestone_type.clone()).collect();
    let pending = fast::pending::by_region(conn, def, &types)?;
    let kind = def.kind;
    Ok(Box::new(move |r: &Region| {
        let code = region_code(r);
        let (cumulative, increment) = sums.get(&code).copied().unwrap_or_default();
        let actual = match kind {
            Kind::Cumulative => cumulative,
            Kind::Increment => increment,
        };
        let (pending, in_publicity) = pending.get(&code).copied().unwrap_or_default();
        Figures { cumulative, increment, actual, pending, in_publicity }
    }))
}

fn region_code(r: &Region) -> String {
    match r {
        Region::Province => fast::events::PROVINCE.to_string(),
        Region::City(c) | Region::County(c) => c.clone(),
    }
}

fn divisions<'a>(
    reference: &'a Reference,
    level: &'a str,
    parent: &'a str,
) -> impl Iterator<Item = (String, String)> + 'a {
    reference
        .divisions
        .iter()
        .filter(move |d| d.level == level && d.parent_code.as_deref() == Some(parent))
        .map(|d| (d.code.clone(), d.name_zh.clone()))
}
