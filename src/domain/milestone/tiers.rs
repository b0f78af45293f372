//! Tier supersession (§3.3 exclusive groups, §3.6 (c)): an enterprise holds one tier (雄鹰,
//! 雏鹰) at a time. Approving a record of the group with effective date `on` ends every approved
//! record of the group that took effect before `on` and was still in force then; and the record
//! itself is ended by the earliest ever-approved record of the group that took effect after
//! `on`. Two records taking effect on the same day end neither. The one definition, used by the
//! approval (`crate::milestones::transitions`) and the demo generator alike.

use chrono::NaiveDate;

use super::state::MilestoneState;

/// Another ever-approved record of the enterprise's exclusive group, as supersession reads it.
#[derive(Debug, Clone, Copy)]
pub struct TierRecord<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its state now (`approved`, or `revoked` after its approval).
    pub state: MilestoneState,
    /// When it took effect.
    pub effective_on: NaiveDate,
    /// When another tier ended it, if one did.
    pub ended_on: Option<NaiveDate>,
}

/// What approving a tier record effective on a day does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Supersession<'a> {
    /// The records it ends, on its effective day.
    pub ends: Vec<&'a str>,
    /// The day a later record ends it, if any.
    pub ended_on: Option<NaiveDate>,
}

/// The supersession of approving a record effective `on`, among the enterprise's other
/// ever-approved records of the group (`others`, without the record itself).
pub fn supersession<'a>(on: NaiveDate, others: &[TierRecord<'a>]) -> Supersession<'a> {
    let mut out = Supersession::default();
    for o in others {
        let in_force_then = o.ended_on.is_none_or(|d| d > on);
        if o.state == MilestoneState::Approved && o.effective_on < on && in_force_then {
            out.ends.push(o.id);
        } else if o.effective_on > on {
            out.ended_on = Some(out.ended_on.map_or(o.effective_on, |d| d.min(o.effective_on)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rec<'a>(id: &'a str, state: MilestoneState, on: &str, ended: Option<&str>) -> TierRecord<'a> {
        TierRecord { id, state, effective_on: d(on), ended_on: ended.map(d) }
    }

    #[test]
    fn earlier_tiers_end_and_a_later_one_ends_the_new_one() {
        use MilestoneState::{Approved, Revoked};
        let others = [
            rec("old", Approved, "2020-01-01", None),
            rec("old-ended-later", Approved, "2021-01-01", Some("2024-01-01")),
            rec("old-ended-before", Approved, "2019-01-01", Some("2022-01-01")),
            rec("revoked-earlier", Revoked, "2020-06-01", None),
            rec("same-day", Approved, "2023-06-01", None),
            rec("later", Revoked, "2025-01-01", None),
            rec("latest", Approved, "2026-01-01", None),
        ];
        let s = supersession(d("2023-06-01"), &others);
        assert_eq!(s.ends, vec!["old", "old-ended-later"]);
        assert_eq!(s.ended_on, Some(d("2025-01-01")));
        assert_eq!(supersession(d("2023-06-01"), &[]), Supersession::default());
    }
}
