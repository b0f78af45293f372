//! `DELETE /api/v1/providers/{id}/clients/{client_id}`.

use actix_web::{web, HttpResponse};

use crate::accounts::clients;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::ProviderOrSysadmin;
use crate::auth::scope::may_manage_provider_clients;
use crate::auth::As;
use crate::domain::id::{ClientId, ProviderId, ResourceId};
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;

/// Revokes a provider's client: its secret stops working at once (tokens already granted live
/// out their 15 minutes).
pub async fn revoke(
    state: web::Data<AppState>,
    auth: As<ProviderOrSysadmin>,
    meta: RequestMeta,
    path: ApiPath<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (provider_id, client_id) = path.into_inner();
    let provider_id = ProviderId::parse(&provider_id, "id")?;
    let client_id = ClientId::parse(&client_id, "client_id")?;
    let p = auth.0;
    may_manage_provider_clients(&p, provider_id.as_str())?;
    state.db.write(move |c| clients::revoke_for_provider(c, &p, &meta, provider_id.as_str(), &client_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
