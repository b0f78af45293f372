//! The fast path of the progress tables: a maintained daily aggregate (`stat_daily`) from which
//! any as-of date is a prefix sum at the current knowledge time, and a knowledge-time aggregate
//! (`stat_known`, `stat_known_year`) for a past `known_at`, both kept in step inside the
//! transactions that approve or revoke records.

pub mod cache;
pub mod catalogue;
pub mod check;
pub mod events;
pub mod known;
pub mod pending;
pub mod store;
