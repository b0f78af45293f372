//! `DELETE /api/v1/enterprises/{id}/delegations/{delegation_id}` by the enterprise or its city
//! reviewer → 204; the provider loses access at once.

use actix_web::{web, HttpResponse};

use crate::audit::RequestMeta;
use crate::auth::principal::roles::Grantors;
use crate::auth::As;
use crate::domain::id::{DelegationId, EnterpriseId, ResourceId};
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::providers::delegations;
use crate::routes::milestones::acting;
use crate::state::AppState;

/// Revokes a delegation.
pub async fn revoke(
    state: web::Data<AppState>,
    auth: As<Grantors>,
    meta: RequestMeta,
    path: ApiPath<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (enterprise_id, delegation_id) = path.into_inner();
    let enterprise_id = EnterpriseId::parse(&enterprise_id, "id")?;
    let delegation_id = DelegationId::parse(&delegation_id, "delegation_id")?;
    let who = acting(auth.0, meta, &state.clock);
    state.db.write(move |c| delegations::revoke(c, &who, &enterprise_id, delegation_id.as_str())).await?;
    Ok(HttpResponse::NoContent().finish())
}
