//! `/api/v1/me`: the caller's own account.

pub mod get;
pub mod password;
