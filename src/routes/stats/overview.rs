//! `GET /api/v1/stats/overview?year=&as_of=&known_at=`: one row per tracked indicator with a
//! target for the year, province-wide — for a dashboard.

use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::year_as_of_known;
use super::view::FiguresView;
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::reference::Reference;
use crate::schema::{indicator_sources, plan_targets};
use crate::state::AppState;
use crate::stats::definitions::model;
use crate::stats::reports::report::{self, ProgressQuery};

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    year: Option<i32>,
    as_of: Option<String>,
    known_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct Item {
    plan: String,
    indicator: String,
    name_zh: String,
    unit: &'static str,
    kind: &'static str,
    #[serde(flatten)]
    figures: FiguresView,
}

#[derive(Debug, Serialize)]
struct Overview {
    year: i32,
    as_of: NaiveDate,
    known_at: String,
    items: Vec<Item>,
}

/// The dashboard rows.
pub async fn overview(
    state: web::Data<AppState>,
    _auth: As<Officials>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let (year, as_of, known_at, current) = year_as_of_known(p.year, p.as_of.as_deref(), p.known_at.as_deref())?;
    let reference = state.reference.clone();
    let permit = super::run::permit(&state, current)?;
    let (backend, timeout) = (state.db.backend(), state.settings.slow_query_timeout_ms);
    let (as_of, items) = state
        .db
        .run(move |c| {
            let _permit = permit;
            super::run::bounded(c, backend, !current, timeout, |c| {
                overview_items(c, &reference, year, as_of, known_at, current)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Overview { year, as_of, known_at: crate::clock::rfc3339(known_at), items }))
}

/// The dashboard rows: every tracked indicator with a plan target for `year`.
fn overview_items(
    c: &mut DbConnection,
    reference: &Reference,
    year: i32,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
    current: bool,
) -> Result<(NaiveDate, Vec<Item>), AppError> {
    let tracked: Vec<(String, String)> = plan_targets::table
        .inner_join(
            indicator_sources::table.on(indicator_sources::plan_code
                .eq(plan_targets::plan_code)
                .and(indicator_sources::indicator_code.eq(plan_targets::indicator_code))),
        )
        .filter(plan_targets::target_year.eq(year))
        .select((plan_targets::plan_code, plan_targets::indicator_code))
        .distinct()
        .order((plan_targets::plan_code, plan_targets::indicator_code))
        .load(c)?;
    let clamped = model::Params::new(year, as_of, known_at).map_or(as_of, |p| p.as_of());
    let mut items = Vec::new();
    for (plan, indicator) in tracked {
        let q = ProgressQuery { plan: plan.clone(), indicator: indicator.clone(), year, as_of, known_at, current };
        let r = report::build(c, reference, q, None)?;
        items.push(Item {
            plan,
            indicator,
            name_zh: r.name_zh.clone(),
            unit: r.unit,
            kind: r.kind,
            figures: FiguresView::new(r.total.as_ref(), r.total_target),
        });
    }
    Ok((clamped, items))
}
