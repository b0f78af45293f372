//! `/api/v1/enterprises/{id}/delegations`: an enterprise's delegations to providers (§3.9).

pub mod create;
pub mod list;
pub mod revoke;
pub mod view;
