//! `GET /api/v1/stats/providers?plan=&indicator=&year=&as_of=` (province_officer): per provider,
//! the actual over the records it submitted and its share of the province's actual (§3.9).

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::params::year_as_of_known;
use super::run::permit;
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::stats::reports::providers::{self, ProviderReport};
use crate::stats::reports::report::ProgressQuery;

/// Query parameters (the progress table's, without a knowledge time: figures as known now).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    plan: Option<String>,
    indicator: Option<String>,
    year: Option<i32>,
    as_of: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProviderRow {
    provider_id: String,
    name: String,
    actual: i64,
    share: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Table {
    plan: String,
    indicator: String,
    unit: &'static str,
    year: i32,
    as_of: NaiveDate,
    province_actual: Option<i64>,
    providers: Vec<ProviderRow>,
}

impl From<ProviderReport> for Table {
    fn from(r: ProviderReport) -> Self {
        Table {
            plan: r.query.plan,
            indicator: r.query.indicator,
            unit: r.unit,
            year: r.query.year,
            as_of: r.query.as_of,
            province_actual: r.province_actual,
            providers: r
                .providers
                .into_iter()
                .map(|p| ProviderRow { provider_id: p.provider_id, name: p.name, actual: p.actual, share: p.share })
                .collect(),
        }
    }
}

fn required(name: &str, v: Option<String>) -> Result<String, AppError> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::bad_request("invalid_parameter", Some(name), format!("`{name}` is required")))
}

/// The providers' table.
pub async fn providers(
    state: web::Data<AppState>,
    _auth: As<ProvinceOfficer>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let (plan, indicator) = (required("plan", p.plan)?, required("indicator", p.indicator)?);
    let (year, as_of, known_at, _) = year_as_of_known(p.year, p.as_of.as_deref(), None)?;
    let q = ProgressQuery { plan, indicator, year, as_of, known_at, current: true };
    // It reads the indicator's records: bounded like the other computations that do.
    let permit = permit(&state, false)?;
    let reference = state.reference.clone();
    let report = state
        .db
        .run(move |c| {
            let _permit = permit;
            providers::build(c, &reference, q)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Table::from(report)))
}
