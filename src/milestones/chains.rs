//! Review chains as configuration (DESIGN §3.7): the review a type's submissions follow, the one
//! a submitted record keeps, and the province's change of a type's chain and 公示 length.

use serde_json::json;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::Review;
use crate::error::AppError;
use crate::queries::locks;
use crate::queries::milestones::MilestoneRow;
use crate::queries::reference::{self as q, MilestoneType};
use crate::tail::{self, Figures};

/// The review a submission of type `code` follows now (the type's current configuration).
pub fn type_review(conn: &mut DbConnection, code: &str) -> Result<Review, AppError> {
    let (chain, days) = q::review_of(conn, code)?.ok_or_else(|| AppError::not_found("milestone type"))?;
    Review::from_stored(chain.as_deref(), days).map_err(AppError::internal)
}

/// The review record `m` was submitted under (city-only for a record never submitted, or
/// submitted before chains existed).
pub fn record_review(m: &MilestoneRow) -> Result<Review, AppError> {
    Review::from_stored(m.review_chain.as_deref(), m.publicity_days).map_err(AppError::internal)
}

/// Sets type `code`'s review as `p` (404 for an unknown type); audited `milestone_type.review`
/// with the new and the previous review. Records already submitted keep theirs.
pub fn put(
    conn: &mut DbConnection,
    p: &Principal,
    meta: &RequestMeta,
    code: &str,
    review: &Review,
) -> Result<MilestoneType, AppError> {
    // Locked, so that of two racing changes the later one records the earlier one as previous.
    let before = locks::milestone_type(conn, code)?.ok_or_else(|| AppError::not_found("milestone type"))?;
    let days = i32::try_from(review.publicity_days).map_err(|_| AppError::internal("publicity days out of range"))?;
    let chain = review.chain.stored();
    if !q::set_review(conn, code, &chain, days)? {
        return Err(AppError::not_found("milestone type"));
    }
    let event = Event::ok("milestone_type.review", "milestone_type", code).detail(json!({
        "review_chain": review.chain.names(),
        "publicity_days": review.publicity_days,
        "previous": {"review_chain": before.review_chain, "publicity_days": before.publicity_days},
    }));
    tail::finish(conn, meta, &Actor::Principal(p.clone()), Figures::Unchanged, [event])?;
    Ok(MilestoneType { review_chain: Some(chain), publicity_days: Some(days), ..before })
}
