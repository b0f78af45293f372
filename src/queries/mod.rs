//! The query layer: every diesel statement lives here, as functions over a `&mut DbConnection`
//! returning `QueryResult`. Handlers call them through `Db::run`/`Db::write`.

pub mod api_clients;
pub mod audit;
pub mod calendar;
pub mod columns;
pub mod delegations;
pub mod enterprises;
pub mod events;
pub mod idempotency_keys;
pub mod imports;
pub mod locks;
pub mod milestone_list;
pub mod milestones;
pub mod prepared;
pub mod providers;
pub mod publicity;
pub mod quotas;
pub mod rate_limits;
pub mod reference;
pub mod refresh_tokens;
pub mod targets;
pub mod users;
pub mod webhooks;
