//! `PATCH /api/v1/milestones/{id}` by the enterprise, in draft or returned, with `If-Match`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::acting;
use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::parse_id;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::milestones::content::{self, EditBody};
use crate::state::AppState;

/// Edits a draft or returned milestone.
pub async fn update(
    state: web::Data<AppState>,
    auth: As<Business>,
    meta: RequestMeta,
    if_match: IfMatch,
    path: ApiPath<String>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path, "id")?;
    let if_match = if_match.required()?;
    let who = acting(auth.0, meta);
    let row = state.db.write(move |c| content::edit(c, &who, &id, if_match, body)).await?;
    respond(StatusCode::OK, row)
}
