//! `/api/v1/milestones` and `/api/v1/enterprises/{id}/milestones`: self-reporting and review.

pub mod create;
pub mod get;
pub mod history;
pub mod list;
pub mod sort;
pub mod transition;
pub mod update;
pub mod view;

use crate::audit::RequestMeta;
use crate::auth::Principal;
use crate::milestones::transitions::Acting;

/// The acting context of a request.
pub fn acting(principal: Principal, meta: RequestMeta) -> Acting {
    Acting { principal, meta, today: crate::clock::today_shanghai() }
}
