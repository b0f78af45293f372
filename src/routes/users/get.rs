//! `GET /api/v1/users/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::auth::principal::roles::Sysadmin;
use crate::auth::As;
use crate::domain::id::{ResourceId, UserId};
use crate::error::AppError;
use crate::extract::PathId;
use crate::queries::users;
use crate::state::AppState;

/// One account.
pub async fn get(
    state: web::Data<AppState>,
    _auth: As<Sysadmin>,
    PathId(id): PathId<UserId>,
) -> Result<HttpResponse, AppError> {
    let user = state.db.run(move |c| users::find(c, id.as_str())?.ok_or_else(|| AppError::not_found("user"))).await?;
    Ok(respond(StatusCode::OK, user))
}
