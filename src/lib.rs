//! Zhejiang enterprise digital-transformation registry: enterprises register and self-report
//! milestones, city bureaus review them, the province reads progress against its plans.

pub mod accounts;
pub mod allocator;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod conditional;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod enterprises;
pub mod error;
pub mod events;
pub mod export;
pub mod extract;
pub mod idempotency;
pub mod imports;
pub mod metrics;
pub mod milestones;
pub mod paging;
pub mod periodic;
pub mod providers;
pub mod publicity;
pub mod queries;
pub mod reference;
pub mod routes;
pub mod schema;
pub mod startup;
pub mod state;
pub mod stats;
pub mod tail;
pub mod telemetry;
pub mod webhooks;
