//! `/api/v1/me`: the caller's own account.

pub mod get;
pub mod password;

use actix_web::web;

use crate::auth::{Principal, PrincipalKind};
use crate::error::AppError;
use crate::queries::users::{self, UserRow};
use crate::state::AppState;

/// The caller's own account: 403 `not_a_user` for a machine client (it has none), 401 when the
/// account was deleted after the token was issued.
pub async fn own_account(state: &web::Data<AppState>, p: &Principal) -> Result<UserRow, AppError> {
    if p.kind != PrincipalKind::User {
        return Err(AppError::forbidden("not_a_user", "machine clients have no user account"));
    }
    let id = p.id.clone();
    state
        .db
        .run(move |c| {
            users::find(c, &id)?.ok_or_else(|| AppError::unauthorized("invalid_token", "the account no longer exists"))
        })
        .await
}
