//! `GET /api/v1/providers/{id}/clients` (never the secrets).

use actix_web::{web, HttpResponse};

use crate::auth::principal::roles::ProviderOrSysadmin;
use crate::auth::scope::may_manage_provider_clients;
use crate::auth::As;
use crate::domain::id::{ProviderId, ResourceId};
use crate::error::AppError;
use crate::extract::PathId;
use crate::queries::{api_clients, providers};
use crate::routes::clients::list::ClientView;
use crate::routes::reference::Items;
use crate::state::AppState;

/// Lists a provider's clients, revoked ones included.
pub async fn list(
    state: web::Data<AppState>,
    auth: As<ProviderOrSysadmin>,
    PathId(provider_id): PathId<ProviderId>,
) -> Result<HttpResponse, AppError> {
    may_manage_provider_clients(&auth.0, provider_id.as_str())?;
    let rows = state
        .db
        .run(move |c| {
            if providers::find(c, provider_id.as_str())?.is_none() {
                return Err(AppError::not_found("provider"));
            }
            Ok(api_clients::list_for_provider(c, provider_id.as_str())?)
        })
        .await?;
    let items: Vec<ClientView> = rows.into_iter().map(ClientView::from).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
