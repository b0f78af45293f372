//! The checks a transition passes before it changes anything, in the order DECISIONS gives:
//! role (403), `If-Match` (412), state (409 `invalid_transition`), input (422). Scope (404) is
//! settled by loading the record through `auth::scope`.

use chrono::NaiveDate;

use crate::auth::Principal;
use crate::conditional::IfMatch;
use crate::domain::milestone::{clean_comment, validate_transition_input};
use crate::domain::{transition, Action, MilestoneState, TransitionError};
use crate::error::{AppError, FieldError};
use crate::milestones::input::parse_effective_on;
use crate::queries::milestones::MilestoneRow;

use super::TransitionInput;

/// 409 `invalid_transition`, naming the record's state.
pub fn conflict_in(state: MilestoneState) -> AppError {
    AppError::conflict("invalid_transition", format!("the milestone is {state}; this action does not apply"))
        .with("state", state.as_str())
}

/// The state `action` by `p` leads `m` to: 403 for a role that may not take it, then 412 for a
/// stale `If-Match`, then 409 when the state does not allow it.
pub fn authorise(
    m: &MilestoneRow,
    action: Action,
    p: &Principal,
    if_match: IfMatch,
) -> Result<MilestoneState, AppError> {
    match transition(m.state, action, p.role) {
        Ok(next) => {
            if_match.check(m.version)?;
            Ok(next)
        }
        Err(e @ TransitionError::WrongRole { .. }) => Err(AppError::forbidden("forbidden_role", e.to_string())),
        Err(TransitionError::IllegalState { .. }) => {
            if_match.check(m.version)?;
            Err(conflict_in(m.state))
        }
    }
}

/// A transition's input, checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The comment, trimmed (`None` when blank).
    pub comment: Option<String>,
    /// The date given (approval correction, revocation date).
    pub effective_on: Option<NaiveDate>,
}

/// 422 naming every wrong field of `input` for `action` on `m`.
pub fn validate(
    action: Action,
    input: &TransitionInput,
    m: &MilestoneRow,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let effective_on = match &input.effective_on {
        Some(s) => parse_effective_on(s, today, "effective_on").map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    if let Err(list) = validate_transition_input(action, input.comment.as_deref(), effective_on, today) {
        errors.extend(list.into_iter().map(FieldError::from));
    }
    if action == Action::Revoke && effective_on.is_some_and(|d| d < m.effective_on) {
        errors.push(FieldError::new(
            "effective_on",
            "before_milestone",
            "must not be before the milestone took effect",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    Ok(Checked { comment: clean_comment(input.comment.as_deref()), effective_on })
}
