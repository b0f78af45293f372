//! Authentication and authorisation: password hashing and policy, access and refresh tokens,
//! and the extractors that make a handler's required role visible in its signature.

pub mod hasher;
pub mod password;
pub mod principal;
pub mod scope;
pub mod tokens;

pub use principal::{Allowed, As, Authenticated, Principal, PrincipalKind};
