//! `enterprise-registry demo-data`: fills an empty database with a realistic, reproducible
//! province — enterprises in every county of the 11 cities (weighted like the real economy), their
//! milestones of every tracked type in every workflow state across 2018–2025, the histories of
//! those records, city targets for the plans' years, and one login per role.
//!
//! - The data go through the domain's rules: USCCs are built and checked by
//!   [`crate::domain::Uscc`], names and phones pass the enterprise validators, each record's
//!   transitions are taken by [`crate::domain::transition`], the multiplicity rule
//!   ([`crate::domain::milestone::rules::conflicts`]) is checked at each record's creation,
//!   recognitions lapse after their validity and are sometimes renewed, and approving a higher
//!   tier (雏鹰 → 雄鹰) ends the lower one on its effective date, as the API does.
//! - Everything is a function of the seed: one [`rand::rngs::StdRng`] draws the data in a fixed
//!   order, ids are UUIDv7 built from 2018-01-01 plus a counter (ordered, and older than anything
//!   the service mints), and the demo world ends on 2025-12-31 (Asia/Shanghai) rather than "now".
//!   The exceptions are the accounts, which [`accounts::create_direct`] makes with ids and hashes
//!   of its own: records name their reviewer by that id, so two runs agree up to those ids.
//! - Records name the enterprise itself as their creator (`created_by`, history `actor_id`):
//!   the demo makes one enterprise account, not one per enterprise.
//! - Histories are complete: `create` and every transition (and `supersede` for replaced tiers).
//!   The audit trail gets the accounts' `user.create` entries and one `demo.generate` entry for
//!   the rest, so the chain stays valid.
//! - Five service providers (`providers.rs`) reported about 69 % of the submitted 上云 records and
//!   half the platform-use ones, under delegations of their enterprises (§3.9).
//! - Bulk writing bypasses the `MultiConnection` (which inserts one row at a time): multi-row
//!   INSERTs on SQLite (`sqlite.rs`), `COPY` on PostgreSQL (`postgres.rs`), one transaction per
//!   chunk of enterprises, generated on a second thread while the previous chunk is written.
//!   Indexes and constraints stay in place. The statistics aggregate (`stat_daily`) is rebuilt
//!   from the loaded records at the end.

mod content;
mod generate;
mod ids;
mod lifecycle;
mod load;
mod names;
mod plan;
pub(crate) mod postgres;
mod progress;
mod providers;
mod publicity;
mod sqlite;
mod targets;

use std::sync::Arc;

use diesel::prelude::*;

use crate::accounts::{self, RawAccount};
use crate::audit::{Actor, Event, RequestMeta};
use crate::db::{migrations, Backend, Db};
use crate::error::AppError;
use crate::reference::Reference;
use crate::schema::{enterprises, users};
use crate::tail;
use generate::Staff;

pub use ids::MAX_ENTERPRISES;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo-Passw0rd!";
/// Enterprises made when `--enterprises` is not given.
pub const DEFAULT_ENTERPRISES: u64 = 20_000;
/// Seed used when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 2018;
/// Pooled connections a run needs at once (the PostgreSQL pipeline's three, plus one spare).
pub const CONNECTIONS: u32 = 4;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Number of enterprises.
    pub enterprises: u64,
    /// RNG seed: the same seed on an empty database gives the same data.
    pub seed: u64,
    /// Draw a progress bar (when standard error is a terminal).
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { enterprises: DEFAULT_ENTERPRISES, seed: DEFAULT_SEED, progress: true }
    }
}

/// A demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// Username.
    pub username: String,
    /// Role.
    pub role: String,
    /// City, county or enterprise scope, if any.
    pub scope: Option<String>,
}

/// What a run made.
#[derive(Debug, Clone)]
pub struct Report {
    /// Enterprises stored.
    pub enterprises: u64,
    /// Milestones stored.
    pub milestones: u64,
    /// History entries stored.
    pub history: u64,
    /// City target rows stored.
    pub city_targets: u64,
    /// Rows of the statistics aggregate built.
    pub stat_rows: u64,
    /// Records the province decided today, now in 公示.
    pub in_publicity: u64,
    /// Wall-clock seconds of the whole run.
    pub seconds: f64,
    /// The accounts, all with [`DEMO_PASSWORD`].
    pub logins: Vec<Login>,
}

fn staff_accounts(plan: &plan::Plan) -> Vec<RawAccount> {
    let account = |username: String, role: &str, city: Option<&str>| RawAccount {
        username,
        password: DEMO_PASSWORD.to_string(),
        role: role.to_string(),
        enterprise_id: None,
        city_code: city.map(str::to_string),
        county_code: None,
        provider_id: None,
        display_name: None,
    };
    let mut out = vec![
        account("demo.admin".into(), "sysadmin", None),
        account("demo.auditor".into(), "auditor", None),
        account("demo.province".into(), "province_officer", None),
    ];
    for c in &plan.cities {
        out.push(account(format!("demo.{}", c.login), "city_reviewer", Some(&c.code)));
    }
    // One county reviewer per county (county pre-review is on for some programmes): `demo.xihu`
    // for 西湖区 (Hangzhou), `demo.c330102` and so on for the others. Last, in county order.
    for c in &plan.counties {
        let username = if c.code == XIHU { "demo.xihu".to_string() } else { format!("demo.c{}", c.code) };
        out.push(RawAccount { county_code: Some(c.code.clone()), ..account(username, "county_reviewer", None) });
    }
    out
}

/// The county whose reviewer the README names.
const XIHU: &str = "330106";

/// The enterprise account's username.
const ENTERPRISE_LOGIN: &str = "demo.enterprise";

fn failed(what: &'static str) -> impl Fn(AppError) -> String {
    move |e| {
        let fields: Vec<String> = e.field_errors().iter().map(|f| f.message.clone()).collect();
        if fields.is_empty() {
            format!("{what}: {e}")
        } else {
            format!("{what}: {}", fields.join("; "))
        }
    }
}

/// Generates the demo data into the (empty) database behind `db`: migrations first, then the
/// staff accounts, the bulk load, the enterprise account, the city targets and one audit entry.
/// The pool should allow [`CONNECTIONS`] connections.
pub async fn generate(db: &Db, reference: Arc<Reference>, opts: Options) -> Result<Report, String> {
    let started = std::time::Instant::now();
    if opts.enterprises == 0 || opts.enterprises > MAX_ENTERPRISES {
        return Err(format!("--enterprises must be between 1 and {MAX_ENTERPRISES}"));
    }
    let plan = Arc::new(plan::Plan::new(&reference)?);
    let catalogue = Arc::new(generate::catalogue(&reference)?);
    let staff_raw = staff_accounts(&plan);
    let mut steps = progress::Steps::new(5, opts.progress);

    steps.start("migrations and reference data");
    db.run(|c| migrations::run(c).map_err(|e| AppError::internal(e.to_string())))
        .await
        .map_err(failed("migrations failed"))?;
    // The province switched county pre-review on for some programmes (the generator follows
    // the same chains).
    let county_chains: Vec<(String, i32)> = catalogue
        .iter()
        .filter(|(code, _)| generate::COUNTY_PRE_REVIEW.contains(&code.as_str()))
        .map(|(code, t)| (code.clone(), i32::try_from(t.review.publicity_days).unwrap_or(0)))
        .collect();
    db.write(move |c| {
        for (code, days) in &county_chains {
            crate::queries::reference::set_review(c, code, "county>city>province", *days)?;
        }
        Ok(())
    })
    .await
    .map_err(failed("cannot set the demo's review chains"))?;
    let mut names: Vec<String> = staff_raw.iter().map(|a| a.username.clone()).collect();
    names.push(ENTERPRISE_LOGIN.to_string());
    let (firms, taken) = db
        .run(move |c| {
            let firms: i64 = enterprises::table.count().get_result(c)?;
            let taken: Vec<String> =
                users::table.filter(users::username.eq_any(&names)).select(users::username).load(c)?;
            Ok((firms, taken))
        })
        .await
        .map_err(failed("cannot inspect the database"))?;
    if firms > 0 {
        return Err(format!(
            "the database already holds {firms} enterprises; demo-data fills an empty database only \
             (point DATABASE_URL at a new one)"
        ));
    }
    if !taken.is_empty() {
        return Err(format!("the demo accounts exist already ({}); use an empty database", taken.join(", ")));
    }

    let mut logins: Vec<Login> = staff_raw
        .iter()
        .map(|a| Login {
            username: a.username.clone(),
            role: a.role.clone(),
            scope: a.city_code.clone().or_else(|| a.county_code.clone()),
        })
        .collect();
    steps.start("staff accounts (argon2id)");
    let r = reference.clone();
    let ids = db
        .write(move |c| {
            staff_raw
                .into_iter()
                .map(|a| accounts::create_direct(c, a, &r, false).map(|u| u.id))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(failed("cannot create the demo accounts"))?;
    // The accounts come back in `staff_accounts` order: sysadmin, auditor, province, the city
    // reviewers, the county reviewers.
    let [_, _, officer, reviewers @ ..] = ids.as_slice() else {
        return Err("the demo accounts were not all created".to_string());
    };
    let (cities, counties) = reviewers.split_at(plan.cities.len().min(reviewers.len()));
    let county_reviewers = plan.counties.iter().map(|c| c.code.clone()).zip(counties.iter().cloned()).collect();
    let staff = Staff { province_officer: officer.clone(), reviewers: cities.to_vec(), county_reviewers };
    let officer = officer.clone();
    let province = officer.clone();

    steps.start_with_bar("enterprises, milestones and their history");
    let inputs = load::Inputs { plan: plan.clone(), staff: Arc::new(staff), types: catalogue, options: opts };
    let loaded = match db.backend() {
        Backend::Sqlite => load::sqlite(db, inputs).await,
        Backend::Postgres => load::postgres(db, inputs).await,
    }
    .map_err(|e| format!("loading the demo data failed: {e}"))?;

    steps.start("enterprise account, targets, audit entry");
    let first = loaded.first_enterprise.clone().ok_or("no enterprise was generated")?;
    let r = reference.clone();
    db.write(move |c| {
        let raw = RawAccount {
            username: ENTERPRISE_LOGIN.to_string(),
            password: DEMO_PASSWORD.to_string(),
            role: "enterprise".to_string(),
            enterprise_id: Some(first),
            city_code: None,
            county_code: None,
            provider_id: None,
            display_name: None,
        };
        accounts::create_direct(c, raw, &r, false)
    })
    .await
    .map_err(failed("cannot create the enterprise account"))?;
    logins.push(Login {
        username: ENTERPRISE_LOGIN.to_string(),
        role: "enterprise".to_string(),
        scope: loaded.first_enterprise.clone(),
    });

    let all_targets = targets::plan_targets(&reference, &plan, opts.enterprises);
    let detail = serde_json::json!({
        "seed": opts.seed,
        "enterprises": loaded.enterprises,
        "milestones": loaded.milestones,
        "history": loaded.history,
    });
    let city_targets = db
        .write(move |c| {
            let n = targets::store(c, &all_targets, &officer)?;
            let scaled = targets::scale_plan_targets(c, opts.enterprises)?;
            let demo_epoch =
                chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default().and_time(chrono::NaiveTime::MIN);
            let reported = providers::apply(c, demo_epoch)?;
            let mut detail = detail;
            detail["provider_records"] = serde_json::json!(reported);
            detail["city_targets"] = serde_json::json!(n);
            detail["plan_targets_scaled"] = serde_json::json!(scaled);
            let event = Event {
                action: "demo.generate",
                object_type: None,
                object_id: None,
                success: true,
                detail: Some(detail),
            };
            tail::audited(c, &RequestMeta::default(), &Actor::System("demo-data"), event)?;
            Ok(n as u64)
        })
        .await
        .map_err(failed("cannot store the city targets"))?;

    // The bulk load bypassed the approval transactions that keep the statistics aggregate.
    steps.start("statistics aggregates, today's 公示");
    let stat_rows = db
        .write(crate::stats::aggregates::store::rebuild)
        .await
        .map_err(failed("cannot build the statistics aggregate"))?;
    let (decided, in_publicity) = db
        .write(move |c| publicity::decide_current_batch(c, &province))
        .await
        .map_err(failed("cannot decide today's batch"))?;
    steps.end();

    Ok(Report {
        enterprises: loaded.enterprises,
        milestones: loaded.milestones,
        history: loaded.history + decided,
        city_targets,
        stat_rows: stat_rows as u64,
        in_publicity,
        seconds: started.elapsed().as_secs_f64(),
        logins,
    })
}
