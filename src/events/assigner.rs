//! The assigner: numbers committed events (`queries::events::assign`) and tells the [`Hub`]
//! the highest number, every [`PERIOD`] on every instance (on PostgreSQL an advisory lock keeps
//! the assigners one at a time; an instance also learns of the others' events this way).

use std::time::Duration;

use super::Hub;
use crate::db::Db;
use crate::error::AppError;
use crate::queries::events as q;

/// How often each instance numbers and looks: the longest an event waits to enter the feed.
pub const PERIOD: Duration = Duration::from_millis(100);

/// Numbers what is waiting (in a transaction of its own) and returns the highest number.
pub async fn step(db: &Db, hub: &Hub) -> Result<i64, AppError> {
    if db.run(|c| Ok(q::any_unnumbered(c)?)).await? {
        db.write(|c| Ok(q::assign(c)?)).await?;
    }
    let latest = db.run(|c| Ok(q::latest(c)?)).await?;
    hub.saw(latest);
    Ok(latest)
}

/// Runs [`step`] every [`PERIOD`] until the task is dropped; a failure is logged and retried.
pub async fn run(db: Db, hub: std::sync::Arc<Hub>) {
    crate::periodic::every(PERIOD, "numbering events", || step(&db, &hub)).await;
}
