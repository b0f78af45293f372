//! `GET`/`PUT /api/v1/milestone-types/{code}/quotas/{year}`: the recommendation quotas (推荐名额)
//! of a type for a year (DESIGN §3.7). Officials read them with the places used; the province
//! replaces the year's whole set.

use std::collections::HashSet;

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::audit::RequestMeta;
use crate::auth::principal::roles::{ProvinceOfficer, RegionOfficials};
use crate::auth::As;
use crate::domain::DivisionCode;
use crate::error::{AppError, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::milestones::quotas;
use crate::reference::Reference;
use crate::routes::targets::parse_year;
use crate::state::AppState;

/// The largest quota accepted.
pub const MAX_QUOTA: i64 = 100_000;

/// Request body: the complete set for the year (an empty list removes every cap).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    quotas: Vec<QuotaInput>,
}

/// One city's quota.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaInput {
    city_code: String,
    value: i64,
}

/// Every entry checked: a city of Zhejiang, listed once, with a value in 0..=[`MAX_QUOTA`];
/// every wrong entry reported (422), each naming `quotas[i].city_code` or `quotas[i].value`.
fn validate(input: &[QuotaInput], reference: &Reference) -> Result<Vec<(String, i32)>, AppError> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut quotas = Vec::new();
    for (i, q) in input.iter().enumerate() {
        let field = format!("quotas[{i}].city_code");
        let city = match DivisionCode::parse_city(&q.city_code, reference) {
            Err(message) => {
                errors.push(FieldError::new(field, "not_a_city", message));
                None
            }
            Ok(city) if !seen.insert(city.as_str().to_string()) => {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    format!("`{}` is listed more than once", city.as_str()),
                ));
                None
            }
            Ok(city) => Some(city.as_str().to_string()),
        };
        let value = i32::try_from(q.value).ok().filter(|v| (0..=MAX_QUOTA).contains(&i64::from(*v)));
        if value.is_none() {
            errors.push(FieldError::new(
                format!("quotas[{i}].value"),
                "out_of_range",
                format!("must be an integer from 0 to {MAX_QUOTA}"),
            ));
        }
        if let (Some(city), Some(value)) = (city, value) {
            quotas.push((city, value));
        }
    }
    if errors.is_empty() {
        Ok(quotas)
    } else {
        Err(AppError::validation(errors))
    }
}

/// The quotas of `{code}` in `{year}` with the places used (officials; 404 for an unknown type).
pub async fn get(
    state: web::Data<AppState>,
    _auth: As<RegionOfficials>,
    path: ApiPath<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (code, year) = path.into_inner();
    let year = parse_year(&year)?;
    let table = state.db.run(move |c| quotas::table(c, &code, year)).await?;
    Ok(HttpResponse::Ok().json(table))
}

/// Replaces the quotas of `{code}` for `{year}` (province_officer; audited
/// `milestone_type.quotas`); answers them as the GET does.
pub async fn put(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    path: ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let (code, year) = path.into_inner();
    let year = parse_year(&year)?;
    let reference = state.reference.clone();
    let p = auth.0;
    let table = state
        .db
        .write(move |c| {
            let rows = validate(&body.quotas, &reference)?;
            quotas::put(c, &p, &meta, (&code, year), &rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(table))
}
