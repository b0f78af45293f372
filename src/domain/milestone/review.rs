//! Review chains (DESIGN §3.7): the [`Stage`]s a submitted record passes through, a type's
//! [`ReviewChain`] (an ordered, non-empty subset of county, city, province) and the 公示 length,
//! together a [`Review`]. Stored as text: a stage by its wire name, a chain as `city>province`.

use crate::domain::Role;

/// Longest 公示 a type may have, in working days.
pub const PUBLICITY_DAYS_MAX: u32 = 30;

/// A stage of review, in the order records pass through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Stage {
    /// 初审 by the county (区县经信局).
    County,
    /// 推荐 by the city (市经信局).
    City,
    /// 认定 by the province (省经信厅).
    Province,
}

impl Stage {
    /// Every stage, in chain order.
    pub const ALL: [Stage; 3] = [Stage::County, Stage::City, Stage::Province];

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "county" => Ok(Self::County),
            "city" => Ok(Self::City),
            "province" => Ok(Self::Province),
            _ => Err(format!("`{s}` is not a review stage (county, city, province)")),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::County => "county",
            Self::City => "city",
            Self::Province => "province",
        }
    }

    /// The role that acts at this stage (within its scope: the record's county, its city, the
    /// province); always `Some` (an `Option` so that a stage without a role could be added).
    pub fn reviewer(self) -> Option<Role> {
        match self {
            Self::County => Some(Role::CountyReviewer),
            Self::City => Some(Role::CityReviewer),
            Self::Province => Some(Role::ProvinceOfficer),
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An ordered, non-empty subset of the stages; its constructors are the only way to build one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReviewChain(Vec<Stage>);

impl ReviewChain {
    /// The chain of types a city recognises by itself: `city`.
    pub fn city_only() -> Self {
        Self(vec![Stage::City])
    }

    /// Builds a chain from stage names (the API's array): non-empty, known stages, each once,
    /// in the order county, city, province.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        if names.is_empty() {
            return Err("must name at least one stage".to_string());
        }
        let stages = names.iter().map(|n| Stage::parse(n.as_ref())).collect::<Result<Vec<_>, _>>()?;
        if stages.windows(2).any(|w| w[0] >= w[1]) {
            return Err("must list each stage once, in the order county, city, province".to_string());
        }
        Ok(Self(stages))
    }

    /// Parses the stored form `city>province`.
    pub fn parse(stored: &str) -> Result<Self, String> {
        let names: Vec<&str> = stored.split('>').map(str::trim).collect();
        Self::from_names(&names)
    }

    /// The stored form `city>province`.
    pub fn stored(&self) -> String {
        self.names().join(">")
    }

    /// The stage names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|s| s.as_str()).collect()
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[Stage] {
        &self.0
    }

    /// The stage a submission starts at.
    pub fn first(&self) -> Stage {
        self.0.first().copied().unwrap_or(Stage::City)
    }

    /// The stage whose approval ends the review.
    pub fn last(&self) -> Stage {
        self.0.last().copied().unwrap_or(Stage::City)
    }

    /// The stage after `stage`, or `None` when `stage` is the last.
    pub fn after(&self, stage: Stage) -> Option<Stage> {
        self.0.iter().copied().find(|s| *s > stage)
    }

    /// Every chain there is (the seven non-empty ordered subsets), for exhaustive tests.
    pub fn all() -> Vec<ReviewChain> {
        (1u8..8)
            .map(|mask| {
                Self(Stage::ALL.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| *s).collect())
            })
            .collect()
    }
}

/// How a type's records are reviewed: the chain and the 公示 length in working days.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Review {
    /// The stages, in order.
    pub chain: ReviewChain,
    /// 公示 length in working days; 0 = none.
    pub publicity_days: u32,
}

impl Review {
    /// `city`, no 公示: how every record was reviewed before chains existed.
    pub fn city_only() -> Self {
        Self { chain: ReviewChain::city_only(), publicity_days: 0 }
    }

    /// Reads stored columns; a missing value (a record submitted before chains existed, a type
    /// not yet seeded) is the city-only review.
    pub fn from_stored(chain: Option<&str>, days: Option<i32>) -> Result<Self, String> {
        let chain = chain.map(ReviewChain::parse).transpose()?.unwrap_or_else(ReviewChain::city_only);
        let publicity_days = check_days(i64::from(days.unwrap_or(0)))?;
        Ok(Self { chain, publicity_days })
    }
}

/// Checks a 公示 length: 0 to [`PUBLICITY_DAYS_MAX`] working days.
pub fn check_days(days: i64) -> Result<u32, String> {
    u32::try_from(days)
        .ok()
        .filter(|d| *d <= PUBLICITY_DAYS_MAX)
        .ok_or_else(|| format!("must be an integer from 0 to {PUBLICITY_DAYS_MAX}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_ordered_non_empty_subsets() {
        assert_eq!(ReviewChain::parse("city>province").unwrap().names(), ["city", "province"]);
        assert_eq!(ReviewChain::parse("county>city>province").unwrap().stored(), "county>city>province");
        assert!(ReviewChain::from_names::<&str>(&[]).is_err());
        assert!(ReviewChain::parse("province>city").is_err());
        assert!(ReviewChain::parse("city>city").is_err());
        assert!(ReviewChain::parse("town").is_err());
        assert_eq!(ReviewChain::all().len(), 7);
        for c in ReviewChain::all() {
            assert_eq!(ReviewChain::parse(&c.stored()).unwrap(), c);
        }
    }

    #[test]
    fn stages_follow_the_chain() {
        let c = ReviewChain::parse("county>province").unwrap();
        assert_eq!(c.first(), Stage::County);
        assert_eq!(c.after(Stage::County), Some(Stage::Province));
        assert_eq!(c.after(Stage::Province), None);
        assert_eq!(c.last(), Stage::Province);
    }

    #[test]
    fn days_range() {
        assert_eq!(check_days(0), Ok(0));
        assert_eq!(check_days(30), Ok(30));
        assert!(check_days(31).is_err());
        assert!(check_days(-1).is_err());
        assert_eq!(Review::from_stored(None, None).unwrap(), Review::city_only());
    }
}
