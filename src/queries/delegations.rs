//! Enterprises' delegations to providers (§3.9) and the one question scope asks of them: may
//! provider P act on type T of enterprise E today? A delegation is in force while it is not
//! revoked and `expires_on` (its last day, inclusive) has not passed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use diesel::sql_types::Bool;

use crate::schema::{delegation_types, delegations, events};

type Backend = <DbConnection as Connection>::Backend;

/// A stored delegation (its types are in `delegation_types`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = delegations)]
pub struct DelegationRow {
    /// Id (UUIDv7).
    pub id: String,
    /// The delegating enterprise.
    pub enterprise_id: String,
    /// The provider.
    pub provider_id: String,
    /// Last day in force (none: until revoked).
    pub expires_on: Option<NaiveDate>,
    /// Granted.
    pub created_at: NaiveDateTime,
    /// Who granted it (user or client id).
    pub created_by: String,
    /// When it was revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

/// One delegated type.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = delegation_types)]
pub struct DelegationTypeRow {
    /// The delegation.
    pub delegation_id: String,
    /// The type.
    pub milestone_type: String,
    /// Its provider (copied).
    pub provider_id: String,
    /// Its enterprise (copied).
    pub enterprise_id: String,
    /// `enterprise_id:milestone_type`.
    pub scope_key: String,
}

/// The key a provider's record list filters on: the record's enterprise and type.
pub fn scope_key(enterprise_id: &str, milestone_type: &str) -> String {
    format!("{enterprise_id}:{milestone_type}")
}

/// Inserts a delegation and its types.
pub fn insert(conn: &mut DbConnection, row: &DelegationRow, types: &[String]) -> QueryResult<()> {
    diesel::insert_into(delegations::table).values(row).execute(conn)?;
    let rows: Vec<DelegationTypeRow> = types
        .iter()
        .map(|t| DelegationTypeRow {
            delegation_id: row.id.clone(),
            milestone_type: t.clone(),
            provider_id: row.provider_id.clone(),
            enterprise_id: row.enterprise_id.clone(),
            scope_key: scope_key(&row.enterprise_id, t),
        })
        .collect();
    for r in &rows {
        diesel::insert_into(delegation_types::table).values(r).execute(conn)?;
    }
    Ok(())
}

/// The delegation `id` of enterprise `enterprise_id`.
pub fn find(conn: &mut DbConnection, enterprise_id: &str, id: &str) -> QueryResult<Option<DelegationRow>> {
    delegations::table
        .filter(delegations::id.eq(id))
        .filter(delegations::enterprise_id.eq(enterprise_id))
        .select(DelegationRow::as_select())
        .first(conn)
        .optional()
}

/// An enterprise's delegations (revoked and expired ones included), oldest first, with their
/// types; only those to `provider` when given.
pub fn list_for(
    conn: &mut DbConnection,
    enterprise_id: &str,
    provider: Option<&str>,
) -> QueryResult<Vec<(DelegationRow, Vec<String>)>> {
    let mut q = delegations::table
        .filter(delegations::enterprise_id.eq(enterprise_id.to_string()))
        .order(delegations::id)
        .select(DelegationRow::as_select())
        .into_boxed::<Backend>();
    if let Some(p) = provider {
        q = q.filter(delegations::provider_id.eq(p.to_string()));
    }
    let rows = q.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let types: Vec<(String, String)> = delegation_types::table
        .filter(delegation_types::delegation_id.eq_any(&ids))
        .order((delegation_types::delegation_id, delegation_types::milestone_type))
        .select((delegation_types::delegation_id, delegation_types::milestone_type))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = types.iter().filter(|(d, _)| *d == r.id).map(|(_, t)| t.clone()).collect();
            (r, t)
        })
        .collect())
}

/// Revokes a delegation in force or not yet revoked; returns whether one was.
pub fn revoke(conn: &mut DbConnection, id: &str, by: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(delegations::table.filter(delegations::id.eq(id)).filter(delegations::revoked_at.is_null()))
        .set((delegations::revoked_at.eq(Some(now)), delegations::revoked_by.eq(Some(by))))
        .execute(conn)?;
    Ok(n == 1)
}

/// The keys (`enterprise:type`, as [`scope_key`] makes them) of the delegations of provider
/// `provider_id` in force on `on`: a subquery for the provider's record list (the event feed
/// uses [`covers_event`]).
#[diesel::dsl::auto_type(no_type_alias)]
pub fn keys_in_force<'a>(provider_id: &'a str, on: NaiveDate) -> _ {
    let in_force = delegations::table
        .filter(delegations::provider_id.eq(provider_id))
        .filter(
            delegations::revoked_at.is_null().and(delegations::expires_on.is_null().or(delegations::expires_on.ge(on))),
        )
        .select(delegations::id);
    delegation_types::table
        .filter(delegation_types::provider_id.eq(provider_id))
        .filter(delegation_types::delegation_id.eq_any(in_force))
        .select(delegation_types::scope_key)
}

/// Whether a delegation of provider `provider_id` in force on `on` covers the enterprise and type
/// of the current row of `events` (a correlated `EXISTS`, one probe of
/// `delegation_types_lookup_idx` per event): the event feed's form of [`keys_in_force`]. The
/// feed's condition is an `OR` (the provider's own delegation events, or events of records it
/// covers), which PostgreSQL cannot turn into a semi-join: an `IN (keys)` there was a subplan
/// re-scanned per event once the keys outgrew `work_mem` — minutes for a provider with 77,000
/// delegations (measured by bench/events.sh).
pub fn covers_event(
    provider_id: &str,
    on: NaiveDate,
) -> Box<dyn BoxableExpression<events::table, <DbConnection as Connection>::Backend, SqlType = Bool>> {
    let exists = diesel::dsl::sql::<Bool>(
        "EXISTS (SELECT 1 FROM delegation_types dt JOIN delegations d ON d.id = dt.delegation_id \
         WHERE dt.provider_id = ",
    )
    .bind::<diesel::sql_types::Text, _>(provider_id.to_string())
    .sql(
        " AND dt.enterprise_id = events.enterprise_id AND dt.milestone_type = events.milestone_type \
         AND d.revoked_at IS NULL AND (d.expires_on IS NULL OR d.expires_on >= ",
    )
    .bind::<diesel::sql_types::Date, _>(on)
    .sql("))");
    Box::new(exists)
}

/// The types provider `provider_id` may act on for enterprise `enterprise_id` on `today`.
pub fn types_in_force(
    conn: &mut DbConnection,
    provider_id: &str,
    enterprise_id: &str,
    today: NaiveDate,
) -> QueryResult<Vec<String>> {
    let mut types: Vec<String> = delegation_types::table
        .inner_join(delegations::table)
        .filter(delegation_types::provider_id.eq(provider_id))
        .filter(delegation_types::enterprise_id.eq(enterprise_id))
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::expires_on.is_null().or(delegations::expires_on.ge(today)))
        .select(delegation_types::milestone_type)
        .load(conn)?;
    types.sort();
    types.dedup();
    Ok(types)
}

/// Whether provider `provider_id` may act on type `milestone_type` of `enterprise_id` on `today`.
pub fn covers(
    conn: &mut DbConnection,
    provider_id: &str,
    enterprise_id: &str,
    milestone_type: &str,
    today: NaiveDate,
) -> QueryResult<bool> {
    let q = delegation_types::table
        .inner_join(delegations::table)
        .filter(delegation_types::provider_id.eq(provider_id))
        .filter(delegation_types::enterprise_id.eq(enterprise_id))
        .filter(delegation_types::milestone_type.eq(milestone_type))
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::expires_on.is_null().or(delegations::expires_on.ge(today)));
    diesel::select(diesel::dsl::exists(q)).get_result(conn)
}
