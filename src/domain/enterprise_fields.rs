//! The enterprise's fields of §3.2 other than the USCC: industry, size class, names and the
//! contact phone.

pub mod industry;
pub mod phone;

pub use industry::IndustryCode;
pub use phone::{Phone, PhoneKind};

/// Enterprise size class (大型、中型、小型、微型企业).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeClass {
    /// 大型.
    Large,
    /// 中型.
    Medium,
    /// 小型.
    Small,
    /// 微型.
    Micro,
}

impl SizeClass {
    /// Every class, largest first.
    pub const ALL: [SizeClass; 4] = [SizeClass::Large, SizeClass::Medium, SizeClass::Small, SizeClass::Micro];

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "large" => Ok(Self::Large),
            "medium" => Ok(Self::Medium),
            "small" => Ok(Self::Small),
            "micro" => Ok(Self::Micro),
            _ => Err("is not a size class (large, medium, small, micro)".to_string()),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Large => "large",
            Self::Medium => "medium",
            Self::Small => "small",
            Self::Micro => "micro",
        }
    }
}

impl std::fmt::Display for SizeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Trims `s` and checks its length in characters and the absence of control characters.
fn bounded_text(s: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let s = s.trim();
    let len = s.chars().count();
    if len < min || len > max {
        return Err(format!("{what} must have {min}–{max} characters after trimming, not {len}"));
    }
    if let Some(pos) = s.chars().position(char::is_control) {
        return Err(format!("{what} must not contain control characters (character {})", pos + 1));
    }
    Ok(s.to_string())
}

/// The contact person's name: trimmed, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactName(String);

impl ContactName {
    /// Trims and validates.
    pub fn parse(s: &str) -> Result<Self, String> {
        bounded_text(s, "the contact name", 1, 100).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The registered legal name (企业名称): trimmed, 2–200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LegalName(String);

impl LegalName {
    /// Trims and validates.
    pub fn parse(s: &str) -> Result<Self, String> {
        bounded_text(s, "the legal name", 2, 200).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn size_classes_round_trip() {
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::parse(c.as_str()).unwrap(), c);
            assert_eq!(c.to_string(), c.as_str());
        }
        assert!(SizeClass::parse("Large").is_err());
        assert!(SizeClass::parse(" small").is_err());
        assert!(SizeClass::parse("").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(ContactName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(ContactName::parse("李").unwrap().as_str(), "李");
        assert!(ContactName::parse("   ").unwrap_err().contains("not 0"));
        assert!(ContactName::parse(&"张".repeat(100)).is_ok());
        assert!(ContactName::parse(&"张".repeat(101)).is_err());

        let n = LegalName::parse(" 阿里巴巴（中国）有限公司\n").unwrap();
        assert_eq!(n.as_str(), "阿里巴巴（中国）有限公司");
        assert!(LegalName::parse("阿").unwrap_err().contains("2–200"));
        assert!(LegalName::parse(&"浙".repeat(200)).is_ok());
        assert!(LegalName::parse(&"浙".repeat(201)).is_err());
    }

    #[test]
    fn control_characters_are_rejected_inside() {
        let e = LegalName::parse("浙江\u{0}公司").unwrap_err();
        assert!(e.contains("character 3"), "{e}");
        assert!(ContactName::parse("张\t三").is_err());
        assert!(ContactName::parse("张\u{7f}三").is_err());
        assert!(ContactName::parse("Zhang San").is_ok());
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_and_clean(s in "[\\PC\\p{Cc}]{0,120}") {
            if let Ok(n) = ContactName::parse(&s) {
                prop_assert_eq!(n.as_str(), s.trim());
                prop_assert!((1..=100).contains(&n.as_str().chars().count()));
                prop_assert!(!n.as_str().chars().any(char::is_control));
            }
        }

        #[test]
        fn legal_names_of_valid_length_are_accepted(s in "[\\p{Han}A-Za-z（）]{2,200}") {
            prop_assert_eq!(LegalName::parse(&s).map(|n| n.as_str().to_string()), Ok(s));
        }
    }
}
