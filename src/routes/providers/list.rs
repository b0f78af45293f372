//! `GET /api/v1/providers?limit=&cursor=`: the register, in registration order. Every business
//! role reads it (an enterprise needs a provider's id to delegate to it).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::ProviderView;
use crate::auth::principal::roles::ProviderReaders;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::providers;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Lists providers.
pub async fn list(
    state: web::Data<AppState>,
    _auth: As<ProviderReaders>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let req = page.clone();
    let rows = state.db.run(move |c| Ok(providers::list(c, req.after.as_deref(), req.limit + 1)?)).await?;
    let page = Paged::from_rows(rows, &page, |r| r.id.clone()).map(ProviderView::from);
    Ok(HttpResponse::Ok().json(page))
}
