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
use crate::clock::Clock;
use crate::milestones::transitions::Acting;

/// The acting context of a request, on the instance's `clock`.
pub fn acting(principal: Principal, meta: RequestMeta, clock: &Clock) -> Acting {
    Acting { principal, meta, now: clock.now(), today: clock.today_shanghai() }
}
