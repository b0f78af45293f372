//! Milestone records (§3.3, §3.4): their states, the review workflow and the catalogue rules.
//!
//! Everything here is pure — no I/O, no database, no clock (the caller passes "today"), so the
//! handlers stay thin and the rules are tested exhaustively. Scope (the caller's own enterprise,
//! own city) is deliberately *not* checked here: that needs the record and the caller's
//! account, and answers 404 rather than 403, so it belongs to the handlers.
//!
//! - [`state`]: [`MilestoneState`] and [`Action`], with their wire names.
//! - [`workflow`]: [`transition`] (who may move a record from which state) and
//!   [`validate_transition_input`] (the `comment` / `effective_on` a transition carries).
//! - [`rules`]: the catalogue rules of a milestone type — levels, multiplicity, exclusive
//!   group and validity.
//! - [`tiers`]: what approving a record of an exclusive group does to the others.

pub mod rules;
pub mod state;
pub mod tiers;
pub mod workflow;

pub use rules::{
    check_level, conflicts, has_lapsed, lapse_date, shares_exclusive_group, ExistingRecord, Multiplicity, TypeRules,
};
pub use state::{Action, MilestoneState};
pub use workflow::{
    clean_comment, requirements, transition, validate_transition_input, InputError, Need, Requirements,
    TransitionError, COMMENT_MAX_CHARS,
};
