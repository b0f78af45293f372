//! `/api/v1/users`: account administration (sysadmin only).

pub mod create;
pub mod get;
pub mod list;
pub mod unlock;
pub mod update;
pub mod view;
