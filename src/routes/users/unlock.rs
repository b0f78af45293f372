//! `POST /api/v1/users/{id}/unlock`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::view::respond;
use crate::audit::{self, Actor, Event, RequestMeta};
use crate::auth::principal::roles::Sysadmin;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::queries::users;
use crate::state::AppState;

/// Clears a lockout and the failure counter.
pub async fn unlock(
    state: web::Data<AppState>,
    auth: As<Sysadmin>,
    meta: RequestMeta,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path, "id")?;
    let user = state
        .db
        .write(move |c| {
            if users::unlock(c, &id, crate::clock::now())? == 0 {
                return Err(AppError::not_found("user"));
            }
            audit::record(c, &meta, &Actor::Principal(auth.0), Event::ok("user.unlock", "user", &id))?;
            users::find(c, &id)?.ok_or_else(|| AppError::not_found("user"))
        })
        .await?;
    Ok(respond(StatusCode::OK, user))
}
