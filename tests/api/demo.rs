//! `demo-data`: a small data set obeys the domain rules (valid USCCs, counties in their cities,
//! workflow fields, multiplicity, the audit chain), a second run with the same seed on a fresh
//! database gives the same rows, a non-empty database is refused, and the statistics then show
//! figures for every city.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use enterprise_registry::audit::verify::verify;
use enterprise_registry::demo::{self, Options, DEMO_PASSWORD};
use enterprise_registry::domain::milestone::rules::has_lapsed;
use enterprise_registry::domain::{MilestoneState, Multiplicity, TypeRules, Uscc};
use enterprise_registry::queries::enterprises::EnterpriseRow;
use enterprise_registry::queries::milestones::{HistoryRow, MilestoneRow};
use enterprise_registry::schema::{audit_events, enterprises, milestone_history, milestones, users};
use sha2::{Digest, Sha256};

use crate::helpers::world::progress_query;
use crate::helpers::TestApp;

const OPTIONS: Options = Options { enterprises: 300, seed: 7, progress: false };

struct Data {
    enterprises: Vec<EnterpriseRow>,
    milestones: Vec<MilestoneRow>,
    history: Vec<HistoryRow>,
    usernames: HashMap<String, String>,
}

async fn load(app: &TestApp) -> Data {
    app.state
        .db
        .run(|c| {
            Ok(Data {
                enterprises: enterprises::table.order(enterprises::id).select(EnterpriseRow::as_select()).load(c)?,
                milestones: milestones::table.order(milestones::id).select(MilestoneRow::as_select()).load(c)?,
                history: milestone_history::table
                    .order((milestone_history::milestone_id, milestone_history::seq))
                    .select(HistoryRow::as_select())
                    .load(c)?,
                usernames: users::table.select((users::id, users::username)).load(c)?.into_iter().collect(),
            })
        })
        .await
        .unwrap()
}

/// A digest of every generated row in id order, with account ids (minted by `create_direct`
/// from the clock) replaced by usernames, and history entries known by record and `seq` (the
/// entries of today's decisions get their ids from the clock too).
fn checksum(d: &Data) -> String {
    let name = |id: &Option<String>| id.as_ref().map(|i| d.usernames.get(i).cloned().unwrap_or_else(|| i.clone()));
    let mut h = Sha256::new();
    for e in &d.enterprises {
        let e = EnterpriseRow { verified_by: name(&e.verified_by), ..e.clone() };
        h.update(format!("{e:?}\n"));
    }
    for m in &d.milestones {
        let m = MilestoneRow { decided_by: name(&m.decided_by), ..m.clone() };
        h.update(format!("{m:?}\n"));
    }
    for x in &d.history {
        let actor_id = name(&Some(x.actor_id.clone())).unwrap_or_default();
        let x = HistoryRow { id: String::new(), actor_id, ..x.clone() };
        h.update(format!("{x:?}\n"));
    }
    hex::encode(h.finalize())
}

fn check_rules(app: &TestApp, d: &Data) {
    let reference = &app.state.reference;
    let firms: HashMap<&str, &EnterpriseRow> = d.enterprises.iter().map(|e| (e.id.as_str(), e)).collect();
    assert_eq!(d.enterprises.len(), 300);
    assert!(d.milestones.len() > 450, "{} milestones", d.milestones.len());
    let cities: BTreeSet<&str> = d.enterprises.iter().map(|e| e.city_code.as_str()).collect();
    assert_eq!(cities.len(), 11);
    for e in &d.enterprises {
        assert_eq!(Uscc::parse(&e.uscc).unwrap().as_str(), e.uscc);
        assert_eq!(reference.division(&e.county_code).unwrap().parent_code.as_deref(), Some(e.city_code.as_str()));
    }
    let usccs: BTreeSet<&str> = d.enterprises.iter().map(|e| e.uscc.as_str()).collect();
    assert_eq!(usccs.len(), d.enterprises.len());

    let states: BTreeSet<&str> = d.milestones.iter().map(|m| m.state.as_str()).collect();
    assert_eq!(states.len(), 8, "every state occurs: {states:?}");
    // Every stage of the chains holds records waiting, and county pre-review left its trace.
    let stages: BTreeSet<&str> = d.milestones.iter().filter_map(|m| m.stage.map(|s| s.as_str())).collect();
    let waiting = |s: &str| d.milestones.iter().filter(|m| m.stage.is_some_and(|x| x.as_str() == s)).count();
    let counts: Vec<usize> = ["county", "city", "province"].map(waiting).to_vec();
    assert_eq!(stages, BTreeSet::from(["city", "county", "province"]), "{counts:?}");
    assert!(d.history.iter().any(|h| h.action == "finalise" && h.actor_id == "system"), "no 公示 was finalised");
    assert!(d.history.iter().any(|h| h.action == "recommend" && h.actor_role == "county_reviewer"));
    let today = enterprise_registry::clock::today_shanghai();
    let mut live: HashMap<(String, String, Option<String>), u32> = HashMap::new();
    for m in &d.milestones {
        let e = firms[m.enterprise_id.as_str()];
        assert_eq!((&m.county_code, &m.city_code), (&e.county_code, &e.city_code), "{}", m.id);
        assert_eq!(reference.division(&m.county_code).unwrap().parent_code.as_deref(), Some(m.city_code.as_str()));
        let year = chrono::Datelike::year(&m.effective_on);
        assert!((2018..=2025).contains(&year), "{}", m.effective_on);
        let state = m.state;
        if matches!(state, MilestoneState::Approved | MilestoneState::Revoked) {
            let approved = m.approved_at.expect("approved_at");
            assert!(m.submitted_at.is_some() && m.decided_at.is_some() && m.decided_by.is_some(), "{}", m.id);
            assert!(m.effective_on <= approved.date() && approved < enterprise_registry::clock::now());
            if state == MilestoneState::Approved {
                // The last stage's reviewer decided: the province for province programmes.
                let reviewer = &d.usernames[m.decided_by.as_ref().unwrap()];
                let by_province = m.review_chain.as_deref().is_some_and(|c| c.ends_with("province"));
                assert!(reviewer.starts_with("demo.") && (reviewer == "demo.province") == by_province, "{reviewer}");
            }
        }
        if state == MilestoneState::Publicised {
            let (start, end) = (m.publicity_starts_on.unwrap(), m.publicity_ends_on.unwrap());
            assert!(start < end && m.approved_at.is_none() && m.stage.is_none(), "{}", m.id);
        }
        if let Some(stage) = m.stage {
            assert_eq!(state, MilestoneState::Submitted);
            assert!(m.review_chain.as_deref().unwrap().contains(stage.as_str()), "{}", m.id);
        }
        if state == MilestoneState::Revoked {
            assert!(m.revoked_at.is_some() && m.revoked_effective_on.unwrap() >= m.effective_on);
        }
        if !e.verified {
            assert_eq!(state, MilestoneState::Draft);
        }
        let t = reference.milestone_type(&m.milestone_type).unwrap();
        let rules = TypeRules::from_row(t).unwrap();
        let in_force = !has_lapsed(m.effective_on, rules.validity_years, today) && m.ended_on.is_none();
        let is_live = state.is_live() && (state != MilestoneState::Approved || in_force);
        let level = match rules.multiplicity {
            Multiplicity::Many => continue,
            Multiplicity::One => None,
            Multiplicity::OnePerLevel => m.level.clone(),
        };
        if is_live {
            let n = live.entry((m.enterprise_id.clone(), m.milestone_type.clone(), level)).or_default();
            *n += 1;
            assert_eq!(*n, 1, "two live {} records for {}", m.milestone_type, m.enterprise_id);
        }
    }
    // Every record has its history, starting with `create`, in order.
    let mut by_record: HashMap<&str, Vec<&HistoryRow>> = HashMap::new();
    for h in &d.history {
        by_record.entry(h.milestone_id.as_str()).or_default().push(h);
    }
    for m in &d.milestones {
        let h = &by_record[m.id.as_str()];
        assert_eq!(h[0].action, "create");
        assert_eq!(h.last().unwrap().to_state, m.state);
        assert_eq!(h.len() as i32, m.version, "{}", m.id);
        assert!(h.windows(2).all(|w| w[0].at < w[1].at && w[0].seq + 1 == w[1].seq));
    }
}

async fn generate(app: &TestApp) -> demo::Report {
    demo::generate(&app.state.db, app.state.reference.clone(), OPTIONS).await.expect("demo data")
}

/// The demo providers (§3.9) reported about 69 % of the submitted 上云 records, each under a
/// delegation of its enterprise in force for that type; enterprises' own records carry none.
async fn check_providers(app: &TestApp, d: &Data) {
    let cloud: Vec<&MilestoneRow> =
        d.milestones.iter().filter(|m| m.milestone_type == "cloud_adoption" && m.submitted_at.is_some()).collect();
    let by_provider = cloud.iter().filter(|m| m.provider_id.is_some()).count();
    let share = by_provider as f64 / cloud.len() as f64;
    assert!((0.5..0.85).contains(&share), "{by_provider} of {} 上云 records", cloud.len());
    for m in d.milestones.iter().filter(|m| m.provider_id.is_some()) {
        assert!(m.submitted_by.is_some() && m.submitted_at.is_some(), "{m:?}");
        let (p, e, t) = (m.provider_id.clone().unwrap(), m.enterprise_id.clone(), m.milestone_type.clone());
        let today = app.state.clock.today_shanghai();
        let covered = app
            .state
            .db
            .run(move |c| Ok(enterprise_registry::queries::delegations::covers(c, &p, &e, &t, today)?))
            .await
            .unwrap();
        assert!(covered, "{m:?} has no delegation");
    }
    let names: Vec<String> = app
        .state
        .db
        .run(|c| Ok(enterprise_registry::queries::providers::all(c)?.into_iter().map(|p| p.name).collect()))
        .await
        .unwrap();
    assert_eq!(names.len(), 5);
    assert!(names.contains(&"阿里云计算有限公司".to_string()));
}

async fn small_demo_follows_the_rules(app: &TestApp) {
    let report = generate(app).await;
    let d = load(app).await;
    assert_eq!(report.enterprises, d.enterprises.len() as u64);
    assert_eq!(report.milestones, d.milestones.len() as u64);
    assert_eq!(report.history, d.history.len() as u64);
    // Sysadmin, auditor, province, 11 city and 90 county reviewers, the enterprise.
    assert_eq!(report.logins.len(), 3 + 11 + 90 + 1);
    assert!(report.in_publicity > 0, "nothing in 公示 today");
    assert!(report.logins.iter().any(|l| l.role == "county_reviewer" && l.scope.as_deref() == Some("330106")));
    check_rules(app, &d);
    check_providers(app, &d).await;

    // The audit chain holds: the accounts' entries, one for the run, one per decision of today's
    // batch (all of them into 公示).
    let (verdict, runs, decisions) = app
        .state
        .db
        .run(|c| {
            let count = |action: &str| audit_events::table.filter(audit_events::action.eq(action.to_string())).count();
            let runs: i64 = count("demo.generate").get_result(c)?;
            let decisions: i64 = count("milestone.approve").get_result(c)?;
            Ok((verify(c)?, runs, decisions))
        })
        .await
        .unwrap();
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(decisions, report.in_publicity as i64);
    assert_eq!((verdict.checked, runs), (report.logins.len() as i64 + 1 + decisions, 1));

    // A second run is refused: the database is no longer empty.
    let err = demo::generate(&app.state.db, app.state.reference.clone(), OPTIONS).await.unwrap_err();
    assert!(err.contains("empty database"), "{err}");

    // The same seed on a fresh database gives the same rows.
    let other = TestApp::spawn(app.backend).await.expect("second database");
    generate(&other).await;
    let again = load(&other).await;
    assert_eq!(checksum(&again), checksum(&d));
    other.teardown().await;

    // The service shows figures for every city at once.
    let token = {
        let res = app.login("demo.province", DEMO_PASSWORD).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.body["access_token"].as_str().unwrap().to_string()
    };
    let path = "/api/v1/stats/progress?plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022";
    let res = app.get_as(path, &token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let cities = res.body["cities"].as_array().unwrap();
    assert_eq!(cities.len(), 11);
    for c in cities {
        assert!(c["actual"].as_i64().unwrap() > 0, "{c}");
        assert!(c["target"].as_i64().unwrap() > 0, "{c}");
    }
    // The province's target is the plan's scaled like the cities' (300 / 500,000): it matches
    // the sum of the city targets up to rounding, and its completion rate lies among theirs
    // (with the plan's 500,000 it was a hundredth of them).
    let province_target = res.body["province"]["target"].as_i64().unwrap();
    let sum = res.body["city_target_sum"].as_i64().unwrap();
    assert!((province_target - sum).abs() <= 11, "province {province_target}, cities {sum}");
    let rates: Vec<f64> = cities.iter().map(|c| c["completion_rate"].as_f64().unwrap()).collect();
    let (low, high) = rates.iter().fold((f64::MAX, f64::MIN), |(l, h), r| (l.min(*r), h.max(*r)));
    let province = res.body["province"]["completion_rate"].as_f64().unwrap();
    assert!(low * 0.9 <= province && province <= high * 1.1, "province {province}, cities {low}..{high}");
    let overview = app.get_as("/api/v1/indicators?plan=ZJ2018-SZJJ", &token).await;
    assert!(overview.text.contains("演示数据：目标按 300 / 500,000 缩放"), "{}", overview.text);
    let res = app.login("demo.enterprise", DEMO_PASSWORD).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["must_change_password"], false);

    // What the bulk load built — the aggregates and the review queue's counts — equals the
    // reference computation over the records.
    let reference = app.state.reference.clone();
    let pending = app
        .state
        .db
        .run(move |c| {
            use enterprise_registry::routes::stats::view::ProvinceTable;
            use enterprise_registry::stats::reports::report::{build, build_direct};
            let mut pending = 0;
            for (plan, indicator) in
                [("ZJ2018-SZJJ", "cloud_adoption_enterprises"), ("ZJ2023-GWR", "smart_factories_and_digital_workshops")]
            {
                let q = progress_query(plan, indicator, 2025, "2025-12-31", enterprise_registry::clock::now(), true);
                let fast = serde_json::to_value(ProvinceTable::from(&build(c, &reference, q.clone(), None)?)).unwrap();
                let direct = serde_json::to_value(ProvinceTable::from(&build_direct(c, &reference, q, None)?)).unwrap();
                assert_eq!(fast, direct, "{indicator}");
                pending += fast["province"]["pending"].as_i64().unwrap();
            }
            Ok(pending)
        })
        .await
        .unwrap();
    assert!(pending > 0, "the demo has records awaiting review");
}

both_backends!(small_demo_follows_the_rules);
