//! The derived numbers of §3.6: completion rate, time progress (序时进度), pace gap and the
//! ranking of cities.
//!
//! Rounding is done in integers: a fraction with 4 decimals is computed as a whole number of
//! basis points (1/10,000), rounded half away from zero, and only then turned into an `f64`
//! by one division. So 5,642 of 10,000 gives exactly the `f64` nearest to 0.5642 — the same
//! value the literal `0.5642` parses to — and the pace gap, being a difference of two such
//! values, is a whole number of basis points, i.e. an exact number of hundredths of a
//! percentage point (6.42, never 6.419999…).

use chrono::{Datelike, NaiveDate};

use super::compute::Figures;
use super::model::{Kind, Params};

/// Basis points in one: fractions are reported with 4 decimals.
const BASIS_POINTS: i128 = 10_000;

/// Basis points in one percentage point: the pace gap is reported in percentage points with
/// 2 decimals, i.e. in basis points.
const BASIS_POINTS_PER_PP: f64 = 100.0;

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
/// `denominator` must be positive.
fn div_round(numerator: i128, denominator: i128) -> i128 {
    let half_up = (2 * numerator.abs() + denominator) / (2 * denominator);
    if numerator < 0 {
        -half_up
    } else {
        half_up
    }
}

/// A fraction reported with 4 decimals, back in whole basis points. Values produced by this
/// module convert exactly; any other value is rounded to the nearest basis point first.
fn to_basis_points(fraction: f64) -> i64 {
    (fraction * BASIS_POINTS as f64).round() as i64
}

fn from_basis_points(bp: i128) -> f64 {
    bp as f64 / BASIS_POINTS as f64
}

/// actual ÷ target as a fraction with 4 decimals (half away from zero); `None` when the
/// target is missing or not positive (a target of 0 has no rate, and a negative target has no
/// meaning).
pub fn completion_rate(actual: i64, target: Option<i64>) -> Option<f64> {
    let target = target.filter(|t| *t > 0)?;
    Some(from_basis_points(div_round(i128::from(actual) * BASIS_POINTS, i128::from(target))))
}

/// Whole months of year `year` completed by the end of `as_of`: the month of `as_of` counts
/// only if `as_of` is its last day. 0 before the year begins, 12 once it is over.
pub fn completed_months(year: i32, as_of: NaiveDate) -> u32 {
    if as_of.year() < year {
        return 0;
    }
    if as_of.year() > year {
        return 12;
    }
    let last_day_of_month = as_of.succ_opt().is_none_or(|next| next.month() != as_of.month());
    as_of.month0() + u32::from(last_day_of_month)
}

/// 序时进度: completed months ÷ 12 with 4 decimals (30 June → 0.5000, 15 June → 0.4167), for
/// increment indicators; `None` for cumulative ones, which have no pace within a year. With
/// D before the year begins it is 0.
pub fn time_progress(kind: Kind, params: &Params) -> Option<f64> {
    match kind {
        Kind::Cumulative => None,
        Kind::Increment => {
            let months = i128::from(completed_months(params.year(), params.as_of()));
            Some(from_basis_points(div_round(months * BASIS_POINTS, 12)))
        }
    }
}

/// (completion rate − time progress) × 100, in percentage points with 2 decimals; positive
/// means ahead of pace (超序时). `None` unless both are known.
///
/// It is the difference of the two *reported* 4-decimal values, so a reader who subtracts
/// the numbers shown gets exactly the gap shown.
pub fn pace_gap_pp(rate: Option<f64>, progress: Option<f64>) -> Option<f64> {
    let gap_bp = to_basis_points(rate?) - to_basis_points(progress?);
    Some(gap_bp as f64 / BASIS_POINTS_PER_PP)
}

/// Competition ranking of cities by completion rate, highest first: equal rates share a rank
/// and the next rank skips (1, 2, 2, 4). Cities without a rate (no target) are unranked
/// (`None`) and do not take a place. Rates are compared as reported, to 4 decimals. The
/// result keeps the input order.
pub fn rank<C: Clone>(cities: &[(C, Option<f64>)]) -> Vec<(C, Option<u32>)> {
    let rates: Vec<Option<i64>> = cities.iter().map(|(_, rate)| rate.map(to_basis_points)).collect();
    cities
        .iter()
        .zip(&rates)
        .map(|((code, _), rate)| {
            let place = rate.map(|mine| {
                let ahead = rates.iter().flatten().filter(|r| **r > mine).count();
                u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1)
            });
            (code.clone(), place)
        })
        .collect()
}

/// The numbers of one row of the progress table (a region), without its code, name and rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// The region's target for the year, if set.
    pub target: Option<i64>,
    /// Cumulative figure.
    pub cumulative: i64,
    /// Increment figure.
    pub increment: i64,
    /// Cumulative or increment, by the indicator's kind.
    pub actual: i64,
    /// actual ÷ target, 4 decimals.
    pub completion_rate: Option<f64>,
    /// 序时进度 (increment indicators only), 4 decimals.
    pub time_progress: Option<f64>,
    /// Completion rate minus time progress, percentage points, 2 decimals.
    pub pace_gap_pp: Option<f64>,
    /// Records awaiting review.
    pub pending: i64,
    /// Records in 公示.
    pub in_publicity: i64,
}

/// The row of a region from its figures and target.
pub fn progress(figures: Figures, target: Option<i64>, kind: Kind, params: &Params) -> Progress {
    let completion_rate = completion_rate(figures.actual, target);
    let time_progress = time_progress(kind, params);
    Progress {
        target,
        cumulative: figures.cumulative,
        increment: figures.increment,
        actual: figures.actual,
        completion_rate,
        time_progress,
        pace_gap_pp: pace_gap_pp(completion_rate, time_progress),
        pending: figures.pending,
        in_publicity: figures.in_publicity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn params(year: i32, as_of: &str) -> Params {
        Params::new(year, date(as_of), date("2030-01-01").and_hms_opt(0, 0, 0).unwrap()).unwrap()
    }

    fn progress_on(as_of: &str) -> Option<f64> {
        time_progress(Kind::Increment, &params(date(as_of).year(), as_of))
    }

    #[test]
    fn worked_example() {
        let figures = Figures { cumulative: 20_000, increment: 5_642, actual: 5_642, pending: 3, in_publicity: 0 };
        let row = progress(figures, Some(10_000), Kind::Increment, &params(2017, "2017-06-30"));
        assert_eq!(row.completion_rate, Some(0.5642));
        assert_eq!(row.time_progress, Some(0.5));
        assert_eq!(row.pace_gap_pp, Some(6.42));
        assert_eq!(format!("{:.4}", row.completion_rate.unwrap()), "0.5642");
        assert_eq!(row.pace_gap_pp.unwrap().to_string(), "6.42");
        assert_eq!((row.actual, row.pending, row.target), (5_642, 3, Some(10_000)));
    }

    #[test]
    fn completion_rate_rounds_half_away_from_zero() {
        assert_eq!(completion_rate(5_642, Some(10_000)), Some(0.5642));
        assert_eq!(completion_rate(1, Some(3)), Some(0.3333));
        assert_eq!(completion_rate(2, Some(3)), Some(0.6667));
        assert_eq!(completion_rate(1, Some(20_000)), Some(0.0001)); // 0.00005 → up
        assert_eq!(completion_rate(1, Some(20_001)), Some(0.0));
        assert_eq!(completion_rate(0, Some(7)), Some(0.0));
        assert_eq!(completion_rate(15, Some(10)), Some(1.5));
        assert_eq!(completion_rate(500_000, Some(400_000)), Some(1.25));
        assert!(completion_rate(i64::MAX, Some(1)).is_some_and(|r| r > 9.2e18));
        assert_eq!(completion_rate(-1, Some(3)), Some(-0.3333));
    }

    #[test]
    fn completion_rate_needs_a_positive_target() {
        assert_eq!(completion_rate(5, None), None);
        assert_eq!(completion_rate(5, Some(0)), None);
        assert_eq!(completion_rate(5, Some(-10)), None);
    }

    #[test]
    fn time_progress_counts_completed_months() {
        assert_eq!(progress_on("2017-06-30"), Some(0.5));
        assert_eq!(progress_on("2017-06-15"), Some(0.4167));
        assert_eq!(progress_on("2017-12-31"), Some(1.0));
        assert_eq!(progress_on("2017-12-30"), Some(0.9167));
        assert_eq!(progress_on("2017-01-01"), Some(0.0));
        assert_eq!(progress_on("2017-01-30"), Some(0.0));
        assert_eq!(progress_on("2017-01-31"), Some(0.0833));
        assert_eq!(progress_on("2017-07-01"), Some(0.5));
        // February ends on the 28th, or the 29th in a leap year.
        assert_eq!(progress_on("2017-02-28"), Some(0.1667));
        assert_eq!(progress_on("2024-02-28"), Some(0.0833));
        assert_eq!(progress_on("2024-02-29"), Some(0.1667));
        assert_eq!(progress_on("2000-02-29"), Some(0.1667));
        assert_eq!(progress_on("1900-02-28"), Some(0.1667));
        assert_eq!(progress_on("2017-05-31"), Some(0.4167));
        assert_eq!(progress_on("2017-11-30"), Some(0.9167));
    }

    #[test]
    fn time_progress_outside_the_year() {
        // After the year, D is clamped to 31 December.
        assert_eq!(time_progress(Kind::Increment, &params(2017, "2018-03-01")), Some(1.0));
        // Before the year, no month is completed.
        assert_eq!(time_progress(Kind::Increment, &params(2018, "2017-12-31")), Some(0.0));
        assert_eq!(completed_months(2018, date("2017-12-31")), 0);
        assert_eq!(completed_months(2017, date("2018-01-01")), 12);
        assert_eq!(completed_months(2017, date("2017-03-31")), 3);
    }

    #[test]
    fn cumulative_indicators_have_no_time_progress_or_pace_gap() {
        let p = params(2017, "2017-06-30");
        assert_eq!(time_progress(Kind::Cumulative, &p), None);
        let figures = Figures { cumulative: 5_642, increment: 10, actual: 5_642, pending: 0, in_publicity: 0 };
        let row = progress(figures, Some(10_000), Kind::Cumulative, &p);
        assert_eq!((row.completion_rate, row.time_progress, row.pace_gap_pp), (Some(0.5642), None, None));
        let row = progress(figures, None, Kind::Increment, &p);
        assert_eq!((row.completion_rate, row.time_progress, row.pace_gap_pp), (None, Some(0.5), None));
    }

    #[test]
    fn pace_gap_is_exact_in_hundredths() {
        assert_eq!(pace_gap_pp(Some(0.5642), Some(0.5)), Some(6.42));
        assert_eq!(pace_gap_pp(Some(0.3333), Some(0.4167)), Some(-8.34));
        assert_eq!(pace_gap_pp(Some(0.5), Some(0.5)), Some(0.0));
        assert_eq!(pace_gap_pp(Some(1.25), Some(1.0)), Some(25.0));
        assert_eq!(pace_gap_pp(Some(0.0001), Some(0.0)), Some(0.01));
        assert_eq!(pace_gap_pp(Some(0.1), Some(0.0833)), Some(1.67));
        assert_eq!(pace_gap_pp(None, Some(0.5)), None);
        assert_eq!(pace_gap_pp(Some(0.5), None), None);
        // Every reported pair gives a gap that prints with at most 2 decimals.
        for rate_bp in (0..=12_000).step_by(7) {
            for months in 0..=12 {
                let rate = from_basis_points(rate_bp);
                let progress = from_basis_points(div_round(months * BASIS_POINTS, 12));
                let gap = pace_gap_pp(Some(rate), Some(progress)).unwrap();
                let shown = format!("{gap}");
                let decimals = shown.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 2, "{rate} − {progress} → {shown}");
            }
        }
    }

    #[test]
    fn ranking_shares_ties_and_skips() {
        let cities = [
            ("330100", Some(0.9)),
            ("330200", Some(0.8)),
            ("330300", None),
            ("330400", Some(0.8)),
            ("330500", Some(0.7)),
            ("330600", Some(0.95)),
            ("330700", None),
        ];
        assert_eq!(
            rank(&cities),
            vec![
                ("330100", Some(2)),
                ("330200", Some(3)),
                ("330300", None),
                ("330400", Some(3)),
                ("330500", Some(5)),
                ("330600", Some(1)),
                ("330700", None),
            ]
        );
    }

    #[test]
    fn ranking_edge_cases() {
        let none: [(&str, Option<f64>); 0] = [];
        assert!(rank(&none).is_empty());
        assert_eq!(rank(&[("a", None), ("b", None)]), vec![("a", None), ("b", None)]);
        assert_eq!(
            rank(&[("a", Some(0.5)), ("b", Some(0.5)), ("c", Some(0.5))]),
            vec![("a", Some(1)), ("b", Some(1)), ("c", Some(1))]
        );
        // Zero is a rate like any other; a rate above 1 ranks first.
        assert_eq!(
            rank(&[("a", Some(0.0)), ("b", Some(1.2)), ("c", Some(0.0))]),
            vec![("a", Some(2)), ("b", Some(1)), ("c", Some(2))]
        );
        // Ties are judged on the reported 4 decimals.
        let r1 = completion_rate(56_421, Some(100_000));
        let r2 = completion_rate(56_424, Some(100_000));
        assert_eq!(rank(&[("a", r1), ("b", r2)]), vec![("a", Some(1)), ("b", Some(1))]);
        // Owned codes work too.
        assert_eq!(rank(&[(String::from("330100"), Some(0.1))]), vec![(String::from("330100"), Some(1))]);
    }
}
