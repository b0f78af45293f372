//! `POST /api/v1/milestones/{id}/{submit|withdraw|approve|reject|return|revoke}`
//! with an optional `{comment?, effective_on?}`; `If-Match` and `Idempotency-Key` are honoured.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::acting;
use super::view::reply;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::parse_id;
use crate::domain::Action;
use crate::error::AppError;
use crate::extract::{ApiPath, OptionalJson};
use crate::idempotency::Idempotency;
use crate::milestones::transitions::{self, TransitionInput};
use crate::state::AppState;

/// Request body (may be omitted).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    comment: Option<String>,
    effective_on: Option<String>,
}

/// What every transition handler extracts.
pub struct Args {
    state: web::Data<AppState>,
    auth: As<Business>,
    meta: RequestMeta,
    if_match: IfMatch,
    req: HttpRequest,
    path: ApiPath<String>,
    body: Body,
}

async fn run(action: Action, a: Args) -> Result<HttpResponse, AppError> {
    let id = parse_id(&a.path, "id")?;
    let idem = Idempotency::from_request_parts(&a.req, &a.auth.0.id)?;
    let who = acting(a.auth.0, a.meta);
    let input = TransitionInput { comment: a.body.comment, effective_on: a.body.effective_on };
    let if_match = a.if_match;
    let catalogue = a.state.catalogue.clone();
    let res = a
        .state
        .db
        .write(move |c| {
            if let Some(replay) = idem.lookup(c)? {
                return Ok(replay);
            }
            let res = reply(StatusCode::OK, transitions::apply(c, &catalogue, &who, &id, action, &input, if_match)?)?;
            idem.store(c, &res)?;
            Ok(res)
        })
        .await?;
    Ok(res.into_response())
}

macro_rules! action_handler {
    ($($name:ident => $action:expr;)+) => {$(
        /// Applies this action.
        pub async fn $name(
            state: web::Data<AppState>,
            auth: As<Business>,
            meta: RequestMeta,
            if_match: IfMatch,
            req: HttpRequest,
            path: ApiPath<String>,
            OptionalJson(body): OptionalJson<Body>,
        ) -> Result<HttpResponse, AppError> {
            run($action, Args { state, auth, meta, if_match, req, path, body }).await
        }
    )+};
}

action_handler! {
    submit => Action::Submit;
    withdraw => Action::Withdraw;
    approve => Action::Approve;
    reject => Action::Reject;
    return_ => Action::Return;
    revoke => Action::Revoke;
}
