//! `POST /api/v1/users/{id}/unlock`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::accounts::admin;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Sysadmin;
use crate::auth::As;
use crate::domain::id::UserId;
use crate::error::AppError;
use crate::extract::PathId;
use crate::state::AppState;

/// Clears a lockout and the failure counter.
pub async fn unlock(
    state: web::Data<AppState>,
    auth: As<Sysadmin>,
    meta: RequestMeta,
    PathId(id): PathId<UserId>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let user = state.db.write(move |c| admin::unlock(c, &p, &meta, &id)).await?;
    Ok(respond(StatusCode::OK, user))
}
