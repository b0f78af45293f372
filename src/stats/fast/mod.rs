//! The fast path of the progress tables at the current knowledge time: a maintained daily
//! aggregate (`stat_daily`) from which any as-of date is a prefix sum, kept in step inside the
//! transactions that approve or revoke records. A past `known_at` uses the direct computation.

pub mod cache;
pub mod events;
pub mod store;
