//! The checks a transition passes before it changes anything, in the order DECISIONS gives:
//! role (403), `If-Match` (412), state (409 `invalid_transition`), input (422). Scope (404) is
//! settled by loading the record through `auth::scope`.

use chrono::NaiveDate;

use crate::auth::Principal;
use crate::conditional::IfMatch;
use crate::domain::milestone::{clean_comment, validate_transition_input, Body};
use crate::domain::{transition, Action, MilestoneState, Position, Review, TransitionError};
use crate::error::{AppError, FieldError};
use crate::milestones::input::parse_effective_on;
use crate::queries::milestones::MilestoneRow;

use super::TransitionInput;

/// 409 `invalid_transition`, naming the record's state.
pub fn conflict_in(state: MilestoneState) -> AppError {
    AppError::conflict("invalid_transition", format!("the milestone is {state}; this action does not apply"))
        .with("state", state.as_str())
}

/// Where `action` by `p` leads `m`, reviewed under `review`: 403 for a role that may not take
/// it, then 412 for a stale `If-Match`, then 409 when the state does not allow it, then 403 when
/// the caller does not review at the record's stage.
pub fn authorise(
    m: &MilestoneRow,
    review: &Review,
    action: Action,
    p: &Principal,
    if_match: IfMatch,
) -> Result<Position, AppError> {
    let at = Position { state: m.state, stage: m.stage };
    match transition(at, review, action, p.role) {
        Ok(next) => {
            if_match.check(m.version)?;
            Ok(next)
        }
        Err(e @ TransitionError::WrongRole { .. }) => Err(AppError::forbidden("forbidden_role", e.to_string())),
        Err(e @ TransitionError::WrongStage { .. }) => {
            if_match.check(m.version)?;
            Err(AppError::forbidden("forbidden_role", e.to_string()).with("stage", at_stage(m)))
        }
        Err(TransitionError::IllegalState { .. }) => {
            if_match.check(m.version)?;
            Err(conflict_in(m.state))
        }
    }
}

fn at_stage(m: &MilestoneRow) -> &'static str {
    m.stage.map_or("", |s| s.as_str())
}

/// A transition's input, checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The comment, trimmed (`None` when blank).
    pub comment: Option<String>,
    /// The date given (approval correction, revocation date).
    pub effective_on: Option<NaiveDate>,
    /// The 文号 (final approvals), trimmed.
    pub document_no: Option<String>,
    /// The batch (final approvals), trimmed.
    pub batch: Option<String>,
    /// The priority (recommendations).
    pub priority: Option<i32>,
}

/// 422 naming every wrong field of `input` for `action` on `m` (`ends_review`: an approval at
/// the last stage).
pub fn validate(
    action: Action,
    ends_review: bool,
    input: &TransitionInput,
    m: &MilestoneRow,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let effective_on = match &input.effective_on {
        Some(s) => parse_effective_on(s, today, "effective_on").map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    let body = Body {
        comment: input.comment.as_deref(),
        effective_on,
        document_no: input.document_no.as_deref(),
        batch: input.batch.as_deref(),
        priority: input.priority,
    };
    if let Err(list) = validate_transition_input(action, ends_review, &body, today) {
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
    Ok(Checked {
        comment: clean_comment(input.comment.as_deref()),
        effective_on,
        document_no: clean_comment(input.document_no.as_deref()),
        batch: clean_comment(input.batch.as_deref()),
        // Checked above to lie within 1..=PRIORITY_MAX.
        priority: input.priority.and_then(|v| i32::try_from(v).ok()),
    })
}
