//! A small world for milestone and statistics tests: a province officer, a verified Hangzhou
//! enterprise with its user, and reviewers of Hangzhou and Ningbo.

use serde_json::{json, Value};

use super::{TestApp, TestResponse};

pub struct World {
    pub province: String,
    pub enterprise: String,
    pub ent: String,
    pub rev_hz: String,
    pub rev_nb: String,
}

impl World {
    pub async fn new(app: &TestApp) -> World {
        let province = app.token_for("prov", "province_officer", None, None).await;
        let enterprise = app.create_enterprise(&province, 1, "330106").await;
        World {
            ent: app.token_for("ent.hz", "enterprise", None, Some(&enterprise)).await,
            rev_hz: app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await,
            rev_nb: app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await,
            province,
            enterprise,
        }
    }
}

impl TestApp {
    /// Creates a draft for `enterprise` as `token`; returns the response.
    pub async fn draft(&self, token: &str, enterprise: &str, body: &Value) -> TestResponse {
        self.post(&format!("/api/v1/enterprises/{enterprise}/milestones"), body, Some(token)).await
    }

    /// Creates a draft and returns its id (asserting 201).
    pub async fn draft_id(&self, token: &str, enterprise: &str, body: &Value) -> String {
        let res = self.draft(token, enterprise, body).await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    }

    /// `POST /milestones/{id}/{action}` with a body.
    pub async fn act(&self, token: &str, id: &str, action: &str, body: Value) -> TestResponse {
        self.post(&format!("/api/v1/milestones/{id}/{action}"), &body, Some(token)).await
    }

    /// Sets every milestone type's review to `city` with no 公示 — how every type was reviewed
    /// before review chains — for tests whose meaning predates chains (a city reviewer's approval
    /// is final). Logs in a province officer of its own (`chains.prov`).
    pub async fn city_only_reviews(&self) {
        let token = self.token_for("chains.prov", "province_officer", None, None).await;
        let types = self.get("/api/v1/milestone-types").await;
        for t in types.body["items"].as_array().unwrap() {
            if t["review_chain"] != json!(["city"]) || t["publicity_days"] != 0 {
                self.set_review(&token, t["code"].as_str().unwrap(), &["city"], 0).await;
            }
        }
    }

    /// `PUT /milestone-types/{code}/review`, asserting 200.
    pub async fn set_review(&self, token: &str, code: &str, chain: &[&str], days: u32) -> TestResponse {
        let body = json!({"review_chain": chain, "publicity_days": days});
        let path = format!("/api/v1/milestone-types/{code}/review");
        let res = self.request(reqwest::Method::PUT, &path, Some(&body), Some(token)).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res
    }

    /// Runs a chain of actions, asserting each succeeds.
    pub async fn act_ok(&self, token: &str, id: &str, action: &str, body: Value) -> TestResponse {
        let res = self.act(token, id, action, body).await;
        assert_eq!(res.status, 200, "{action}: {}", res.text);
        res
    }
}

/// A milestone body.
pub fn milestone(kind: &str, level: Option<&str>, effective_on: &str) -> Value {
    let mut b = json!({"type": kind, "effective_on": effective_on, "title": format!("{kind} 项目")});
    if let Some(l) = level {
        b["level"] = json!(l);
    }
    b
}

/// A statistics query for `plan`/`indicator` in `year` as of `as_of` (`YYYY-MM-DD`), known at
/// `known_at`; `current` when it asks for the present (the cached, fast path).
pub fn progress_query(
    plan: &str,
    indicator: &str,
    year: i32,
    as_of: &str,
    known_at: chrono::NaiveDateTime,
    current: bool,
) -> enterprise_registry::stats::reports::report::ProgressQuery {
    enterprise_registry::stats::reports::report::ProgressQuery {
        plan: plan.into(),
        indicator: indicator.into(),
        year,
        as_of: as_of.parse().unwrap(),
        known_at,
        current,
    }
}
