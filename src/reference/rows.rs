//! Row types of the embedded reference CSV files and their parser.

use serde::de::DeserializeOwned;
use serde::Deserialize;

pub(super) const DIVISIONS_CSV: &str = include_str!("../../data/reference/divisions.csv");
pub(super) const MILESTONE_TYPES_CSV: &str = include_str!("../../data/reference/milestone_types.csv");
pub(super) const PLAN_TARGETS_CSV: &str = include_str!("../../data/reference/plan_targets.csv");
pub(super) const INDICATOR_SOURCES_CSV: &str = include_str!("../../data/reference/indicator_sources.csv");

/// A row of `divisions.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct DivisionRow {
    /// Six-digit GB/T 2260 code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `province`, `city` or `county`.
    pub level: String,
    /// Parent division, empty for the province.
    #[serde(deserialize_with = "empty_as_none")]
    pub parent_code: Option<String>,
}

/// A row of `milestone_types.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct MilestoneTypeRow {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Allowed levels separated by `|`; empty = the type has no level.
    pub levels: String,
    /// `one`, `one_per_level` or `many`.
    pub multiplicity: String,
    /// Exclusive group (`tier`), if any.
    #[serde(deserialize_with = "empty_as_none")]
    pub exclusive_group: Option<String>,
    /// Years after which a recognition lapses.
    #[serde(deserialize_with = "empty_as_none_num")]
    pub validity_years: Option<i32>,
    /// Who recognises it (`city`, `province`, `national`, `external`).
    pub recognised_by: String,
    /// Default review chain, `>`-separated (`city>province`; DESIGN §3.7).
    pub review_chain: String,
    /// Default 公示 length in working days (0 = none).
    pub publicity_days: i32,
}

/// A row of `plan_targets.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanTargetRow {
    /// Plan code.
    pub plan_code: String,
    /// Plan title.
    pub plan_name_zh: String,
    /// Issue date or year.
    pub issued: String,
    /// Indicator code within the plan.
    pub indicator_code: String,
    /// Indicator name (Chinese).
    pub indicator_name_zh: String,
    /// Indicator name (English).
    pub indicator_name_en: String,
    /// `家` (distinct enterprises) or `个` (records).
    pub unit: String,
    /// `cumulative` or `increment`.
    pub kind: String,
    /// Baseline year.
    #[serde(deserialize_with = "empty_as_none_num")]
    pub baseline_year: Option<i32>,
    /// Baseline value.
    #[serde(deserialize_with = "empty_as_none_num")]
    pub baseline_value: Option<i64>,
    /// Target year; `None` for targets without a year.
    #[serde(deserialize_with = "empty_as_none_num")]
    pub target_year: Option<i32>,
    /// Target value.
    pub target_value: i64,
    /// Quote from the plan document.
    pub source_quote: String,
}

/// A row of `indicator_sources.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorSourceRow {
    /// Plan code.
    pub plan_code: String,
    /// Indicator code.
    pub indicator_code: String,
    /// Milestone type counted.
    pub milestone_type: String,
    /// Levels counted, `|`-separated; empty = all levels.
    pub levels: String,
}

pub(super) fn parse<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, String> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| format!("embedded reference data is malformed: {e}"))
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    Ok((!s.trim().is_empty()).then(|| s.trim().to_string()))
}

fn empty_as_none_num<'de, D, N>(d: D) -> Result<Option<N>, D::Error>
where
    D: serde::Deserializer<'de>,
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    let s = String::deserialize(d)?;
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(serde::de::Error::custom)
}
