//! `/api/v1/webhooks`: an enterprise's or a provider's subscriptions to the events it may read
//! (DESIGN §3.10), for its users and API clients. Another owner's subscription is 404.

pub mod create;
pub mod delete;
pub mod deliveries;
pub mod get;
pub mod list;

pub use crate::webhooks::owner_of;
