//! The eight states of a milestone record and the seven workflow actions (§3.4, §3.7).

/// The state of a milestone record. Stored as its wire name (`crate::queries::columns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum MilestoneState {
    /// Being prepared by the enterprise; editable.
    Draft,
    /// Awaiting review at a stage of its chain (§3.7).
    Submitted,
    /// Sent back by the city with a reason; editable, may be submitted again.
    Returned,
    /// Approved at the last stage, in 公示 until its period ends (§3.7); does not count yet.
    Publicised,
    /// Approved (at the last stage, or at the end of its 公示); counts in the statistics while
    /// in force.
    Approved,
    /// Refused by the city; terminal.
    Rejected,
    /// Taken back by the enterprise while submitted or publicised; terminal.
    Withdrawn,
    /// An approval revoked by the province; terminal.
    Revoked,
}

impl MilestoneState {
    /// Every state, in workflow order.
    pub const ALL: [MilestoneState; 8] = [
        MilestoneState::Draft,
        MilestoneState::Submitted,
        MilestoneState::Returned,
        MilestoneState::Publicised,
        MilestoneState::Approved,
        MilestoneState::Rejected,
        MilestoneState::Withdrawn,
        MilestoneState::Revoked,
    ];

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "draft" => Ok(Self::Draft),
            "submitted" => Ok(Self::Submitted),
            "returned" => Ok(Self::Returned),
            "publicised" => Ok(Self::Publicised),
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            "withdrawn" => Ok(Self::Withdrawn),
            "revoked" => Ok(Self::Revoked),
            _ => Err("is not a milestone state (draft, submitted, returned, publicised, approved, rejected, withdrawn, revoked)"
                .to_string()),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Publicised => "publicised",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Revoked => "revoked",
        }
    }

    /// Whether a record in this state is "live" for the multiplicity rule of §3.3: draft,
    /// submitted, returned, publicised or approved.
    ///
    /// This looks at the state only. §3.3 counts an approved record as live only while it is
    /// *in force*; a revoked one has left `approved`, but one that has lapsed
    /// ([`super::has_lapsed`]) or been replaced within its exclusive group is still `approved`
    /// and must be filtered out by the caller, who knows the dates.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted | Self::Returned | Self::Publicised | Self::Approved)
    }

    /// Whether the enterprise may still edit the record (draft or returned).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// The states [`is_live`](Self::is_live) holds for, as a query filters them.
    pub const OPEN_OR_APPROVED: [MilestoneState; 5] = [
        MilestoneState::Draft,
        MilestoneState::Submitted,
        MilestoneState::Returned,
        MilestoneState::Publicised,
        MilestoneState::Approved,
    ];

    /// Whether officials may see a record in this state: everything but the enterprise's own
    /// unsent drafts.
    pub fn is_visible_to_officials(self) -> bool {
        self != Self::Draft
    }

    /// Whether no action leaves this state (rejected, withdrawn, revoked).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Rejected | Self::Withdrawn | Self::Revoked)
    }
}

impl std::fmt::Display for MilestoneState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A workflow action, named by the last word of its path (`POST /milestones/{id}/submit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The enterprise sends a draft or returned record for review.
    Submit,
    /// The enterprise takes a submitted or publicised record back.
    Withdraw,
    /// The reviewer of the record's stage approves it: recommends it to the next stage, or ends
    /// the review (approved, or publicised for 公示).
    Approve,
    /// The reviewer of the record's stage refuses it, with a comment.
    Reject,
    /// The reviewer of the record's stage sends it back for changes, with a comment.
    Return,
    /// The province revokes an approval, with a reason and an effective date.
    Revoke,
    /// The province records an objection during 公示, with a comment: back to the last stage.
    Object,
}

impl Action {
    /// Every action, in workflow order.
    pub const ALL: [Action; 7] = [
        Action::Submit,
        Action::Withdraw,
        Action::Approve,
        Action::Reject,
        Action::Return,
        Action::Revoke,
        Action::Object,
    ];

    /// Parses the path word.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "submit" => Ok(Self::Submit),
            "withdraw" => Ok(Self::Withdraw),
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject),
            "return" => Ok(Self::Return),
            "revoke" => Ok(Self::Revoke),
            "object" => Ok(Self::Object),
            _ => {
                Err("is not a milestone action (submit, withdraw, approve, reject, return, revoke, object)".to_string())
            }
        }
    }

    /// The path word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Withdraw => "withdraw",
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Return => "return",
            Self::Revoke => "revoke",
            Self::Object => "object",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_round_trip() {
        for s in MilestoneState::ALL {
            assert_eq!(MilestoneState::parse(s.as_str()).unwrap(), s);
            assert_eq!(s.to_string(), s.as_str());
        }
        assert!(MilestoneState::parse("Draft").is_err());
        assert!(MilestoneState::parse("").is_err());
        assert!(MilestoneState::parse(" draft").is_err());
    }

    #[test]
    fn action_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()).unwrap(), a);
            assert_eq!(a.to_string(), a.as_str());
        }
        assert!(Action::parse("returned").is_err());
        assert!(Action::parse("edit").is_err());
        assert!(Action::parse("SUBMIT").is_err());
    }

    #[test]
    fn live_states() {
        use MilestoneState::*;
        let live: Vec<_> = MilestoneState::ALL.into_iter().filter(|s| s.is_live()).collect();
        assert_eq!(live, [Draft, Submitted, Returned, Publicised, Approved]);
    }

    #[test]
    fn editable_states() {
        use MilestoneState::*;
        let editable: Vec<_> = MilestoneState::ALL.into_iter().filter(|s| s.is_editable()).collect();
        assert_eq!(editable, [Draft, Returned]);
    }

    #[test]
    fn terminal_states_are_neither_live_nor_editable() {
        use MilestoneState::*;
        let terminal: Vec<_> = MilestoneState::ALL.into_iter().filter(|s| s.is_terminal()).collect();
        assert_eq!(terminal, [Rejected, Withdrawn, Revoked]);
        for s in terminal {
            assert!(!s.is_live() && !s.is_editable());
        }
    }
}
