//! `/api/v1/audit-events`: the audit trail, for auditors only.

pub mod list;
pub mod verify;
