//! The JSON shape of the progress tables.

use serde::Serialize;

use crate::stats::definitions::rates::Progress;
use crate::stats::reports::report::{RegionRow, Report};

/// The figures of one region.
#[derive(Debug, Serialize)]
pub struct FiguresView {
    target: Option<i64>,
    actual: Option<i64>,
    cumulative: Option<i64>,
    increment: Option<i64>,
    completion_rate: Option<f64>,
    time_progress: Option<f64>,
    pace_gap_pp: Option<f64>,
    pending: Option<i64>,
    in_publicity: Option<i64>,
}

impl FiguresView {
    /// From computed figures, or only the target for an untracked indicator.
    pub fn new(p: Option<&Progress>, target: Option<i64>) -> Self {
        Self {
            target,
            actual: p.map(|p| p.actual),
            cumulative: p.map(|p| p.cumulative),
            increment: p.map(|p| p.increment),
            completion_rate: p.and_then(|p| p.completion_rate),
            time_progress: p.and_then(|p| p.time_progress),
            pace_gap_pp: p.and_then(|p| p.pace_gap_pp),
            pending: p.map(|p| p.pending),
            in_publicity: p.map(|p| p.in_publicity),
        }
    }
}

/// A city or county row.
#[derive(Debug, Serialize)]
pub struct Row {
    code: String,
    name_zh: String,
    #[serde(flatten)]
    figures: FiguresView,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank: Option<Option<u32>>,
}

impl Row {
    /// A row; `ranked` adds the `rank` member (cities).
    pub fn new(r: &RegionRow, ranked: bool) -> Self {
        Self {
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            figures: FiguresView::new(r.progress.as_ref(), r.progress.as_ref().and_then(|p| p.target)),
            rank: ranked.then_some(r.rank),
        }
    }
}

/// The common head of both tables.
#[derive(Debug, Serialize)]
pub struct Head {
    plan: String,
    indicator: String,
    name_zh: String,
    unit: &'static str,
    kind: &'static str,
    tracked: bool,
    year: i32,
    as_of: chrono::NaiveDate,
    known_at: String,
}

impl Head {
    /// The head of a report.
    pub fn new(r: &Report) -> Self {
        Self {
            plan: r.query.plan.clone(),
            indicator: r.query.indicator.clone(),
            name_zh: r.name_zh.clone(),
            unit: r.unit,
            kind: r.kind,
            tracked: r.tracked,
            year: r.query.year,
            as_of: r.query.as_of,
            known_at: crate::clock::rfc3339(r.query.known_at),
        }
    }
}

/// `GET /stats/progress`.
#[derive(Debug, Serialize)]
pub struct ProvinceTable {
    #[serde(flatten)]
    head: Head,
    city_target_sum: Option<i64>,
    province: FiguresView,
    cities: Vec<Row>,
}

impl From<&Report> for ProvinceTable {
    fn from(r: &Report) -> Self {
        Self {
            head: Head::new(r),
            city_target_sum: r.city_target_sum,
            province: FiguresView::new(r.total.as_ref(), r.total_target),
            cities: r.rows.iter().map(|row| Row::new(row, true)).collect(),
        }
    }
}

/// `GET /stats/progress/{city_code}`.
#[derive(Debug, Serialize)]
pub struct CityTable {
    #[serde(flatten)]
    head: Head,
    city: Row,
    counties: Vec<Row>,
}

impl CityTable {
    /// The drill-down of `city_code`.
    pub fn new(r: &Report, city_code: &str, name_zh: &str) -> Self {
        let city = Row {
            code: city_code.to_string(),
            name_zh: name_zh.to_string(),
            figures: FiguresView::new(r.total.as_ref(), r.total_target),
            rank: None,
        };
        Self { head: Head::new(r), city, counties: r.rows.iter().map(|row| Row::new(row, false)).collect() }
    }
}
