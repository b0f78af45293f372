//! Passwords: the §5 policy, argon2id hashing (PHC strings) and constant-shape verification.
//! Hashing is CPU-heavy: callers run these functions on the blocking pool.

use argon2::password_hash::{phc::PasswordHash, PasswordHasher, PasswordVerifier};
use argon2::Argon2;

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

/// Verifies a password against a PHC string; a malformed hash counts as a mismatch.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
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
}
