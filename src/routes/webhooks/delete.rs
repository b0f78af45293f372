//! `DELETE /api/v1/webhooks/{id}`: ends a subscription (its attempts go with it).

use actix_web::{web, HttpResponse};

use super::owner_of;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Subscribers;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;
use crate::webhooks;

/// 204; 404 when it is not the caller's.
pub async fn delete(
    state: web::Data<AppState>,
    auth: As<Subscribers>,
    meta: RequestMeta,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let owner = owner_of(&p)?;
    let id = path.into_inner();
    state.db.write(move |c| webhooks::delete(c, &p, &meta, &owner, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
