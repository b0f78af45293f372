//! `POST /api/v1/registrations` `{enterprise:{…}, username, password}` — public, throttled per IP.
//! Honours `Idempotency-Key`, scoped to the caller's IP address (`anon:<ip>`); a retry still counts
//! against the throttle.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::accounts::{self, RawAccount};
use crate::audit::{Actor, RequestMeta};
use crate::auth::password;
use crate::auth::principal::{Principal, PrincipalKind};
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::Role;
use crate::enterprises::{self, RawEnterprise};
use crate::error::{AppError, FieldError};
use crate::extract::ApiJson;
use crate::idempotency::{Idempotency, StoredResponse};
use crate::queries::rate_limits;
use crate::routes::enterprises::view::EnterpriseView;
use crate::routes::users::view::UserView;
use crate::state::AppState;

/// Request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    enterprise: RawEnterprise,
    username: String,
    password: String,
    display_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct Registered {
    enterprise: EnterpriseView,
    user: UserView,
}

/// Registers an enterprise (unverified until its city verifies it) with its first user.
pub async fn create(
    state: web::Data<AppState>,
    meta: RequestMeta,
    req: HttpRequest,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    let idem = Idempotency::from_request_parts(&req, &format!("anon:{ip}"))?;
    let settings = &state.settings.registration;
    let bucket = format!("registration:{ip}");
    let (max, window) = (settings.max_per_window, chrono::Duration::seconds(settings.window_seconds));
    let throttled =
        state.db.write(move |c| Ok(rate_limits::hit(c, &bucket, max, window, crate::clock::now())?)).await?;
    if let Some(retry) = throttled {
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_registrations",
            "too many registrations from this address; try again later",
        )
        .with_header(header::RETRY_AFTER, retry.to_string()));
    }

    let ent = enterprises::validate(&b.enterprise, &state.reference, "enterprise.");
    let raw = RawAccount {
        username: b.username,
        password: b.password,
        role: "enterprise".into(),
        // A placeholder scope for validation; the real id is known after the insert.
        enterprise_id: Some(uuid::Uuid::nil().to_string()),
        city_code: None,
        county_code: None,
        provider_id: None,
        display_name: b.display_name,
    };
    let account = accounts::validate(raw, &state.reference, false);
    let (ent, mut account) = match (ent, account) {
        (Ok(e), Ok(a)) => (e, a),
        (e, a) => {
            let mut errors: Vec<FieldError> = Vec::new();
            for err in [e.err(), a.err()].into_iter().flatten() {
                errors.extend(err.field_errors().iter().cloned());
            }
            return Err(AppError::validation(errors));
        }
    };
    let pw = account.password.clone();
    let hash = state.hasher.run(move || password::hash(&pw)).await??;
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let enterprise = enterprises::insert(c, &ent, None, &meta, &Actor::Anonymous)?;
            account.enterprise_id = Some(enterprise.id.clone());
            let user = accounts::insert(c, &account, hash, &meta, &Actor::Anonymous)?;
            let viewer = Principal {
                id: user.id.clone(),
                kind: PrincipalKind::User,
                role: Role::Enterprise,
                enterprise_id: Some(EnterpriseId::from_stored(enterprise.id.clone())),
                city_code: None,
                county_code: None,
                provider_id: None,
                must_change_password: false,
            };
            let location = format!("/api/v1/enterprises/{}", enterprise.id);
            let body =
                Registered { enterprise: EnterpriseView::for_viewer(enterprise, &viewer), user: UserView::from(user) };
            let res = StoredResponse::json(StatusCode::CREATED, &body)?.with_header(header::LOCATION, location);
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
