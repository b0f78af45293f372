//! The maintained aggregates behind the progress tables: a daily aggregate (`stat_daily`) from
//! which any as-of date is a prefix sum at the current knowledge time, a knowledge-time aggregate
//! (`stat_known`, `stat_known_year`) for a past `known_at`, both kept in step inside the
//! transactions that approve or revoke records, and the review queue's counts (`stat_pending`),
//! kept in step by every transition. Also their rebuild ([`store`]), their check against a
//! recomputation ([`check`], `rebuild-stats --check`), the table cache ([`cache`]) and the
//! per-process catalogue ([`catalogue`]), the slots of their rows and their fold ([`slots`]), and the maintenance for many enterprises at once
//! ([`bulk`], an import).

pub mod bulk;
pub mod cache;
pub mod catalogue;
pub mod check;
pub mod events;
pub mod known;
pub mod pending;
pub mod slots;
pub mod store;
