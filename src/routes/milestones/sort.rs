//! The `sort` parameter of the milestone list and the keyset position its cursors carry.
//!
//! A cursor names its order: in id order it holds the last id (as before sorting existed, so
//! cursors already issued keep working); in a submission order it holds
//! `{sort}~{submitted_at or -}~{id}`. A cursor used with another order than the one that issued
//! it is 400 naming `cursor`, since it would silently skip or repeat records.

use chrono::NaiveDateTime;

use crate::error::AppError;
use crate::queries::milestone_list::{After, Order};
use crate::queries::milestones::MilestoneRow;

const ASC: &str = "submitted_at";
const DESC: &str = "-submitted_at";
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// Parses `sort` (absent: id order).
pub fn parse(sort: Option<&str>) -> Result<Order, AppError> {
    match sort {
        None => Ok(Order::Id),
        Some(ASC) => Ok(Order::SubmittedAsc),
        Some(DESC) => Ok(Order::SubmittedDesc),
        Some(_) => Err(AppError::bad_request(
            "invalid_parameter",
            Some("sort"),
            "`sort` must be `submitted_at` or `-submitted_at`",
        )),
    }
}

fn name(order: Order) -> Option<&'static str> {
    match order {
        Order::Id => None,
        Order::SubmittedAsc => Some(ASC),
        Order::SubmittedDesc => Some(DESC),
    }
}

/// The cursor key after record `m` in `order`.
pub fn key(order: Order, m: &MilestoneRow) -> String {
    match name(order) {
        None => m.id.clone(),
        Some(n) => {
            let at = m.submitted_at.map_or_else(|| "-".to_string(), |t| t.format(TIME).to_string());
            format!("{n}~{at}~{}", m.id)
        }
    }
}

/// The position a decoded cursor key names, checked against `order`.
pub fn position(order: Order, key: &str) -> Result<After, AppError> {
    let other = || AppError::bad_request("invalid_parameter", Some("cursor"), "`cursor` was issued for another `sort`");
    let mut parts = key.split('~');
    match (name(order), parts.next(), parts.next(), parts.next(), parts.next()) {
        (None, Some(id), None, _, _) => Ok(After { submitted_at: None, id: id.to_string() }),
        (Some(n), Some(m), Some(at), Some(id), None) if n == m => {
            let submitted_at = match at {
                "-" => None,
                t => Some(NaiveDateTime::parse_from_str(t, TIME).map_err(|_| other())?),
            };
            Ok(After { submitted_at, id: id.to_string() })
        }
        _ => Err(other()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_only_in_their_own_order() {
        let at = NaiveDateTime::parse_from_str("2026-12-03T10:00:00.123456", TIME).unwrap();
        let after = After { submitted_at: Some(at), id: "0193-a".into() };
        let k = format!("{DESC}~{}~0193-a", at.format(TIME));
        assert_eq!(position(Order::SubmittedDesc, &k).unwrap(), after);
        assert!(position(Order::SubmittedAsc, &k).is_err());
        assert!(position(Order::Id, &k).is_err());
        assert!(position(Order::SubmittedAsc, "0193-a").is_err());
        assert_eq!(position(Order::SubmittedAsc, "submitted_at~-~x").unwrap().submitted_at, None);
        assert!(parse(Some("id")).is_err());
    }
}
