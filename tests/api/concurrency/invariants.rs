//! What must hold after any interleaving, read from the database: multiplicity, one tier in
//! force, history consistent with state and audited entry for entry, an intact audit chain,
//! maintained aggregates equal to a recomputation, and reports equal to the reference
//! computation now and at past knowledge times.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use enterprise_registry::domain::milestone::rules::has_lapsed;
use enterprise_registry::domain::{MilestoneState, Multiplicity, TypeRules};
use enterprise_registry::queries::milestones::{HistoryRow, MilestoneRow};
use enterprise_registry::schema::{audit_events, milestone_history, milestones};

use crate::helpers::world::progress_query;
use crate::helpers::TestApp;

/// Everything the checks read.
struct Snapshot {
    records: Vec<MilestoneRow>,
    history: BTreeMap<String, Vec<HistoryRow>>,
    audited: HashMap<String, i64>,
    rules: HashMap<String, TypeRules>,
}

async fn snapshot(app: &TestApp) -> Snapshot {
    app.state
        .db
        .run(|c| {
            let records: Vec<MilestoneRow> =
                milestones::table.order(milestones::id).select(MilestoneRow::as_select()).load(c)?;
            let mut history: BTreeMap<String, Vec<HistoryRow>> = BTreeMap::new();
            let rows: Vec<HistoryRow> = milestone_history::table
                .order((milestone_history::milestone_id, milestone_history::seq))
                .select(HistoryRow::as_select())
                .load(c)?;
            for h in rows {
                history.entry(h.milestone_id.clone()).or_default().push(h);
            }
            let audited: Vec<(Option<String>, i64)> = audit_events::table
                .filter(audit_events::object_type.eq("milestone"))
                .group_by(audit_events::object_id)
                .select((audit_events::object_id, diesel::dsl::count_star()))
                .load(c)?;
            let mut rules = HashMap::new();
            for code in ["cloud_adoption", "high_tech_enterprise", "eagle", "eaglet", "smart_factory"] {
                rules.insert(code.to_string(), enterprise_registry::milestones::type_rules(c, code)?.unwrap());
            }
            let audited = audited.into_iter().filter_map(|(id, n)| Some((id?, n))).collect();
            Ok(Snapshot { records, history, audited, rules })
        })
        .await
        .unwrap()
}

/// Every check, with `label` (the seed) in each failure message.
pub async fn check_all(app: &TestApp, label: &str, moments: &[NaiveDateTime]) {
    let s = snapshot(app).await;
    multiplicity(&s, label);
    one_tier_in_force(&s, label);
    history_matches_state(&s, label);
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let chain = app.get_as("/api/v1/audit-events/verify", &auditor).await;
    assert_eq!(chain.body["ok"], true, "{label}: {}", chain.text);
    aggregates_match_recomputation(app, label).await;
    reports_match_reference(app, label, moments).await;
}

/// At most one live record per enterprise and type (`one`), or per level (`one_per_level`).
fn multiplicity(s: &Snapshot, label: &str) {
    let today = enterprise_registry::clock::today_shanghai();
    let mut live: BTreeMap<(&str, &str, Option<&str>), Vec<&str>> = BTreeMap::new();
    for m in &s.records {
        let rules = &s.rules[&m.milestone_type];
        let is_live = match m.state {
            MilestoneState::Draft | MilestoneState::Submitted | MilestoneState::Returned => true,
            MilestoneState::Approved => {
                !has_lapsed(m.effective_on, rules.validity_years, today) && m.ended_on.is_none_or(|d| d > today)
            }
            _ => false,
        };
        let level = match rules.multiplicity {
            Multiplicity::Many => continue,
            Multiplicity::One => None,
            Multiplicity::OnePerLevel => m.level.as_deref(),
        };
        if is_live {
            live.entry((&m.enterprise_id, &m.milestone_type, level)).or_default().push(&m.id);
        }
    }
    for (key, ids) in live {
        assert!(ids.len() <= 1, "{label}: {} live records for {key:?}: {ids:?}", ids.len());
    }
}

/// Each approved tier record ends on the earliest effective date of the enterprise's other
/// ever-approved tier records that took effect after it (DESIGN §3.6 (c)), whatever the order
/// in which they were approved: so at most one tier is in force on any day.
fn one_tier_in_force(s: &Snapshot, label: &str) {
    let tier: Vec<&MilestoneRow> = s
        .records
        .iter()
        .filter(|m| s.rules[&m.milestone_type].exclusive_group.is_some() && m.approved_at.is_some())
        .collect();
    for a in tier.iter().filter(|m| m.state == MilestoneState::Approved) {
        let expected: Option<NaiveDate> = tier
            .iter()
            .filter(|b| b.enterprise_id == a.enterprise_id && b.id != a.id && b.effective_on > a.effective_on)
            .map(|b| b.effective_on)
            .min();
        assert_eq!(
            a.ended_on, expected,
            "{label}: tier record {} ({} from {})",
            a.id, a.milestone_type, a.effective_on
        );
    }
}

/// History entries numbered 1..n, each starting where the previous one ended, from a `create`
/// to the record's state; one audit entry per history entry; timestamps that fit the state.
fn history_matches_state(s: &Snapshot, label: &str) {
    for m in &s.records {
        let h = s.history.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        assert!(!h.is_empty(), "{label}: {} has no history", m.id);
        assert_eq!((h[0].action.as_str(), h[0].from_state, h[0].to_state), ("create", None, MilestoneState::Draft));
        for (i, pair) in h.windows(2).enumerate() {
            assert_eq!(pair[1].seq, pair[0].seq + 1, "{label}: {} history seq at {i}", m.id);
            assert_eq!(pair[1].from_state, Some(pair[0].to_state), "{label}: {} entry {}", m.id, i + 2);
        }
        assert_eq!(h[0].seq, 1, "{label}: {}", m.id);
        assert_eq!(h.last().unwrap().to_state, m.state, "{label}: {} history ends elsewhere", m.id);
        assert_eq!(s.audited.get(&m.id).copied().unwrap_or(0), h.len() as i64, "{label}: audit entries of {}", m.id);
        let decided = matches!(m.state, MilestoneState::Approved | MilestoneState::Revoked);
        assert_eq!(m.approved_at.is_some(), decided, "{label}: approved_at of {} ({})", m.id, m.state);
        assert_eq!(m.revoked_at.is_some(), m.state == MilestoneState::Revoked, "{label}: revoked_at of {}", m.id);
        assert_eq!(m.submitted_at.is_some(), m.state != MilestoneState::Draft, "{label}: submitted_at of {}", m.id);
    }
}

/// The maintained aggregates (daily, knowledge-time, yearly, pending) equal what a rebuild
/// would write: `rebuild-stats --check` finds no difference.
pub async fn aggregates_match_recomputation(app: &TestApp, label: &str) {
    let differences = app.state.db.run(enterprise_registry::stats::aggregates::check::differences).await.unwrap();
    assert!(
        differences.is_empty(),
        "{label}: {} differences, first: {:#?}",
        differences.len(),
        &differences[..differences.len().min(10)]
    );
}

/// The reports from the aggregates equal the reference computation's, for the indicators the
/// workload feeds, at several dates: now (from `stat_daily`), and at each of `moments` (from the
/// knowledge-time aggregate). The API's (cached) current table too.
async fn reports_match_reference(app: &TestApp, label: &str, moments: &[NaiveDateTime]) {
    use enterprise_registry::routes::stats::view::{CityTable, ProvinceTable};
    use enterprise_registry::stats::reports::report::{build, build_direct, ProgressQuery, Report};
    let indicators = [
        ("ZJ2018-SZJJ", "cloud_adoption_enterprises"),
        ("ZJ2018-SZJJ", "cloud_benchmark_enterprises"),
        ("ZJ2018-SZJJ", "high_tech_enterprises"),
        ("ZJ2023-GWR", "eagle_enterprises"),
        ("ZJ2023-GWR", "smart_factories_and_digital_workshops"),
    ];
    let dates = [(2021, "2021-06-30"), (2023, "2023-12-31"), (2025, "2025-12-31")];
    let now = enterprise_registry::clock::now();
    let mut jobs = Vec::new();
    for (plan, indicator) in indicators {
        for (year, as_of) in dates {
            let times = std::iter::once((now, true)).chain(moments.iter().map(|t| (*t, false)));
            for (known_at, current) in times {
                for city in [None, Some("330100")] {
                    let q = progress_query(plan, indicator, year, as_of, known_at, current);
                    jobs.push((q, city));
                }
            }
        }
    }
    let expected_jobs = jobs.len();
    let reference = app.state.reference.clone();
    let label_owned = label.to_string();
    let compared = app
        .state
        .db
        .run(move |c| {
            let render = |r: &Report, city: Option<&str>| match city {
                Some(code) => serde_json::to_value(CityTable::new(r, code, "杭州市")).unwrap(),
                None => serde_json::to_value(ProvinceTable::from(r)).unwrap(),
            };
            let mut n = 0;
            for (q, city) in jobs {
                let fast = build(c, &reference, q.clone(), city)?;
                let direct = build_direct(c, &reference, ProgressQuery { current: false, ..q.clone() }, city)?;
                assert_eq!(render(&fast, city), render(&direct, city), "{label_owned}: {q:?} {city:?}");
                n += 1;
            }
            Ok(n)
        })
        .await
        .unwrap();
    assert_eq!(compared, expected_jobs);
    // Through the API (and its cache, shared by nothing that could go stale): the same figures.
    let province = app.token_for("prov.check", "province_officer", None, None).await;
    for (plan, indicator) in indicators {
        let q = format!("/api/v1/stats/progress?plan={plan}&indicator={indicator}&year=2025&as_of=2025-12-31");
        let res = app.get_as(&q, &province).await;
        let direct = app
            .state
            .db
            .run({
                let reference = app.state.reference.clone();
                let q = progress_query(plan, indicator, 2025, "2025-12-31", enterprise_registry::clock::now(), false);
                move |c| build_direct(c, &reference, q, None)
            })
            .await
            .unwrap();
        let mut want = serde_json::to_value(ProvinceTable::from(&direct)).unwrap();
        let mut got = res.body.clone();
        for v in [&mut want, &mut got] {
            v.as_object_mut().unwrap().remove("known_at");
        }
        assert_eq!(got, want, "{label}: {q}");
    }
}
