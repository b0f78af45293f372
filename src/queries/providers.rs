//! Service providers (§3.9).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::providers;

/// A stored provider.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = providers)]
pub struct ProviderRow {
    /// Id (UUIDv7).
    pub id: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Registered.
    pub created_at: NaiveDateTime,
    /// Who registered it.
    pub created_by: Option<String>,
}

/// Inserts a provider; false when its USCC is taken (a racing insert waits, then does nothing).
pub fn insert(conn: &mut DbConnection, row: &ProviderRow) -> QueryResult<bool> {
    let n = crate::db::on_backend!(conn, c => diesel::insert_into(providers::table).values(row).on_conflict_do_nothing().execute(c)?);
    Ok(n == 1)
}

/// The provider with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ProviderRow>> {
    providers::table.find(id.to_string()).select(ProviderRow::as_select()).first(conn).optional()
}

/// The provider with this USCC.
pub fn find_by_uscc(conn: &mut DbConnection, uscc: &str) -> QueryResult<Option<ProviderRow>> {
    providers::table.filter(providers::uscc.eq(uscc)).select(ProviderRow::as_select()).first(conn).optional()
}

/// A page of providers in id order after `after`.
pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> QueryResult<Vec<ProviderRow>> {
    let mut q = providers::table.select(ProviderRow::as_select()).order(providers::id).limit(limit).into_boxed();
    if let Some(a) = after {
        q = q.filter(providers::id.gt(a.to_string()));
    }
    q.load(conn)
}

/// Every provider (the statistics by provider).
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ProviderRow>> {
    providers::table.select(ProviderRow::as_select()).order(providers::id).load(conn)
}
