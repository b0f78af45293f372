//! `GET /api/v1/audit-events?actor=&action=&from=&to=&limit=&cursor=`, in time order.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;

use crate::auth::principal::roles::Auditor;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::audit::{self as q, AuditFilter};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

fn parse_time(s: &str, name: &str) -> Result<NaiveDateTime, AppError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc).naive_utc()).map_err(|_| {
        AppError::bad_request("invalid_parameter", Some(name), format!("`{name}` must be an RFC 3339 time"))
    })
}

/// The `(occurred_at, id)` a cursor of this list holds.
fn parse_cursor(key: &str) -> Result<(NaiveDateTime, String), AppError> {
    let bad =
        || AppError::bad_request("invalid_parameter", Some("cursor"), "`cursor` is not a cursor this service issued");
    let (micros, id) = key.split_once('~').ok_or_else(bad)?;
    let at = micros.parse::<i64>().ok().and_then(DateTime::from_timestamp_micros).ok_or_else(bad)?;
    Ok((at.naive_utc(), id.to_string()))
}

/// Lists audit events in time order (ties by id).
pub async fn list(
    state: web::Data<AppState>,
    _auth: As<Auditor>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let after = page.after.as_deref().map(parse_cursor).transpose()?;
    let filter = AuditFilter {
        actor: p.actor,
        action: p.action,
        from: p.from.as_deref().map(|s| parse_time(s, "from")).transpose()?,
        to: p.to.as_deref().map(|s| parse_time(s, "to")).transpose()?,
    };
    let limit = page.limit;
    let rows = state.db.run(move |c| Ok(q::list(c, &filter, after, limit + 1)?)).await?;
    Ok(HttpResponse::Ok()
        .json(Paged::from_rows(rows, &page, |r| format!("{}~{}", r.occurred_at.and_utc().timestamp_micros(), r.id))))
}
