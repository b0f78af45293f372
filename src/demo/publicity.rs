//! The demo's current 公示: the demo world ends on 2025-12-31, so every 公示 it generated has run
//! out by the time anyone looks at it (the service finalises them at start-up). To show a
//! newcomer records in 公示 now, the run's last step has the province decide the oldest records
//! waiting at the province stage through the real workflow, today: they enter 公示 with today's
//! period, 文号 and batch, and count once the period has passed.

use chrono::{Datelike, Duration, NaiveTime};

use crate::audit::RequestMeta;
use crate::auth::principal::PrincipalKind;
use crate::auth::Principal;
use crate::clock::Clock;
use crate::conditional::IfMatch;
use crate::db::DbConnection;
use crate::domain::id::{MilestoneId, ResourceId};
use crate::domain::milestone::review::Stage;
use crate::domain::{Action, MilestoneState, Role};
use crate::error::AppError;
use crate::milestones::transitions::{self, Acting, TransitionInput};
use crate::queries::milestone_list::{self, MilestoneFilter, Order};
use crate::stats::aggregates::catalogue::CatalogueCache;

/// The most records the province decides today.
pub const CURRENT_BATCH: i64 = 12;

/// Decides half of the records waiting at the province stage (at most [`CURRENT_BATCH`]; the
/// others keep waiting, so the queue is not empty) as the province
/// officer `officer` (user id), in the province's queue order, at the start of today
/// (Asia/Shanghai: the same rows for the same seed all day); returns how many it decided and how
/// many of them entered 公示 (records of types without 公示 are approved outright).
pub fn decide_current_batch(conn: &mut DbConnection, officer: &str) -> Result<(u64, u64), AppError> {
    let filter = MilestoneFilter {
        state: Some(MilestoneState::Submitted),
        stage: Some(Stage::Province),
        ..MilestoneFilter::default()
    };
    let batch = (milestone_list::count(conn, &filter)? + 1) / 2;
    let waiting = milestone_list::list(conn, &filter, Order::Queue, None, batch.min(CURRENT_BATCH))?;
    let clock = Clock::default();
    let today = clock.today_shanghai();
    let who = Acting {
        principal: Principal {
            id: officer.to_string(),
            kind: PrincipalKind::User,
            role: Role::ProvinceOfficer,
            enterprise_id: None,
            city_code: None,
            county_code: None,
            provider_id: None,
            must_change_password: false,
        },
        meta: RequestMeta::default(),
        now: today.and_time(NaiveTime::MIN) - Duration::hours(8),
        today,
    };
    let input = TransitionInput {
        comment: Some("同意认定，予以公示".to_string()),
        document_no: Some(format!("浙经信技术〔{}〕1号", today.year())),
        batch: Some(format!("{}年第一批", today.year())),
        ..TransitionInput::default()
    };
    let catalogue = CatalogueCache::default();
    let mut publicised = 0;
    let decided = waiting.len() as u64;
    for m in waiting {
        let id = MilestoneId::from_stored(m.id);
        let after = transitions::apply(conn, &catalogue, &who, &id, Action::Approve, &input, IfMatch::Absent)?;
        if after.state == MilestoneState::Publicised {
            publicised += 1;
        }
    }
    Ok((decided, publicised))
}
