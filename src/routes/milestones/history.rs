//! `GET /api/v1/milestones/{id}/history`: every transition, oldest first.

use actix_web::{web, HttpResponse};

use super::view::HistoryView;
use crate::auth::principal::roles::RecordReaders;
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
    auth: As<RecordReaders>,
    PathId(id): PathId<MilestoneId>,
) -> Result<HttpResponse, AppError> {
    let (p, today) = (auth.0, state.clock.today_shanghai());
    let rows = state
        .db
        .run(move |c| {
            let m = load_visible(c, &p, &id, today)?;
            Ok(q::history(c, &m.id)?)
        })
        .await?;
    let items: Vec<HistoryView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
