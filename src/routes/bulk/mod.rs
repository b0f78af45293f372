//! `/api/v1/bulk`: bulk submission (§3.9).

pub mod milestones;
