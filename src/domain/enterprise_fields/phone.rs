//! Mainland China contact phone numbers, stored as digits and shown masked.

/// Whether a number is a mobile or a landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// 11 digits, `1[3-9]…`.
    Mobile,
    /// `0` + area code + local number, 10–12 digits.
    Landline,
}

/// A contact phone number, normalised to digits only (`13812341234`, `057188881234`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    digits: String,
    kind: PhoneKind,
}

impl Phone {
    /// Accepts a mobile (`138 1234 1234`, `138-1234-1234`) or a landline (`0571-88881234`,
    /// at most one `-`, right after the area code), with an optional `+86` prefix. Spaces are
    /// ignored. After `+86` a landline's trunk `0` may be left out (`+86 571 88881234`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let trimmed = s.trim();
        let (international, rest) = match trimmed.strip_prefix("+86") {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let compact: String = rest.chars().filter(|c| *c != ' ').collect();
        // `+86-571-…`: the separator after the country code is not part of the number.
        let compact = match compact.strip_prefix('-') {
            Some(after) if international => after,
            _ => compact.as_str(),
        };
        if compact.is_empty() {
            return Err("the phone number is empty".to_string());
        }
        if compact.chars().any(|c| !c.is_ascii_digit() && c != '-') {
            return Err("a phone number has digits, spaces and `-` only".to_string());
        }
        if compact.starts_with('-') || compact.ends_with('-') || compact.contains("--") {
            return Err("`-` may only separate groups of digits in a phone number".to_string());
        }
        let mut digits: String = compact.chars().filter(|c| *c != '-').collect();
        if digits.starts_with('1') {
            return Self::mobile(digits);
        }
        let dashes = compact.matches('-').count();
        let before_dash = compact.split_once('-').map(|(a, _)| a.len());
        if international && !digits.starts_with('0') {
            digits.insert(0, '0');
            return Self::landline(digits, dashes, before_dash.map(|n| n + 1));
        }
        if digits.starts_with('0') {
            return Self::landline(digits, dashes, before_dash);
        }
        Err("a phone number is a mobile (1…) or a landline with its area code (0…)".to_string())
    }

    fn mobile(digits: String) -> Result<Self, String> {
        let second = digits.as_bytes().get(1).copied().unwrap_or(b'0');
        if digits.len() != 11 || !(b'3'..=b'9').contains(&second) {
            return Err("a mobile number has 11 digits and starts with 13–19".to_string());
        }
        Ok(Self { digits, kind: PhoneKind::Mobile })
    }

    /// `area_len` is the length, trunk `0` included, of the part before a `-`, if any.
    fn landline(digits: String, dashes: usize, area_len: Option<usize>) -> Result<Self, String> {
        // Checked before the length so that `0086…` gets the helpful message.
        if digits.as_bytes().get(1) == Some(&b'0') {
            return Err("an area code does not start with `00`".to_string());
        }
        if !(10..=12).contains(&digits.len()) {
            return Err(format!("a landline number has 10–12 digits with its area code, not {}", digits.len()));
        }
        if dashes > 1 {
            return Err("a landline number has at most one `-`, right after the area code".to_string());
        }
        if let Some(n) = area_len {
            if n != area_code_len(&digits) {
                return Err("in a landline number, `-` goes right after the area code".to_string());
            }
        }
        Ok(Self { digits, kind: PhoneKind::Landline })
    }

    /// The normalised digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Mobile or landline.
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// For everyone but the enterprise itself: `138****1234`, `0571****1234`, `021****1234`.
    pub fn masked(&self) -> String {
        let keep = match self.kind {
            PhoneKind::Mobile => 3,
            PhoneKind::Landline => area_code_len(&self.digits),
        };
        // Always four stars, so the mask does not reveal the number's length.
        let tail = &self.digits[self.digits.len() - 4..];
        format!("{}****{tail}", &self.digits[..keep])
    }
}

/// Length with the trunk `0`: 3 for Beijing (010) and the 02x cities, 4 elsewhere (0571).
fn area_code_len(digits: &str) -> usize {
    if digits.starts_with("01") || digits.starts_with("02") {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> String {
        Phone::parse(s).unwrap().as_str().to_string()
    }

    #[test]
    fn mobiles_are_normalised_and_masked() {
        for s in [
            "13812341234",
            " 138 1234 1234 ",
            "138-1234-1234",
            "+8613812341234",
            "+86 138 1234 1234",
            "+86-138-1234-1234",
        ] {
            assert_eq!(ok(s), "13812341234", "{s}");
        }
        let p = Phone::parse("19900001111").unwrap();
        assert_eq!(p.kind(), PhoneKind::Mobile);
        assert_eq!(Phone::parse("13812341234").unwrap().masked(), "138****1234");
        for bad in ["12812341234", "1381234123", "138123412345", "1381234123x", "+86"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn landlines_are_normalised_and_masked() {
        assert_eq!(ok("0571-88881234"), "057188881234");
        assert_eq!(ok("0571 8888 1234"), "057188881234");
        assert_eq!(ok("010-12345678"), "01012345678");
        assert_eq!(ok("0570-1234567"), "05701234567");
        assert_eq!(ok("+86 571 88881234"), "057188881234");
        assert_eq!(ok("+86-571-88881234"), "057188881234");
        assert_eq!(ok("+86 0571 88881234"), "057188881234");
        let p = Phone::parse("0571-88881234").unwrap();
        assert_eq!(p.kind(), PhoneKind::Landline);
        assert_eq!(p.masked(), "0571****1234");
        assert_eq!(Phone::parse("021-66665678").unwrap().masked(), "021****5678");
        assert_eq!(Phone::parse("0570-1234567").unwrap().masked(), "0570****4567");
    }

    #[test]
    fn bad_numbers_say_why() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            ("0571-8888-1234", "right after the area code"),
            ("057-188881234", "right after the area code"),
            ("0571--88881234", "separate groups"),
            ("-057188881234", "separate groups"),
            ("057188881234-", "separate groups"),
            ("057188", "10–12 digits"),
            ("0571888812345", "10–12 digits"),
            ("0086 571 88881234", "`00`"),
            ("(0571)88881234", "digits, spaces and `-` only"),
            ("88881234", "area code"),
            ("１３８12341234", "digits, spaces and `-` only"),
        ];
        for (input, expected) in cases {
            let e = Phone::parse(input).unwrap_err();
            assert!(e.contains(expected), "{input}: {e}");
        }
    }

    proptest! {
        #[test]
        fn formatted_mobiles_round_trip(second in 3..=9u8, rest in "[0-9]{9}", spaced: bool) {
            let digits = format!("1{second}{rest}");
            let input = if spaced {
                format!("+86 {} {} {}", &digits[..3], &digits[3..7], &digits[7..])
            } else {
                digits.clone()
            };
            let p = Phone::parse(&input).unwrap();
            prop_assert_eq!(p.as_str(), digits.as_str());
            let masked = p.masked();
            prop_assert_eq!(masked.len(), 11);
            prop_assert!(masked.starts_with(&digits[..3]) && masked.ends_with(&digits[7..]));
        }

        #[test]
        fn landlines_with_dash_round_trip(area in "0[1-9][0-9]{1,2}", local in "[2-8][0-9]{6,7}") {
            // A dash only fits where the area code really ends.
            let p = Phone::parse(&format!("{area}-{local}"));
            prop_assert_eq!(p.is_ok(), area.len() == area_code_len(&area));
            if let Ok(p) = p {
                prop_assert_eq!(p.as_str(), format!("{area}{local}"));
                prop_assert!(p.masked().ends_with(&local[local.len() - 4..]));
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            if let Ok(p) = Phone::parse(&s) {
                prop_assert!(p.as_str().bytes().all(|b| b.is_ascii_digit()));
                let _ = p.masked();
            }
        }
    }
}
