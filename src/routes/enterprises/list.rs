//! `GET /api/v1/enterprises?city=&county=&q=&verified=&limit=&cursor=`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::EnterpriseView;
use crate::auth::principal::roles::Readers;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::enterprises::{self as q, EnterpriseFilter};
use crate::routes::filters::Region;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    city: Option<String>,
    county: Option<String>,
    q: Option<String>,
    verified: Option<bool>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Lists the enterprises in the caller's scope (an enterprise sees exactly itself).
pub async fn list(
    state: web::Data<AppState>,
    auth: As<Readers>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let region = Region::parse(p.city.as_deref(), p.county.as_deref(), &state.reference)?;
    let q_text = p.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if q_text.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(AppError::bad_request("invalid_parameter", Some("q"), "`q` must be at most 100 characters"));
    }
    let viewer = auth.0;
    let mut filter =
        EnterpriseFilter { id: None, city: region.city, county: region.county, q: q_text, verified: p.verified };
    let in_scope = viewer.scope().narrow_enterprises(&mut filter);
    let req = page.clone();
    let rows = if !in_scope {
        Vec::new()
    } else {
        state.db.run(move |c| Ok(q::list(c, &filter, req.after.as_deref(), req.limit + 1)?)).await?
    };
    let page = Paged::from_rows(rows, &page, |e| e.id.clone()).map(|e| EnterpriseView::for_viewer(e, &viewer));
    Ok(HttpResponse::Ok().json(page))
}
