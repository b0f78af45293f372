//! Official lists (DESIGN §3.8), province officers only: `POST /api/v1/imports` imports a CSV or
//! `.xlsx` list (or checks it, `dry_run=true`); `GET /api/v1/imports` and
//! `GET /api/v1/imports/{id}` read the reports of applied imports.

pub mod create;
pub mod get;
pub mod list;
