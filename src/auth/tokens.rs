//! Access tokens (JWT, HS256 pinned, 15 minutes) and opaque refresh tokens / client secrets.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::principal::{Principal, PrincipalKind};
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::Role;
use crate::error::AppError;

/// `iss` of every token this service issues.
pub const ISSUER: &str = "zj-enterprise-registry";
/// `aud` every token must carry.
pub const AUDIENCE: &str = "zj-enterprise-registry-api";
/// Lifetime of an access token, in seconds.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Subject: the user id or API client id.
    pub sub: String,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Token id.
    pub jti: String,
    /// Role name.
    pub role: String,
    /// `user` or `client`.
    pub kind: String,
    /// Enterprise scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<String>,
    /// City scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_code: Option<String>,
    /// County scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county_code: Option<String>,
    /// Provider scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// The account must change its password before doing anything else.
    #[serde(default)]
    pub must_change_password: bool,
}

/// Signing and verification keys with the pinned validation rules.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    /// Keys for an HMAC secret.
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation }
    }

    /// Issues an access token for `p`; returns the token and its lifetime in seconds.
    pub fn issue(&self, p: &Principal) -> Result<(String, i64), AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: p.id.clone(),
            exp: now + ACCESS_TTL_SECS,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            role: p.role.as_str().into(),
            kind: p.kind.as_str().into(),
            enterprise_id: p.enterprise_id.clone().map(String::from),
            city_code: p.city_code.clone(),
            county_code: p.county_code.clone(),
            provider_id: p.provider_id.clone(),
            must_change_password: p.must_change_password,
        };
        self.sign(&claims).map(|t| (t, ACCESS_TTL_SECS))
    }

    /// Signs arbitrary claims (tests use it to forge expired or foreign tokens).
    pub fn sign(&self, claims: &Claims) -> Result<String, AppError> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| AppError::internal(format!("jwt encode: {e}")))
    }

    /// Verifies a token and returns the principal it names; every failure is a 401.
    pub fn verify(&self, token: &str) -> Result<Principal, AppError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => AppError::unauthorized("token_expired", "the access token has expired"),
            _ => AppError::unauthorized("invalid_token", "the access token is not valid"),
        })?;
        let c = data.claims;
        let invalid = || AppError::unauthorized("invalid_token", "the access token is not valid");
        let role = Role::parse(&c.role).map_err(|_| invalid())?;
        let kind = PrincipalKind::parse(&c.kind).ok_or_else(invalid)?;
        Ok(Principal {
            id: c.sub,
            kind,
            role,
            enterprise_id: c.enterprise_id.map(EnterpriseId::from_stored),
            city_code: c.city_code,
            county_code: c.county_code,
            provider_id: c.provider_id,
            must_change_password: c.must_change_password,
        })
    }
}

/// A new opaque secret (refresh token or client secret): 32 random bytes, base64url.
pub fn new_secret() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 (hex) of a high-entropy secret. Such secrets are random, so a fast hash suffices;
/// argon2 is reserved for human passwords.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
