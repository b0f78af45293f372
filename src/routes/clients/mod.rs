//! `/api/v1/enterprises/{id}/clients`: an enterprise's machine clients (its ERP systems).

pub mod create;
pub mod list;
pub mod revoke;
