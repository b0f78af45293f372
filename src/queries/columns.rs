//! How domain types are stored: TEXT columns holding their wire names, so a row is typed from the
//! moment it is read (a value the type does not know is a deserialisation error, never a row
//! silently dropped) and queries filter with the types, not with string literals.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::{MilestoneState, Stage};

impl<DB: Backend> FromSql<Text, DB> for MilestoneState
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        MilestoneState::parse(&text).map_err(Into::into)
    }
}

impl<DB: Backend> ToSql<Text, DB> for MilestoneState
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.as_str().to_sql(out)
    }
}

impl<DB: Backend> FromSql<Text, DB> for Stage
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        Stage::parse(&text).map_err(Into::into)
    }
}

impl<DB: Backend> ToSql<Text, DB> for Stage
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.as_str().to_sql(out)
    }
}
