//! `GET /api/v1/webhooks/{id}/deliveries?limit=&cursor=`: a subscription's attempts, oldest first.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::owner_of;
use crate::auth::principal::roles::Subscribers;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::{ApiPath, ApiQuery};
use crate::paging::{PageRequest, Paged};
use crate::queries::webhooks as q;
use crate::state::AppState;
use crate::webhooks::{self, DeliveryView};

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The attempts; 404 when the subscription is not the caller's.
pub async fn deliveries(
    state: web::Data<AppState>,
    auth: As<Subscribers>,
    path: ApiPath<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let owner = owner_of(&auth.0)?;
    let id = path.into_inner();
    let (after, limit) = (page.after.clone(), page.limit + 1);
    let rows = state
        .db
        .run(move |c| {
            let w = webhooks::owned(c, &owner, &id)?;
            Ok(q::deliveries(c, &w.id, after.as_deref(), limit)?)
        })
        .await?;
    let paged = Paged::from_rows(rows, &page, |d| d.id.clone()).map(DeliveryView::from);
    Ok(HttpResponse::Ok().json(paged))
}
