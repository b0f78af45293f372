//! `GET /api/v1/imports?limit=&cursor=`: the reports of applied imports, newest first.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::imports::report::Report;
use crate::paging::{PageRequest, Paged};
use crate::queries::imports as q;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Lists imports.
pub async fn list(
    state: web::Data<AppState>,
    _auth: As<ProvinceOfficer>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let req = page.clone();
    let rows = state.db.run(move |c| Ok(q::list(c, req.after.as_deref(), req.limit + 1)?)).await?;
    let page = Paged::from_rows(rows, &page, |r| r.id.clone());
    let items = page.items.into_iter().map(Report::of_stored).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Paged { items, next_cursor: page.next_cursor }))
}
