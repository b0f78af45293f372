//! `GET /api/v1/publicity?limit=&cursor=`: the records in 公示 now, paged by id. Each line shows
//! the enterprise's name and USCC, its county and city, the type, level and title, and the 公示
//! period — nothing else: no contact data, comments or reviewers (§3.7).

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::publicity::{self, NoticeRow};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// One line of the public notice.
#[derive(Debug, Serialize)]
struct Notice {
    enterprise_name: String,
    uscc: String,
    county_code: String,
    city_code: String,
    #[serde(rename = "type")]
    milestone_type: String,
    level: Option<String>,
    title: String,
    publicity_starts_on: Option<NaiveDate>,
    publicity_ends_on: Option<NaiveDate>,
}

impl From<NoticeRow> for Notice {
    fn from(r: NoticeRow) -> Self {
        Notice {
            enterprise_name: r.enterprise_name,
            uscc: r.uscc,
            county_code: r.county_code,
            city_code: r.city_code,
            milestone_type: r.milestone_type,
            level: r.level,
            title: r.title,
            publicity_starts_on: r.publicity_starts_on,
            publicity_ends_on: r.publicity_ends_on,
        }
    }
}

/// Lists the records in 公示.
pub async fn list(state: web::Data<AppState>, ApiQuery(p): ApiQuery<Params>) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let req = page.clone();
    let rows = state.db.run(move |c| Ok(publicity::list(c, req.after.as_deref(), req.limit + 1)?)).await?;
    Ok(HttpResponse::Ok().json(Paged::from_rows(rows, &page, |r| r.id.clone()).map(Notice::from)))
}
