//! Enterprise records.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::enterprises;

/// Whether an enterprise with this id exists.
pub fn exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(enterprises::table.find(id.to_string()))).get_result(conn)
}
