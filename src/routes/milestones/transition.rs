//! `POST /api/v1/milestones/{id}/{submit|withdraw|approve|reject|return|revoke|object}`
//! with an optional `{comment?, effective_on?, document_no?, batch?}`; `If-Match` and
//! `Idempotency-Key` are honoured.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;

use super::acting;
use super::view::reply;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::Reviewing;
use crate::auth::As;
use crate::conditional::IfMatch;
use crate::domain::id::MilestoneId;
use crate::domain::Action;
use crate::error::AppError;
use crate::extract::{OptionalJson, PathId};
use crate::idempotency::Idempotency;
use crate::milestones::transitions::{self, TransitionInput};
use crate::state::AppState;

/// Request body (may be omitted).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    comment: Option<String>,
    effective_on: Option<String>,
    document_no: Option<String>,
    batch: Option<String>,
    priority: Option<i64>,
}

/// What every transition handler extracts: the caller, `If-Match`, the record's id, the optional
/// body, and the request (its state, origin and `Idempotency-Key` are read in [`run`]).
pub struct Args {
    auth: As<Reviewing>,
    if_match: IfMatch,
    req: HttpRequest,
    id: PathId<MilestoneId>,
    body: Body,
}

impl FromRequest for Args {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let auth = As::<Reviewing>::from_request(req, payload);
        let if_match = IfMatch::from_request(req, payload);
        let id = PathId::<MilestoneId>::from_request(req, payload);
        let body = OptionalJson::<Body>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let (auth, if_match, id) = (auth.await?, if_match.await?, id.await?);
            let OptionalJson(body) = body.await?;
            Ok(Args { auth, if_match, req, id, body })
        })
    }
}

async fn run(action: Action, a: Args) -> Result<HttpResponse, AppError> {
    let state = a.req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::internal("no state"))?;
    let id = a.id.into_inner();
    let idem = Idempotency::from_request_parts(&a.req, &a.auth.0.id)?;
    let who = acting(a.auth.0, RequestMeta::of(&a.req), &state.clock);
    let input = TransitionInput {
        comment: a.body.comment,
        effective_on: a.body.effective_on,
        document_no: a.body.document_no,
        batch: a.body.batch,
        priority: a.body.priority,
    };
    let if_match = a.if_match;
    let catalogue = state.catalogue.clone();
    let res = state
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

/// `POST /milestones/{id}/submit`: the enterprise sends a draft or returned record for review.
pub async fn submit(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Submit, a).await
}

/// `POST /milestones/{id}/withdraw`: the enterprise takes a submitted record back.
pub async fn withdraw(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Withdraw, a).await
}

/// `POST /milestones/{id}/approve`: the reviewer of the record's stage approves: recommends it to
/// the next stage, or ends the review (optionally correcting the date, with 文号 and batch).
pub async fn approve(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Approve, a).await
}

/// `POST /milestones/{id}/reject`: the reviewer of the record's stage refuses, with a comment.
pub async fn reject(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Reject, a).await
}

/// `POST /milestones/{id}/return`: the reviewer of the record's stage sends the record back,
/// with a comment.
pub async fn return_(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Return, a).await
}

/// `POST /milestones/{id}/revoke`: the province revokes an approval, with a reason and a date.
pub async fn revoke(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Revoke, a).await
}

/// `POST /milestones/{id}/object`: the province records an objection during 公示, with a
/// comment; the record goes back to its chain's last stage.
pub async fn object(a: Args) -> Result<HttpResponse, AppError> {
    run(Action::Object, a).await
}
