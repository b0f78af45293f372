//! Slots of the shared rows of `stat_daily` and `stat_known_year` (issue 19). The province's row
//! and a city's row of one (indicator, start year, day) take every approval of that day; an
//! upsert holds its row until commit, so concurrent approvals passed those rows one at a time. A
//! write adds its deltas for the province and the cities to one of [`SLOTS`] copies of each row,
//! chosen at random; readers sum over the slots as they sum over days. County rows stay in slot
//! 0: they are many and rarely met by two writes at once, and every slot is a row more to read.

use crate::db::DbConnection;

/// Copies of a shared row (the migration's `CHECK` holds the same bound).
pub const SLOTS: i16 = 8;

/// The slot one write adds its shared rows to: at random on PostgreSQL; 0 on SQLite, whose one
/// writer never waits on a row and would only read more rows.
pub fn pick(conn: &DbConnection) -> i16 {
    match conn {
        DbConnection::Pg(_) => rand::Rng::gen_range(&mut rand::thread_rng(), 0..SLOTS),
        DbConnection::Sqlite(_) => 0,
    }
}

/// The slot of `region`'s row for a write that picked `picked`: the province (330000) and the
/// cities (codes ending in 00, GB/T 2260) share it, counties take 0.
pub fn of(region: &str, picked: i16) -> i16 {
    match region.ends_with("00") {
        true => picked,
        false => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_province_and_cities_spread_over_slots() {
        assert_eq!(of("330000", 5), 5);
        assert_eq!(of("330100", 5), 5);
        assert_eq!(of("330106", 5), 0);
        assert_eq!(of("330106", 0), 0);
    }
}
