//! `POST /api/v1/bulk/milestones` `{items:[…]}` by a provider or an enterprise, with a required
//! `Idempotency-Key` → 200 `{results:[{index, status, id?, error?}]}` (`crate::milestones::bulk`).
//! A replay of the key with the same body answers the first results and writes nothing.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::audit::RequestMeta;
use crate::auth::principal::roles::Reporters;
use crate::auth::As;
use crate::error::{AppError, FieldError};
use crate::extract::BulkJson;
use crate::idempotency::{Idempotency, StoredResponse, HEADER};
use crate::milestones::bulk::{self, ItemResult, MAX_ITEMS};
use crate::routes::milestones::acting;
use crate::state::AppState;

/// Request body: the items, each checked on its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    items: Vec<Value>,
}

#[derive(Debug, Serialize)]
struct Results {
    results: Vec<ItemResult>,
}

/// Creates (and optionally submits) up to 1,000 records.
pub async fn milestones(
    state: web::Data<AppState>,
    auth: As<Reporters>,
    meta: RequestMeta,
    req: HttpRequest,
    BulkJson(body): BulkJson<Body>,
) -> Result<HttpResponse, AppError> {
    let idem = Idempotency::from_request_parts(&req, &auth.0.id)?;
    if idem.key().is_none() {
        return Err(AppError::bad_request(
            "idempotency_key_required",
            Some(HEADER),
            "a bulk request needs an Idempotency-Key header, so that a retry cannot create its records twice",
        ));
    }
    if body.items.is_empty() || body.items.len() > MAX_ITEMS {
        return Err(AppError::validation(vec![FieldError::new(
            "items",
            "out_of_range",
            format!("must hold 1 to {MAX_ITEMS} items"),
        )]));
    }
    let who = acting(auth.0, meta, &state.clock);
    let catalogue = state.catalogue.clone();
    let res = state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let results = bulk::run(c, &catalogue, &who, body.items)?;
            let res = StoredResponse::json(StatusCode::OK, &Results { results })?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}
