//! One milestone record's life, played through the real workflow: an effective date, a draft,
//! the transitions to its final state along its type's review chain (each checked by
//! [`transition`], each stage by its own reviewer) with plausible delays, 公示 in working days
//! and its finalisation, the history rows they leave, the multiplicity rule at creation time
//! ([`conflicts`]) and, for the `tier` group, the replacement of an earlier tier when a later
//! one is approved.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;

use super::generate::Generator;
use super::names;
use super::plan::{Outcome, FIRST_DAY, LAST_DAY};
use crate::domain::milestone::history_action;
use crate::domain::milestone::rules::{conflicts, has_lapsed, shares_exclusive_group};
use crate::domain::milestone::tiers::{supersession, TierRecord};
use crate::domain::{transition, Action, ExistingRecord, MilestoneState, Position, Role, Stage};
use crate::queries::milestones::{Draft, HistoryRow, MilestoneRow};

/// The enterprise whose records are being made.
#[derive(Debug)]
pub struct Firm {
    /// Enterprise id (also the stand-in creator of its records: the demo makes no account per
    /// enterprise).
    pub id: String,
    /// County code.
    pub county_code: String,
    /// City code.
    pub city_code: String,
    /// Index of the city (for its reviewer).
    pub city: usize,
    /// Place name for titles.
    pub place: String,
    /// Product word of its industry, for titles.
    pub product: &'static str,
    /// Unverified enterprises can only keep drafts.
    pub verified: bool,
    /// Records made so far, in creation order.
    pub records: Vec<MilestoneRow>,
    /// Their histories (same index), oldest first, `seq` assigned on output.
    pub history: Vec<Vec<HistoryRow>>,
}

/// What a caller asks of a new record.
#[derive(Debug, Clone, Copy)]
pub struct Want<'a> {
    /// Type code.
    pub code: &'a str,
    /// Level.
    pub level: Option<&'a str>,
    /// Earliest effective date.
    pub from: NaiveDate,
    /// Latest effective date (before the delays are taken into account).
    pub to: NaiveDate,
    /// A fixed outcome, or `None` to draw one.
    pub outcome: Option<Outcome>,
}

impl<'a> Want<'a> {
    /// A record of `code`/`level` effective any time from `from`.
    pub fn new(code: &'a str, level: Option<&'a str>, from: NaiveDate) -> Self {
        Self { code, level, from: from.max(FIRST_DAY), to: LAST_DAY, outcome: None }
    }
}

/// The actor of the service's own changes (finalisation), as the history records it.
const SYSTEM: &str = "system";

/// The first minute of `day` in Asia/Shanghai, as UTC (plus half a minute: the service's
/// periodic finalisation).
fn first_minute_utc(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) - Duration::hours(8) + Duration::seconds(30)
}

/// The calendar day of a UTC timestamp in Asia/Shanghai.
pub fn shanghai_day(t: NaiveDateTime) -> NaiveDate {
    (t + Duration::hours(8)).date()
}

fn seconds<R: Rng>(rng: &mut R, min: i64, max: i64) -> Duration {
    Duration::seconds(rng.gen_range(min..=max)) + Duration::microseconds(rng.gen_range(0..1_000_000))
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// How long after the previous step an action comes.
fn delay<R: Rng>(rng: &mut R, action: Action) -> Duration {
    match action {
        Action::Submit => seconds(rng, 600, 5 * DAY),
        Action::Return => seconds(rng, DAY, 10 * DAY),
        Action::Approve | Action::Reject => seconds(rng, DAY, 25 * DAY),
        Action::Withdraw => seconds(rng, HOUR, 5 * DAY),
        Action::Revoke => seconds(rng, 60 * DAY, 900 * DAY),
        Action::Object => seconds(rng, DAY, 5 * DAY),
    }
}

/// Who takes `action` on a record at `stage` (the stage's reviewer for a decision).
fn demo_role(action: Action, stage: Option<Stage>) -> Role {
    match action {
        Action::Submit | Action::Withdraw => Role::Enterprise,
        Action::Approve | Action::Reject | Action::Return => {
            stage.and_then(Stage::reviewer).unwrap_or(Role::CityReviewer)
        }
        Action::Revoke | Action::Object => Role::ProvinceOfficer,
    }
}

/// The actions that lead to an outcome along a chain of `stages` (revocation is added later,
/// when it fits in time; finalisation after the loop). Open and refused records stop at a
/// random stage: some records wait mid-chain, some are returned by the province.
fn path<R: Rng>(rng: &mut R, outcome: Outcome, stages: usize) -> Vec<Action> {
    use Action::*;
    let returned_once = rng.gen_bool(0.12);
    let passed = rng.gen_range(0..stages.max(1));
    let recommendations = |p: &mut Vec<Action>, n: usize| p.extend(std::iter::repeat_n(Approve, n));
    let mut p = match outcome {
        Outcome::Draft => vec![],
        _ if returned_once && outcome != Outcome::Returned && outcome != Outcome::Withdrawn => {
            vec![Submit, Return, Submit]
        }
        _ => vec![Submit],
    };
    match outcome {
        Outcome::Draft => {}
        Outcome::Approved | Outcome::Revoked | Outcome::Publicised => recommendations(&mut p, stages),
        Outcome::Rejected => {
            recommendations(&mut p, passed);
            p.push(Reject);
        }
        Outcome::Returned => {
            recommendations(&mut p, passed);
            p.push(Return);
        }
        Outcome::Withdrawn => {
            recommendations(&mut p, passed);
            p.push(Withdraw);
        }
        Outcome::Submitted => recommendations(&mut p, passed),
    }
    p
}

impl Generator<'_> {
    /// Makes one record as asked, if it fits before the end of the demo world and the
    /// multiplicity rule allows it at its creation; returns its index in `firm.records`.
    pub(super) fn record(&mut self, firm: &mut Firm, want: Want<'_>) -> Option<usize> {
        let types = self.types;
        let info = types.get(want.code)?;
        let rules = &info.rules;
        let mut outcome = want.outcome.unwrap_or_else(|| self.plan.outcome(&mut self.rng));
        if !firm.verified {
            outcome = Outcome::Draft;
        }
        // A tier is replaced rather than revoked: keeping revocations out of the group keeps
        // the replacement dates simple.
        if outcome == Outcome::Revoked && rules.exclusive_group.is_some() {
            outcome = Outcome::Approved;
        }
        let review = info.review.clone();
        // The province's programmes decide in yearly batches: at any time a good share of their
        // records is somewhere along the chain.
        if review.chain.stages().len() > 1 && outcome == Outcome::Approved && self.rng.gen_bool(0.2) {
            outcome = Outcome::Submitted;
        }
        if outcome == Outcome::Publicised && review.publicity_days == 0 {
            outcome = Outcome::Submitted;
        }
        let actions = path(&mut self.rng, outcome, review.chain.stages().len());
        let lag = seconds(&mut self.rng, HOUR, 20 * DAY);
        let delays: Vec<Duration> = actions.iter().map(|a| delay(&mut self.rng, *a)).collect();
        let total = delays.iter().fold(lag, |acc, d| acc + *d);
        // Records start at 01:00 UTC (09:00 in Zhejiang) of their effective day plus the lag, so
        // every timestamp falls on or after the effective date in either time zone.
        let latest = (self.end - total - Duration::hours(1)).date();
        let to = want.to.min(latest);
        let effective_on = if outcome == Outcome::Publicised {
            // Decided in the world's last days, so that its 公示 runs past the world's end.
            if want.from > to {
                return None;
            }
            to
        } else if outcome.is_open() {
            // Open records are recent: they would have been decided otherwise.
            let from = want.from.max(LAST_DAY - Duration::days(150));
            if from > to {
                return None;
            }
            from + Duration::days(self.rng.gen_range(0..=(to - from).num_days()))
        } else {
            self.plan.effective_on(&mut self.rng, want.code == "cloud_adoption", want.from, to)?
        };
        let created_at = effective_on.and_time(NaiveTime::MIN) + Duration::hours(1) + lag;
        if self.conflicts_at(firm, want.code, want.level, rules, created_at) {
            return None;
        }

        let id = self.ids.next(&mut self.rng);
        let content = self.content(firm, want.code, want.level, effective_on, info);
        let mut row = Draft {
            id: id.clone(),
            enterprise_id: firm.id.clone(),
            milestone_type: want.code.to_string(),
            level: want.level.map(str::to_string),
            effective_on,
            title: content.title,
            details: content.details,
            evidence: content.evidence,
            county_code: firm.county_code.clone(),
            city_code: firm.city_code.clone(),
            created_by: firm.id.clone(),
            provider_id: None,
        }
        .into_row(created_at);
        let mut history = vec![self.history(&row.id, "create", None, MilestoneState::Draft, Role::Enterprise, firm)];
        history[0].at = created_at;

        let mut state = MilestoneState::Draft;
        let mut stage = None;
        let mut at = created_at;
        let mut steps: Vec<(Action, Duration)> = actions.into_iter().zip(delays).collect();
        if outcome == Outcome::Revoked {
            steps.push((Action::Revoke, delay(&mut self.rng, Action::Revoke)));
        }
        for (action, wait) in steps {
            let when = at + wait;
            if action == Action::Revoke && when > self.end {
                // No room left for the revocation: the approval stands.
                break;
            }
            // The workflow itself decides whether the step is allowed, and who takes it.
            let role = demo_role(action, stage);
            let position = Position { state, stage };
            let next = transition(position, &review, action, role).ok()?;
            at = when;
            let comment = self.comment(action);
            let name = history_action(action, next);
            let mut entry = self.history(&row.id, name, Some(state), next.state, role, firm);
            entry.at = at;
            entry.comment = comment.clone();
            entry.stage = match action {
                Action::Approve | Action::Reject | Action::Return => stage,
                _ => next.stage,
            };
            row.comment = comment;
            match action {
                Action::Submit => {
                    row.submitted_at = Some(at);
                    row.review_chain = Some(review.chain.stored());
                    row.publicity_days = i32::try_from(review.publicity_days).ok();
                    row.recommended_on = None;
                }
                Action::Withdraw | Action::Object => {}
                Action::Approve | Action::Reject | Action::Return => {
                    row.decided_at = Some(at);
                    row.decided_by = Some(entry.actor_id.clone());
                    if action == Action::Approve && next.stage == Some(Stage::Province) && stage != next.stage {
                        row.recommended_on = Some(shanghai_day(at));
                    }
                    if next.state == MilestoneState::Approved {
                        row.approved_at = Some(at);
                    }
                    if next.state == MilestoneState::Publicised {
                        let start = shanghai_day(at);
                        row.publicity_starts_on = Some(start);
                        row.publicity_ends_on = self.plan.calendar.add_working_days(start, review.publicity_days);
                    }
                }
                Action::Revoke => {
                    let back = Duration::days(self.rng.gen_range(0..=180));
                    let on = (shanghai_day(at) - back).max(effective_on);
                    row.revoked_at = Some(at);
                    row.revoked_effective_on = Some(on);
                    row.decided_at = Some(at);
                    row.decided_by = Some(entry.actor_id.clone());
                    entry.effective_on = Some(on);
                }
            }
            history.push(entry);
            state = next.state;
            stage = next.stage;
            row.version += 1;
            row.updated_at = at;
            // 公示 ends by itself: finalised (by the service, actor `system`) in the first
            // minute after its last day, if that lies within the demo world.
            if state == MilestoneState::Publicised {
                if let Some(done) = row.publicity_ends_on.and_then(|d| d.succ_opt()).map(first_minute_utc) {
                    if done <= self.end {
                        let mut entry = self.history(
                            &row.id,
                            "finalise",
                            Some(state),
                            MilestoneState::Approved,
                            Role::Sysadmin,
                            firm,
                        );
                        entry.at = done;
                        history.push(entry);
                        state = MilestoneState::Approved;
                        at = done;
                        row.approved_at = Some(done);
                        row.version += 1;
                        row.updated_at = done;
                    }
                }
            }
        }
        row.stage = stage;
        row.state = state;
        if state == MilestoneState::Approved && rules.exclusive_group.is_some() {
            self.supersede(firm, &mut row);
        }
        firm.records.push(row);
        firm.history.push(history);
        Some(firm.records.len() - 1)
    }

    /// A history entry by the actor of `role` (the enterprise, its city's reviewer or the
    /// province officer); `at` is set by the caller.
    fn history(
        &mut self,
        milestone_id: &str,
        action: &str,
        from: Option<MilestoneState>,
        to: MilestoneState,
        role: Role,
        firm: &Firm,
    ) -> HistoryRow {
        // The finalisation's actor is the service itself, recorded as `system` (passed here as
        // the sysadmin role, which never acts in a record's history otherwise).
        let (actor_id, actor_role) = match role {
            Role::CityReviewer => (self.staff.reviewers[firm.city].clone(), role.as_str()),
            Role::CountyReviewer => {
                (self.staff.county_reviewers.get(&firm.county_code).cloned().unwrap_or_default(), role.as_str())
            }
            Role::ProvinceOfficer => (self.staff.province_officer.clone(), role.as_str()),
            Role::Sysadmin => (SYSTEM.to_string(), SYSTEM),
            _ => (firm.id.clone(), role.as_str()),
        };
        HistoryRow {
            id: self.ids.next(&mut self.rng),
            milestone_id: milestone_id.to_string(),
            seq: 0,
            action: action.to_string(),
            from_state: from,
            to_state: to,
            actor_id,
            actor_role: actor_role.to_string(),
            at: NaiveDateTime::MIN,
            comment: None,
            effective_on: None,
            stage: None,
        }
    }

    /// The comment an action carries: reasons where the API requires one, sometimes a word of
    /// approval.
    fn comment(&mut self, action: Action) -> Option<String> {
        let text = match action {
            Action::Submit => return None,
            Action::Approve => {
                if self.rng.gen_bool(0.5) {
                    "同意"
                } else {
                    return None;
                }
            }
            Action::Return => names::pick(&mut self.rng, &names::RETURN_REASONS),
            Action::Reject => names::pick(&mut self.rng, &names::REJECT_REASONS),
            Action::Revoke => names::pick(&mut self.rng, &names::REVOKE_REASONS),
            Action::Withdraw | Action::Object => {
                if self.rng.gen_bool(0.6) {
                    names::pick(&mut self.rng, &names::WITHDRAW_COMMENTS)
                } else {
                    return None;
                }
            }
        };
        Some(text.to_string())
    }

    /// Whether a new record of `code`/`level` created at `at` would break the multiplicity rule
    /// against the firm's records as they stood then (the API's 409).
    fn conflicts_at(
        &self,
        firm: &Firm,
        code: &str,
        level: Option<&str>,
        rules: &crate::domain::TypeRules,
        at: NaiveDateTime,
    ) -> bool {
        let day = shanghai_day(at);
        let live: Vec<ExistingRecord> = firm
            .records
            .iter()
            .zip(&firm.history)
            .filter(|(r, _)| r.milestone_type == code)
            .filter_map(|(r, h)| {
                let last = h.iter().take_while(|e| e.at <= at).last()?;
                let state = last.to_state;
                let replaced = h.iter().any(|e| e.action == "supersede" && e.at <= at && e.effective_on <= Some(day));
                let in_force = !has_lapsed(r.effective_on, rules.validity_years, day) && !replaced;
                (state != MilestoneState::Approved || in_force).then(|| ExistingRecord {
                    id: r.id.clone(),
                    level: r.level.clone(),
                    state,
                })
            })
            .collect();
        conflicts(rules, level, &live).is_some()
    }

    /// Tier supersession as the API's approval does it (`domain::milestone::tiers`): the approved
    /// record ends the firm's earlier tier records still in force on its date (history entry
    /// `supersede`, version bump), and is ended by a later one.
    fn supersede(&mut self, firm: &mut Firm, newer: &mut MilestoneRow) {
        let types = self.types;
        let (Some(approved_at), Some(newer_type)) = (newer.approved_at, types.get(&newer.milestone_type)) else {
            return;
        };
        let in_group = |r: &MilestoneRow| {
            r.approved_at.is_some()
                && types.get(&r.milestone_type).is_some_and(|t| shares_exclusive_group(&t.rules, &newer_type.rules))
        };
        let others: Vec<TierRecord<'_>> = firm
            .records
            .iter()
            .filter(|r| in_group(r))
            .map(|r| TierRecord { id: &r.id, state: r.state, effective_on: r.effective_on, ended_on: r.ended_on })
            .collect();
        let s = supersession(newer.effective_on, &others);
        let ends: Vec<String> = s.ends.iter().map(|id| id.to_string()).collect();
        newer.ended_on = s.ended_on;
        let positions: Vec<usize> = (0..firm.records.len()).filter(|i| ends.contains(&firm.records[*i].id)).collect();
        for i in positions {
            let older_id = firm.records[i].id.clone();
            let mut entry = self.history(
                &older_id,
                "supersede",
                Some(MilestoneState::Approved),
                MilestoneState::Approved,
                Role::CityReviewer,
                firm,
            );
            entry.at = approved_at;
            entry.effective_on = Some(newer.effective_on);
            entry.comment = Some(format!("replaced by {}", newer.id));
            let older = &mut firm.records[i];
            older.ended_on = Some(newer.effective_on);
            older.version += 1;
            older.updated_at = older.updated_at.max(approved_at);
            firm.history[i].push(entry);
        }
    }
}
