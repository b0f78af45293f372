//! `PATCH /api/v1/users/{id}` `{disabled?, display_name?}` with `If-Match`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::respond;
use crate::accounts::admin::{self, AccountChanges};
use crate::accounts::names;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Sysadmin;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::UserId;
use crate::error::AppError;
use crate::extract::{ApiJson, PathId};
use crate::state::AppState;

/// Request body: only the fields to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    disabled: Option<bool>,
    #[serde(default, deserialize_with = "serde_with_null::deserialize")]
    display_name: Option<Option<String>>,
}

/// `Option<Option<T>>` that tells an absent field from an explicit `null`.
mod serde_with_null {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Disables/enables an account or changes its display name. Disabling ends its sessions.
pub async fn update(
    state: web::Data<AppState>,
    auth: As<Sysadmin>,
    meta: RequestMeta,
    if_match: IfMatch,
    PathId(id): PathId<UserId>,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let if_match = if_match.required()?;
    let display_name = match b.display_name {
        Some(Some(n)) => Some(names::display_name(&n).map_err(AppError::validation)?),
        Some(None) => Some(None),
        None => None,
    };
    if b.disabled == Some(true) && id == auth.0.id {
        return Err(AppError::conflict("cannot_disable_self", "a sysadmin cannot disable its own account"));
    }
    let changes = AccountChanges { disabled: b.disabled, display_name };
    let p = auth.0;
    let user = state.db.write(move |c| admin::update(c, &p, &meta, &id, if_match, changes)).await?;
    Ok(respond(StatusCode::OK, user))
}
