//! `GET /api/v1/events?after=&limit=&wait=`: the events the caller may see (an enterprise its
//! own, reviewers their region's records', a provider those of the types enterprises delegate to
//! it today and its delegations' changes, the province all), after `after` in `seq` order, with
//! `next_after` to ask from next. With `wait` (seconds, at most 30) and nothing to show, the
//! answer waits until an event is numbered or the time is up — holding no database connection
//! meanwhile (the instance's [`Hub`](crate::events::Hub) wakes it).

use std::time::Duration;

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::principal::roles::RecordReaders;
use crate::auth::scope::Scope;
use crate::auth::As;
use crate::error::AppError;
use crate::events::EventView;
use crate::extract::ApiQuery;
use crate::queries::events::{self as q, Visible};
use crate::routes::filters::bad_param;
use crate::state::AppState;

/// The longest wait a caller may ask for, in seconds.
pub const MAX_WAIT: u64 = 30;
/// Events per answer when `limit` is not given, and the most allowed.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    after: Option<String>,
    limit: Option<String>,
    wait: Option<String>,
}

#[derive(Debug, Serialize)]
struct Feed {
    items: Vec<EventView>,
    next_after: i64,
}

fn number(
    v: Option<&str>,
    name: &'static str,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
) -> Result<i64, AppError> {
    let Some(s) = v else { return Ok(default) };
    s.parse::<i64>().ok().filter(|n| range.contains(n) && s.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
        bad_param(name)(format!("`{name}` must be an integer from {} to {}", range.start(), range.end()))
    })
}

/// The feed.
pub async fn feed(
    state: web::Data<AppState>,
    auth: As<RecordReaders>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let after = number(p.after.as_deref(), "after", 0..=i64::MAX, 0)?;
    let limit = number(p.limit.as_deref(), "limit", 1..=MAX_LIMIT, DEFAULT_LIMIT)?;
    let wait = number(p.wait.as_deref(), "wait", 0..=MAX_WAIT as i64, 0)?;
    let visible = visible(auth.0.scope(), state.clock.today_shanghai());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait.unsigned_abs());
    let mut latest = state.events.subscribe();
    loop {
        latest.borrow_and_update();
        let v = visible.clone();
        let rows = state.db.run(move |c| Ok(q::page(c, &v, after, limit)?)).await?;
        if !rows.is_empty() || tokio::time::Instant::now() >= deadline {
            let next_after = rows.last().and_then(|r| r.seq).unwrap_or(after);
            let items = rows.into_iter().map(EventView::from).collect();
            return Ok(HttpResponse::Ok().json(Feed { items, next_after }));
        }
        // Woken when this instance numbers or sees a higher number; a closed hub ends the wait.
        if tokio::time::timeout_at(deadline, latest.changed()).await.is_ok_and(|r| r.is_err()) {
            return Ok(HttpResponse::Ok().json(Feed { items: Vec::new(), next_after: after }));
        }
    }
}

/// The events a caller with `scope` may read on `today`.
fn visible(scope: Scope<'_>, today: NaiveDate) -> Visible {
    match scope {
        Scope::Enterprise(e) => Visible::Enterprise(e.to_string()),
        Scope::City(c) => Visible::City(c.to_string()),
        Scope::County(c) => Visible::County(c.to_string()),
        Scope::Provider(p) => Visible::Provider(p.to_string(), today),
        Scope::Province => Visible::All,
        Scope::Nothing => Visible::Nothing,
    }
}
