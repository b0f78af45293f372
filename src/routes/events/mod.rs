//! The event feed (DESIGN §3.10).

pub mod feed;
