//! `GET /api/v1/milestones/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::auth::principal::roles::RecordReaders;
use crate::auth::As;
use crate::domain::id::MilestoneId;
use crate::error::AppError;
use crate::extract::PathId;
use crate::milestones::load_visible;
use crate::state::AppState;

/// One milestone, if the caller's scope covers it.
pub async fn get(
    state: web::Data<AppState>,
    auth: As<RecordReaders>,
    PathId(id): PathId<MilestoneId>,
) -> Result<HttpResponse, AppError> {
    let (p, today) = (auth.0, state.clock.today_shanghai());
    let row = state.db.run(move |c| load_visible(c, &p, &id, today)).await?;
    respond(StatusCode::OK, row)
}
