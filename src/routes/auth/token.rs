//! `POST /api/v1/auth/token`: the OAuth 2.0 client-credentials grant for the machine clients of
//! enterprises and providers (JSON or form body).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::principal::{Principal, PrincipalKind};
use crate::auth::tokens::{constant_time_eq, hash_secret};
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::Role;
use crate::error::AppError;
use crate::extract::JsonOrForm;
use crate::queries::api_clients;
use crate::state::AppState;
use crate::tail;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    grant_type: String,
    client_id: String,
    client_secret: String,
}

#[derive(Debug, Serialize)]
struct GrantResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
}

fn invalid_client() -> AppError {
    AppError::unauthorized("invalid_client", "the client id or secret is wrong, or the client was revoked")
}

/// Grants an access token acting as the client's enterprise.
pub async fn token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    JsonOrForm(body): JsonOrForm<Body>,
) -> Result<HttpResponse, AppError> {
    if body.grant_type != "client_credentials" {
        return Err(AppError::bad_request(
            "unsupported_grant_type",
            Some("grant_type"),
            "only `client_credentials` is supported here; people log in at /api/v1/auth/login",
        ));
    }
    let Ok(client_id) = uuid::Uuid::parse_str(body.client_id.trim()).map(|u| u.hyphenated().to_string()) else {
        return Err(invalid_client());
    };
    let presented = hash_secret(&body.client_secret);
    let principal = state
        .db
        .write(move |c| {
            let client = api_clients::find(c, &client_id)?;
            let valid =
                client.as_ref().filter(|cl| cl.revoked_at.is_none() && constant_time_eq(&cl.secret_hash, &presented));
            let Some(client) = valid else {
                let actor = if client.is_some() { Actor::System("client") } else { Actor::Anonymous };
                tail::audited(c, &meta, &actor, Event::ok("auth.token", "api_client", &client_id).failed())?;
                return Ok(Err(invalid_client()));
            };
            api_clients::touch(c, &client.id, crate::clock::now())?;
            // A client acts for its enterprise, or for its provider (§3.9).
            let role = if client.provider_id.is_some() { Role::Provider } else { Role::Enterprise };
            let principal = Principal {
                id: client.id.clone(),
                kind: PrincipalKind::Client,
                role,
                enterprise_id: client.enterprise_id.clone().map(EnterpriseId::from_stored),
                city_code: None,
                county_code: None,
                provider_id: client.provider_id.clone(),
                must_change_password: false,
            };
            tail::audited(
                c,
                &meta,
                &Actor::Principal(principal.clone()),
                Event::ok("auth.token", "api_client", &client.id),
            )?;
            Ok(Ok(principal))
        })
        .await??;
    let (access_token, expires_in) = state.tokens.issue(&principal)?;
    Ok(HttpResponse::Ok().json(GrantResponse { access_token, token_type: "Bearer", expires_in }))
}
