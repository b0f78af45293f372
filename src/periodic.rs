//! The service's background work (event numbering, webhook deliveries): one step every period,
//! a failing step logged and tried again at the next.

use std::future::Future;
use std::time::Duration;

use crate::error::AppError;

/// Runs `step` every `period` (the first at once; a late step delays the next rather than
/// bunching them) until the task is dropped; a failure is logged as `what` failing.
pub async fn every<F, Fut, T>(period: Duration, what: &'static str, mut step: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = step().await {
            tracing::warn!(error = %e, "{what} failed; tried again next period");
        }
    }
}
