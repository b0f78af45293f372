//! `GET /api/v1/milestones?state=&type=&city=&county=&enterprise_id=&effective_from=&effective_to=`.
//! A city reviewer's review queue is `?state=submitted`.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use super::view::MilestoneView;
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::domain::{DivisionCode, MilestoneState};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::milestones::{self as q, MilestoneFilter};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    state: Option<String>,
    #[serde(rename = "type")]
    milestone_type: Option<String>,
    city: Option<String>,
    county: Option<String>,
    enterprise_id: Option<String>,
    effective_from: Option<String>,
    effective_to: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// 400 naming `name`; a domain message ("is not a city code …") gets the name as its subject.
fn bad(name: &'static str) -> impl Fn(String) -> AppError {
    move |m| {
        let detail = if m.starts_with('`') { m } else { format!("`{name}` {m}") };
        AppError::bad_request("invalid_parameter", Some(name), detail)
    }
}

fn date(s: &Option<String>, name: &'static str) -> Result<Option<NaiveDate>, AppError> {
    s.as_deref()
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| bad(name)(format!("`{name}` must be a date YYYY-MM-DD")))
        })
        .transpose()
}

/// Lists the milestones in the caller's scope.
pub async fn list(
    state: web::Data<AppState>,
    auth: As<Business>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let r = &state.reference;
    let st = p.state.as_deref().map(MilestoneState::parse).transpose().map_err(bad("state"))?;
    let city = p.city.as_deref().map(|c| DivisionCode::parse_city(c, r)).transpose().map_err(bad("city"))?;
    let county = p.county.as_deref().map(|c| DivisionCode::parse_county(c, r)).transpose().map_err(bad("county"))?;
    if let Some(t) = &p.milestone_type {
        if r.milestone_type(t).is_none() {
            return Err(bad("type")("`type` is not a milestone type".to_string()));
        }
    }
    let viewer = auth.0;
    let mut filter = MilestoneFilter {
        enterprise_id: p.enterprise_id.as_deref().map(|e| parse_id(e, "enterprise_id")).transpose()?,
        city: city.map(|c| c.as_str().to_string()),
        county: county.map(|c| c.as_str().to_string()),
        state: st,
        exclude_drafts: true,
        milestone_type: p.milestone_type,
        effective_from: date(&p.effective_from, "effective_from")?,
        effective_to: date(&p.effective_to, "effective_to")?,
    };
    let in_scope = viewer.scope().narrow_records(&mut filter);
    let req = page.clone();
    let rows = if !in_scope {
        Vec::new()
    } else {
        state.db.run(move |c| Ok(q::list(c, &filter, req.after.as_deref(), req.limit + 1)?)).await?
    };
    Ok(HttpResponse::Ok().json(Paged::from_rows(rows, &page, |m| m.id.clone()).map(MilestoneView::from)))
}
