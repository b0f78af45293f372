//! Statistics of §3.6, in three parts:
//!
//! - [`definitions`]: the numbers' exact definitions as pure functions (no I/O, no clock) — the
//!   reference everything else is checked against;
//! - [`aggregates`]: the tables the write path keeps in step with the records (`stat_daily`,
//!   `stat_known`, `stat_known_year`, `stat_pending`), their rebuild, their check against a
//!   recomputation, and the per-process caches — this part reads and writes the database;
//! - [`reports`]: the progress tables as the API shows them, assembled from the aggregates, or
//!   from the facts with the definitions (the reference path the tests compare with) — this part
//!   reads the database.

pub mod aggregates;
pub mod definitions;
pub mod reports;

pub use definitions::{
    completed_months, completion_rate, counts, ending, is_pending, pace_gap_pp, progress, rank, region_figures,
    time_progress, Ending, Figures, IndicatorDef, Kind, Params, Progress, RecordFacts, Region, Revocation, Source,
    TypeFacts, TypeTable, Unit, YearOutOfRange,
};
