//! The unified social credit code (统一社会信用代码) of GB 32100-2015.
//!
//! Layout: registering department (1), category (2), registering office's area (3–8, digits),
//! organisation code body (9–16), its GB 11714 check character (17), and the GB 32100 check
//! character over the first 17 (18). Positions 3–8 name the office that registered the
//! enterprise, not where it is, so nothing here exposes them as a location.

use rand::Rng;

/// The 31 characters of a USCC; a character's value is its index (no I, O, S, V, Z).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100 weights of positions 1..=17: 3^(i−1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// GB 11714 weights of the eight-character organisation code body.
const BODY_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A strictly valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

impl Uscc {
    /// Validates `s` exactly as given: no trimming, upper case only.
    pub fn parse(s: &str) -> Result<Self, String> {
        let len = s.chars().count();
        if len != 18 {
            // The input is not echoed: it may be arbitrarily long.
            return Err(format!("a USCC has 18 characters, not {len}"));
        }
        for (i, c) in s.chars().enumerate() {
            if !c.is_ascii() || value(c as u8).is_none() {
                let hint = if c.is_ascii_lowercase() && value(c.to_ascii_uppercase() as u8).is_some() {
                    " (upper case only)"
                } else {
                    " (allowed: 0-9 and A-Y except I, O, S, V)"
                };
                return Err(format!("character {} is not allowed in a USCC{hint}", i + 1));
            }
        }
        // Every character is ASCII from here on, so byte positions are character positions.
        let b = s.as_bytes();
        if let Some(i) = (2..8).find(|&i| !b[i].is_ascii_digit()) {
            return Err(format!(
                "positions 3–8 must be digits (the registering office's area code), but character {} \
                 is not",
                i + 1
            ));
        }
        let body_check = gb11714_check(&b[8..16]);
        if b[16] != body_check {
            return Err(format!(
                "character 17 should be `{}`, the GB 11714 check of characters 9–16",
                body_check as char
            ));
        }
        let check = gb32100_check(&b[..17]);
        if b[17] != check {
            return Err(format!("character 18 should be `{}`, the GB 32100 check character", check as char));
        }
        Ok(Self(s.to_string()))
    }

    /// What the API does with user input: trims and upper-cases, then validates strictly.
    pub fn parse_input(s: &str) -> Result<Self, String> {
        Self::parse(&s.trim().to_ascii_uppercase())
    }

    /// Appends both check characters to a 16-character body (positions 1–16); `None` if the
    /// body has a character outside the alphabet, the wrong length, or non-digits in 3–8.
    pub fn complete(body16: &str) -> Option<Self> {
        let b = body16.as_bytes();
        if b.len() != 16 || b.iter().any(|&c| value(c).is_none()) {
            return None;
        }
        let mut code = b.to_vec();
        code.push(gb11714_check(&b[8..16]));
        code.push(gb32100_check(&code));
        let code = String::from_utf8(code).ok()?;
        // Re-validating keeps the 3–8 rule in one place.
        Self::parse(&code).ok()
    }

    /// A random valid code of an enterprise (`91…`) registered by the office with the
    /// six-digit area code `area`; `None` if `area` is not six digits. For demo data.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R, area: &str) -> Option<Self> {
        if area.len() != 6 || !area.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut body = format!("91{area}");
        for _ in 0..8 {
            body.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
        }
        Self::complete(&body)
    }

    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The GB 32100 value of a character, or `None` outside the alphabet.
fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Character 18 for the first 17 characters, all from the alphabet.
fn gb32100_check(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&c, w)| value(c).unwrap_or(0) * w).sum();
    ALPHABET[((31 - sum % 31) % 31) as usize]
}

/// The GB 11714 check character of an eight-character body of digits and upper-case letters.
fn gb11714_check(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(BODY_WEIGHTS)
        .map(|(&c, w)| {
            // GB 11714 counts letters A=10 … Z=35, unlike the USCC alphabet.
            let v = if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c.saturating_sub(b'A')) + 10 };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    const VECTORS: &str = include_str!("../../data/reference/uscc_vectors.csv");

    struct Vector {
        code: String,
        valid: bool,
        note: String,
    }

    fn vectors() -> Vec<Vector> {
        // The lower-case row's note has an unquoted comma, so rows may have extra fields:
        // everything after `valid` is the note.
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(VECTORS.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                let fields: Vec<&str> = r.iter().collect();
                Vector { code: fields[0].to_string(), valid: fields[1].parse().unwrap(), note: fields[2..].join(",") }
            })
            .collect()
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1;
        for (i, &weight) in WEIGHTS.iter().enumerate() {
            assert_eq!(weight, w, "weight of position {}", i + 1);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn every_vector_behaves_as_listed() {
        let vectors = vectors();
        assert_eq!(vectors.len(), 17);
        for v in &vectors {
            let parsed = Uscc::parse(&v.code);
            assert_eq!(parsed.is_ok(), v.valid, "{} ({}): {parsed:?}", v.code, v.note);
            match parsed {
                Ok(u) => assert_eq!(u.as_str(), v.code),
                // The note names the expected check character; so must the message.
                Err(e) => {
                    if let Some(rest) = v.note.split("(expected ").nth(1) {
                        let expected = &rest[..1];
                        assert!(e.contains(&format!("`{expected}`")), "{e}");
                    }
                }
            }
        }
    }

    #[test]
    fn lower_case_vector_is_accepted_by_parse_input_only() {
        let v = vectors();
        let lower = v.iter().find(|v| v.note.starts_with("lower case")).unwrap();
        let e = Uscc::parse(&lower.code).unwrap_err();
        assert!(e.contains("upper case only"), "{e}");
        let u = Uscc::parse_input(&format!("  {}\t", lower.code)).unwrap();
        assert_eq!(u.as_str(), "91330100799655058B");
        assert_eq!(u.to_string(), "91330100799655058B");
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let e = Uscc::parse("91330100799655058").unwrap_err();
        assert!(e.contains("18 characters, not 17"), "{e}");
        let e = Uscc::parse("91330100799655O58B").unwrap_err();
        assert!(e.contains("character 15 is not allowed"), "{e}");
        let e = Uscc::parse("91330100799655058阿").unwrap_err();
        assert!(e.contains("character 18 is not allowed"), "{e}");
        let e = Uscc::parse("9133A100799655058B").unwrap_err();
        assert!(e.contains("positions 3–8") && e.contains("character 5 is not"), "{e}");
        let e = Uscc::parse("91330000733796107T").unwrap_err();
        assert!(e.contains("character 17") && e.contains("`6`"), "{e}");
        let e = Uscc::parse("91330100799655058C").unwrap_err();
        assert!(e.contains("character 18") && e.contains("`B`"), "{e}");
        assert!(Uscc::parse(" 91330100799655058B").is_err());
        assert!(Uscc::parse("").is_err());
    }

    #[test]
    fn gb11714_maps_ten_to_x_and_eleven_to_zero() {
        // 4·3 = 12 ≡ 1 (mod 11) gives 11 − 1 = 10; a zero sum gives 11.
        assert_eq!(gb11714_check(b"40000000"), b'X');
        assert_eq!(gb11714_check(b"00000000"), b'0');
        // Letters count from A=10: B=11 at weight 3 is 33 ≡ 0.
        assert_eq!(gb11714_check(b"B0000000"), b'0');
    }

    #[test]
    fn complete_rebuilds_the_vectors() {
        for v in vectors().iter().filter(|v| v.valid) {
            let u = Uscc::complete(&v.code[..16]).unwrap();
            assert_eq!(u.as_str(), v.code);
        }
        assert_eq!(Uscc::complete("913301007996550"), None);
        assert_eq!(Uscc::complete("9133010079965505O"), None);
        assert_eq!(Uscc::complete("9133A10079965505"), None);
        assert_eq!(Uscc::complete("913301007996550阿"), None);
    }

    #[test]
    fn generate_uses_the_area_and_is_valid() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let u = Uscc::generate(&mut rng, "330106").unwrap();
            assert!(u.as_str().starts_with("91330106"));
            assert_eq!(Uscc::parse(u.as_str()), Ok(u));
        }
        assert_eq!(Uscc::generate(&mut rng, "33010"), None);
        assert_eq!(Uscc::generate(&mut rng, "33010A"), None);
    }

    fn alphabet_char() -> impl Strategy<Value = char> {
        (0..31usize).prop_map(|i| ALPHABET[i] as char)
    }

    prop_compose! {
        fn valid_code()(
            head in proptest::collection::vec(alphabet_char(), 2),
            area in "[0-9]{6}",
            body in proptest::collection::vec(alphabet_char(), 8),
        ) -> Uscc {
            let head: String = head.into_iter().collect();
            let body: String = body.into_iter().collect();
            Uscc::complete(&format!("{head}{area}{body}")).unwrap()
        }
    }

    proptest! {
        #[test]
        fn completed_codes_are_accepted(u in valid_code()) {
            prop_assert_eq!(Uscc::parse(u.as_str()), Ok(u.clone()));
            prop_assert_eq!(Uscc::parse_input(&u.as_str().to_ascii_lowercase()), Ok(u));
        }

        #[test]
        fn one_changed_character_is_rejected(
            u in valid_code(),
            pos in 0..18usize,
            shift in 1..31usize,
        ) {
            let mut b = u.as_str().as_bytes().to_vec();
            let old = value(b[pos]).unwrap() as usize;
            b[pos] = ALPHABET[(old + shift) % 31];
            let changed = String::from_utf8(b).unwrap();
            prop_assert!(Uscc::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Uscc::parse(&s);
            let _ = Uscc::parse_input(&s);
        }

        /// Near misses — a valid code with one character replaced by anything, NUL and
        /// multi-byte characters included — never panic, and the message names a position or
        /// the length without repeating the input.
        #[test]
        fn near_misses_are_explained_without_the_input(u in valid_code(), pos in 0..18usize, c in any::<char>()) {
            let mut chars: Vec<char> = u.as_str().chars().collect();
            chars[pos] = c;
            let s: String = chars.into_iter().collect();
            if let Err(e) = Uscc::parse(&s).and(Uscc::parse_input(&s)) {
                prop_assert!(!e.contains(&s), "{}", e);
                prop_assert!(e.contains("character") || e.contains("positions"), "{}", e);
            }
        }
    }
}
