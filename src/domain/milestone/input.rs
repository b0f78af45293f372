//! What a transition's body `{comment?, effective_on?, document_no?, batch?, priority?}` must
//! carry, per action (§3.4, §3.7), and its checks.

use chrono::NaiveDate;

use super::state::Action;
use crate::error::FieldError;

/// Longest accepted comment, in characters (Unicode scalar values, not bytes: a Chinese
/// character counts one).
pub const COMMENT_MAX_CHARS: usize = 1000;

/// Longest accepted 文号 or batch, in characters.
pub const DOCUMENT_MAX_CHARS: usize = 100;

/// Highest accepted recommendation priority (1 = first).
pub const PRIORITY_MAX: i64 = 100_000;

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

/// What an action's body must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Requirements {
    /// The comment (a reviewer's reason, an enterprise's note).
    pub comment: Need,
    /// The effective date (a revocation's, or a final approval's correction of the record's).
    pub effective_on: Need,
    /// The 文号 and batch (a final approval's).
    pub document: Need,
    /// The priority of a recommendation to the next stage.
    pub priority: Need,
}

/// What each action must carry: reject, return and object need a comment; revoke needs a
/// comment (the reason) and an `effective_on`; the approval that ends the review
/// (`ends_review`) may correct `effective_on` and set `document_no` and `batch`, a
/// recommendation none of them but a `priority`; submit and withdraw take an optional comment.
/// Every action accepts a comment.
pub fn requirements(action: Action, ends_review: bool) -> Requirements {
    use Need::*;
    let (comment, effective_on, document, priority) = match action {
        Action::Submit | Action::Withdraw => (Optional, NotAccepted, NotAccepted, NotAccepted),
        Action::Approve if ends_review => (Optional, Optional, Optional, NotAccepted),
        Action::Approve => (Optional, NotAccepted, NotAccepted, Optional),
        Action::Reject | Action::Return | Action::Object => (Required, NotAccepted, NotAccepted, NotAccepted),
        Action::Revoke => (Required, Required, NotAccepted, NotAccepted),
    };
    Requirements { comment, effective_on, document, priority }
}

/// One wrong field of a transition's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The body field: `comment`, `effective_on`, `document_no`, `batch` or `priority`.
    pub field: &'static str,
    /// Stable code of the failed rule: `required`, `too_long`, `invalid_characters`,
    /// `in_future`, `invalid_value` or `not_accepted`.
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

/// Trims a comment (or 文号, batch); a missing or blank one is `None`. This is the form to store.
pub fn clean_comment(comment: Option<&str>) -> Option<String> {
    comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string)
}

/// A transition's body, parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Body<'a> {
    /// The comment.
    pub comment: Option<&'a str>,
    /// The date.
    pub effective_on: Option<NaiveDate>,
    /// The 文号.
    pub document_no: Option<&'a str>,
    /// The batch (批次).
    pub batch: Option<&'a str>,
    /// The recommendation's priority.
    pub priority: Option<i64>,
}

/// Checks `body` of `action` (`ends_review`: an approval at the chain's last stage) against
/// [`requirements`], with `today` the current date in Asia/Shanghai. All wrong fields are
/// reported, `comment` first (→ 422).
///
/// - A comment is measured after trimming (as [`clean_comment`] stores it): at most
///   [`COMMENT_MAX_CHARS`] characters, and no control characters other than line breaks and
///   tabs. A required comment must not be blank.
/// - `effective_on`, where accepted, must not be after `today`; where not accepted, absent.
/// - `document_no` and `batch`, where accepted, 1 to [`DOCUMENT_MAX_CHARS`] characters on one
///   line; where not accepted, absent.
/// - `priority`, where accepted (a recommendation), 1 to [`PRIORITY_MAX`]; elsewhere absent.
pub fn validate_transition_input(
    action: Action,
    ends_review: bool,
    body: &Body<'_>,
    today: NaiveDate,
) -> Result<(), Vec<InputError>> {
    let need = requirements(action, ends_review);
    let mut errors = Vec::new();
    check_comment(action, need.comment, body.comment, &mut errors);
    match (need.effective_on, body.effective_on) {
        (Need::Required, None) => errors.push(InputError::new(
            "effective_on",
            "required",
            format!("an effective date is required to {action} a milestone"),
        )),
        (Need::NotAccepted, Some(_)) => errors.push(not_accepted("effective_on", action)),
        (_, Some(d)) if d > today => errors.push(InputError::new(
            "effective_on",
            "in_future",
            format!("{d} is in the future (today is {today})"),
        )),
        _ => {}
    }
    for (field, value) in [("document_no", body.document_no), ("batch", body.batch)] {
        match (need.document, value) {
            (Need::NotAccepted, Some(_)) => errors.push(not_accepted(field, action)),
            (_, Some(v)) if !one_line(v) => errors.push(InputError::new(
                field,
                "invalid_value",
                format!("must be 1 to {DOCUMENT_MAX_CHARS} characters on one line"),
            )),
            _ => {}
        }
    }
    match (need.priority, body.priority) {
        (Need::NotAccepted, Some(_)) => errors.push(not_accepted("priority", action)),
        (_, Some(v)) if !(1..=PRIORITY_MAX).contains(&v) => errors.push(InputError::new(
            "priority",
            "invalid_value",
            format!("must be an integer from 1 to {PRIORITY_MAX}"),
        )),
        _ => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_comment(action: Action, need: Need, comment: Option<&str>, errors: &mut Vec<InputError>) {
    match comment.map(str::trim).filter(|c| !c.is_empty()) {
        None if need == Need::Required => errors.push(InputError::new(
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
}

fn not_accepted(field: &'static str, action: Action) -> InputError {
    let message = match (action, field) {
        (_, "priority") => "only a recommendation to the next stage may carry a priority".to_string(),
        (Action::Approve, _) => "only the approval that ends the review may set it".to_string(),
        (_, "effective_on") => format!("an effective date cannot be given to {action} a milestone"),
        _ => format!("cannot be given to {action} a milestone"),
    };
    InputError::new(field, "not_accepted", message)
}

/// Whether a 文号 or batch is 1 to [`DOCUMENT_MAX_CHARS`] characters on one line (after trimming).
pub fn one_line(v: &str) -> bool {
    let v = v.trim();
    let n = v.chars().count();
    (1..=DOCUMENT_MAX_CHARS).contains(&n) && !v.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn run(
        action: Action,
        comment: Option<&str>,
        effective_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(), Vec<InputError>> {
        validate_transition_input(action, true, &Body { comment, effective_on, ..Body::default() }, today)
    }

    fn codes(r: Result<(), Vec<InputError>>) -> Vec<(&'static str, &'static str)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn requirements_per_action() {
        use Need::*;
        let table = [
            (Action::Submit, true, Optional, NotAccepted, NotAccepted, NotAccepted),
            (Action::Withdraw, true, Optional, NotAccepted, NotAccepted, NotAccepted),
            (Action::Approve, true, Optional, Optional, Optional, NotAccepted),
            (Action::Approve, false, Optional, NotAccepted, NotAccepted, Optional),
            (Action::Reject, true, Required, NotAccepted, NotAccepted, NotAccepted),
            (Action::Return, true, Required, NotAccepted, NotAccepted, NotAccepted),
            (Action::Revoke, true, Required, Required, NotAccepted, NotAccepted),
            (Action::Object, true, Required, NotAccepted, NotAccepted, NotAccepted),
        ];
        for (action, ends, comment, effective_on, document, priority) in table {
            let expected = Requirements { comment, effective_on, document, priority };
            assert_eq!(requirements(action, ends), expected, "{action}");
        }
    }

    #[test]
    fn reject_return_and_object_need_a_non_blank_comment() {
        let today = d(2024, 6, 30);
        for action in [Action::Reject, Action::Return, Action::Object] {
            let want = vec![("comment", "required")];
            assert_eq!(codes(run(action, None, None, today)), want);
            assert_eq!(codes(run(action, Some(" \n\t "), None, today)), want);
            assert!(run(action, Some("材料不全"), None, today).is_ok());
        }
    }

    #[test]
    fn revoke_needs_a_comment_and_a_date_not_in_the_future() {
        let today = d(2024, 6, 30);
        assert_eq!(
            codes(run(Action::Revoke, None, None, today)),
            vec![("comment", "required"), ("effective_on", "required")]
        );
        assert_eq!(
            codes(run(Action::Revoke, Some("reason"), Some(d(2024, 7, 1)), today)),
            vec![("effective_on", "in_future")]
        );
        assert!(run(Action::Revoke, Some("reason"), Some(today), today).is_ok());
    }

    #[test]
    fn the_final_approval_may_correct_the_date_and_set_the_document() {
        let today = d(2024, 6, 30);
        assert!(run(Action::Approve, None, None, today).is_ok());
        assert!(run(Action::Approve, None, Some(d(2023, 1, 1)), today).is_ok());
        assert_eq!(codes(run(Action::Approve, None, Some(d(2024, 7, 1)), today)), vec![("effective_on", "in_future")]);
        let doc = Body {
            document_no: Some("浙经信技术〔2024〕88号"), batch: Some("2024年第一批"), ..Body::default()
        };
        assert!(validate_transition_input(Action::Approve, true, &doc, today).is_ok());
        assert_eq!(
            codes(validate_transition_input(Action::Approve, false, &doc, today)),
            vec![("document_no", "not_accepted"), ("batch", "not_accepted")]
        );
        let bad = Body { document_no: Some(" "), batch: Some("a\nb"), ..Body::default() };
        assert_eq!(
            codes(validate_transition_input(Action::Approve, true, &bad, today)),
            vec![("document_no", "invalid_value"), ("batch", "invalid_value")]
        );
        let recommend = Body { effective_on: Some(d(2023, 1, 1)), ..Body::default() };
        assert_eq!(
            codes(validate_transition_input(Action::Approve, false, &recommend, today)),
            vec![("effective_on", "not_accepted")]
        );
    }

    #[test]
    fn only_a_recommendation_carries_a_priority() {
        let today = d(2024, 6, 30);
        let with = |priority| Body { priority: Some(priority), ..Body::default() };
        assert!(validate_transition_input(Action::Approve, false, &with(1), today).is_ok());
        assert!(validate_transition_input(Action::Approve, false, &with(PRIORITY_MAX), today).is_ok());
        for bad in [0, -1, PRIORITY_MAX + 1] {
            let r = validate_transition_input(Action::Approve, false, &with(bad), today);
            assert_eq!(codes(r), vec![("priority", "invalid_value")], "{bad}");
        }
        assert_eq!(
            codes(validate_transition_input(Action::Approve, true, &with(1), today)),
            vec![("priority", "not_accepted")]
        );
        let rejected = Body { comment: Some("no"), priority: Some(1), ..Body::default() };
        assert_eq!(
            codes(validate_transition_input(Action::Reject, true, &rejected, today)),
            vec![("priority", "not_accepted")]
        );
    }

    #[test]
    fn submit_and_withdraw_take_an_optional_comment_and_no_date() {
        let today = d(2024, 6, 30);
        for action in [Action::Submit, Action::Withdraw] {
            assert!(run(action, None, None, today).is_ok());
            assert!(run(action, Some(""), None, today).is_ok());
            assert!(run(action, Some("note"), None, today).is_ok());
            assert_eq!(codes(run(action, None, Some(d(2024, 1, 1)), today)), vec![("effective_on", "not_accepted")]);
        }
        for action in [Action::Reject, Action::Return, Action::Object] {
            assert_eq!(
                codes(run(action, Some("why"), Some(d(2024, 1, 1)), today)),
                vec![("effective_on", "not_accepted")]
            );
        }
    }

    #[test]
    fn comments_are_at_most_1000_characters_not_bytes() {
        let today = d(2024, 6, 30);
        let ok = "审".repeat(COMMENT_MAX_CHARS);
        assert!(run(Action::Reject, Some(&ok), None, today).is_ok());
        let padded = format!("  {ok}\n");
        assert!(run(Action::Reject, Some(&padded), None, today).is_ok());
        let long = "审".repeat(COMMENT_MAX_CHARS + 1);
        for action in Action::ALL {
            assert!(codes(run(action, Some(&long), None, today)).contains(&("comment", "too_long")), "{action}");
        }
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_not() {
        let today = d(2024, 6, 30);
        assert!(run(Action::Reject, Some("a\r\nb\tc"), None, today).is_ok());
        assert_eq!(codes(run(Action::Reject, Some("a\0b"), None, today)), vec![("comment", "invalid_characters")]);
    }

    #[test]
    fn input_errors_become_field_errors_and_comments_are_cleaned() {
        let f = FieldError::from(InputError::new("comment", "required", "x"));
        assert_eq!(f, FieldError::new("comment", "required", "x"));
        assert_eq!(clean_comment(None), None);
        assert_eq!(clean_comment(Some("  \n")), None);
        assert_eq!(clean_comment(Some(" 退回 ")), Some("退回".to_string()));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (-100_000i32..100_000)
            .prop_map(|n| d(2000, 1, 1).checked_add_signed(chrono::Duration::days(i64::from(n))).unwrap())
    }

    proptest! {
        #[test]
        fn input_validation_never_panics_and_is_consistent(
            action in proptest::sample::select(Action::ALL.to_vec()),
            ends_review in any::<bool>(),
            comment in proptest::option::of(".{0,1100}"),
            effective_on in proptest::option::of(any_date()),
            document_no in proptest::option::of(".{0,120}"),
            today in any_date(),
        ) {
            let body = Body {
                comment: comment.as_deref(), effective_on, document_no: document_no.as_deref(), ..Body::default()
            };
            let r = validate_transition_input(action, ends_review, &body, today);
            let errs = r.clone().err().unwrap_or_default();
            let cleaned = clean_comment(comment.as_deref());
            let too_long = cleaned.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS);
            prop_assert_eq!(errs.iter().any(|e| e.code == "too_long"), too_long);
            let need = requirements(action, ends_review);
            if need.comment == Need::Required && cleaned.is_none() {
                prop_assert!(errs.iter().any(|e| e.field == "comment" && e.code == "required"));
            }
            if need.document == Need::NotAccepted && document_no.is_some() {
                prop_assert!(errs.iter().any(|e| e.field == "document_no" && e.code == "not_accepted"));
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
