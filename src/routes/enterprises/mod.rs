//! `/api/v1/enterprises`: registration by officials, reading by scope, profile edits, verification.

pub mod create;
pub mod get;
pub mod list;
pub mod update;
pub mod verify;
pub mod view;
