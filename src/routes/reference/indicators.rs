//! `GET /api/v1/indicators?plan=`: plan indicators with their targets and whether milestones
//! feed them (`tracked`).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::milestone_types::split_levels;
use super::Items;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::queries::reference as q;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    plan: Option<String>,
}

#[derive(Debug, Serialize)]
struct TargetView {
    year: Option<i32>,
    value: i64,
    source_quote: String,
}

#[derive(Debug, Serialize)]
struct SourceView {
    milestone_type: String,
    levels: Vec<String>,
}

#[derive(Debug, Serialize)]
struct IndicatorView {
    plan_code: String,
    code: String,
    name_zh: String,
    name_en: String,
    unit: String,
    kind: String,
    baseline_year: Option<i32>,
    baseline_value: Option<i64>,
    tracked: bool,
    sources: Vec<SourceView>,
    targets: Vec<TargetView>,
}

/// Lists indicators, optionally of one plan (an unknown plan is a 400 naming `plan`).
pub async fn list(state: web::Data<AppState>, ApiQuery(p): ApiQuery<Params>) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |conn| {
            if let Some(plan) = &p.plan {
                if !q::plan_exists(conn, plan)? {
                    return Err(AppError::bad_request(
                        "invalid_parameter",
                        Some("plan"),
                        "`plan` is not a known plan code",
                    ));
                }
            }
            Ok(q::list_indicators(conn, p.plan.as_deref())?)
        })
        .await?;
    let items: Vec<IndicatorView> = rows
        .into_iter()
        .map(|(i, targets, sources)| IndicatorView {
            tracked: !sources.is_empty(),
            sources: sources
                .into_iter()
                .map(|s| SourceView { levels: split_levels(&s.levels), milestone_type: s.milestone_type })
                .collect(),
            targets: targets
                .into_iter()
                .map(|t| TargetView { year: t.target_year, value: t.target_value, source_quote: t.source_quote })
                .collect(),
            plan_code: i.plan_code,
            code: i.code,
            name_zh: i.name_zh,
            name_en: i.name_en,
            unit: i.unit,
            kind: i.kind,
            baseline_year: i.baseline_year,
            baseline_value: i.baseline_value,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
