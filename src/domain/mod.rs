//! Domain types validated at the edge: their constructors are the only way to build them, so
//! handlers and queries never see raw, unchecked strings.

pub mod division;
pub mod id;
pub mod role;

pub use division::{DivisionCode, DivisionLevel};
pub use role::Role;
