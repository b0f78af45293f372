//! `GET /api/v1/milestones/{id}/history`: every transition, oldest first.

use actix_web::{web, HttpResponse};

use super::view::HistoryView;
use crate::auth::principal::roles::Readers;
use crate::auth::As;
use crate::domain::id::MilestoneId;
use crate::error::AppError;
use crate::extract::PathId;
use crate::milestones::load_visible;
use crate::queries::milestones as q;
use crate::routes::reference::Items;
use crate::state::AppState;

/// The milestone's history.
pub async fn history(
    state: web::Data<AppState>,
    auth: As<Readers>,
    PathId(id): PathId<MilestoneId>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let rows = state
        .db
        .run(move |c| {
            let m = load_visible(c, &p, &id)?;
            Ok(q::history(c, &m.id)?)
        })
        .await?;
    let items: Vec<HistoryView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
