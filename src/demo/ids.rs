//! Deterministic identifiers: UUIDv7 ids from a fixed base time plus a counter (so they sort in
//! the order they were generated, and before anything the service mints later), and unique
//! USCCs whose organisation body is a scrambled counter.

use rand::Rng;

use crate::domain::Uscc;

/// 2018-01-01T00:00:00Z in Unix milliseconds: the demo's ids start here, one millisecond apart.
const BASE_MS: u64 = 1_514_764_800_000;

/// Hands out UUIDv7 ids: timestamp `BASE_MS + n` for the n-th id, random bits from the seeded RNG.
#[derive(Debug, Default)]
pub struct IdGen {
    next: u64,
}

impl IdGen {
    /// The next id, lower-case hyphenated like the service's own.
    pub fn next<R: Rng>(&mut self, rng: &mut R) -> String {
        let mut bits = [0u8; 10];
        rng.fill(&mut bits);
        let ms = BASE_MS + self.next;
        self.next += 1;
        uuid::Builder::from_unix_timestamp_millis(ms, &bits).into_uuid().hyphenated().to_string()
    }
}

/// The 31 characters of a USCC.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 31^6: the space of `MA` + six characters (bodies of enterprises registered since 2015).
const MA_SPACE: u64 = 887_503_681;
/// 10^8: the space of eight-digit bodies (older organisation codes).
const DIGIT_SPACE: u64 = 100_000_000;
/// Largest number of enterprises one run may generate (every body stays unique below it).
pub const MAX_ENTERPRISES: u64 = 10_000_000;

/// Makes unique, valid USCCs: the n-th enterprise's organisation body is an affine scramble of n
/// (a bijection), either `MA` + six characters or eight digits, so no two bodies coincide.
#[derive(Debug)]
pub struct UsccSeq {
    offset_ma: u64,
    offset_digits: u64,
}

impl UsccSeq {
    /// A sequence whose scramble depends on the seed.
    pub fn new(seed: u64) -> Self {
        Self { offset_ma: seed % MA_SPACE, offset_digits: seed.rotate_left(17) % DIGIT_SPACE }
    }

    /// The USCC of enterprise `n` registered by the office of `area`; `None` only if `area` is
    /// not six digits or `n` is beyond [`MAX_ENTERPRISES`].
    pub fn code<R: Rng>(&self, rng: &mut R, n: u64, area: &str) -> Option<Uscc> {
        if n >= MAX_ENTERPRISES {
            return None;
        }
        let mut body = format!("91{area}");
        if rng.gen_bool(0.75) {
            // 123_456_791 is not a multiple of 31, so x ↦ a·x + b is a bijection mod 31^6.
            let mut x = (n * 123_456_791 + self.offset_ma) % MA_SPACE;
            let mut tail = [b'0'; 6];
            for c in tail.iter_mut().rev() {
                *c = ALPHABET[(x % 31) as usize];
                x /= 31;
            }
            body.push_str("MA");
            body.push_str(std::str::from_utf8(&tail).ok()?);
        } else {
            // 73_939_133 is odd and not a multiple of 5: a bijection mod 10^8.
            let x = (n * 73_939_133 + self.offset_digits) % DIGIT_SPACE;
            body.push_str(&format!("{x:08}"));
        }
        Uscc::complete(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[test]
    fn ids_are_v7_ordered_and_reproducible() {
        let make = || {
            let mut rng = rand::rngs::StdRng::seed_from_u64(9);
            let mut ids = IdGen::default();
            (0..1000).map(|_| ids.next(&mut rng)).collect::<Vec<_>>()
        };
        let a = make();
        assert_eq!(a, make());
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        let u = uuid::Uuid::parse_str(&a[0]).unwrap();
        assert_eq!(u.get_version_num(), 7);
        assert!(a[0] < uuid::Uuid::now_v7().to_string());
    }

    #[test]
    fn usccs_are_valid_and_unique() {
        let seq = UsccSeq::new(42);
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let mut seen = HashSet::new();
        for n in 0..50_000 {
            let u = seq.code(&mut rng, n, "330106").unwrap();
            assert_eq!(Uscc::parse(u.as_str()).unwrap(), u);
            assert!(seen.insert(u.as_str()[8..16].to_string()), "body repeated at {n}");
        }
        assert!(seq.code(&mut rng, MAX_ENTERPRISES, "330106").is_none());
    }
}
