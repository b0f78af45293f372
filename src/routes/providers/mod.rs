//! `/api/v1/providers`: the register of service providers (§3.9) and their API clients.

pub mod clients;
pub mod create;
pub mod list;
pub mod view;
