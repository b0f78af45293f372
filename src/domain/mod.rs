//! Domain types validated at the edge: their constructors are the only way to build them, so
//! handlers and queries never see raw, unchecked strings.

pub mod calendar;
pub mod division;
pub mod enterprise_fields;
pub mod id;
pub mod milestone;
pub mod role;
pub mod uscc;
pub mod year;

pub use division::{DivisionCode, DivisionLevel};
pub use enterprise_fields::{ContactName, IndustryCode, LegalName, Phone, PhoneKind, SizeClass};
pub use milestone::{
    transition, validate_transition_input, Action, ExistingRecord, MilestoneState, Multiplicity, Position, Review,
    ReviewChain, Stage, TransitionError, TypeRules,
};
pub use role::Role;
pub use uscc::Uscc;
