//! `GET /api/v1/enterprises/{id}/delegations`: every delegation of the enterprise, revoked and
//! expired ones included, oldest first (a provider: its own, while one is in force).

use actix_web::{web, HttpResponse};

use super::view::DelegationView;
use crate::auth::principal::roles::DelegationReaders;
use crate::auth::As;
use crate::domain::id::EnterpriseId;
use crate::error::AppError;
use crate::extract::PathId;
use crate::providers::delegations;
use crate::routes::reference::Items;
use crate::state::AppState;

/// Lists an enterprise's delegations.
pub async fn list(
    state: web::Data<AppState>,
    auth: As<DelegationReaders>,
    PathId(enterprise_id): PathId<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    let (p, today) = (auth.0, state.clock.today_shanghai());
    let rows = state.db.run(move |c| delegations::list(c, &p, &enterprise_id, today)).await?;
    let items: Vec<DelegationView> = rows.into_iter().map(|d| DelegationView::new(d, today)).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
