//! `DELETE /api/v1/enterprises/{id}/clients/{client_id}`.

use actix_web::{web, HttpResponse};

use crate::accounts::clients;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::EnterpriseOrSysadmin;
use crate::auth::scope::may_manage_clients;
use crate::auth::As;
use crate::domain::id::{ClientId, EnterpriseId, ResourceId};
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;

/// Revokes a client: its secret stops working at once (tokens already granted live out their
/// 15 minutes).
pub async fn revoke(
    state: web::Data<AppState>,
    auth: As<EnterpriseOrSysadmin>,
    meta: RequestMeta,
    path: ApiPath<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (enterprise_id, client_id) = path.into_inner();
    let enterprise_id = EnterpriseId::parse(&enterprise_id, "id")?;
    let client_id = ClientId::parse(&client_id, "client_id")?;
    let p = auth.0;
    may_manage_clients(&p, &enterprise_id)?;
    state.db.write(move |c| clients::revoke(c, &p, &meta, &enterprise_id, &client_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
