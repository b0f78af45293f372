//! GB/T 4754-2017 industry codes at section or division level.

/// Sections A–T with their first and last two-digit division.
const SECTIONS: [(char, u8, u8); 20] = [
    ('A', 1, 5),
    ('B', 6, 12),
    ('C', 13, 43),
    ('D', 44, 46),
    ('E', 47, 50),
    ('F', 51, 52),
    ('G', 53, 60),
    ('H', 61, 62),
    ('I', 63, 65),
    ('J', 66, 69),
    ('K', 70, 70),
    ('L', 71, 72),
    ('M', 73, 75),
    ('N', 76, 79),
    ('O', 80, 82),
    ('P', 83, 83),
    ('Q', 84, 85),
    ('R', 86, 90),
    ('S', 91, 97),
    ('T', 98, 98),
];

/// An industry: a section letter (`C`) or a section letter and one of its divisions (`C39`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndustryCode(String);

impl IndustryCode {
    /// Trims and upper-cases, then accepts `A`–`T`, or a section letter followed by a
    /// two-digit division that belongs to that section.
    pub fn parse(s: &str) -> Result<Self, String> {
        let code = s.trim().to_ascii_uppercase();
        let mut chars = code.chars();
        let Some(letter) = chars.next() else {
            return Err("the industry code is empty".to_string());
        };
        let Some(&(_, first, last)) = SECTIONS.iter().find(|(l, ..)| *l == letter) else {
            return Err("does not start with a GB/T 4754-2017 section letter (A–T)".to_string());
        };
        let digits = chars.as_str();
        if digits.is_empty() {
            return Ok(Self(code));
        }
        if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("is neither a section letter nor a letter and a two-digit division".to_string());
        }
        let division: u8 = digits.parse().map_err(|_| "has no two-digit division".to_string())?;
        if !(first..=last).contains(&division) {
            return Err(format!("division {digits} is not in section {letter} (divisions {first:02}–{last:02})"));
        }
        Ok(Self(code))
    }

    /// The code as stored: `C` or `C39`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The section letter.
    pub fn section(&self) -> char {
        // `parse` guarantees an ASCII letter first.
        self.0.chars().next().unwrap_or('?')
    }

    /// The two-digit division, if the code has one.
    pub fn division(&self) -> Option<u8> {
        self.0.get(1..).and_then(|d| d.parse().ok())
    }

    /// Section C, 制造业 (divisions 13–43).
    pub fn is_manufacturing(&self) -> bool {
        self.section() == 'C'
    }
}

impl std::fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples_from_the_brief() {
        let c = IndustryCode::parse("C").unwrap();
        assert_eq!((c.section(), c.division()), ('C', None));
        assert!(c.is_manufacturing());
        let c39 = IndustryCode::parse(" c39 ").unwrap();
        assert_eq!(c39.as_str(), "C39");
        assert_eq!(c39.division(), Some(39));
        assert!(c39.is_manufacturing());
        let e = IndustryCode::parse("C12").unwrap_err();
        assert!(e.contains("13–43"), "{e}");
        assert!(IndustryCode::parse("U").is_err());
        assert!(IndustryCode::parse("C3").is_err());
        assert!(IndustryCode::parse("C391").is_err());
        assert!(IndustryCode::parse("").is_err());
        assert!(IndustryCode::parse("  ").is_err());
        assert!(IndustryCode::parse("39").is_err());
        assert!(IndustryCode::parse("C+9").is_err());
        assert!(IndustryCode::parse("C３9").is_err());
        assert!(!IndustryCode::parse("I65").unwrap().is_manufacturing());
    }

    #[test]
    fn sections_cover_divisions_01_to_98_without_gaps() {
        let mut next = 1;
        for (i, (letter, first, last)) in SECTIONS.iter().enumerate() {
            assert_eq!(*letter, (b'A' + i as u8) as char);
            assert_eq!(*first, next, "section {letter}");
            assert!(first <= last);
            next = last + 1;
        }
        assert_eq!(next, 99);
    }

    #[test]
    fn every_division_belongs_to_exactly_one_section() {
        for d in 1..=98u8 {
            let owners: Vec<char> =
                ('A'..='T').filter(|l| IndustryCode::parse(&format!("{l}{d:02}")).is_ok()).collect();
            assert_eq!(owners.len(), 1, "division {d:02}: {owners:?}");
        }
        for l in 'A'..='T' {
            assert!(IndustryCode::parse(&format!("{l}00")).is_err());
            assert!(IndustryCode::parse(&format!("{l}99")).is_err());
        }
    }

    proptest! {
        #[test]
        fn accepted_codes_round_trip(s in "[A-Za-z][0-9]{0,2}") {
            if let Ok(c) = IndustryCode::parse(&s) {
                prop_assert_eq!(c.as_str(), s.to_ascii_uppercase());
                prop_assert_eq!(IndustryCode::parse(c.as_str()), Ok(c.clone()));
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,8}") {
            let _ = IndustryCode::parse(&s);
        }
    }
}
