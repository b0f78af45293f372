//! Database errors as problems: not found, conflicts, unavailability (503) and refusals caused by
//! what the client sent (4xx); anything else is a 500.

use actix_web::http::StatusCode;

use super::AppError;

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match &e {
            E::NotFound => Self::not_found("resource"),
            E::DatabaseError(K::ClosedConnection, _) => Self::unavailable(e.to_string()),
            E::DatabaseError(K::UniqueViolation, _) => {
                Self::conflict("conflict", "the record conflicts with an existing one").with_cause(e.to_string())
            }
            E::DatabaseError(K::SerializationFailure, _) => {
                Self::conflict("concurrent_update", "the record was changed concurrently, please retry")
            }
            E::DatabaseError(_, info) if is_transient(info.message()) => Self::unavailable(e.to_string()),
            E::DatabaseError(_, info) => match client_fault(info.message()) {
                Some(problem) => problem.with_cause(e.to_string()),
                None => Self::internal(e.to_string()),
            },
            _ => Self::internal(e.to_string()),
        }
    }
}

/// A database refusal caused by what the client sent (the extractors should have caught it
/// first; this keeps a missed case from becoming 500). PostgreSQL's messages of SQLSTATE 22021
/// (`invalid byte sequence`, e.g. NUL), 22P05 (`has no equivalent in encoding`, a database not
/// in UTF-8), 22001 (`value too long`) and 22003 (`out of range`) never quote the value.
fn client_fault(message: &str) -> Option<AppError> {
    let m = message.to_ascii_lowercase();
    if m.contains("invalid byte sequence for encoding")
        || m.contains("has no equivalent in encoding")
        || m.contains("character not in repertoire")
    {
        return Some(AppError::bad_request(
            "invalid_character",
            None,
            "the request holds a character that cannot be stored",
        ));
    }
    if m.contains("value too long for type") || m.contains("string data right truncation") {
        return Some(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "value_too_long",
            "a value in the request is longer than can be stored",
        ));
    }
    if m.contains("out of range for type") || m.contains("value out of range") {
        return Some(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "value_out_of_range",
            "a number in the request is outside the range that can be stored",
        ));
    }
    None
}

fn is_transient(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("server closed the connection")
        || m.contains("terminating connection")
        || m.contains("connection refused")
        || m.contains("could not connect")
        || m.contains("no connection to the server")
        || m.contains("canceling statement due to statement timeout")
        // PostgreSQL broke a lock cycle by failing this transaction: nothing was written, a
        // retry succeeds.
        || m.contains("deadlock detected")
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    struct Info(&'static str);

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn status_of(message: &'static str) -> u16 {
        AppError::from(Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(Info(message)))).status().as_u16()
    }

    #[test]
    fn client_faults_are_4xx() {
        assert_eq!(status_of("invalid byte sequence for encoding \"UTF8\": 0x00"), 400);
        assert_eq!(status_of("character with byte sequence 0xe6 0xb5 has no equivalent in encoding \"LATIN1\""), 400);
        assert_eq!(status_of("value too long for type character varying(20)"), 422);
        assert_eq!(status_of("integer out of range for type integer"), 422);
        assert_eq!(status_of("database is locked"), 503);
        assert_eq!(status_of("relation \"x\" does not exist"), 500);
    }
}
