//! The `sort` parameter of the milestone list and the keyset position its cursors carry.
//!
//! A cursor names its order: in id order it holds the last id (as before sorting existed, so
//! cursors already issued keep working); in a submission order it holds
//! `{sort}~{submitted_at or -}~{id}`; in the province's queue order (the default of
//! `stage=province`, DESIGN §3.7) `queue~{city}~{priority or -}~{submitted_at}~{id}`. A cursor
//! used with another order than the one that issued it is 400 naming `cursor`, since it would
//! silently skip or repeat records.

use chrono::NaiveDateTime;

use crate::error::AppError;
use crate::queries::milestone_list::{After, Order};
use crate::queries::milestones::MilestoneRow;

const ASC: &str = "submitted_at";
const DESC: &str = "-submitted_at";
const QUEUE: &str = "queue";
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// Parses `sort`; absent, the province's queue order for the province stage's queue
/// (`province_queue`), id order otherwise.
pub fn parse(sort: Option<&str>, province_queue: bool) -> Result<Order, AppError> {
    match sort {
        None if province_queue => Ok(Order::Queue),
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
        Order::Queue => Some(QUEUE),
    }
}

fn time(t: Option<NaiveDateTime>) -> String {
    t.map_or_else(|| "-".to_string(), |t| t.format(TIME).to_string())
}

/// The cursor key after record `m` in `order`.
pub fn key(order: Order, m: &MilestoneRow) -> String {
    match (order, name(order)) {
        (_, None) => m.id.clone(),
        (Order::Queue, Some(n)) => {
            let priority = m.priority.map_or_else(|| "-".to_string(), |p| p.to_string());
            format!("{n}~{}~{priority}~{}~{}", m.city_code, time(m.submitted_at), m.id)
        }
        (_, Some(n)) => format!("{n}~{}~{}", time(m.submitted_at), m.id),
    }
}

/// The position a decoded cursor key names, checked against `order`.
pub fn position(order: Order, key: &str) -> Result<After, AppError> {
    let other = || AppError::bad_request("invalid_parameter", Some("cursor"), "`cursor` was issued for another `sort`");
    let parts: Vec<&str> = key.split('~').collect();
    let at = |t: &str| match t {
        "-" => Ok(None),
        t => NaiveDateTime::parse_from_str(t, TIME).map(Some).map_err(|_| other()),
    };
    match (order, name(order), parts.as_slice()) {
        (_, None, [id]) => Ok(After { submitted_at: None, id: id.to_string(), queue: None }),
        (Order::Queue, Some(n), [m, city, priority, t, id]) if n == *m => {
            let priority = match *priority {
                "-" => None,
                p => Some(p.parse::<i32>().map_err(|_| other())?),
            };
            let queue = Some((city.to_string(), priority));
            Ok(After { submitted_at: at(t)?, id: id.to_string(), queue })
        }
        (Order::SubmittedAsc | Order::SubmittedDesc, Some(n), [m, t, id]) if n == *m => {
            Ok(After { submitted_at: at(t)?, id: id.to_string(), queue: None })
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
        let after = After { submitted_at: Some(at), id: "0193-a".into(), queue: None };
        let k = format!("{DESC}~{}~0193-a", at.format(TIME));
        assert_eq!(position(Order::SubmittedDesc, &k).unwrap(), after);
        assert!(position(Order::SubmittedAsc, &k).is_err());
        assert!(position(Order::Id, &k).is_err());
        assert!(position(Order::SubmittedAsc, "0193-a").is_err());
        assert_eq!(position(Order::SubmittedAsc, "submitted_at~-~x").unwrap().submitted_at, None);
        assert!(parse(Some("id"), false).is_err());
        let q = format!("queue~330100~2~{}~0193-b", at.format(TIME));
        let queued = After { submitted_at: Some(at), id: "0193-b".into(), queue: Some(("330100".into(), Some(2))) };
        assert_eq!(position(Order::Queue, &q).unwrap(), queued);
        assert_eq!(
            position(Order::Queue, &format!("queue~330100~-~{}~x", at.format(TIME))).unwrap().queue,
            Some(("330100".into(), None))
        );
        assert!(position(Order::SubmittedAsc, &q).is_err());
        assert!(position(Order::Queue, &k).is_err());
        assert!(position(Order::Queue, "queue~330100~x~-~id").is_err());
        assert_eq!(parse(None, true).unwrap(), Order::Queue);
        assert_eq!(parse(Some(ASC), true).unwrap(), Order::SubmittedAsc);
    }
}
