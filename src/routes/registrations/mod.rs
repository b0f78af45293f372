//! `POST /api/v1/registrations`: public self-registration of an enterprise and its first user.

pub mod create;
