//! `PUT /api/v1/indicators/{plan}/{code}/targets/{year}` `{targets:[{region_code, value}]}`:
//! the province replaces the whole set of city targets of an indicator for a year.

use std::collections::HashSet;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{parse_year, view};
use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::domain::DivisionCode;
use crate::error::{AppError, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::queries::targets::{self as q, NewCityTarget};
use crate::reference::Reference;
use crate::state::AppState;
use crate::tail::{self, Figures};

/// The largest target value accepted.
pub const MAX_VALUE: i64 = 1_000_000_000;

/// Request body: the complete new set (an empty list clears the year).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    targets: Vec<TargetInput>,
}

/// One city's target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    region_code: String,
    value: i64,
}

/// Checks every entry: a city of Zhejiang, named once, with a value in 0..=[`MAX_VALUE`].
/// Every wrong entry is reported (422), each naming `targets[i].region_code` or `targets[i].value`.
fn validate(targets: &[TargetInput], reference: &Reference) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, t) in targets.iter().enumerate() {
        let field = format!("targets[{i}].region_code");
        match DivisionCode::parse_city(&t.region_code, reference) {
            Err(message) => errors.push(FieldError::new(field, "not_a_city", message)),
            Ok(city) => {
                if !seen.insert(city.as_str().to_string()) {
                    errors.push(FieldError::new(
                        field,
                        "duplicate",
                        format!("`{}` is listed more than once", city.as_str()),
                    ));
                }
            }
        }
        if !(0..=MAX_VALUE).contains(&t.value) {
            errors.push(FieldError::new(
                format!("targets[{i}].value"),
                "out_of_range",
                format!("must be an integer from 0 to {MAX_VALUE}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

/// Replaces the city targets of `{plan}/{code}` for `{year}` atomically and audits it
/// (`target.replace`); answers the new set in the shape of the GET. 404 for an unknown plan or
/// indicator. Any indicator of a plan may get targets, tracked or not.
pub async fn replace(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    path: ApiPath<(String, String, String)>,
    ApiJson(body): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let (plan, code, year) = path.into_inner();
    let year = parse_year(&year)?;
    let reference = state.reference.clone();
    let p = auth.0;
    let result = state
        .db
        .write(move |c| {
            if !q::lock_indicator(c, &plan, &code)? {
                return Err(AppError::not_found("indicator"));
            }
            validate(&body.targets, &reference)?;
            let before = view::load(c, &plan, &code, year)?;
            let now = crate::clock::now();
            let rows: Vec<NewCityTarget<'_>> = body
                .targets
                .iter()
                .map(|t| NewCityTarget {
                    plan_code: &plan,
                    indicator_code: &code,
                    year,
                    region_code: t.region_code.trim(),
                    value: t.value,
                    updated_at: now,
                    updated_by: &p.id,
                })
                .collect();
            q::replace_year(c, &plan, &code, year, &rows)?;
            let after = view::load(c, &plan, &code, year)?;
            let object_id = format!("{plan}/{code}");
            let event = Event::ok("target.replace", "indicator", &object_id).detail(json!({
                "year": year,
                "count": after.count(),
                "sum": after.city_sum().unwrap_or(0),
                "previous": { "count": before.count(), "sum": before.city_sum().unwrap_or(0) },
            }));
            tail::finish(c, &meta, &Actor::Principal(p.clone()), Figures::Changed, [event])?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(region_code: &str, value: i64) -> TargetInput {
        TargetInput { region_code: region_code.into(), value }
    }

    fn fields(targets: &[TargetInput]) -> Vec<(String, String)> {
        let reference = Reference::load().unwrap();
        match validate(targets, &reference) {
            Ok(()) => Vec::new(),
            Err(e) => {
                assert_eq!(e.status().as_u16(), 422);
                e.field_errors().iter().map(|f| (f.field.clone().unwrap(), f.code.clone())).collect()
            }
        }
    }

    #[test]
    fn accepts_cities_with_values_in_range() {
        assert!(fields(&[]).is_empty());
        assert!(fields(&[t("330100", 0), t("330200", MAX_VALUE), t("331100", 7)]).is_empty());
    }

    #[test]
    fn names_every_wrong_entry() {
        let got = fields(&[
            t("330000", 1),
            t("330106", 1),
            t("999999", 1),
            t("abc", 1),
            t("330100", -1),
            t("330200", MAX_VALUE + 1),
            t("330100", 5),
        ]);
        let want: Vec<(String, String)> = [
            ("targets[0].region_code", "not_a_city"),
            ("targets[1].region_code", "not_a_city"),
            ("targets[2].region_code", "not_a_city"),
            ("targets[3].region_code", "not_a_city"),
            ("targets[4].value", "out_of_range"),
            ("targets[5].value", "out_of_range"),
            ("targets[6].region_code", "duplicate"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        assert_eq!(got, want);
    }
}
