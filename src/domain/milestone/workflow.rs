//! The review workflow of §3.4 and §3.7: which role may apply which action to a record in which
//! state and at which stage of its review chain, and where the record goes.
//!
//! ```text
//! draft ─submit─▶ submitted@first ─approve─▶ submitted@next … ─approve at the last stage─┐
//!                  │ │ │  ▲                                                             │
//!                  │ │ │  └──────── object (province, during 公示) ───────┐              │
//!                  │ │ │                                                  │   days = 0 ──┼─▶ approved ─revoke─▶ revoked
//!                  │ │ └─reject─▶ rejected                  publicised ◀──┴─ days > 0 ───┘      ▲
//!                  │ └─withdraw (enterprise; also from publicised)─▶ withdrawn   └─finalise (system)┘
//!                  └─return (with reason)─▶ returned ─(edit, then) submit─▶ submitted@first
//! ```
//!
//! Finalisation (publicised → approved when the 公示 has passed) is the system's, not an action
//! a caller takes: `crate::publicity`.

use super::review::{Review, Stage};
use super::state::{Action, MilestoneState};
use crate::domain::Role;

/// Where a record stands: its state and, while submitted, the stage it waits at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// The state.
    pub state: MilestoneState,
    /// The stage (submitted records only).
    pub stage: Option<Stage>,
}

impl Position {
    /// A record in `state`, at no stage.
    pub fn at(state: MilestoneState) -> Self {
        Self { state, stage: None }
    }

    /// A submitted record waiting at `stage`.
    pub fn submitted(stage: Stage) -> Self {
        Self { state: MilestoneState::Submitted, stage: Some(stage) }
    }
}

impl Action {
    /// Whether `role` may ever take this action (§1, §3.7, §3.9): the enterprise (and a provider
    /// it delegated to) submits and withdraws; the reviewers of the stages approve, reject and return (which stage is checked
    /// against the record); the province revokes and objects.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Self::Submit | Self::Withdraw => matches!(role, Role::Enterprise | Role::Provider),
            Self::Approve | Self::Reject | Self::Return => Stage::ALL.iter().any(|s| s.reviewer() == Some(role)),
            Self::Revoke | Self::Object => role == Role::ProvinceOfficer,
        }
    }

    /// The states a record may be in for this action.
    pub fn sources(self) -> &'static [MilestoneState] {
        use MilestoneState as S;
        match self {
            Self::Submit => &[S::Draft, S::Returned],
            Self::Withdraw => &[S::Submitted, S::Publicised],
            Self::Approve | Self::Reject | Self::Return => &[S::Submitted],
            Self::Revoke => &[S::Approved],
            Self::Object => &[S::Publicised],
        }
    }
}

/// Who may take `action`, as messages name them.
fn who_may(action: Action) -> &'static str {
    match action {
        Action::Submit | Action::Withdraw => "enterprise",
        Action::Approve | Action::Reject | Action::Return => "the reviewer of its stage",
        Action::Revoke | Action::Object => "province_officer",
    }
}

/// The role name that acts at `stage`, as messages name it.
fn reviewer_name(stage: Stage) -> &'static str {
    match stage {
        Stage::County => "county_reviewer",
        Stage::City => "city_reviewer",
        Stage::Province => "province_officer",
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The caller's role may never take this action (→ 403).
    #[error("the {role} role may not {action} a milestone; only {} may", who_may(*.action))]
    WrongRole {
        /// The action attempted.
        action: Action,
        /// The caller's role.
        role: Role,
    },
    /// The caller reviews, but not at the stage the record is at (→ 403).
    #[error("the {role} role may not {action} a milestone at the {stage} stage; only {} may", reviewer_name(*.stage))]
    WrongStage {
        /// The action attempted.
        action: Action,
        /// The caller's role.
        role: Role,
        /// The record's stage.
        stage: Stage,
    },
    /// The action does not apply to a record in its current state (→ 409 naming the state).
    #[error("a milestone that is {state} cannot be {}", past_participle(*.action))]
    IllegalState {
        /// The action attempted.
        action: Action,
        /// The record's current state.
        state: MilestoneState,
    },
}

fn past_participle(action: Action) -> &'static str {
    match action {
        Action::Submit => "submitted",
        Action::Withdraw => "withdrawn",
        Action::Approve => "approved",
        Action::Reject => "rejected",
        Action::Return => "returned",
        Action::Revoke => "revoked",
        Action::Object => "objected to",
    }
}

/// Applies `action`, taken by a caller with `role`, to a record at `at` reviewed under `review`
/// (the chain and 公示 length it was submitted under), and gives where it goes.
///
/// | action | role | from | to |
/// |---|---|---|---|
/// | submit | enterprise, provider | draft, returned | submitted at the chain's first stage |
/// | withdraw | enterprise, provider | submitted, publicised | withdrawn |
/// | approve | the stage's reviewer | submitted, not at the last stage | submitted at the next stage (recommend) |
/// | approve | the stage's reviewer | submitted at the last stage | approved (0 days), else publicised |
/// | reject | the stage's reviewer | submitted | rejected |
/// | return | the stage's reviewer | submitted | returned |
/// | revoke | province_officer | approved | revoked |
/// | object | province_officer | publicised | submitted at the chain's last stage |
///
/// The reviewer of a stage: county → `county_reviewer`, city → `city_reviewer`, province →
/// `province_officer` ([`Stage::reviewer`]). A submitted record without a stage (stored before
/// chains existed) is at the chain's first stage.
///
/// Checks go role (a fact about the caller: [`TransitionError::WrongRole`]), then state
/// ([`TransitionError::IllegalState`]), then stage ([`TransitionError::WrongStage`]): a caller
/// who may never take the action gets the same 403 every time and learns nothing about the
/// record. Scope (own enterprise, county, city → otherwise 404) is the handlers'.
pub fn transition(at: Position, review: &Review, action: Action, role: Role) -> Result<Position, TransitionError> {
    use MilestoneState as S;
    if !action.admits(role) {
        return Err(TransitionError::WrongRole { action, role });
    }
    if !action.sources().contains(&at.state) {
        return Err(TransitionError::IllegalState { action, state: at.state });
    }
    Ok(match action {
        Action::Submit => Position::submitted(review.chain.first()),
        Action::Withdraw => Position::at(S::Withdrawn),
        Action::Approve | Action::Reject | Action::Return => {
            let stage = at.stage.unwrap_or_else(|| review.chain.first());
            if stage.reviewer() != Some(role) {
                return Err(TransitionError::WrongStage { action, role, stage });
            }
            match action {
                Action::Reject => Position::at(S::Rejected),
                Action::Return => Position::at(S::Returned),
                _ => match review.chain.after(stage) {
                    Some(next) => Position::submitted(next),
                    None if review.publicity_days == 0 => Position::at(S::Approved),
                    None => Position::at(S::Publicised),
                },
            }
        }
        Action::Revoke => Position::at(S::Revoked),
        Action::Object => Position::submitted(review.chain.last()),
    })
}

/// The history action a transition is recorded as: an approval that moves the record on to the
/// next stage is a `recommend`; every other transition is its action's name.
pub fn history_action(action: Action, to: Position) -> &'static str {
    match (action, to.state) {
        (Action::Approve, MilestoneState::Submitted) => "recommend",
        _ => action.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::milestone::review::ReviewChain;
    use proptest::prelude::*;
    use MilestoneState as S;

    /// The reviewer of each stage, written out independently of `Stage::reviewer`.
    fn reviewer(stage: Stage) -> Option<Role> {
        match stage {
            Stage::County => Some(Role::CountyReviewer),
            Stage::City => Some(Role::CityReviewer),
            Stage::Province => Some(Role::ProvinceOfficer),
        }
    }

    fn reviewers() -> Vec<Role> {
        vec![Role::CountyReviewer, Role::CityReviewer, Role::ProvinceOfficer]
    }

    fn reviews() -> Vec<Review> {
        ReviewChain::all()
            .into_iter()
            .flat_map(|chain| [0, 5].map(|publicity_days| Review { chain: chain.clone(), publicity_days }))
            .collect()
    }

    fn stages() -> [Option<Stage>; 4] {
        [None, Some(Stage::County), Some(Stage::City), Some(Stage::Province)]
    }

    /// §3.4 and §3.7 as a table, from the DESIGN's words rather than from the code above.
    fn expected(at: Position, r: &Review, action: Action, role: Role) -> Result<Position, TransitionError> {
        let chain = r.chain.stages();
        let (may, from): (bool, &[S]) = match action {
            // §1 and §3.9: a provider submits and withdraws for the enterprises that delegated to it.
            Action::Submit => (matches!(role, Role::Enterprise | Role::Provider), &[S::Draft, S::Returned]),
            Action::Withdraw => (matches!(role, Role::Enterprise | Role::Provider), &[S::Submitted, S::Publicised]),
            Action::Approve | Action::Reject | Action::Return => (reviewers().contains(&role), &[S::Submitted]),
            Action::Revoke => (role == Role::ProvinceOfficer, &[S::Approved]),
            Action::Object => (role == Role::ProvinceOfficer, &[S::Publicised]),
        };
        if !may {
            return Err(TransitionError::WrongRole { action, role });
        }
        if !from.contains(&at.state) {
            return Err(TransitionError::IllegalState { action, state: at.state });
        }
        let stage = at.stage.unwrap_or(chain[0]);
        if matches!(action, Action::Approve | Action::Reject | Action::Return) && reviewer(stage) != Some(role) {
            return Err(TransitionError::WrongStage { action, role, stage });
        }
        let last = chain[chain.len() - 1];
        Ok(match action {
            Action::Submit => Position { state: S::Submitted, stage: Some(chain[0]) },
            Action::Withdraw => Position { state: S::Withdrawn, stage: None },
            Action::Reject => Position { state: S::Rejected, stage: None },
            Action::Return => Position { state: S::Returned, stage: None },
            Action::Revoke => Position { state: S::Revoked, stage: None },
            Action::Object => Position { state: S::Submitted, stage: Some(last) },
            Action::Approve => match chain.iter().position(|s| *s > stage) {
                Some(i) => Position { state: S::Submitted, stage: Some(chain[i]) },
                None if r.publicity_days == 0 => Position { state: S::Approved, stage: None },
                None => Position { state: S::Publicised, stage: None },
            },
        })
    }

    /// The full check of one combination, shared by the exhaustive loop and the proptest.
    fn check(at: Position, r: &Review, action: Action, role: Role) {
        let got = transition(at, r, action, role);
        assert_eq!(got, expected(at, r, action, role), "{at:?} {r:?} -{action}/{role}->");
        if at.state.is_terminal() {
            assert!(got.is_err(), "left terminal state {}", at.state);
        }
        if let Ok(to) = got {
            assert_ne!(role, Role::Sysadmin);
            assert_ne!(role, Role::Auditor);
            // A record has a stage exactly when it is submitted, and the stage is on its chain.
            assert_eq!(to.stage.is_some(), to.state == S::Submitted);
            assert!(to.stage.is_none_or(|s| r.chain.stages().contains(&s)));
            // Nothing but the system's finalisation turns a publicised record into an approved one.
            assert!(!(at.state == S::Publicised && to.state == S::Approved));
            if to.state == S::Publicised {
                assert!(r.publicity_days > 0);
            }
        }
    }

    #[test]
    fn every_combination_matches_the_table() {
        let (mut combinations, mut allowed) = (0, 0);
        for r in reviews() {
            for state in S::ALL {
                for stage in stages() {
                    for action in Action::ALL {
                        for role in Role::ALL {
                            let at = Position { state, stage };
                            check(at, &r, action, role);
                            combinations += 1;
                            allowed += usize::from(transition(at, &r, action, role).is_ok());
                        }
                    }
                }
            }
        }
        assert_eq!(combinations, 14 * 8 * 4 * 7 * Role::ALL.len());
        assert!(allowed > 0);
    }

    #[test]
    fn a_smart_factory_record_goes_city_province_publicity() {
        let r = Review { chain: ReviewChain::parse("city>province").unwrap(), publicity_days: 5 };
        let p = transition(Position::at(S::Draft), &r, Action::Submit, Role::Enterprise).unwrap();
        assert_eq!(p, Position::submitted(Stage::City));
        assert_eq!(
            transition(p, &r, Action::Approve, Role::ProvinceOfficer),
            Err(TransitionError::WrongStage {
                action: Action::Approve,
                role: Role::ProvinceOfficer,
                stage: Stage::City
            })
        );
        let p2 = transition(p, &r, Action::Approve, Role::CityReviewer).unwrap();
        assert_eq!(p2, Position::submitted(Stage::Province));
        assert_eq!(history_action(Action::Approve, p2), "recommend");
        let p3 = transition(p2, &r, Action::Approve, Role::ProvinceOfficer).unwrap();
        assert_eq!(p3, Position::at(S::Publicised));
        assert_eq!(history_action(Action::Approve, p3), "approve");
        let back = transition(p3, &r, Action::Object, Role::ProvinceOfficer).unwrap();
        assert_eq!(back, Position::submitted(Stage::Province));
        let returned = transition(back, &r, Action::Return, Role::ProvinceOfficer).unwrap();
        let again = transition(returned, &r, Action::Submit, Role::Enterprise).unwrap();
        assert_eq!(again, Position::submitted(Stage::City));
    }

    #[test]
    fn city_only_without_publicity_is_the_old_workflow() {
        let r = Review::city_only();
        let p = transition(Position::at(S::Draft), &r, Action::Submit, Role::Enterprise).unwrap();
        let p = transition(p, &r, Action::Approve, Role::CityReviewer).unwrap();
        assert_eq!(p, Position::at(S::Approved));
        let p = transition(p, &r, Action::Revoke, Role::ProvinceOfficer).unwrap();
        assert_eq!(p, Position::at(S::Revoked));
    }

    #[test]
    fn messages_name_the_state_the_role_and_the_stage() {
        let r = Review::city_only();
        let e = transition(Position::at(S::Approved), &r, Action::Approve, Role::CityReviewer).unwrap_err();
        assert_eq!(e.to_string(), "a milestone that is approved cannot be approved");
        let e = transition(Position::at(S::Draft), &r, Action::Revoke, Role::Auditor).unwrap_err();
        assert_eq!(e.to_string(), "the auditor role may not revoke a milestone; only province_officer may");
        let e = transition(Position::at(S::Draft), &r, Action::Approve, Role::Enterprise).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the enterprise role may not approve a milestone; only the reviewer of its stage may"
        );
        let e = transition(Position::submitted(Stage::City), &r, Action::Approve, Role::ProvinceOfficer).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the province_officer role may not approve a milestone at the city stage; only city_reviewer may"
        );
    }

    fn any_review() -> impl Strategy<Value = Review> {
        proptest::sample::select(reviews())
    }

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn transitions_follow_the_table(
            r in any_review(),
            state in proptest::sample::select(S::ALL.to_vec()),
            stage in proptest::sample::select(stages().to_vec()),
            action in any_action(),
            role in any_role(),
        ) {
            check(Position { state, stage }, &r, action, role);
        }

        #[test]
        fn walks_never_leave_a_terminal_state_and_keep_a_stage_while_submitted(
            r in any_review(),
            steps in proptest::collection::vec((any_action(), any_role()), 0..40)
        ) {
            let mut at = Position::at(S::Draft);
            for (action, role) in steps {
                if let Ok(next) = transition(at, &r, action, role) {
                    prop_assert!(!at.state.is_terminal());
                    prop_assert!(action.admits(role));
                    prop_assert_eq!(next.stage.is_some(), next.state == S::Submitted);
                    at = next;
                }
            }
        }
    }
}
