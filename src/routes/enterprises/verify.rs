//! `POST /api/v1/enterprises/{id}/verify` by a reviewer of the enterprise's city.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::audit::{self, Actor, Event, RequestMeta};
use crate::auth::principal::roles::CityReviewer;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::enterprises;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::queries::enterprises as q;
use crate::state::AppState;

/// Verifies a self-registered enterprise; from then on it may submit milestones.
pub async fn verify(
    state: web::Data<AppState>,
    auth: As<CityReviewer>,
    meta: RequestMeta,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path, "id")?;
    let p = auth.0;
    let viewer = p.clone();
    let row = state
        .db
        .write(move |c| {
            let e = enterprises::load_visible(c, &p, &id)?;
            if !q::verify(c, &e.id, &p.id, crate::clock::now())? {
                return Err(AppError::conflict("already_verified", "the enterprise is already verified"));
            }
            audit::record(c, &meta, &Actor::Principal(p), Event::ok("enterprise.verify", "enterprise", &e.id))?;
            q::find(c, &e.id)?.ok_or_else(|| AppError::not_found("enterprise"))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &viewer))
}
