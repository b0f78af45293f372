//! GB/T 2260 division codes of Zhejiang and their levels.

use crate::reference::Reference;

/// Level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DivisionLevel {
    /// 省 — the province (330000).
    Province,
    /// 市 — one of the 11 cities.
    City,
    /// 县级 — a district, county-level city or county.
    County,
}

impl DivisionLevel {
    /// Parses `province`, `city` or `county`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "province" => Ok(Self::Province),
            "city" => Ok(Self::City),
            "county" => Ok(Self::County),
            _ => Err("is not a division level (province, city, county)".to_string()),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
        }
    }
}

/// A six-digit code of one of Zhejiang's divisions, checked against the reference data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DivisionCode {
    code: String,
    level: DivisionLevel,
}

impl DivisionCode {
    /// Accepts a code that names a division of Zhejiang.
    pub fn parse(s: &str, reference: &Reference) -> Result<Self, String> {
        let s = s.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("is not a six-digit GB/T 2260 code".to_string());
        }
        let row = reference.division(s).ok_or_else(|| "is not a division of Zhejiang".to_string())?;
        Ok(Self { code: s.to_string(), level: DivisionLevel::parse(&row.level)? })
    }

    /// Accepts only a city code.
    pub fn parse_city(s: &str, reference: &Reference) -> Result<Self, String> {
        let c = Self::parse(s, reference)?;
        if c.level != DivisionLevel::City {
            return Err("is not a city code of Zhejiang".to_string());
        }
        Ok(c)
    }

    /// Accepts only a county-level code.
    pub fn parse_county(s: &str, reference: &Reference) -> Result<Self, String> {
        let c = Self::parse(s, reference)?;
        if c.level != DivisionLevel::County {
            return Err("is not a county-level code of Zhejiang".to_string());
        }
        Ok(c)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The level.
    pub fn level(&self) -> DivisionLevel {
        self.level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_against_the_reference() {
        let r = Reference::load().unwrap();
        assert_eq!(DivisionCode::parse("330100", &r).unwrap().level(), DivisionLevel::City);
        assert_eq!(DivisionCode::parse_county("330106", &r).unwrap().as_str(), "330106");
        assert!(DivisionCode::parse_city("330106", &r).is_err());
        assert!(DivisionCode::parse("110000", &r).is_err());
        assert!(DivisionCode::parse("33010", &r).is_err());
        assert!(DivisionCode::parse("33010x", &r).is_err());
    }
}
