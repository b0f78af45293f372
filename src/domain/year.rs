//! The years that plans, city targets and statistics may name: one range for all of them.

/// The earliest year accepted.
pub const MIN_YEAR: i32 = 2000;
/// The latest year accepted.
pub const MAX_YEAR: i32 = 2100;

/// Whether `year` lies within [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn is_plan_year(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}
