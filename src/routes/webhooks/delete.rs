//! `DELETE /api/v1/webhooks/{id}`: ends a subscription (its attempts go with it).

use actix_web::{web, HttpResponse};

use super::enterprise_of;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Enterprise;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;
use crate::webhooks;

/// 204; 404 when it is not the caller's enterprise's.
pub async fn delete(
    state: web::Data<AppState>,
    auth: As<Enterprise>,
    meta: RequestMeta,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let p = auth.0;
    let enterprise = enterprise_of(&p)?;
    let id = path.into_inner();
    state.db.write(move |c| webhooks::delete(c, &p, &meta, &enterprise, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
