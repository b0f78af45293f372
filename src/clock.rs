//! The service's notion of "now": UTC, truncated to microseconds so that a timestamp reads back
//! identically from PostgreSQL (microsecond precision) and SQLite (text), which the audit hash
//! chain and optimistic checks rely on.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// Now, in UTC, to the microsecond.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Today's date in Asia/Shanghai (the province's calendar).
pub fn today_shanghai() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// Formats a stored UTC timestamp as RFC 3339 (`2026-11-22T01:02:03.456789Z`).
pub fn rfc3339(t: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Serde helpers that write stored UTC timestamps as RFC 3339.
pub mod serde_rfc3339 {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    /// Serialises a timestamp.
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*t))
    }

    /// Serialises an optional timestamp.
    pub mod option {
        use chrono::NaiveDateTime;
        use serde::Serializer;

        /// Serialises an optional timestamp (`null` when absent).
        pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::super::rfc3339(*t)),
                None => s.serialize_none(),
            }
        }
    }
}
