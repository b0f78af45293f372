//! Domain types validated at the edge: their constructors are the only way to build them, so
//! handlers and queries never see raw, unchecked strings.

pub mod division;
pub mod milestone;
pub mod role;

pub use division::{DivisionCode, DivisionLevel};
pub use milestone::{
    transition, validate_transition_input, Action, ExistingRecord, MilestoneState, Multiplicity,
    TransitionError, TypeRules,
};
pub use role::Role;
