//! The definitions of §3.6: a pure, I/O-free reference implementation that reads no clock and
//! no database. The maintained aggregates and the reports are checked against it, so it favours
//! being obviously right over being fast.
//!
//! - [`model`]: the inputs — record, type and indicator facts, regions, and the parameters
//!   (Y, D, T);
//! - [`compute`]: whether a record *counts*, why it had ended, and a region's figures
//!   (cumulative, increment, actual, pending);
//! - [`rates`]: completion rate, time progress (序时进度), pace gap and city ranking.
//!
//! Where §3.6 leaves room, this module decides as follows (the database path must agree):
//!
//! - **D is clamped to Y-12-31** by [`Params::new`]. A D *before* Y-01-01 is kept: the
//!   cumulative figure is the stock at D, the increment is 0 (its window [Y-01-01, D] is
//!   empty) and time progress is 0.
//! - **"Ended by D" includes D itself**: a record revoked with effect on D, lapsing on D or
//!   replaced by a tier that takes effect on D does not count on D.
//! - **Lapse date** = effective date + 12·v months (chrono's `checked_add_months`), so a
//!   recognition of 29 February lapses on 28 February of a non-leap year.
//! - **Replacement (c) is literal**: the replacing record must be approved at or before T and
//!   take effect strictly after the replaced one and on or before D — nothing more. A
//!   replacement that was later revoked (or lapsed) still ended the old record; two records of
//!   the group taking effect on the same day end neither; any type of the group replaces any
//!   other, including another level of the same type (雏鹰 pool → recognised). Replacements
//!   are looked for among *all* the enterprise's records, whatever region they are attributed
//!   to.
//! - **Increment for 家** counts the distinct enterprises having a counting record effective
//!   within [Y-01-01, D], even if the enterprise also had one before Y.
//! - **Pending** always counts records (also for 家 indicators), and reads the current state:
//!   it is the one figure that does not depend on (D, T).
//! - **Rounding**: half away from zero, done in integer basis points; the pace gap is the
//!   difference of the *reported* 4-decimal rate and progress, so it is exact to 0.01 pp.
//!   Ranking compares the reported 4-decimal rates. A target of 0 or less gives no rate.
//! - An unknown milestone type has neither a validity period nor an exclusive group.

pub mod compute;
pub mod model;
pub mod rates;

pub use compute::{counts, ending, is_in_publicity, is_pending, region_figures, Ending, Figures};
pub use model::{
    IndicatorDef, Kind, Params, RecordFacts, Region, Revocation, Source, TypeFacts, TypeTable, Unit, YearOutOfRange,
};
pub use rates::{completed_months, completion_rate, pace_gap_pp, progress, rank, time_progress, Progress};

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::reference::Reference;

    /// The worked example of §3.6 end to end: a city with a target of 10,000 for 2017 and
    /// 5,642 new counting records by 30 June, among records that must not be counted.
    #[test]
    fn worked_example_from_records() {
        let reference = Reference::load().unwrap();
        let types = TypeTable::from_reference(&reference);
        let indicator = IndicatorDef {
            unit: Unit::Records,
            kind: Kind::Increment,
            sources: vec![Source { milestone_type: "smart_factory".into(), levels: vec![] }],
        };
        let year_start = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
        let record = |i: usize, effective_on: NaiveDate, city: &str| RecordFacts {
            id: format!("r{i}"),
            enterprise_id: format!("e{}", i % 3_000),
            milestone_type: "smart_factory".into(),
            level: None,
            effective_on,
            county_code: format!("{}6", &city[..5]),
            city_code: city.into(),
            approved_at: Some((effective_on + Duration::days(3)).and_hms_opt(1, 0, 0).unwrap()),
            revocations: vec![],
            submitted_now: false,
            publicised_now: false,
        };
        let mut records = Vec::new();
        // 5,642 effective in the first half of 2017 in Hangzhou.
        for i in 0..5_642 {
            let day = i64::try_from(i % 181).unwrap();
            records.push(record(i, year_start + Duration::days(day), "330100"));
        }
        // Before the year, after D, and in another city.
        for i in 5_642..5_700 {
            records.push(record(i, NaiveDate::from_ymd_opt(2016, 11, 1).unwrap(), "330100"));
        }
        for i in 5_700..5_750 {
            records.push(record(i, NaiveDate::from_ymd_opt(2017, 7, 1).unwrap(), "330100"));
        }
        for i in 5_750..5_800 {
            records.push(record(i, NaiveDate::from_ymd_opt(2017, 3, 1).unwrap(), "330200"));
        }

        let params = Params::new(
            2017,
            NaiveDate::from_ymd_opt(2017, 6, 30).unwrap(),
            NaiveDate::from_ymd_opt(2017, 7, 10).unwrap().and_hms_opt(0, 0, 0).unwrap(),
        )
        .unwrap();
        let figures = region_figures(&records, &indicator, &types, &params, &Region::City("330100".into()));
        assert_eq!(
            figures,
            Figures { cumulative: 5_700, increment: 5_642, actual: 5_642, pending: 0, in_publicity: 0 }
        );
        let row = progress(figures, Some(10_000), indicator.kind, &params);
        assert_eq!(row.completion_rate, Some(0.5642));
        assert_eq!(row.time_progress, Some(0.5));
        assert_eq!(row.pace_gap_pp, Some(6.42));
    }
}
