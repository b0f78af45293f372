//! `GET /api/v1/publicity`: the public notice list (公示) of DESIGN §3.7 — anyone, no login.

pub mod list;
