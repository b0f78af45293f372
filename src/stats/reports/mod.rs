//! The progress tables of §3.6 as the API shows them: [`report`] assembles a province or city
//! table from the maintained aggregates (`crate::stats::aggregates`) or, as the reference path,
//! from the facts with `crate::stats::definitions`; [`load`] reads the facts, targets and
//! catalogue it needs.

pub mod load;
pub mod providers;
pub mod report;
