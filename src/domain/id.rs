//! Resource ids: UUIDs normalised to lower-case hyphenated form, one type per kind of resource so
//! that an enterprise's id cannot be passed where a record's is meant. They are built only by
//! [`parse_id`] / [`ResourceId::parse`] (from a request) or [`ResourceId::from_stored`] (from a row
//! or a verified token); the query layer takes them as `&str` through [`ResourceId::as_str`].

use crate::error::AppError;

/// Parses a path or body id; a malformed id is a 400 naming `param`.
pub fn parse_id(s: &str, param: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(s.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| AppError::bad_request("invalid_parameter", Some(param), format!("`{param}` must be a UUID")))
}

/// What every resource id type offers.
pub trait ResourceId: Sized {
    /// Wraps an id already known to be well-formed (a stored row's, a verified token's).
    fn from_stored(id: String) -> Self;

    /// The id as stored.
    fn as_str(&self) -> &str;

    /// Parses an id from a request; a malformed one is a 400 naming `param`.
    fn parse(s: &str, param: &str) -> Result<Self, AppError> {
        parse_id(s, param).map(Self::from_stored)
    }
}

macro_rules! resource_id {
    ($(#[$doc:meta] $name:ident),+ $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl ResourceId for $name {
            fn from_stored(id: String) -> Self {
                Self(id)
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    )+};
}

resource_id! {
    /// An enterprise's id.
    EnterpriseId,
    /// A milestone record's id.
    MilestoneId,
    /// A user account's id.
    UserId,
    /// An enterprise API client's id.
    ClientId,
    /// An import's id (§3.8).
    ImportId,
    /// A service provider's id.
    ProviderId,
    /// A delegation's id.
    DelegationId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_normalises_and_names_the_parameter() {
        let id = EnterpriseId::parse(" 6F9619FF-8B86-D011-B42D-00C04FC964FF ", "id").unwrap();
        assert_eq!(id.as_str(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        let err = MilestoneId::parse("nope", "milestone_id").unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
        assert_eq!(err.field_errors()[0].field.as_deref(), Some("milestone_id"));
    }
}
