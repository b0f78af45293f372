//! The review workflow of §3.4: which role may apply which action to a record in which state,
//! and what each action must carry.
//!
//! ```text
//! draft ─submit─▶ submitted ─approve─▶ approved ─revoke (province)─▶ revoked
//!                  │ │ │
//!                  │ │ └─reject─▶ rejected
//!                  │ └─withdraw (enterprise)─▶ withdrawn
//!                  └─return (with reason)─▶ returned ─(edit, then) submit─▶ submitted
//! ```

use chrono::NaiveDate;

use super::state::{Action, MilestoneState};
use crate::domain::Role;
use crate::error::FieldError;

/// Longest accepted comment, in characters (Unicode scalar values, not bytes: a Chinese
/// character counts one).
pub const COMMENT_MAX_CHARS: usize = 1000;

impl Action {
    /// The one role that may take this action (§1, §3.4).
    pub fn role(self) -> Role {
        match self {
            Self::Submit | Self::Withdraw => Role::Enterprise,
            Self::Approve | Self::Reject | Self::Return => Role::CityReviewer,
            Self::Revoke => Role::ProvinceOfficer,
        }
    }

    /// The states a record may be in for this action.
    pub fn sources(self) -> &'static [MilestoneState] {
        use MilestoneState as S;
        match self {
            Self::Submit => &[S::Draft, S::Returned],
            Self::Withdraw | Self::Approve | Self::Reject | Self::Return => &[S::Submitted],
            Self::Revoke => &[S::Approved],
        }
    }

    /// The state a record is in after this action.
    pub fn target(self) -> MilestoneState {
        match self {
            Self::Submit => MilestoneState::Submitted,
            Self::Withdraw => MilestoneState::Withdrawn,
            Self::Approve => MilestoneState::Approved,
            Self::Reject => MilestoneState::Rejected,
            Self::Return => MilestoneState::Returned,
            Self::Revoke => MilestoneState::Revoked,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The caller's role may never take this action (→ 403).
    #[error("the {role} role may not {action} a milestone; only {} may", .action.role())]
    WrongRole {
        /// The action attempted.
        action: Action,
        /// The caller's role.
        role: Role,
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
    }
}

/// Applies `action`, taken by a caller with `role`, to a record in `state`, and gives the new
/// state.
///
/// The allowed edges are exactly those of §3.4:
///
/// | action | role | from | to |
/// |---|---|---|---|
/// | submit | enterprise | draft, returned | submitted |
/// | withdraw | enterprise | submitted | withdrawn |
/// | approve | city_reviewer | submitted | approved |
/// | reject | city_reviewer | submitted | rejected |
/// | return | city_reviewer | submitted | returned |
/// | revoke | province_officer | approved | revoked |
///
/// When both the role and the state are wrong, [`TransitionError::WrongRole`] wins: the role
/// is a fact about the caller, fixed whatever the record does, so a caller who may never take
/// the action gets the same 403 every time and learns nothing about the record's state. The
/// handlers check scope (own enterprise, own city → otherwise 404) before calling this.
pub fn transition(state: MilestoneState, action: Action, role: Role) -> Result<MilestoneState, TransitionError> {
    if role != action.role() {
        return Err(TransitionError::WrongRole { action, role });
    }
    if !action.sources().contains(&state) {
        return Err(TransitionError::IllegalState { action, state });
    }
    Ok(action.target())
}

/// Whether an action takes a field of its request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// Must be present (and, for a comment, not blank).
    Required,
    /// May be present.
    Optional,
    /// Must be absent: the action has no use for it, and silently dropping it would hide a
    /// client's mistake.
    NotAccepted,
}

/// What an action's body `{comment?, effective_on?}` must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Requirements {
    /// The comment (a reviewer's reason, an enterprise's note).
    pub comment: Need,
    /// The effective date (a revocation's, or an approval's correction of the record's).
    pub effective_on: Need,
}

/// What each action must carry (§3.4): reject and return need a comment; revoke needs a
/// comment (the reason) and an `effective_on`; approve may correct `effective_on`; submit and
/// withdraw take an optional comment. Every action accepts a comment.
pub fn requirements(action: Action) -> Requirements {
    use Need::*;
    let (comment, effective_on) = match action {
        Action::Submit | Action::Withdraw => (Optional, NotAccepted),
        Action::Approve => (Optional, Optional),
        Action::Reject | Action::Return => (Required, NotAccepted),
        Action::Revoke => (Required, Required),
    };
    Requirements { comment, effective_on }
}

/// One wrong field of a transition's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The body field: `comment` or `effective_on`.
    pub field: &'static str,
    /// Stable code of the failed rule: `required`, `too_long`, `invalid_characters`,
    /// `in_future` or `not_accepted`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl InputError {
    fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self { field, code, message: message.into() }
    }
}

impl From<InputError> for FieldError {
    fn from(e: InputError) -> Self {
        FieldError::new(e.field, e.code, e.message)
    }
}

/// Trims a comment; a missing or blank one is `None`. This is the form to store.
pub fn clean_comment(comment: Option<&str>) -> Option<String> {
    comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string)
}

/// Checks the body of `action` against [`requirements`], with `today` the current date in
/// Asia/Shanghai. All wrong fields are reported, `comment` first (→ 422).
///
/// - A comment is measured after trimming (as [`clean_comment`] stores it): at most
///   [`COMMENT_MAX_CHARS`] characters, and no control characters other than line breaks and
///   tabs (PostgreSQL cannot store NUL, and the others only garble the history view). A
///   required comment must not be blank.
/// - `effective_on`, where accepted, must not be after `today` (§3.4: a milestone's date is
///   never in the future); where not accepted, it must be absent.
///
/// Whether a revocation's date is on or after the record's own `effective_on` depends on the
/// record, so the handler checks it.
pub fn validate_transition_input(
    action: Action,
    comment: Option<&str>,
    effective_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Vec<InputError>> {
    let need = requirements(action);
    let mut errors = Vec::new();

    match comment.map(str::trim).filter(|c| !c.is_empty()) {
        None if need.comment == Need::Required => errors.push(InputError::new(
            "comment",
            "required",
            format!("a comment is required to {action} a milestone"),
        )),
        None => {}
        Some(c) => {
            let chars = c.chars().count();
            if chars > COMMENT_MAX_CHARS {
                errors.push(InputError::new(
                    "comment",
                    "too_long",
                    format!("at most {COMMENT_MAX_CHARS} characters (got {chars})"),
                ));
            }
            if c.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) {
                errors.push(InputError::new(
                    "comment",
                    "invalid_characters",
                    "control characters other than line breaks and tabs are not allowed",
                ));
            }
        }
    }

    match (need.effective_on, effective_on) {
        (Need::Required, None) => errors.push(InputError::new(
            "effective_on",
            "required",
            format!("an effective date is required to {action} a milestone"),
        )),
        (Need::NotAccepted, Some(_)) => errors.push(InputError::new(
            "effective_on",
            "not_accepted",
            format!("an effective date cannot be given to {action} a milestone"),
        )),
        (_, Some(d)) if d > today => errors.push(InputError::new(
            "effective_on",
            "in_future",
            format!("{d} is in the future (today is {today})"),
        )),
        _ => {}
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use MilestoneState as S;

    /// The seven edges of §3.4, written out independently of `Action::{role,sources,target}`.
    const EDGES: [(S, Action, Role, S); 7] = [
        (S::Draft, Action::Submit, Role::Enterprise, S::Submitted),
        (S::Returned, Action::Submit, Role::Enterprise, S::Submitted),
        (S::Submitted, Action::Withdraw, Role::Enterprise, S::Withdrawn),
        (S::Submitted, Action::Approve, Role::CityReviewer, S::Approved),
        (S::Submitted, Action::Reject, Role::CityReviewer, S::Rejected),
        (S::Submitted, Action::Return, Role::CityReviewer, S::Returned),
        (S::Approved, Action::Revoke, Role::ProvinceOfficer, S::Revoked),
    ];

    fn expected(state: S, action: Action, role: Role) -> Option<S> {
        EDGES.iter().find(|(s, a, r, _)| (*s, *a, *r) == (state, action, role)).map(|e| e.3)
    }

    /// The role the table lets take `action` from some state.
    fn table_role(action: Action) -> Role {
        let roles: Vec<Role> = EDGES.iter().filter(|e| e.1 == action).map(|e| e.2).collect();
        assert!(!roles.is_empty() && roles.iter().all(|r| *r == roles[0]));
        roles[0]
    }

    /// The full check of one triple, shared by the exhaustive loop and the proptest.
    fn check(state: S, action: Action, role: Role) {
        let got = transition(state, action, role);
        match expected(state, action, role) {
            Some(to) => assert_eq!(got, Ok(to), "{state} -{action}/{role}->"),
            None if role != table_role(action) => {
                assert_eq!(got, Err(TransitionError::WrongRole { action, role }))
            }
            None => assert_eq!(got, Err(TransitionError::IllegalState { action, state })),
        }
        if state.is_terminal() {
            assert!(got.is_err(), "left terminal state {state}");
        }
        if got.is_ok() {
            assert!(
                matches!(
                    (action, role),
                    (Action::Submit | Action::Withdraw, Role::Enterprise)
                        | (Action::Approve | Action::Reject | Action::Return, Role::CityReviewer)
                        | (Action::Revoke, Role::ProvinceOfficer)
                ),
                "{role} succeeded at {action}"
            );
            assert_ne!(role, Role::Sysadmin);
            assert_ne!(role, Role::Auditor);
        }
    }

    #[test]
    fn every_triple_matches_the_table() {
        let mut allowed = 0;
        let mut triples = 0;
        for state in S::ALL {
            for action in Action::ALL {
                for role in Role::ALL {
                    check(state, action, role);
                    triples += 1;
                    allowed += usize::from(transition(state, action, role).is_ok());
                }
            }
        }
        assert_eq!(triples, 7 * 6 * 6);
        assert_eq!(allowed, EDGES.len());
    }

    #[test]
    fn the_seven_edges() {
        for (from, action, role, to) in EDGES {
            assert_eq!(transition(from, action, role), Ok(to));
        }
    }

    #[test]
    fn wrong_role_wins_over_wrong_state() {
        // An auditor revoking a draft: both wrong; the caller is told about its role.
        assert_eq!(
            transition(S::Draft, Action::Revoke, Role::Auditor),
            Err(TransitionError::WrongRole { action: Action::Revoke, role: Role::Auditor })
        );
        assert_eq!(
            transition(S::Approved, Action::Approve, Role::Enterprise),
            Err(TransitionError::WrongRole { action: Action::Approve, role: Role::Enterprise })
        );
    }

    #[test]
    fn illegal_state_names_the_current_state() {
        let e = transition(S::Approved, Action::Approve, Role::CityReviewer).unwrap_err();
        assert_eq!(e, TransitionError::IllegalState { action: Action::Approve, state: S::Approved });
        assert_eq!(e.to_string(), "a milestone that is approved cannot be approved");
        let e = transition(S::Draft, Action::Withdraw, Role::Enterprise).unwrap_err();
        assert_eq!(e.to_string(), "a milestone that is draft cannot be withdrawn");
    }

    #[test]
    fn wrong_role_message_names_the_right_role() {
        let e = transition(S::Submitted, Action::Approve, Role::ProvinceOfficer).unwrap_err();
        assert_eq!(e.to_string(), "the province_officer role may not approve a milestone; only city_reviewer may");
    }

    #[test]
    fn a_returned_record_goes_round_again() {
        let s = transition(S::Draft, Action::Submit, Role::Enterprise).unwrap();
        let s = transition(s, Action::Return, Role::CityReviewer).unwrap();
        assert!(s.is_editable());
        let s = transition(s, Action::Submit, Role::Enterprise).unwrap();
        let s = transition(s, Action::Approve, Role::CityReviewer).unwrap();
        let s = transition(s, Action::Revoke, Role::ProvinceOfficer).unwrap();
        assert_eq!(s, S::Revoked);
        assert!(!s.is_live());
    }

    #[test]
    fn requirements_per_action() {
        use Need::*;
        let table = [
            (Action::Submit, Optional, NotAccepted),
            (Action::Withdraw, Optional, NotAccepted),
            (Action::Approve, Optional, Optional),
            (Action::Reject, Required, NotAccepted),
            (Action::Return, Required, NotAccepted),
            (Action::Revoke, Required, Required),
        ];
        for (action, comment, effective_on) in table {
            assert_eq!(requirements(action), Requirements { comment, effective_on }, "{action}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(r: Result<(), Vec<InputError>>) -> Vec<(&'static str, &'static str)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn reject_and_return_need_a_non_blank_comment() {
        let today = d(2024, 6, 30);
        for action in [Action::Reject, Action::Return] {
            let want = vec![("comment", "required")];
            assert_eq!(codes(validate_transition_input(action, None, None, today)), want);
            assert_eq!(codes(validate_transition_input(action, Some(" \n\t "), None, today)), want);
            assert!(validate_transition_input(action, Some("材料不全"), None, today).is_ok());
        }
    }

    #[test]
    fn revoke_needs_a_comment_and_a_date_not_in_the_future() {
        let today = d(2024, 6, 30);
        assert_eq!(
            codes(validate_transition_input(Action::Revoke, None, None, today)),
            vec![("comment", "required"), ("effective_on", "required")]
        );
        assert_eq!(
            codes(validate_transition_input(Action::Revoke, Some("reason"), Some(d(2024, 7, 1)), today)),
            vec![("effective_on", "in_future")]
        );
        assert!(validate_transition_input(Action::Revoke, Some("reason"), Some(today), today).is_ok());
    }

    #[test]
    fn approve_may_correct_the_date_but_not_into_the_future() {
        let today = d(2024, 6, 30);
        assert!(validate_transition_input(Action::Approve, None, None, today).is_ok());
        assert!(validate_transition_input(Action::Approve, None, Some(d(2023, 1, 1)), today).is_ok());
        assert_eq!(
            codes(validate_transition_input(Action::Approve, None, Some(d(2024, 7, 1)), today)),
            vec![("effective_on", "in_future")]
        );
    }

    #[test]
    fn submit_and_withdraw_take_an_optional_comment_and_no_date() {
        let today = d(2024, 6, 30);
        for action in [Action::Submit, Action::Withdraw] {
            assert!(validate_transition_input(action, None, None, today).is_ok());
            assert!(validate_transition_input(action, Some(""), None, today).is_ok());
            assert!(validate_transition_input(action, Some("note"), None, today).is_ok());
            assert_eq!(
                codes(validate_transition_input(action, None, Some(d(2024, 1, 1)), today)),
                vec![("effective_on", "not_accepted")]
            );
        }
        for action in [Action::Reject, Action::Return] {
            assert_eq!(
                codes(validate_transition_input(action, Some("why"), Some(d(2024, 1, 1)), today)),
                vec![("effective_on", "not_accepted")]
            );
        }
    }

    #[test]
    fn comments_are_at_most_1000_characters_not_bytes() {
        let today = d(2024, 6, 30);
        let ok = "审".repeat(COMMENT_MAX_CHARS);
        assert!(validate_transition_input(Action::Reject, Some(&ok), None, today).is_ok());
        // Surrounding blanks are trimmed before counting, as they are before storing.
        let padded = format!("  {ok}\n");
        assert!(validate_transition_input(Action::Reject, Some(&padded), None, today).is_ok());
        let long = "审".repeat(COMMENT_MAX_CHARS + 1);
        for action in Action::ALL {
            let got = validate_transition_input(action, Some(&long), None, today);
            assert!(codes(got).contains(&("comment", "too_long")), "{action}");
        }
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_not() {
        let today = d(2024, 6, 30);
        assert!(validate_transition_input(Action::Reject, Some("a\r\nb\tc"), None, today).is_ok());
        assert_eq!(
            codes(validate_transition_input(Action::Reject, Some("a\0b"), None, today)),
            vec![("comment", "invalid_characters")]
        );
    }

    #[test]
    fn input_errors_become_field_errors() {
        let e = InputError::new("comment", "required", "x");
        let f = FieldError::from(e);
        assert_eq!(f, FieldError::new("comment", "required", "x"));
    }

    #[test]
    fn comments_are_cleaned_for_storage() {
        assert_eq!(clean_comment(None), None);
        assert_eq!(clean_comment(Some("  \n")), None);
        assert_eq!(clean_comment(Some(" 退回 ")), Some("退回".to_string()));
    }

    fn any_state() -> impl Strategy<Value = S> {
        proptest::sample::select(S::ALL.to_vec())
    }

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (-100_000i32..100_000)
            .prop_map(|n| d(2000, 1, 1).checked_add_signed(chrono::Duration::days(i64::from(n))).unwrap())
    }

    proptest! {
        #[test]
        fn transitions_follow_the_table(state in any_state(), action in any_action(), role in any_role()) {
            check(state, action, role);
        }

        #[test]
        fn walks_never_leave_a_terminal_state(
            steps in proptest::collection::vec((any_action(), any_role()), 0..30)
        ) {
            let mut state = S::Draft;
            for (action, role) in steps {
                let before = state;
                if let Ok(next) = transition(state, action, role) {
                    prop_assert!(!before.is_terminal());
                    prop_assert_eq!(role, action.role());
                    state = next;
                }
            }
        }

        #[test]
        fn input_validation_never_panics_and_is_consistent(
            action in any_action(),
            comment in proptest::option::of(".{0,1100}"),
            effective_on in proptest::option::of(any_date()),
            today in any_date(),
        ) {
            let r = validate_transition_input(action, comment.as_deref(), effective_on, today);
            let errs = r.clone().err().unwrap_or_default();
            let cleaned = clean_comment(comment.as_deref());
            let too_long = cleaned.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS);
            prop_assert_eq!(errs.iter().any(|e| e.code == "too_long"), too_long);
            let need = requirements(action);
            if need.comment == Need::Required && cleaned.is_none() {
                prop_assert!(errs.iter().any(|e| e.field == "comment" && e.code == "required"));
            }
            if let Some(d) = effective_on {
                if need.effective_on != Need::NotAccepted && d > today {
                    prop_assert!(errs.iter().any(|e| e.code == "in_future"));
                }
            }
            if r.is_ok() {
                prop_assert!(effective_on.is_none_or(|d| d <= today));
            }
        }
    }
}
