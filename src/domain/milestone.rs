//! Milestone records (§3.3, §3.4): their states, the review workflow and the catalogue rules.
//!
//! Everything here is pure — no I/O, no database, no clock (the caller passes "today"), so the
//! handlers stay thin and the rules are tested exhaustively. Scope (the caller's own enterprise,
//! own city) is deliberately *not* checked here: that needs the record and the caller's
//! account, and answers 404 rather than 403, so it belongs to the handlers.
//!
//! - [`state`]: [`MilestoneState`] and [`Action`], with their wire names.
//! - [`review`]: review chains, their stages and the 公示 length (§3.7).
//! - [`workflow`]: [`transition`] (who may move a record from which state and stage, and
//!   where to).
//! - [`input`]: [`validate_transition_input`] (what a transition's body carries).
//! - [`rules`]: the catalogue rules of a milestone type — levels, multiplicity, exclusive
//!   group and validity.
//! - [`tiers`]: what approving a record of an exclusive group does to the others.

pub mod input;
pub mod review;
pub mod rules;
pub mod state;
pub mod tiers;
pub mod workflow;

pub use input::{
    clean_comment, requirements, validate_transition_input, Body, InputError, Need, Requirements, COMMENT_MAX_CHARS,
};
pub use review::{Review, ReviewChain, Stage};
pub use rules::{
    check_level, conflicts, has_lapsed, lapse_date, shares_exclusive_group, ExistingRecord, Multiplicity, TypeRules,
};
pub use state::{Action, MilestoneState};
pub use workflow::{history_action, transition, Position, TransitionError};
