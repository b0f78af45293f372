//! The distributions the demo data is drawn from: where enterprises are (city and county
//! weights), what they do (industries, size classes), when milestones took effect, and how a
//! record ends up (its final workflow state). Every figure here is a rough picture of Zhejiang,
//! not an official statistic.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rand::distributions::{Distribution, WeightedIndex};
use rand::Rng;

use crate::domain::calendar::Calendar;
use crate::reference::Reference;

/// First day a demo milestone may take effect.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2018, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Last day a demo milestone may take effect, and the last day (Asia/Shanghai) anything happens.
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// The demo world's last instant: 2025-12-31 23:59:59 in Asia/Shanghai, as UTC. Fixed rather
/// than "now" so that a seed always gives the same data.
pub fn world_end() -> NaiveDateTime {
    LAST_DAY.and_time(NaiveTime::MIN) + chrono::Duration::hours(16) - chrono::Duration::seconds(1)
}

/// The demo's full scale: city targets are the plans' targets times `enterprises / FULL_SCALE`,
/// so a small demo shows the same completion rates as the 500,000-enterprise benchmark.
pub const FULL_SCALE: f64 = 500_000.0;

/// Share of the province's enterprises per city (GB/T 2260 code, weight in percent): Hangzhou,
/// Ningbo and Wenzhou lead, then Jinhua (Yiwu), Taizhou, Shaoxing and Jiaxing.
pub const CITY_WEIGHTS: [(&str, f64); 11] = [
    ("330100", 22.0),
    ("330200", 16.0),
    ("330300", 12.0),
    ("330400", 8.0),
    ("330500", 5.5),
    ("330600", 8.5),
    ("330700", 10.0),
    ("330800", 3.0),
    ("330900", 2.0),
    ("331000", 9.0),
    ("331100", 4.0),
];

/// County-level units whose industry outweighs their peers' (manufacturing and platform hubs).
const STRONG_COUNTIES: [&str; 24] = [
    "330106", "330108", "330109", "330110", "330113", "330114", "330206", "330212", "330281", "330282", "330381",
    "330382", "330481", "330483", "330522", "330603", "330604", "330681", "330782", "330783", "330784", "331003",
    "331004", "331081",
];

/// Industries (GB/T 4754-2017 code, weight, word used in names, products used in titles).
/// Manufacturing divisions dominate, as they do in Zhejiang's cultivation programmes.
pub const INDUSTRIES: [(&str, f64, &str, &str); 24] = [
    ("C38", 9.0, "电气", "电机"),
    ("C34", 8.0, "机械", "通用设备"),
    ("C35", 6.0, "智能装备", "专用设备"),
    ("C39", 6.0, "电子科技", "电子元器件"),
    ("C33", 6.0, "五金", "金属制品"),
    ("C29", 5.0, "塑业", "塑料制品"),
    ("C17", 5.0, "纺织", "织物"),
    ("C18", 4.0, "服饰", "服装"),
    ("C36", 4.0, "汽车部件", "汽车零部件"),
    ("C26", 3.0, "化工", "精细化工产品"),
    ("C27", 2.0, "医药", "制剂"),
    ("C21", 2.5, "家具", "家具"),
    ("C24", 2.5, "文体用品", "文体用品"),
    ("C40", 2.0, "仪器仪表", "仪器仪表"),
    ("C13", 1.5, "食品", "农副食品"),
    ("C22", 1.5, "纸业", "纸制品"),
    ("C30", 1.5, "新材料", "建材"),
    ("C32", 1.5, "铜业", "有色金属材料"),
    ("I65", 8.0, "信息技术", "软件平台"),
    ("I64", 3.0, "网络科技", "互联网服务"),
    ("M73", 3.0, "科技", "研发服务"),
    ("M75", 3.0, "技术服务", "技术服务"),
    ("F51", 6.0, "贸易", "供应链"),
    ("G58", 2.0, "物流", "仓储物流"),
];

/// Size classes with their shares and the factor by which a size changes the odds of a
/// recognition (a large enterprise is far likelier to be an 雄鹰 or a listed company).
pub const SIZES: [(&str, f64, f64); 4] =
    [("large", 2.0, 8.0), ("medium", 10.0, 3.0), ("small", 38.0, 1.0), ("micro", 50.0, 0.3)];

/// How likely an effective date falls in each year 2018..=2025: 企业上云 peaked early, the
/// recognitions grew later.
pub const CLOUD_YEARS: [f64; 8] = [18.0, 17.0, 16.0, 14.0, 12.0, 9.0, 8.0, 6.0];
/// Year profile of every other milestone type.
pub const GENERAL_YEARS: [f64; 8] = [8.0, 10.0, 12.0, 13.0, 14.0, 14.0, 15.0, 14.0];

/// How a record ends up: the final state chosen before its history is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still being prepared.
    Draft,
    /// Awaiting review.
    Submitted,
    /// Sent back for changes.
    Returned,
    /// Approved (and in force unless lapsed or replaced).
    Approved,
    /// Approved, later revoked by the province.
    Revoked,
    /// Refused by the city.
    Rejected,
    /// Taken back by the enterprise.
    Withdrawn,
    /// Decided by the province at the end of the demo world, in 公示 then (types with 公示;
    /// others stay submitted).
    Publicised,
}

impl Outcome {
    /// Whether the record is still open (draft, submitted, returned, in 公示): such records are
    /// recent.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted | Self::Returned | Self::Publicised)
    }
}

/// Final states in realistic proportions: most approved.
const OUTCOMES: [(Outcome, f64); 8] = [
    (Outcome::Approved, 84.5),
    (Outcome::Publicised, 1.0),
    (Outcome::Revoked, 1.5),
    (Outcome::Rejected, 4.0),
    (Outcome::Withdrawn, 2.0),
    (Outcome::Submitted, 2.5),
    (Outcome::Returned, 1.5),
    (Outcome::Draft, 3.0),
];

/// A county with its city, as the generator uses them.
#[derive(Debug, Clone)]
pub struct County {
    /// County code.
    pub code: String,
    /// Its city's code.
    pub city_code: String,
    /// Index of its city in [`Plan::cities`].
    pub city: usize,
    /// Short place name used in company names (萧山, 义乌, …).
    pub place: String,
}

/// A city.
#[derive(Debug, Clone)]
pub struct City {
    /// City code.
    pub code: String,
    /// Short name (杭州).
    pub place: String,
    /// Lower-case English name for logins (`hangzhou`).
    pub login: String,
    /// Share of enterprises, as a fraction.
    pub share: f64,
}

/// The prepared distributions.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The 11 cities in GB/T 2260 order.
    pub cities: Vec<City>,
    /// The 90 county-level units in GB/T 2260 order.
    pub counties: Vec<County>,
    county_pick: WeightedIndex<f64>,
    industry_pick: WeightedIndex<f64>,
    size_pick: WeightedIndex<f64>,
    outcome_pick: WeightedIndex<f64>,
    cloud_years: WeightedIndex<f64>,
    general_years: WeightedIndex<f64>,
    /// The working-day calendar (the project's copy of the State Council's schedules), for 公示
    /// periods.
    pub calendar: Calendar,
}

fn weighted(weights: impl IntoIterator<Item = f64>) -> Result<WeightedIndex<f64>, String> {
    WeightedIndex::new(weights).map_err(|e| format!("demo plan: {e}"))
}

/// Drops the administrative suffix of a division name: 萧山区 → 萧山, 景宁畲族自治县 → 景宁.
fn place_name(name_zh: &str) -> String {
    let trimmed = name_zh.strip_suffix("畲族自治县").unwrap_or(name_zh);
    let trimmed = trimmed.strip_suffix(['市', '区', '县']).unwrap_or(trimmed);
    // Two-character names keep their suffix (a bare one-character place reads oddly).
    if trimmed.chars().count() < 2 {
        name_zh.to_string()
    } else {
        trimmed.to_string()
    }
}

impl Plan {
    /// Builds the distributions over the reference divisions.
    pub fn new(reference: &Reference) -> Result<Self, String> {
        let mut cities = Vec::new();
        for (code, weight) in CITY_WEIGHTS {
            let d = reference.division(code).ok_or_else(|| format!("demo plan: no city {code}"))?;
            let login = d.name_en.split_whitespace().next().unwrap_or(code).to_lowercase();
            cities.push(City { code: code.to_string(), place: place_name(&d.name_zh), login, share: weight / 100.0 });
        }
        let mut counties = Vec::new();
        let mut county_weights = Vec::new();
        for d in reference.divisions.iter().filter(|d| d.level == "county") {
            let city_code = d.parent_code.clone().ok_or_else(|| format!("demo plan: county {} has no city", d.code))?;
            let city = cities
                .iter()
                .position(|c| c.code == city_code)
                .ok_or_else(|| format!("demo plan: unknown city {city_code}"))?;
            // Districts and county-level cities carry more industry than rural counties.
            let base = if d.name_zh.ends_with("自治县") {
                0.3
            } else if d.name_zh.ends_with('县') {
                0.6
            } else {
                1.0
            };
            let boost = if STRONG_COUNTIES.contains(&d.code.as_str()) { 2.0 } else { 1.0 };
            county_weights.push((city, base * boost));
            counties.push(County { code: d.code.clone(), city_code, city, place: place_name(&d.name_zh) });
        }
        // Within a city the counties share the city's weight in proportion to their own.
        let mut city_sums = vec![0.0; cities.len()];
        for (city, w) in &county_weights {
            city_sums[*city] += w;
        }
        let county_pick = weighted(county_weights.iter().map(|(city, w)| cities[*city].share * w / city_sums[*city]))?;
        Ok(Self {
            county_pick,
            industry_pick: weighted(INDUSTRIES.iter().map(|i| i.1))?,
            size_pick: weighted(SIZES.iter().map(|s| s.1))?,
            outcome_pick: weighted(OUTCOMES.iter().map(|o| o.1))?,
            cloud_years: weighted(CLOUD_YEARS)?,
            general_years: weighted(GENERAL_YEARS)?,
            cities,
            counties,
            calendar: Calendar::new(
                crate::reference::calendar::rows()?.iter().filter_map(|r| Some((r.date, r.day_kind()?))),
            ),
        })
    }

    /// A county drawn by economic weight.
    pub fn county<R: Rng>(&self, rng: &mut R) -> usize {
        self.county_pick.sample(rng)
    }

    /// An index into [`INDUSTRIES`].
    pub fn industry<R: Rng>(&self, rng: &mut R) -> usize {
        self.industry_pick.sample(rng)
    }

    /// An index into [`SIZES`].
    pub fn size<R: Rng>(&self, rng: &mut R) -> usize {
        self.size_pick.sample(rng)
    }

    /// A final state.
    pub fn outcome<R: Rng>(&self, rng: &mut R) -> Outcome {
        OUTCOMES[self.outcome_pick.sample(rng)].0
    }

    /// An effective date on or after `from`, drawn from a year profile (cloud or general).
    pub fn effective_on<R: Rng>(&self, rng: &mut R, cloud: bool, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        if from > to {
            return None;
        }
        let years = if cloud { &self.cloud_years } else { &self.general_years };
        // The profile decides the year; a date outside [from, to] is drawn again a few times
        // and then falls back to a uniform day of the window.
        for _ in 0..4 {
            let year = 2018 + years.sample(rng) as i32;
            let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
            let d = start + chrono::Duration::days(rng.gen_range(0..365));
            if d >= from && d <= to {
                return Some(d);
            }
        }
        let span = (to - from).num_days();
        Some(from + chrono::Duration::days(rng.gen_range(0..=span)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_county_and_city_is_covered_and_weighted() {
        let plan = Plan::new(&Reference::load().unwrap()).unwrap();
        assert_eq!(plan.cities.len(), 11);
        assert_eq!(plan.counties.len(), 90);
        assert_eq!(plan.cities[0].login, "hangzhou");
        assert_eq!(plan.counties.iter().find(|c| c.code == "331127").unwrap().place, "景宁");
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut per_city = [0u32; 11];
        for _ in 0..100_000 {
            per_city[plan.counties[plan.county(&mut rng)].city] += 1;
        }
        // Hangzhou, Ningbo, Wenzhou are the three largest.
        let mut order: Vec<usize> = (0..11).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(per_city[i]));
        assert_eq!(&order[..3], &[0, 1, 2]);
        assert!(per_city.iter().all(|&n| n > 1000));
    }

    #[test]
    fn effective_dates_stay_in_the_window() {
        let plan = Plan::new(&Reference::load().unwrap()).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let from = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap();
        for _ in 0..1000 {
            let d = plan.effective_on(&mut rng, true, from, LAST_DAY).unwrap();
            assert!(d >= from && d <= LAST_DAY);
        }
        assert_eq!(plan.effective_on(&mut rng, false, LAST_DAY, from), None);
        assert_eq!(world_end().to_string(), "2025-12-31 15:59:59");
    }
}
