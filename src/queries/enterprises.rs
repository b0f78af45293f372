//! Enterprise records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::enterprises;

/// A stored enterprise.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = enterprises)]
pub struct EnterpriseRow {
    /// Id (UUIDv7).
    pub id: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// Legal name.
    pub name: String,
    /// County-level division of registration.
    pub county_code: String,
    /// Its city.
    pub city_code: String,
    /// GB/T 4754-2017 code; `None` until an enterprise created by an import gives it.
    pub industry_code: Option<String>,
    /// Size class; `None` until an enterprise created by an import gives it.
    pub size_class: Option<String>,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone (normalised, unmasked).
    pub contact_phone: String,
    /// Verified by its city (or created by an official).
    pub verified: bool,
    /// When it was verified.
    pub verified_at: Option<NaiveDateTime>,
    /// Who verified it.
    pub verified_by: Option<String>,
    /// `official`, `self` or `official_list`.
    pub registered_via: String,
    /// Optimistic version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Whether an enterprise with this id exists.
pub fn exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(enterprises::table.find(id.to_string()))).get_result(conn)
}

/// Inserts an enterprise.
pub fn insert(conn: &mut DbConnection, row: &EnterpriseRow) -> QueryResult<bool> {
    // A concurrent insert of the same USCC makes this one wait for it, then do nothing: the
    // caller answers as it would have had it come second.
    let n = crate::db::on_backend!(conn, c => diesel::insert_into(enterprises::table).values(row).on_conflict_do_nothing().execute(c)?);
    Ok(n == 1)
}

/// The enterprise with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EnterpriseRow>> {
    enterprises::table.find(id).select(EnterpriseRow::as_select()).first(conn).optional()
}

/// The id of the enterprise holding this USCC.
pub fn id_by_uscc(conn: &mut DbConnection, uscc: &str) -> QueryResult<Option<String>> {
    enterprises::table.filter(enterprises::uscc.eq(uscc)).select(enterprises::id).first(conn).optional()
}

/// Filters for listing enterprises (already intersected with the caller's scope).
#[derive(Debug, Default, Clone)]
pub struct EnterpriseFilter {
    /// Only this enterprise (an enterprise principal's scope).
    pub id: Option<String>,
    /// Only this city.
    pub city: Option<String>,
    /// Only this county.
    pub county: Option<String>,
    /// Name contains, or USCC starts with.
    pub q: Option<String>,
    /// Only verified / unverified.
    pub verified: Option<bool>,
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A page of enterprises in id order after `after`.
pub fn list(
    conn: &mut DbConnection,
    f: &EnterpriseFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<EnterpriseRow>> {
    let mut q = enterprises::table.select(EnterpriseRow::as_select()).order(enterprises::id).limit(limit).into_boxed();
    if let Some(id) = &f.id {
        q = q.filter(enterprises::id.eq(id.clone()));
    }
    if let Some(c) = &f.city {
        q = q.filter(enterprises::city_code.eq(c.clone()));
    }
    if let Some(c) = &f.county {
        q = q.filter(enterprises::county_code.eq(c.clone()));
    }
    if let Some(v) = f.verified {
        q = q.filter(enterprises::verified.eq(v));
    }
    if let Some(text) = &f.q {
        let name = format!("%{}%", like_escape(text));
        let code = format!("{}%", like_escape(&text.to_uppercase()));
        q = q.filter(enterprises::name.like(name).escape('\\').or(enterprises::uscc.like(code).escape('\\')));
    }
    if let Some(a) = after {
        q = q.filter(enterprises::id.gt(a.to_string()));
    }
    q.load(conn)
}

/// Replaces the editable profile fields if the version still matches; returns whether it did.
pub fn update_profile(conn: &mut DbConnection, row: &EnterpriseRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        enterprises::table.filter(enterprises::id.eq(&row.id)).filter(enterprises::version.eq(expected_version)),
    )
    .set((
        enterprises::name.eq(&row.name),
        enterprises::county_code.eq(&row.county_code),
        enterprises::city_code.eq(&row.city_code),
        enterprises::industry_code.eq(&row.industry_code),
        enterprises::size_class.eq(&row.size_class),
        enterprises::contact_name.eq(&row.contact_name),
        enterprises::contact_phone.eq(&row.contact_phone),
        enterprises::version.eq(expected_version + 1),
        enterprises::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks an unverified enterprise verified; returns whether it was unverified.
pub fn verify(conn: &mut DbConnection, id: &str, by: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(enterprises::table.filter(enterprises::id.eq(id)).filter(enterprises::verified.eq(false)))
        .set((
            enterprises::verified.eq(true),
            enterprises::verified_at.eq(Some(now)),
            enterprises::verified_by.eq(Some(by)),
            enterprises::version.eq(enterprises::version + 1),
            enterprises::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The ids of the enterprises holding `usccs` (a bulk request's items), by USCC.
pub fn ids_by_usccs(
    conn: &mut DbConnection,
    usccs: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    let mut found = std::collections::HashMap::new();
    for chunk in usccs.chunks(500) {
        let rows: Vec<(String, String)> = enterprises::table
            .filter(enterprises::uscc.eq_any(chunk))
            .select((enterprises::uscc, enterprises::id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}
