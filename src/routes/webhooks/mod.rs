//! `/api/v1/webhooks`: an enterprise's subscriptions to its events (DESIGN §3.10), for its users
//! and its API clients. Another enterprise's subscription is 404.

pub mod create;
pub mod delete;
pub mod deliveries;
pub mod get;
pub mod list;

use crate::auth::Principal;
use crate::domain::id::ResourceId;
use crate::error::AppError;

/// The enterprise `p` acts for (every enterprise principal has one).
pub fn enterprise_of(p: &Principal) -> Result<String, AppError> {
    p.enterprise_id.as_ref().map(|e| e.as_str().to_string()).ok_or_else(|| AppError::not_found("webhook"))
}
