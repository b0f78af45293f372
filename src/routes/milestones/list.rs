//! `GET /api/v1/milestones?state=&stage=&type=&city=&county=&enterprise_id=&effective_from=&effective_to=&sort=`.
//! A city reviewer's review queue is `?state=submitted&sort=-submitted_at`. Each item carries
//! its enterprise's name and USCC and the deciding reviewer's name; the page carries `total`,
//! the number of matching records (`queries::milestone_list::total`).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sort;
use super::view::ListItemView;
use crate::auth::principal::roles::RecordReaders;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::domain::milestone::review::Stage;
use crate::domain::MilestoneState;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::milestone_list::{self as q, MilestoneFilter};
use crate::queries::milestones::MilestoneRow;
use crate::routes::filters::{bad_param, Region};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    state: Option<String>,
    stage: Option<String>,
    #[serde(rename = "type")]
    milestone_type: Option<String>,
    city: Option<String>,
    county: Option<String>,
    enterprise_id: Option<String>,
    effective_from: Option<String>,
    effective_to: Option<String>,
    sort: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A page of the list with the number of matching records.
#[derive(Debug, Serialize)]
struct Page {
    #[serde(flatten)]
    page: Paged<ListItemView>,
    total: i64,
}

/// What one database visit returns: the page's rows with their names, and the total.
struct Found {
    rows: Vec<MilestoneRow>,
    enterprises: HashMap<String, (String, String)>,
    reviewers: HashMap<String, String>,
    total: i64,
}

fn date(s: &Option<String>, name: &'static str) -> Result<Option<NaiveDate>, AppError> {
    s.as_deref()
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| bad_param(name)(format!("`{name}` must be a date YYYY-MM-DD")))
        })
        .transpose()
}

/// Lists the milestones in the caller's scope.
pub async fn list(
    state: web::Data<AppState>,
    auth: As<RecordReaders>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let r = &state.reference;
    let st = p.state.as_deref().map(MilestoneState::parse).transpose().map_err(bad_param("state"))?;
    let region = Region::parse(p.city.as_deref(), p.county.as_deref(), r)?;
    if let Some(t) = &p.milestone_type {
        if r.milestone_type(t).is_none() {
            return Err(AppError::bad_request("invalid_parameter", Some("type"), "`type` is not a milestone type"));
        }
    }
    let stage = p.stage.as_deref().map(Stage::parse).transpose().map_err(|_| {
        AppError::invalid_parameter("query", "stage", "invalid_value", "must be one of county, city, province")
    })?;
    let order = sort::parse(p.sort.as_deref(), stage == Some(Stage::Province))?;
    let viewer = auth.0;
    let mut filter = MilestoneFilter {
        enterprise_id: p.enterprise_id.as_deref().map(|e| parse_id(e, "enterprise_id")).transpose()?,
        city: region.city,
        county: region.county,
        state: st,
        stage,
        exclude_drafts: true,
        milestone_type: p.milestone_type,
        effective_from: date(&p.effective_from, "effective_from")?,
        effective_to: date(&p.effective_to, "effective_to")?,
        delegated_to: None,
        delegated_on: Some(state.clock.today_shanghai()),
    };
    let in_scope = viewer.scope().narrow_records(&mut filter);
    let after = page.after.as_deref().map(|k| sort::position(order, k)).transpose()?;
    let limit = page.limit + 1;
    let found = if !in_scope {
        Found { rows: Vec::new(), enterprises: HashMap::new(), reviewers: HashMap::new(), total: 0 }
    } else {
        state.db.run(move |c| Ok(find(c, &filter, order, after.as_ref(), limit)?)).await?
    };
    let Found { rows, enterprises, reviewers, total } = found;
    let page = Paged::from_rows(rows, &page, |m| sort::key(order, m)).map(|m| {
        // An enterprise is never deleted while it has records, so the lookup always finds it.
        let enterprise = enterprises.get(&m.enterprise_id).cloned().unwrap_or_default();
        let reviewer = m.decided_by.as_ref().and_then(|d| reviewers.get(d).cloned());
        ListItemView::new(m, enterprise, reviewer)
    });
    Ok(HttpResponse::Ok().json(Page { page, total }))
}

/// The page, the names it shows and the total, on one connection.
fn find(
    c: &mut crate::db::DbConnection,
    filter: &MilestoneFilter,
    order: q::Order,
    after: Option<&q::After>,
    limit: i64,
) -> diesel::QueryResult<Found> {
    let rows = q::list(c, filter, order, after, limit)?;
    let ids: Vec<&str> = rows.iter().map(|m| m.enterprise_id.as_str()).collect();
    let enterprises = q::enterprise_names(c, &ids)?;
    let deciders: Vec<&str> = rows.iter().filter_map(|m| m.decided_by.as_deref()).collect();
    let reviewers = q::user_names(c, &deciders)?;
    let total = q::total(c, filter)?;
    Ok(Found { rows, enterprises, reviewers, total })
}
