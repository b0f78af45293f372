//! A seeded workload of racing clients aimed at a few enterprises, so that their requests
//! collide: creates, edits, submissions, approvals (some with a corrected date), returns,
//! rejections, withdrawals, revocations and tier approvals, each sent by the actor allowed to.
//! Which operations are sent follows from the seed; how they interleave does not.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::NaiveDate;
use futures_util::future::join_all;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::helpers::world::milestone;
use crate::helpers::TestApp;

/// The types the workload reports: levels, for each (`one_per_level`, `one` with a validity, a
/// tier pair, `many`).
const KINDS: [(&str, &[&str]); 5] = [
    ("cloud_adoption", &["on_cloud", "deep_cloud_use", "benchmark"]),
    ("high_tech_enterprise", &[]),
    ("eagle", &[]),
    ("eaglet", &["pool", "recognised"]),
    ("smart_factory", &[]),
];

/// The statuses a correct service may answer the workload's requests with: success, a draft
/// a reviewer may not see (404), a state or multiplicity conflict (409), a date the record's own
/// contradicts (422). Anything else — a 5xx above all — is a failure.
const ALLOWED: [u16; 5] = [200, 201, 404, 409, 422];

/// An enterprise of the workload.
pub struct Firm {
    pub id: String,
    pub token: String,
    /// Token of a reviewer of its city.
    pub reviewer: String,
}

/// A record some client created: its enterprise and effective date.
#[derive(Clone)]
struct Known {
    id: String,
    firm: usize,
    kind: usize,
    effective_on: NaiveDate,
}

/// The actors and what they created so far.
pub struct Workload {
    pub province: String,
    pub firms: Vec<Firm>,
    records: Mutex<Vec<Known>>,
    /// Answers seen, by operation and status.
    pub statuses: Mutex<BTreeMap<(&'static str, u16), usize>>,
}

impl Workload {
    /// Three enterprises (two in Hangzhou, one in Ningbo) with their users and reviewers.
    pub async fn new(app: &TestApp) -> Workload {
        // Written for city-only review: a city approval is final.
        app.city_only_reviews().await;
        let province = app.token_for("prov", "province_officer", None, None).await;
        let reviewers = [
            app.token_for("rev.hz", "city_reviewer", Some("330100"), None).await,
            app.token_for("rev.nb", "city_reviewer", Some("330200"), None).await,
        ];
        let mut firms = Vec::new();
        for (n, county) in [(1u32, "330106"), (2, "330110"), (3, "330212")] {
            let id = app.create_enterprise(&province, 900 + n, county).await;
            let token = app.token_for(&format!("ent{n}"), "enterprise", None, Some(&id)).await;
            let reviewer = reviewers[usize::from(county.starts_with("3302"))].clone();
            firms.push(Firm { id, token, reviewer });
        }
        Workload { province, firms, records: Mutex::new(Vec::new()), statuses: Mutex::new(BTreeMap::new()) }
    }

    /// Runs one phase: `clients` racing clients, each sending `ops` requests, spread over
    /// `instances` round robin.
    pub async fn phase(&self, instances: &[&TestApp], seed: u64, phase: u64, clients: u64, ops: usize) {
        let runs = (0..clients).map(|c| {
            let app = instances[c as usize % instances.len()];
            let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(phase * 1_000 + c));
            async move {
                for _ in 0..ops {
                    self.step(app, &mut rng, seed).await;
                }
            }
        });
        join_all(runs).await;
    }

    fn pick(&self, rng: &mut StdRng) -> Option<Known> {
        let records = self.records.lock().unwrap();
        (!records.is_empty()).then(|| records[rng.gen_range(0..records.len())].clone())
    }

    fn note(&self, op: &'static str, status: u16, text: &str, seed: u64) {
        assert!(ALLOWED.contains(&status), "seed {seed}: {op} answered {status}: {text}");
        *self.statuses.lock().unwrap().entry((op, status)).or_default() += 1;
    }

    async fn step(&self, app: &TestApp, rng: &mut StdRng, seed: u64) {
        let roll = rng.gen_range(0..100);
        if roll < 25 || self.records.lock().unwrap().is_empty() {
            return self.create(app, rng, seed, roll % 3 == 0).await;
        }
        let Some(r) = self.pick(rng) else { return };
        let firm = &self.firms[r.firm];
        let (op, token, body): (&'static str, &str, serde_json::Value) = match roll {
            25..=39 => ("submit", &firm.token, json!({})),
            40..=59 => {
                // Now and then a corrected (earlier) date, which moves a tier's place in time.
                let body = if rng.gen_range(0..5) == 0 {
                    json!({"effective_on": (r.effective_on - chrono::Duration::days(rng.gen_range(1..60))).to_string()})
                } else {
                    json!({})
                };
                ("approve", &firm.reviewer, body)
            }
            60..=66 => ("return", &firm.reviewer, json!({"comment": "请补充材料"})),
            67..=71 => ("reject", &firm.reviewer, json!({"comment": "不符合条件"})),
            72..=76 => ("withdraw", &firm.token, json!({})),
            77..=86 => {
                let on = (r.effective_on + chrono::Duration::days(rng.gen_range(0..1200)))
                    .min(enterprise_registry::clock::today_shanghai());
                ("revoke", &self.province, json!({"comment": "撤销认定", "effective_on": on.to_string()}))
            }
            _ => return self.edit(app, rng, &r, seed).await,
        };
        let res = app.act(token, &r.id, op, body).await;
        self.note(op, res.status.as_u16(), &res.text, seed);
    }

    /// A new draft, sometimes submitted and approved straight away (more approvals racing).
    async fn create(&self, app: &TestApp, rng: &mut StdRng, seed: u64, chain: bool) {
        let f = rng.gen_range(0..self.firms.len());
        let kind = rng.gen_range(0..KINDS.len());
        let (code, levels) = KINDS[kind];
        let level = (!levels.is_empty()).then(|| levels[rng.gen_range(0..levels.len())]);
        let on =
            NaiveDate::from_ymd_opt(rng.gen_range(2019..=2025), rng.gen_range(1..=12), rng.gen_range(1..=28)).unwrap();
        let firm = &self.firms[f];
        let res = app.draft(&firm.token, &firm.id, &milestone(code, level, &on.to_string())).await;
        self.note("create", res.status.as_u16(), &res.text, seed);
        if res.status != 201 {
            return;
        }
        let id = res.body["id"].as_str().unwrap().to_string();
        self.records.lock().unwrap().push(Known { id: id.clone(), firm: f, kind, effective_on: on });
        if chain {
            for (op, token) in [("submit", &firm.token), ("approve", &firm.reviewer)] {
                let res = app.act(token, &id, op, json!({})).await;
                self.note(op, res.status.as_u16(), &res.text, seed);
            }
        }
    }

    /// A level change of a record, with the ETag just read (a conflict when it is no longer
    /// editable, the level is taken, or it changed since the read).
    async fn edit(&self, app: &TestApp, rng: &mut StdRng, r: &Known, seed: u64) {
        let levels = KINDS[r.kind].1;
        if levels.is_empty() {
            return;
        }
        let level = levels[rng.gen_range(0..levels.len())];
        let firm = &self.firms[r.firm];
        let path = format!("/api/v1/milestones/{}", r.id);
        let read = app.get_as(&path, &firm.token).await;
        let etag = read.headers["etag"].to_str().unwrap().to_string();
        let res = app.patch(&path, &json!({"level": level}), &firm.token, Some(&etag)).await;
        // 412: the record changed between the read and the edit.
        let status = if res.status == 412 { 409 } else { res.status.as_u16() };
        self.note("edit", status, &res.text, seed);
    }

    /// How many requests answered `status` for `op`.
    pub fn count(&self, op: &'static str, status: u16) -> usize {
        self.statuses.lock().unwrap().get(&(op, status)).copied().unwrap_or(0)
    }
}
