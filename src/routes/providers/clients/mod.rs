//! `/api/v1/providers/{id}/clients`: a provider's machine clients, managed by its users and by
//! sysadmins exactly as an enterprise's are (`routes::clients`).

pub mod create;
pub mod list;
pub mod revoke;
