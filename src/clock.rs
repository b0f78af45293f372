//! The service's notion of "now": UTC, truncated to microseconds so that a timestamp reads back
//! identically from PostgreSQL (microsecond precision) and SQLite (text), which the audit hash
//! chain and optimistic checks rely on.
//!
//! [`Clock`] is the clock an instance's reviews and 公示 finalisation read: the system's, shifted
//! by an offset that tests set (the test clock) to move an instance days ahead or back without
//! sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// An instance's clock: the system's, shifted by an offset (zero but in tests).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_us: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in UTC, to the microsecond, shifted.
    pub fn now(&self) -> NaiveDateTime {
        now() + self.offset()
    }

    /// Today's date in Asia/Shanghai, shifted.
    pub fn today_shanghai(&self) -> NaiveDate {
        shanghai_date(self.now())
    }

    /// Sets the shift from the system's clock (the test clock; zero is the real time).
    pub fn set_offset(&self, by: Duration) {
        self.offset_us.store(by.num_microseconds().unwrap_or(0), Ordering::SeqCst);
    }

    fn offset(&self) -> Duration {
        Duration::microseconds(self.offset_us.load(Ordering::SeqCst))
    }
}

/// Now, in UTC, to the microsecond.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Today's date in Asia/Shanghai (the province's calendar).
pub fn today_shanghai() -> NaiveDate {
    shanghai_date(now())
}

/// The date in Asia/Shanghai of a UTC timestamp.
fn shanghai_date(t: NaiveDateTime) -> NaiveDate {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc).with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
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
