//! `POST /api/v1/enterprises/{id}/milestones` by the enterprise → a draft.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::acting;
use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Enterprise;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::milestones::content::{self, CreateBody};
use crate::state::AppState;

/// Reports a new milestone as a draft.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<Enterprise>,
    meta: RequestMeta,
    path: web::Path<String>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<HttpResponse, AppError> {
    let enterprise_id = parse_id(&path, "id")?;
    let who = acting(auth.0, meta);
    let row = state.db.write(move |c| content::create(c, &who, &enterprise_id, body)).await?;
    Ok(respond(StatusCode::CREATED, row))
}
