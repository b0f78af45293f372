//! The generator: enterprises one after another from one seeded RNG, each with the milestones a
//! firm of its size and industry plausibly reports (企业上云 above all), in chunks that the bulk
//! writers store.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::ids::{IdGen, UsccSeq};
use super::lifecycle::{Firm, Want};
use super::names;
use super::plan::{world_end, Outcome, Plan, FIRST_DAY, INDUSTRIES, LAST_DAY, SIZES};
use crate::domain::milestone::rules::lapse_date;
use crate::domain::{MilestoneState, Review, ReviewChain, TypeRules};
use crate::queries::enterprises::EnterpriseRow;
use crate::queries::milestones::{HistoryRow, MilestoneRow};
use crate::reference::Reference;

/// A milestone type as the generator needs it.
#[derive(Debug, Clone)]
pub struct TypeInfo {
    /// Catalogue rules (levels, multiplicity, group, validity).
    pub rules: TypeRules,
    /// Chinese name, for titles.
    pub name_zh: String,
    /// Who recognises it, for document numbers.
    pub recognised_by: String,
    /// The review its records follow in the demo.
    pub review: Review,
}

/// The programmes for which the demo's province switched county pre-review on (初审): their
/// chain is county > city > province, with the catalogue's 公示.
pub const COUNTY_PRE_REVIEW: [&str; 2] = ["smart_factory", "digital_workshop"];

/// The catalogue by type code.
pub type Catalogue = HashMap<String, TypeInfo>;

/// Reads the catalogue rules through the domain's own parser.
pub fn catalogue(reference: &Reference) -> Result<Catalogue, String> {
    reference
        .milestone_types
        .iter()
        .map(|row| {
            let mut review = Review::from_stored(Some(&row.review_chain), Some(row.publicity_days))?;
            if COUNTY_PRE_REVIEW.contains(&row.code.as_str()) {
                review.chain = ReviewChain::parse("county>city>province")?;
            }
            let info = TypeInfo {
                rules: TypeRules::from_row(row)?,
                name_zh: row.name_zh.clone(),
                recognised_by: row.recognised_by.clone(),
                review,
            };
            Ok((row.code.clone(), info))
        })
        .collect()
}

/// The accounts that act in the generated histories.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The province officer (revocations, some registrations).
    pub province_officer: String,
    /// One city reviewer per city, in [`Plan::cities`] order.
    pub reviewers: Vec<String>,
    /// One county reviewer per county, by county code.
    pub county_reviewers: HashMap<String, String>,
}

/// Rows made for a run of enterprises, in insertion order.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Enterprises.
    pub enterprises: Vec<EnterpriseRow>,
    /// Their milestones.
    pub milestones: Vec<MilestoneRow>,
    /// The milestones' histories.
    pub history: Vec<HistoryRow>,
}

/// How an enterprise came into the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Registration {
    /// Created by an official, verified at once.
    Official,
    /// Registered itself, verified by its city later.
    SelfVerified,
    /// Registered itself recently, not verified yet.
    Unverified,
}

/// Generates enterprises and their records from a seed.
pub struct Generator<'a> {
    pub(super) plan: &'a Plan,
    pub(super) staff: &'a Staff,
    pub(super) types: &'a Catalogue,
    pub(super) rng: StdRng,
    pub(super) ids: IdGen,
    pub(super) end: NaiveDateTime,
    usccs: UsccSeq,
    next: u64,
}

impl<'a> Generator<'a> {
    /// A generator for `seed`.
    pub fn new(plan: &'a Plan, staff: &'a Staff, types: &'a Catalogue, seed: u64) -> Self {
        Self {
            plan,
            staff,
            types,
            rng: StdRng::seed_from_u64(seed),
            ids: IdGen::default(),
            end: world_end(),
            usccs: UsccSeq::new(seed),
            next: 0,
        }
    }

    /// The next `n` enterprises with their milestones and histories.
    pub fn chunk(&mut self, n: u64) -> Result<Chunk, String> {
        let mut out = Chunk::default();
        for _ in 0..n {
            self.enterprise(&mut out)?;
        }
        Ok(out)
    }

    fn enterprise(&mut self, out: &mut Chunk) -> Result<(), String> {
        let n = self.next;
        self.next += 1;
        let plan = self.plan;
        // The first 90 enterprises cover every county once, so a small demo still has all.
        let county_index = if (n as usize) < plan.counties.len() { n as usize } else { plan.county(&mut self.rng) };
        let county = &plan.counties[county_index];
        let anchor = (n as usize) < plan.counties.len()
            && (county_index == 0 || plan.counties[county_index - 1].city != county.city);
        let industry = if n == 0 { 0 } else { plan.industry(&mut self.rng) };
        let size = if n == 0 { 1 } else { plan.size(&mut self.rng) };
        let (industry_code, _, industry_word, product) = INDUSTRIES[industry];
        let (size_class, _, size_factor) = SIZES[size];
        // The anchors (and the demo account's enterprise) must be able to submit.
        let registration = match self.rng.gen_range(0..1000) {
            _ if n == 0 || anchor => Registration::Official,
            0..=19 => Registration::Unverified,
            20..=149 => Registration::SelfVerified,
            _ => Registration::Official,
        };
        let id = self.ids.next(&mut self.rng);
        let mut firm = Firm {
            id: id.clone(),
            county_code: county.code.clone(),
            city_code: county.city_code.clone(),
            city: county.city,
            place: county.place.clone(),
            product,
            verified: registration != Registration::Unverified,
            records: Vec::new(),
            history: Vec::new(),
        };

        let end = self.end;
        let created_at = if registration == Registration::Unverified {
            // Registered in the last months and waiting for the city: at most a draft.
            let at = end - self.seconds(5 * DAY, 120 * DAY);
            if self.rng.gen_bool(0.4) {
                let from = at.date() + Duration::days(1);
                self.record(
                    &mut firm,
                    Want { outcome: Some(Outcome::Draft), ..Want::new("cloud_adoption", Some("on_cloud"), from) },
                );
            }
            at
        } else {
            self.milestones(&mut firm, size_factor, industry_code.starts_with('C'), anchor, n == 0);
            match firm.records.iter().map(|r| r.created_at).min() {
                Some(first) => {
                    let floor = NaiveDate::from_ymd_opt(2017, 6, 1).unwrap_or(FIRST_DAY).and_time(NaiveTime::MIN);
                    (first - self.seconds(10 * DAY, 400 * DAY)).max(floor)
                }
                None => FIRST_DAY.and_time(NaiveTime::MIN) + self.seconds(0, (LAST_DAY - FIRST_DAY).num_days() * DAY),
            }
        };
        let (verified_at, verified_by, version, updated_at) = match registration {
            Registration::Unverified => (None, None, 1, created_at),
            Registration::SelfVerified => {
                let at = created_at + self.seconds(HOUR, 9 * DAY);
                (Some(at), Some(self.staff.reviewers[county.city].clone()), 2, at)
            }
            Registration::Official => {
                let by = if self.rng.gen_bool(0.9) {
                    self.staff.reviewers[county.city].clone()
                } else {
                    self.staff.province_officer.clone()
                };
                (Some(created_at), Some(by), 1, created_at)
            }
        };
        let area = if self.rng.gen_bool(0.8) { county.code.as_str() } else { county.city_code.as_str() };
        let uscc = self
            .usccs
            .code(&mut self.rng, n, area)
            .ok_or_else(|| format!("cannot make a USCC for enterprise {n} in {area}"))?;
        let place = if self.rng.gen_bool(0.7) { &county.place } else { &plan.cities[county.city].place };
        let joint_stock = self.rng.gen_bool(match size_class {
            "large" => 0.6,
            "medium" => 0.25,
            _ => 0.03,
        });
        out.enterprises.push(EnterpriseRow {
            id,
            uscc: uscc.as_str().to_string(),
            name: names::company(&mut self.rng, place, industry_word, joint_stock),
            county_code: county.code.clone(),
            city_code: county.city_code.clone(),
            industry_code: Some(industry_code.to_string()),
            size_class: Some(size_class.to_string()),
            contact_name: names::person(&mut self.rng),
            contact_phone: names::mobile(&mut self.rng),
            verified: firm.verified,
            verified_at,
            verified_by,
            registered_via: if registration == Registration::Official { "official" } else { "self" }.to_string(),
            version,
            created_at,
            updated_at,
        });
        for (row, history) in firm.records.into_iter().zip(firm.history) {
            out.milestones.push(row);
            for (i, mut h) in history.into_iter().enumerate() {
                h.seq = i as i32 + 1;
                out.history.push(h);
            }
        }
        Ok(())
    }

    fn seconds(&mut self, min: i64, max: i64) -> Duration {
        Duration::seconds(self.rng.gen_range(min..=max)) + Duration::microseconds(self.rng.gen_range(0..1_000_000))
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// The record at `i` if it ended approved (or was approved and later revoked, `revoked_too`).
    fn approved(firm: &Firm, i: Option<usize>, revoked_too: bool) -> Option<&MilestoneRow> {
        let r = &firm.records[i?];
        let ok = r.state == MilestoneState::Approved || (revoked_too && r.approved_at.is_some());
        ok.then_some(r)
    }

    /// The day after which a follow-up to record `i` may take effect: `days` after its approval.
    fn after_approval(firm: &Firm, i: Option<usize>, days: i64) -> Option<NaiveDate> {
        Self::approved(firm, i, false).and_then(|r| r.approved_at).map(|t| t.date() + Duration::days(days))
    }

    /// One record, tried once more (with p = ½) if it was rejected or withdrawn.
    fn once(&mut self, firm: &mut Firm, want: Want<'_>) -> Option<usize> {
        let first = self.record(firm, want);
        let failed = first
            .map(|i| &firm.records[i])
            .filter(|r| matches!(r.state, MilestoneState::Rejected | MilestoneState::Withdrawn));
        match failed.map(|r| r.updated_at.date()) {
            Some(day) if self.chance(0.5) => {
                let retry = Want { from: day + Duration::days(20), outcome: None, ..want };
                self.record(firm, retry).or(first)
            }
            _ => first,
        }
    }

    /// A recognition that lapses after its validity and is renewed with probability `renew`.
    fn chain(&mut self, firm: &mut Firm, want: Want<'_>, renew: f64) {
        let validity = self.types.get(want.code).and_then(|t| t.rules.validity_years);
        let mut from = want.from;
        while let Some(i) = self.record(firm, Want { from, ..want }) {
            let r = &firm.records[i];
            from = match r.state {
                MilestoneState::Approved => match lapse_date(r.effective_on, validity) {
                    Some(lapse) => lapse + Duration::days(self.rng.gen_range(0..60)),
                    None => break,
                },
                MilestoneState::Rejected | MilestoneState::Withdrawn => r.updated_at.date() + Duration::days(30),
                _ => break,
            };
            if !self.chance(renew) {
                break;
            }
        }
    }

    /// `count` records of a `many` type.
    fn many(&mut self, firm: &mut Firm, code: &str, levels: &[(&str, f64)], count: u32) {
        for _ in 0..count {
            let level = pick_level(&mut self.rng, levels);
            self.record(firm, Want::new(code, level, FIRST_DAY));
        }
    }

    /// 1 + a geometric number of extra records.
    fn count(&mut self, more: f64) -> u32 {
        let mut n = 1;
        while n < 6 && self.chance(more) {
            n += 1;
        }
        n
    }

    /// The mix of milestones a firm reports. `size` multiplies the odds of recognitions.
    fn milestones(&mut self, firm: &mut Firm, size: f64, manufacturing: bool, anchor: bool, first: bool) {
        let start = FIRST_DAY;
        // 企业上云: about six in ten firms report it; every city's first firm is on the cloud by
        // 2021 so that each city shows figures even in a tiny demo.
        let on_cloud = if anchor {
            let to = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or(LAST_DAY);
            let from = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or(FIRST_DAY);
            self.record(
                firm,
                Want { to, outcome: Some(Outcome::Approved), ..Want::new("cloud_adoption", Some("on_cloud"), from) },
            )
        } else if self.chance(0.64) {
            self.once(firm, Want::new("cloud_adoption", Some("on_cloud"), start))
        } else {
            None
        };
        if let Some(from) = Self::after_approval(firm, on_cloud, 180).filter(|_| self.chance(0.5)) {
            let deep = self.once(firm, Want::new("cloud_adoption", Some("deep_cloud_use"), from));
            if let Some(from) = Self::after_approval(firm, deep, 180).filter(|_| self.chance(0.012 * size.max(1.0))) {
                self.once(firm, Want::new("cloud_adoption", Some("benchmark"), from));
            }
        }
        // Industrial-internet platform use.
        if self.chance(0.3) {
            let user = self.once(firm, Want::new("iip_application", Some("user"), start));
            if let Some(from) = Self::after_approval(firm, user, 180).filter(|_| self.chance(0.05 * size.max(1.0))) {
                self.once(firm, Want::new("iip_application", Some("deep_application_demo"), from));
            }
        }
        if manufacturing {
            if self.chance(0.12 * size) {
                let n = self.count(0.3);
                self.many(firm, "digital_workshop", &[], n);
            }
            if self.chance(0.012 * size) {
                let n = self.count(0.15);
                self.many(firm, "smart_factory", &[], n);
            }
            if self.chance(0.0008 * size) {
                self.many(firm, "future_factory", &[("pilot", 0.7), ("named", 0.3)], 1);
            }
            if self.chance(0.008 * size) {
                self.many(firm, "intelligent_retrofit_pilot", &[("provincial", 0.9), ("national", 0.1)], 1);
            }
            if self.chance(0.0008 * size) {
                self.once(firm, Want::new("networked_collab_mfg_demo", None, start));
            }
            if self.chance(0.0008 * size) {
                self.once(firm, Want::new("personalized_customization_demo", None, start));
            }
        }
        if self.chance(0.0002 * size) {
            let levels = [
                ("enterprise", 0.5),
                ("industry", 0.25),
                ("regional", 0.15),
                ("foundational", 0.05),
                ("national_cross_sector", 0.05),
            ];
            self.many(firm, "iip_platform", &levels, 1);
        }
        if self.chance(0.0015 * size) {
            let provincial = self.once(firm, Want::new("service_oriented_mfg", Some("provincial"), start));
            if let Some(from) = Self::after_approval(firm, provincial, 365).filter(|_| self.chance(0.15)) {
                self.once(firm, Want::new("service_oriented_mfg", Some("national"), from));
            }
        }
        self.tiers(firm, size);
        if self.chance(0.003 * size) {
            self.chain(firm, Want::new("little_giant", Some("standard"), start), 0.5);
            let standard = firm.records.iter().position(|r| r.milestone_type == "little_giant");
            if let Some(from) = Self::after_approval(firm, standard, 365).filter(|_| self.chance(0.15)) {
                self.chain(firm, Want::new("little_giant", Some("key"), from), 0.5);
            }
        }
        if self.chance(0.0004 * size) {
            self.many(firm, "single_champion", &[("enterprise", 0.6), ("product", 0.4)], 1);
        }
        // 高新技术企业 (three-year validity) and 科技型中小企业 (one year): renewed or left to lapse.
        let mild = size.sqrt();
        if self.chance(0.13 * mild) {
            self.chain(firm, Want::new("high_tech_enterprise", None, start), 0.6);
        }
        if size < 8.0 && self.chance(0.26) {
            self.chain(firm, Want::new("tech_sme", None, start), 0.75);
        }
        if self.chance(0.0008 * size) {
            self.once(firm, Want::new("tech_little_giant", None, start));
        }
        if self.chance(0.0012 * size) {
            let level = pick_level(&mut self.rng, &[("a_share", 0.7), ("hk", 0.2), ("overseas", 0.1)]);
            self.once(firm, Want::new("listed_company", level, start));
        }
        if self.chance(0.0002 * size) {
            let level = pick_level(&mut self.rng, &[("quasi", 0.8), ("unicorn", 0.2)]);
            self.once(firm, Want::new("unicorn", level, start));
        }
        if self.chance(0.0015 * size) {
            let provincial = self.once(firm, Want::new("industrial_design_centre", Some("provincial"), start));
            if let Some(from) = Self::after_approval(firm, provincial, 365).filter(|_| self.chance(0.1)) {
                self.once(firm, Want::new("industrial_design_centre", Some("national"), from));
            }
        }
        if size >= 8.0 && self.chance(0.001) {
            self.once(firm, Want::new("fortune_global_500", None, start));
        }
        if self.chance(0.0012 * size) {
            self.once(firm, Want::new("key_enterprise_research_institute", None, start));
        }
        if self.chance(0.004 * size) {
            self.once(firm, Want::new("informatization_climb", None, start));
        }
        if first {
            // The demo enterprise account has something to edit.
            let from = LAST_DAY - Duration::days(60);
            self.record(firm, Want { outcome: Some(Outcome::Draft), ..Want::new("digital_workshop", None, from) });
        }
    }

    /// 雏鹰 (pool, then recognised) and 雄鹰: each approval of a higher tier replaces the lower.
    fn tiers(&mut self, firm: &mut Firm, size: f64) {
        if self.chance(0.005 * size) {
            let pool = self.once(firm, Want::new("eaglet", Some("pool"), FIRST_DAY));
            let Some(from) = Self::after_approval(firm, pool, 180).filter(|_| self.chance(0.4)) else {
                return;
            };
            let recognised = self.once(firm, Want::new("eaglet", Some("recognised"), from));
            let p = if size >= 8.0 { 0.5 } else { 0.25 };
            if let Some(from) = Self::after_approval(firm, recognised, 365).filter(|_| self.chance(p)) {
                self.once(firm, Want::new("eagle", None, from));
            }
        } else if size >= 8.0 && self.chance(0.01) {
            self.once(firm, Want::new("eagle", None, FIRST_DAY));
        }
    }
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// A level drawn from weighted choices (`None` for a type without levels).
fn pick_level<'l, R: Rng>(rng: &mut R, levels: &[(&'l str, f64)]) -> Option<&'l str> {
    let total: f64 = levels.iter().map(|l| l.1).sum();
    let mut x = rng.gen::<f64>() * total;
    for (level, w) in levels {
        if x < *w {
            return Some(level);
        }
        x -= w;
    }
    levels.last().map(|l| l.0)
}
