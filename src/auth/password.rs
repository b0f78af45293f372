//! Passwords: the §5 policy, argon2id hashing (PHC strings) and constant-shape verification.
//! Hashing is CPU-heavy: callers run these functions on the blocking pool.

use std::cell::RefCell;

use argon2::password_hash::{phc::PasswordHash, PasswordHasher};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{AppError, FieldError};

/// Checks the password policy of §5: at least 10 characters, three of the four classes
/// (lower case, upper case, digits, other), not containing the username. Returns the rule
/// that failed as a field error on `field`.
pub fn check_policy(password: &str, username: &str, field: &str) -> Result<(), AppError> {
    let fail = |code: &str, msg: &str| Err(AppError::validation(vec![FieldError::new(field, code, msg)]));
    if password.chars().count() < 10 {
        return fail("password_too_short", "must be at least 10 characters long");
    }
    if password.chars().count() > 128 {
        return fail("password_too_long", "must be at most 128 characters long");
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&b| b).count() < 3 {
        return fail(
            "password_too_simple",
            "must contain three of: lower-case letters, upper-case letters, digits, other characters",
        );
    }
    let user = username.trim().to_lowercase();
    if !user.is_empty() && password.to_lowercase().contains(&user) {
        return fail("password_contains_username", "must not contain the username");
    }
    Ok(())
}

/// Hashes a password as an argon2id PHC string.
pub fn hash(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2 hash: {e}")))
}

thread_local! {
    // argon2's work area (19 MiB with the default parameters), kept by each hashing thread rather
    // than allocated, zeroed by the system and freed again on every login.
    static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Verifies a password against a PHC string; a malformed hash counts as a mismatch.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::default()), Version::try_from) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let hashed = WORK_AREA.with(|area| {
        let mut area = area.borrow_mut();
        if area.len() < blocks {
            area.resize(blocks, Block::default());
        }
        argon2.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, &mut area[..blocks]).is_ok()
    });
    hashed && equal_in_constant_time(&out, expected.as_bytes())
}

fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A hash of a random password, verified against when the username is unknown so that unknown
/// users and wrong passwords take about the same time.
pub fn dummy_hash() -> Result<String, AppError> {
    hash(&uuid::Uuid::new_v4().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_the_rule() {
        let code = |p: &str| check_policy(p, "zhang.wei", "password").err().map(|e| e.field_errors()[0].code.clone());
        assert_eq!(code("Short1!").as_deref(), Some("password_too_short"));
        assert_eq!(code("alllowercaseletters").as_deref(), Some("password_too_simple"));
        assert_eq!(code("lowerUPPERonly").as_deref(), Some("password_too_simple"));
        assert_eq!(code("Zhang.Wei-2024x").as_deref(), Some("password_contains_username"));
        assert_eq!(code("Correct-Horse-7"), None);
        assert_eq!(code("lower-and-1234"), None);
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("Correct-Horse-7").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Correct-Horse-7", &h));
        assert!(!verify("correct-horse-7", &h));
        assert!(!verify("x", "not a phc string"));
    }

    /// The work-area verification agrees with the argon2 crate's own, also for other parameters
    /// (a hash made elsewhere) and for a tampered hash.
    #[test]
    fn verify_agrees_with_the_reference() {
        use argon2::password_hash::PasswordVerifier;
        let custom = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8_192, 3, 1, None).unwrap());
        for phc in [hash("Correct-Horse-7").unwrap(), custom.hash_password(b"Correct-Horse-7").unwrap().to_string()] {
            let parsed = PasswordHash::new(&phc).unwrap();
            for attempt in ["Correct-Horse-7", "Correct-Horse-8", ""] {
                let reference = Argon2::default().verify_password(attempt.as_bytes(), &parsed).is_ok();
                assert_eq!(verify(attempt, &phc), reference, "{attempt} against {phc}");
            }
            let mut tampered = phc.clone();
            let last = tampered.pop().unwrap();
            tampered.push(if last == 'A' { 'B' } else { 'A' });
            assert!(!verify("Correct-Horse-7", &tampered));
        }
    }
}
