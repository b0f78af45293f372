//! `POST /api/v1/milestones/{id}/{submit|withdraw|approve|reject|return|revoke}`
//! with an optional `{comment?, effective_on?}`; `If-Match` is honoured.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::acting;
use super::view::respond;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::parse_id;
use crate::domain::Action;
use crate::error::AppError;
use crate::extract::OptionalJson;
use crate::milestones::transitions::{self, TransitionInput};
use crate::state::AppState;

/// Request body (may be omitted).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    comment: Option<String>,
    effective_on: Option<String>,
}

/// Arguments every transition handler receives.
type Args = (web::Data<AppState>, As<Business>, RequestMeta, IfMatch, web::Path<String>, OptionalJson<Body>);

async fn run(
    action: Action,
    (state, auth, meta, if_match, path, OptionalJson(b)): Args,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path, "id")?;
    let who = acting(auth.0, meta);
    let input = TransitionInput { comment: b.comment, effective_on: b.effective_on };
    let row = state.db.write(move |c| transitions::apply(c, &who, &id, action, &input, if_match)).await?;
    Ok(respond(StatusCode::OK, row))
}

macro_rules! action_handler {
    ($($name:ident => $action:expr;)+) => {$(
        /// Applies this action.
        pub async fn $name(
            state: web::Data<AppState>,
            auth: As<Business>,
            meta: RequestMeta,
            if_match: IfMatch,
            path: web::Path<String>,
            body: OptionalJson<Body>,
        ) -> Result<HttpResponse, AppError> {
            run($action, (state, auth, meta, if_match, path, body)).await
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
