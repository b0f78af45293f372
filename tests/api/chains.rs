//! Review chains, stages, 公示 and finalisation (DESIGN §3.7, issue 14 items 2–4): the province
//! configures a type's chain; a record moves county → city → province → 公示 → approved with the
//! right reviewer at each stage; objections, withdrawals and resubmissions; races at one stage;
//! finalisation exactly once with two instances; statistics before and after a finalisation.

use chrono::Duration;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::world::milestone;
use crate::helpers::{Backend, TestApp};

/// The actors of a chain test: a Hangzhou enterprise in 西湖区 (330106) and every reviewer,
/// in and out of its scope.
struct Cast {
    province: String,
    enterprise: String,
    ent: String,
    county: String,
    other_county: String,
    city: String,
    other_city: String,
}

impl Cast {
    async fn new(app: &TestApp) -> Cast {
        let province = app.token_for("prov", "province_officer", None, None).await;
        let enterprise = app.create_enterprise(&province, 1, "330106").await;
        Cast {
            ent: app.token_for("ent.hz", "enterprise", None, Some(&enterprise)).await,
            county: app.token_for("rev.xihu", "county_reviewer", Some("330106"), None).await,
            other_county: app.token_for("rev.gongshu", "county_reviewer", Some("330105"), None).await,
            city: app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await,
            other_city: app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await,
            province,
            enterprise,
        }
    }

    /// A submitted smart-factory record (effective 2023-06-30).
    async fn submitted(&self, app: &TestApp) -> String {
        let id = app.draft_id(&self.ent, &self.enterprise, &milestone("smart_factory", None, "2023-06-30")).await;
        app.act_ok(&self.ent, &id, "submit", json!({})).await;
        id
    }
}

impl Cast {
    /// Every actor but `right` is refused an approval of record `id`: 404 out of scope, 403 in it.
    async fn refused_but(&self, app: &TestApp, id: &str, right: &str) {
        let all = [
            (&self.ent, 403),
            (&self.county, 403),
            (&self.other_county, 404),
            (&self.city, 403),
            (&self.other_city, 404),
            (&self.province, 403),
        ];
        for (token, status) in all.into_iter().filter(|(t, _)| t.as_str() != right) {
            let res = app.act(token, id, "approve", json!({})).await;
            assert_eq!(res.status.as_u16(), status, "{}", res.text);
        }
    }
}

fn history_actions(history: &Value) -> Vec<(String, Value)> {
    history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["action"].as_str().unwrap().to_string(), h["stage"].clone()))
        .collect()
}

/// Smart factories counted province-wide (cumulative and pending) at `known_at` (now if `None`).
async fn smart_factories(app: &TestApp, token: &str, known_at: Option<chrono::NaiveDateTime>) -> (i64, i64, i64) {
    let mut q = "/api/v1/stats/progress?plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops\
                 &year=2023&as_of=2023-12-31"
        .to_string();
    if let Some(t) = known_at {
        q.push_str(&format!("&known_at={}", t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)));
    }
    let res = app.get_as(&q.replace('+', "%2B"), token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let p = &res.body["province"];
    (p["cumulative"].as_i64().unwrap(), p["pending"].as_i64().unwrap(), p["in_publicity"].as_i64().unwrap())
}

async fn the_province_configures_chains(app: &TestApp) {
    let cast = Cast::new(app).await;
    let types = app.get("/api/v1/milestone-types").await;
    let find = |body: &Value, code: &str| body["items"].as_array().unwrap().iter().find(|t| t["code"] == code).cloned();
    let smart = find(&types.body, "smart_factory").unwrap();
    assert_eq!(
        (smart["review_chain"].clone(), smart["publicity_days"].clone()),
        (json!(["city", "province"]), json!(5))
    );
    let cloud = find(&types.body, "cloud_adoption").unwrap();
    assert_eq!((cloud["review_chain"].clone(), cloud["publicity_days"].clone()), (json!(["city"]), json!(0)));

    let put = |body: Value| {
        let token = cast.province.clone();
        async move {
            app.request(Method::PUT, "/api/v1/milestone-types/smart_factory/review", Some(&body), Some(&token)).await
        }
    };
    for (body, field) in [
        (json!({"review_chain": [], "publicity_days": 5}), "review_chain"),
        (json!({"review_chain": ["province", "city"], "publicity_days": 5}), "review_chain"),
        (json!({"review_chain": ["city", "city"], "publicity_days": 5}), "review_chain"),
        (json!({"review_chain": ["town"], "publicity_days": 5}), "review_chain"),
        (json!({"review_chain": ["city"], "publicity_days": 31}), "publicity_days"),
        (json!({"review_chain": ["city"], "publicity_days": -1}), "publicity_days"),
    ] {
        let res = put(body.clone()).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.first_error_field(), Some(field), "{body}");
    }
    let res = put(json!({"review_chain": ["county", "city", "province"], "publicity_days": 7})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["review_chain"], json!(["county", "city", "province"]));
    let types = app.get("/api/v1/milestone-types").await;
    assert_eq!(find(&types.body, "smart_factory").unwrap()["publicity_days"], 7);
    let res = app
        .request(Method::PUT, "/api/v1/milestone-types/smart_factory/review", Some(&json!({})), Some(&cast.city))
        .await;
    res.assert_problem(403, "forbidden_role");

    // A record keeps the review it was submitted under.
    let id = cast.submitted(app).await;
    app.set_review(&cast.province, "smart_factory", &["city"], 0).await;
    let m = app.get_as(&format!("/api/v1/milestones/{id}"), &cast.ent).await;
    assert_eq!(
        (m.body["review_chain"].clone(), m.body["publicity_days"].clone()),
        (json!(["county", "city", "province"]), json!(7))
    );
    assert_eq!(m.body["stage"], "county");

    // Seeding fills the chains of a database from before them, and keeps the province's.
    let reset = "UPDATE milestone_types SET review_chain = NULL, publicity_days = NULL \
                 WHERE code IN ('digital_workshop', 'listed_company')";
    app.state.db.write(move |c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(reset), c)?)).await.unwrap();
    app.state
        .db
        .run(|c| {
            enterprise_registry::db::migrations::run(c)
                .map_err(|e| enterprise_registry::error::AppError::internal(e.to_string()))
        })
        .await
        .unwrap();
    let types = app.get("/api/v1/milestone-types").await;
    let review = |code: &str| {
        let t = find(&types.body, code).unwrap();
        (t["review_chain"].clone(), t["publicity_days"].clone())
    };
    assert_eq!(review("digital_workshop"), (json!(["city", "province"]), json!(5)));
    assert_eq!(review("listed_company"), (json!(["city"]), json!(0)));
    assert_eq!(review("smart_factory"), (json!(["city"]), json!(0)));

    // Audited, with the previous review.
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let audit = app.get_as("/api/v1/audit-events?action=milestone_type.review", &auditor).await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let items = audit.body["items"].as_array().unwrap();
    assert!(items.len() >= 2, "{}", audit.text);
}

async fn a_smart_factory_goes_county_city_province_publicity_approved(app: &TestApp) {
    let cast = Cast::new(app).await;
    app.set_review(&cast.province, "smart_factory", &["county", "city", "province"], 5).await;
    // The review happens twenty days ago by the instance's clock, so that its 公示 has passed now.
    app.state.clock.set_offset(-Duration::days(20));
    let started = app.state.clock.today_shanghai();
    let id = cast.submitted(app).await;
    let m = app.get_as(&format!("/api/v1/milestones/{id}"), &cast.county).await;
    assert_eq!((m.body["state"].clone(), m.body["stage"].clone()), (json!("submitted"), json!("county")));
    cast.refused_but(app, &id, &cast.county).await;
    let res = app.act_ok(&cast.county, &id, "approve", json!({})).await;
    assert_eq!((res.body["state"].clone(), res.body["stage"].clone()), (json!("submitted"), json!("city")));
    // Only the approval that ends the review sets the 文号.
    let res = app.act(&cast.city, &id, "approve", json!({"document_no": "x"})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.first_error_field(), Some("document_no"));
    cast.refused_but(app, &id, &cast.city).await;
    let res = app.act_ok(&cast.city, &id, "approve", json!({})).await;
    assert_eq!(res.body["stage"], "province");
    cast.refused_but(app, &id, &cast.province).await;
    let (_, pending, _) = smart_factories(app, &cast.province, None).await;
    assert_eq!(pending, 1);
    let body = json!({"document_no": "浙经信技术〔2023〕88号", "batch": "2023年第一批", "comment": "同意认定"});
    let res = app.act_ok(&cast.province, &id, "approve", body).await;
    assert_eq!(res.body["state"], "publicised");
    assert_eq!(res.body["stage"], Value::Null);
    assert_eq!(res.body["approved_at"], Value::Null);
    assert_eq!(
        (res.body["document_no"].clone(), res.body["batch"].clone()),
        (json!("浙经信技术〔2023〕88号"), json!("2023年第一批"))
    );
    assert_eq!(res.body["publicity_starts_on"], started.to_string());
    // The end is the fifth working day after the start, by the calendar.
    let count = app.get(&format!("/api/v1/calendar/workdays?from={started}&add=5")).await;
    assert_eq!(res.body["publicity_ends_on"], count.body["date"]);
    // 公示 is neither approved nor pending: it shows in its own column.
    app.state.clock.set_offset(Duration::zero());
    assert_eq!(smart_factories(app, &cast.province, None).await, (0, 0, 1));
    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &cast.ent).await;
    assert_eq!(
        history_actions(&history.body),
        vec![
            ("create".to_string(), Value::Null),
            ("submit".to_string(), json!("county")),
            ("recommend".to_string(), json!("county")),
            ("recommend".to_string(), json!("city")),
            ("approve".to_string(), json!("province")),
        ]
    );

    // Finalisation: a knowledge time before it does not count the record, one after it does.
    let before = enterprise_registry::clock::now();
    assert_eq!(enterprise_registry::publicity::finalise_due(&app.state).await.unwrap(), 1);
    assert_eq!(enterprise_registry::publicity::finalise_due(&app.state).await.unwrap(), 0);
    let m = app.get_as(&format!("/api/v1/milestones/{id}"), &cast.ent).await;
    assert_eq!(m.body["state"], "approved");
    let approved_at = chrono::DateTime::parse_from_rfc3339(m.body["approved_at"].as_str().unwrap()).unwrap();
    assert!(approved_at.naive_utc() > before);
    assert_eq!(smart_factories(app, &cast.province, Some(before)).await, (0, 0, 0));
    assert_eq!(smart_factories(app, &cast.province, Some(approved_at.naive_utc())).await, (1, 0, 0));
    assert_eq!(smart_factories(app, &cast.province, None).await, (1, 0, 0));
    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &cast.ent).await;
    let last = history.body["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].clone(), last["actor_id"].clone(), last["actor_role"].clone()),
        (json!("finalise"), json!("system"), json!("system"))
    );
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let audit = app.get_as("/api/v1/audit-events?action=milestone.finalise", &auditor).await;
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1, "{}", audit.text);
}

async fn objection_withdrawal_and_resubmission(app: &TestApp) {
    let cast = Cast::new(app).await;
    app.set_review(&cast.province, "smart_factory", &["county", "city", "province"], 5).await;
    let id = cast.submitted(app).await;
    for token in [&cast.county, &cast.city, &cast.province] {
        app.act_ok(token, &id, "approve", json!({})).await;
    }
    // An objection is the province's, with a comment, back to the chain's last stage.
    app.act(&cast.city, &id, "object", json!({"comment": "x"})).await.assert_problem(403, "forbidden_role");
    app.act(&cast.province, &id, "object", json!({})).await.assert_problem(422, "validation_failed");
    let res = app.act_ok(&cast.province, &id, "object", json!({"comment": "收到实名举报"})).await;
    assert_eq!((res.body["state"].clone(), res.body["stage"].clone()), (json!("submitted"), json!("province")));
    assert_eq!(res.body["publicity_ends_on"], Value::Null);
    assert_eq!(smart_factories(app, &cast.province, None).await, (0, 1, 0));
    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &cast.ent).await;
    assert_eq!(history_actions(&history.body).last().unwrap(), &("object".to_string(), json!("province")));
    // Publicised again, then withdrawn by the enterprise.
    app.act_ok(&cast.province, &id, "approve", json!({})).await;
    app.act(&cast.province, &id, "object", json!({"comment": "x"})).await;
    app.act_ok(&cast.province, &id, "approve", json!({})).await;
    let res = app.act_ok(&cast.ent, &id, "withdraw", json!({})).await;
    assert_eq!(res.body["state"], "withdrawn");
    assert_eq!(smart_factories(app, &cast.province, None).await, (0, 0, 0));

    // Returned at the city stage, resubmitted: back to the county.
    let id = cast.submitted(app).await;
    app.act_ok(&cast.county, &id, "approve", json!({})).await;
    let res = app.act_ok(&cast.city, &id, "return", json!({"comment": "请补充材料"})).await;
    assert_eq!((res.body["state"].clone(), res.body["stage"].clone()), (json!("returned"), Value::Null));
    let res = app.act_ok(&cast.ent, &id, "submit", json!({})).await;
    assert_eq!(res.body["stage"], "county");
    app.act(&cast.city, &id, "approve", json!({})).await.assert_problem(403, "forbidden_role");
    // Rejected at the county stage by the county.
    let res = app.act_ok(&cast.county, &id, "reject", json!({"comment": "不符合条件"})).await;
    assert_eq!(res.body["state"], "rejected");
    // Multiplicity treats a publicised record as live.
    app.set_review(&cast.province, "eagle", &["city", "province"], 5).await;
    let eagle = app.draft_id(&cast.ent, &cast.enterprise, &milestone("eagle", None, "2023-01-01")).await;
    app.act_ok(&cast.ent, &eagle, "submit", json!({})).await;
    app.act_ok(&cast.city, &eagle, "approve", json!({})).await;
    app.act_ok(&cast.province, &eagle, "approve", json!({})).await;
    let res = app.draft(&cast.ent, &cast.enterprise, &milestone("eagle", None, "2023-02-01")).await;
    res.assert_problem(409, "duplicate_milestone");
    assert_eq!(res.body["state"], "publicised");
}

async fn sixteen_concurrent_approvals_at_one_stage_one_wins(app: &TestApp) {
    let cast = Cast::new(app).await;
    app.set_review(&cast.province, "smart_factory", &["county", "city", "province"], 5).await;
    let mut reviewers = Vec::new();
    for i in 0..16 {
        reviewers.push(app.token_for(&format!("rev.hz{i}"), "city_reviewer", Some("330100"), None).await);
    }
    let id = cast.submitted(app).await;
    app.act_ok(&cast.county, &id, "approve", json!({})).await;
    let requests = reviewers.iter().map(|t| {
        app.send(app.client.post(app.url(&format!("/api/v1/milestones/{id}/approve"))).bearer_auth(t).json(&json!({})))
    });
    let mut statuses: Vec<u16> =
        futures_util::future::join_all(requests).await.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    // The losers find the record moved on: at the province stage, which is not theirs (403).
    assert!(statuses.iter().all(|s| matches!(s, 200 | 403 | 409)), "{statuses:?}");
    let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &cast.ent).await;
    let recommends = history_actions(&history.body).iter().filter(|(a, s)| a == "recommend" && s == "city").count();
    assert_eq!(recommends, 1);
    assert_eq!(smart_factories(app, &cast.province, None).await, (0, 1, 0));
}

async fn finalisation_happens_once_with_two_instances(app: &TestApp) {
    let cast = Cast::new(app).await;
    app.set_review(&cast.province, "smart_factory", &["city", "province"], 5).await;
    app.state.clock.set_offset(-Duration::days(30));
    let mut ids = Vec::new();
    for _ in 0..6 {
        let id = cast.submitted(app).await;
        app.act_ok(&cast.city, &id, "approve", json!({})).await;
        app.act_ok(&cast.province, &id, "approve", json!({})).await;
        ids.push(id);
    }
    // One more, publicised today: not due.
    app.state.clock.set_offset(Duration::zero());
    let fresh = cast.submitted(app).await;
    app.act_ok(&cast.city, &fresh, "approve", json!({})).await;
    app.act_ok(&cast.province, &fresh, "approve", json!({})).await;
    // A second instance finalises at its start-up while the first runs its periodic round.
    let (other, mine) = match app.backend {
        Backend::Postgres => {
            let (other, mine) =
                tokio::join!(app.second_instance(&[]), enterprise_registry::publicity::finalise_due(&app.state));
            let again = enterprise_registry::publicity::finalise_due(&other.state).await.unwrap();
            (Some((other, again)), mine.unwrap())
        }
        Backend::Sqlite => (None, enterprise_registry::publicity::finalise_due(&app.state).await.unwrap()),
    };
    assert!(mine <= ids.len());
    for id in &ids {
        let history = app.get_as(&format!("/api/v1/milestones/{id}/history"), &cast.ent).await;
        let finalised = history_actions(&history.body).iter().filter(|(a, _)| a == "finalise").count();
        assert_eq!(finalised, 1, "{id}");
    }
    let m = app.get_as(&format!("/api/v1/milestones/{fresh}"), &cast.ent).await;
    assert_eq!(m.body["state"], "publicised");
    // The indicator counts enterprises (家): one.
    assert_eq!(smart_factories(app, &cast.province, None).await, (1, 0, 1));
    // The aggregates agree with a recomputation from the records.
    let found = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
    if let Some((other, again)) = other {
        assert_eq!(again, 0);
        other.teardown().await;
    }
}

both_backends!(
    the_province_configures_chains,
    a_smart_factory_goes_county_city_province_publicity_approved,
    objection_withdrawal_and_resubmission,
    sixteen_concurrent_approvals_at_one_stage_one_wins,
    finalisation_happens_once_with_two_instances,
);

crate::both_backends_with!(&[("DB_POOL_SIZE", "10")]; racing_review_changes_each_record_their_predecessor);

/// Eight changes of one type's review at once: each is audited with the value it replaced, so the
/// `previous` values are the starting one and seven of the new ones — all different (the type's
/// row is locked for the change; without the lock two would name the same predecessor).
async fn racing_review_changes_each_record_their_predecessor(app: &TestApp) {
    let province = app.token_for("prov", "province_officer", None, None).await;
    let start = app.get("/api/v1/milestone-types").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "smart_factory")
        .unwrap()["publicity_days"]
        .as_i64()
        .unwrap();
    let days: Vec<i64> = (21..29).collect();
    let requests = days.iter().map(|d| {
        let body = json!({"review_chain": ["city", "province"], "publicity_days": d});
        app.send(
            app.client.put(app.url("/api/v1/milestone-types/smart_factory/review")).bearer_auth(&province).json(&body),
        )
    });
    for res in futures_util::future::join_all(requests).await {
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let auditor = app.token_for("aud", "auditor", None, None).await;
    let audit = app.get_as("/api/v1/audit-events?action=milestone_type.review&limit=50", &auditor).await;
    let mut previous: Vec<i64> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(e["detail"].as_str().unwrap()).unwrap()["previous"]["publicity_days"]
                .as_i64()
                .unwrap()
        })
        .collect();
    previous.sort_unstable();
    previous.dedup();
    assert_eq!(previous.len(), days.len(), "two changes named the same predecessor: {}", audit.text);
    assert!(previous.contains(&start));
}

/// `finalise-publicity` on the command line does what the running service does every minute.
#[tokio::test]
async fn the_command_line_finalises_too() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let cast = Cast::new(&app).await;
    app.set_review(&cast.province, "smart_factory", &["city", "province"], 5).await;
    app.state.clock.set_offset(-Duration::days(30));
    let id = cast.submitted(&app).await;
    app.act_ok(&cast.city, &id, "approve", json!({})).await;
    app.act_ok(&cast.province, &id, "approve", json!({})).await;
    let url = app.database_url.clone();
    let run = move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_enterprise-registry"))
            .arg("finalise-publicity")
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = tokio::task::spawn_blocking(run.clone()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("finalised 1 record(s)"));
    let out = tokio::task::spawn_blocking(run).await.unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("finalised 0 record(s)"));
    let m = app.get_as(&format!("/api/v1/milestones/{id}"), &cast.ent).await;
    assert_eq!(m.body["state"], "approved");
    app.teardown().await;
}
