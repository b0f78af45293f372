//! Integration tests: the real HTTP app against a real database, fresh per test. Every test
//! declared with `both_backends!` runs on SQLite and, when `TEST_DATABASE_URL` names a
//! PostgreSQL server, on PostgreSQL too.

// A failed unwrap is how a test fails: the crate's lints forbid them in the service only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod helpers;

mod access_log;
mod audit;
mod auth;
mod authz;
mod bulk;
mod calendar;
mod chains;
mod cli;
mod concurrency;
mod console;
mod contract;
mod county;
mod demo;
mod enterprises;
mod errors;
mod events;
mod health;
mod hostile;
mod idempotency;
mod imports;
mod language;
mod logs;
mod metrics;
mod migrations;
mod milestones;
mod providers;
mod publicity;
mod quotas;
mod reference;
mod review_queue;
mod slow;
mod stats;
mod targets;
mod tls;
mod users;
mod webhooks;
