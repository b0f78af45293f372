//! Rules that read before they write, under racing clients (issue 12): the three reproductions
//! of the issue (one or two instances), a seeded randomized workload checked against invariants
//! and the reference statistics, and the other read-then-write paths (accounts, throttles,
//! targets, registrations), and the slots of the statistics rows with their fold.
//!
//! The racing tests run with a pool large enough for the requests to really overlap in the
//! database (the default test pool has four connections).

mod check_command;
mod invariants;
mod paths;
mod randomized;
mod reproductions;
mod slots;
pub(crate) mod workload;

/// Settings of the racing tests: connections enough for 16 concurrent transactions.
pub const RACING: &[(&str, &str)] = &[("DB_POOL_SIZE", "16")];
