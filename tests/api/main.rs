//! Integration tests: the real HTTP app against a real database, fresh per test. Every test
//! declared with `both_backends!` runs on SQLite and, when `TEST_DATABASE_URL` names a
//! PostgreSQL server, on PostgreSQL too.

#[macro_use]
mod helpers;

mod audit;
mod auth;
mod authz;
mod cli;
mod concurrency;
mod contract;
mod demo;
mod enterprises;
mod errors;
mod health;
mod idempotency;
mod metrics;
mod migrations;
mod milestones;
mod reference;
mod stats;
mod targets;
mod tls;
mod users;
