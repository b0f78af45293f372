//! Reading the facts §3.6 needs from the database: the indicator's definition, the catalogue,
//! the records that can count at (D, T) or are pending now, and the targets.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::MilestoneState;
use crate::error::AppError;
use crate::schema::{city_targets, indicator_sources, indicators, milestone_types, milestones, plan_targets};
use crate::stats::definitions::model::{
    IndicatorDef, Kind, RecordFacts, Revocation, Source, TypeFacts, TypeTable, Unit,
};

/// An indicator's name and definition; `tracked` is false when no milestone type feeds it.
#[derive(Debug, Clone)]
pub struct IndicatorInfo {
    /// Chinese name.
    pub name_zh: String,
    /// Unit and kind and sources.
    pub def: IndicatorDef,
    /// Whether milestones feed it.
    pub tracked: bool,
}

/// The indicator `plan`/`code` (404 when unknown).
pub fn indicator(conn: &mut DbConnection, plan: &str, code: &str) -> Result<IndicatorInfo, AppError> {
    let row: Option<(String, String, String)> = indicators::table
        .find((plan, code))
        .select((indicators::name_zh, indicators::unit, indicators::kind))
        .first(conn)
        .optional()?;
    let (name_zh, unit, kind) = row.ok_or_else(|| AppError::not_found("indicator"))?;
    let sources: Vec<(String, String)> = indicator_sources::table
        .filter(indicator_sources::plan_code.eq(plan))
        .filter(indicator_sources::indicator_code.eq(code))
        .select((indicator_sources::milestone_type, indicator_sources::levels))
        .load(conn)?;
    let def = IndicatorDef {
        unit: Unit::parse(&unit).map_err(AppError::internal)?,
        kind: Kind::parse(&kind).map_err(AppError::internal)?,
        sources: sources
            .into_iter()
            .map(|(t, l)| Source {
                milestone_type: t,
                levels: l.split('|').filter(|x| !x.is_empty()).map(str::to_string).collect(),
            })
            .collect(),
    };
    Ok(IndicatorInfo { name_zh, tracked: !def.sources.is_empty(), def })
}

/// Every indicator that milestones feed, with its definition (two queries).
pub fn tracked_indicators(conn: &mut DbConnection) -> Result<Vec<(String, String, IndicatorDef)>, AppError> {
    let sources: Vec<(String, String, String, String)> = indicator_sources::table
        .select((
            indicator_sources::plan_code,
            indicator_sources::indicator_code,
            indicator_sources::milestone_type,
            indicator_sources::levels,
        ))
        .order((indicator_sources::plan_code, indicator_sources::indicator_code))
        .load(conn)?;
    let kinds: Vec<(String, String, String, String)> = indicators::table
        .select((indicators::plan_code, indicators::code, indicators::unit, indicators::kind))
        .load(conn)?;
    let mut out: Vec<(String, String, IndicatorDef)> = Vec::new();
    for (plan, code, milestone_type, levels) in sources {
        let source = Source {
            milestone_type,
            levels: levels.split('|').filter(|x| !x.is_empty()).map(str::to_string).collect(),
        };
        if let Some(last) = out.last_mut().filter(|(p, c, _)| *p == plan && *c == code) {
            last.2.sources.push(source);
            continue;
        }
        let (_, _, unit, kind) = kinds
            .iter()
            .find(|(p, c, _, _)| *p == plan && *c == code)
            .ok_or_else(|| AppError::internal("indicator source without indicator"))?;
        let def = IndicatorDef {
            unit: Unit::parse(unit).map_err(AppError::internal)?,
            kind: Kind::parse(kind).map_err(AppError::internal)?,
            sources: vec![source],
        };
        out.push((plan, code, def));
    }
    Ok(out)
}

/// The catalogue's validity and exclusive groups.
pub fn types(conn: &mut DbConnection) -> Result<TypeTable, AppError> {
    let rows: Vec<(String, Option<i32>, Option<String>)> = milestone_types::table
        .select((milestone_types::code, milestone_types::validity_years, milestone_types::exclusive_group))
        .load(conn)?;
    Ok(TypeTable::new(rows.into_iter().map(|(code, validity_years, exclusive_group)| TypeFacts {
        code,
        validity_years,
        exclusive_group,
    })))
}

/// Type codes whose records matter for `def`: its sources and every type sharing an exclusive
/// group with one of them (a replacing tier ends a counted one).
pub fn relevant_types(def: &IndicatorDef, types: &TypeTable, all_codes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = def.sources.iter().map(|s| s.milestone_type.clone()).collect();
    let groups: Vec<&str> = out.iter().filter_map(|t| types.exclusive_group(t)).collect();
    for code in all_codes {
        if types.exclusive_group(code).is_some_and(|g| groups.contains(&g)) && !out.contains(code) {
            out.push(code.clone());
        }
    }
    out
}

/// Every type code of the catalogue.
pub fn type_codes(conn: &mut DbConnection) -> Result<Vec<String>, AppError> {
    Ok(milestone_types::table.select(milestone_types::code).load(conn)?)
}

/// The columns of a record that the statistics read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = milestones)]
struct FactRow {
    id: String,
    enterprise_id: String,
    milestone_type: String,
    level: Option<String>,
    effective_on: NaiveDate,
    county_code: String,
    city_code: String,
    state: MilestoneState,
    approved_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    revoked_effective_on: Option<NaiveDate>,
}

impl From<FactRow> for RecordFacts {
    fn from(r: FactRow) -> Self {
        RecordFacts {
            id: r.id,
            enterprise_id: r.enterprise_id,
            milestone_type: r.milestone_type,
            level: r.level,
            effective_on: r.effective_on,
            county_code: r.county_code,
            city_code: r.city_code,
            approved_at: r.approved_at,
            revocations: match (r.revoked_at, r.revoked_effective_on) {
                (Some(recorded_at), Some(effective_on)) => vec![Revocation { recorded_at, effective_on }],
                _ => Vec::new(),
            },
            submitted_now: r.state == MilestoneState::Submitted,
            publicised_now: r.state == MilestoneState::Publicised,
        }
    }
}

impl From<&crate::queries::milestones::MilestoneRow> for RecordFacts {
    /// The facts of a record in hand (one just written), as [`facts`] would read them.
    fn from(m: &crate::queries::milestones::MilestoneRow) -> Self {
        RecordFacts {
            id: m.id.clone(),
            enterprise_id: m.enterprise_id.clone(),
            milestone_type: m.milestone_type.clone(),
            level: m.level.clone(),
            effective_on: m.effective_on,
            county_code: m.county_code.clone(),
            city_code: m.city_code.clone(),
            approved_at: m.approved_at,
            revocations: match (m.revoked_at, m.revoked_effective_on) {
                (Some(recorded_at), Some(effective_on)) => vec![Revocation { recorded_at, effective_on }],
                _ => Vec::new(),
            },
            submitted_now: m.state == MilestoneState::Submitted,
            publicised_now: m.state == MilestoneState::Publicised,
        }
    }
}

/// Which records [`facts`] reads.
#[derive(Debug, Clone)]
pub enum FactScope<'a> {
    /// Approved by T and effective by D, or submitted or publicised now; optionally only
    /// enterprises with such records in one city (their other records come too: a replacing tier
    /// may sit elsewhere).
    AtTime {
        /// D.
        as_of: NaiveDate,
        /// T.
        known_at: NaiveDateTime,
        /// Only this city's enterprises.
        city: Option<&'a str>,
    },
    /// Every approved record of one enterprise (the fast path's maintenance).
    Enterprise(&'a str),
    /// Every approved record of these enterprises, by enterprise (an import's maintenance).
    Enterprises(&'a [String]),
    /// Every approved record (rebuilding the fast path).
    AllApproved,
}

/// Records of `type_codes` in `scope`, as facts.
pub fn facts(
    conn: &mut DbConnection,
    type_codes: &[String],
    scope: FactScope<'_>,
) -> Result<Vec<RecordFacts>, AppError> {
    let mut q = milestones::table
        .filter(milestones::milestone_type.eq_any(type_codes))
        .select(FactRow::as_select())
        .into_boxed();
    match scope {
        FactScope::AtTime { as_of, known_at, city } => {
            q = q.filter(
                milestones::approved_at
                    .le(known_at)
                    .and(milestones::effective_on.le(as_of))
                    .or(milestones::state.eq_any([MilestoneState::Submitted, MilestoneState::Publicised])),
            );
            if let Some(c) = city {
                let other = diesel::alias!(milestones as other);
                let in_city = other
                    .filter(other.field(milestones::city_code).eq(c.to_string()))
                    .filter(other.field(milestones::milestone_type).eq_any(type_codes))
                    .select(other.field(milestones::enterprise_id));
                q = q.filter(milestones::enterprise_id.eq_any(in_city));
            }
        }
        FactScope::Enterprise(id) => {
            q = q.filter(milestones::enterprise_id.eq(id.to_string())).filter(milestones::approved_at.is_not_null())
        }
        FactScope::Enterprises(ids) => {
            q = q
                .filter(milestones::enterprise_id.eq_any(ids.to_vec()))
                .filter(milestones::approved_at.is_not_null())
                .order(milestones::enterprise_id)
        }
        FactScope::AllApproved => q = q.filter(milestones::approved_at.is_not_null()).order(milestones::enterprise_id),
    }
    let rows: Vec<FactRow> = q.load(conn)?;
    Ok(rows.into_iter().map(RecordFacts::from).collect())
}

/// The plan's province-wide target for `year`.
pub fn plan_target(conn: &mut DbConnection, plan: &str, code: &str, year: i32) -> Result<Option<i64>, AppError> {
    Ok(plan_targets::table
        .filter(plan_targets::plan_code.eq(plan))
        .filter(plan_targets::indicator_code.eq(code))
        .filter(plan_targets::target_year.eq(year))
        .select(plan_targets::target_value)
        .first(conn)
        .optional()?)
}

/// City targets set by the province for `year`, by region code.
pub fn city_targets(
    conn: &mut DbConnection,
    plan: &str,
    code: &str,
    year: i32,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    let rows: Vec<(String, i64)> = city_targets::table
        .filter(city_targets::plan_code.eq(plan))
        .filter(city_targets::indicator_code.eq(code))
        .filter(city_targets::year.eq(year))
        .select((city_targets::region_code, city_targets::value))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
