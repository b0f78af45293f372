//! Enterprise rules shared by the handlers: validating a profile into domain types, creating a
//! record (unique USCC, audited) and deciding who may see or change it.

pub mod profile;

use serde::Deserialize;

use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::{ContactName, DivisionCode, IndustryCode, LegalName, Phone, SizeClass, Uscc};
use crate::error::{AppError, FieldError};
use crate::queries::enterprises::{self as q, EnterpriseRow};
use crate::reference::Reference;
use crate::tail;

/// An enterprise profile as a client sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnterprise {
    /// 统一社会信用代码 (trimmed and upper-cased before validation).
    pub uscc: String,
    /// Legal name.
    pub name: String,
    /// County-level division code.
    pub county_code: String,
    /// GB/T 4754-2017 code.
    pub industry_code: String,
    /// `large|medium|small|micro`.
    pub size_class: String,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone.
    pub contact_phone: String,
}

/// A validated profile.
#[derive(Debug, Clone)]
pub struct ValidEnterprise {
    /// USCC.
    pub uscc: Uscc,
    /// Legal name.
    pub name: LegalName,
    /// County of registration.
    pub county: DivisionCode,
    /// Its city.
    pub city_code: String,
    /// Industry.
    pub industry: IndustryCode,
    /// Size class.
    pub size: SizeClass,
    /// Contact person.
    pub contact_name: ContactName,
    /// Contact phone.
    pub phone: Phone,
}

impl ValidEnterprise {
    /// `row` with this profile's editable fields (everything but id, USCC and verification).
    pub fn apply_to(&self, row: EnterpriseRow, now: chrono::NaiveDateTime) -> EnterpriseRow {
        EnterpriseRow {
            name: self.name.as_str().to_string(),
            county_code: self.county.as_str().to_string(),
            city_code: self.city_code.clone(),
            industry_code: Some(self.industry.as_str().to_string()),
            size_class: Some(self.size.as_str().to_string()),
            contact_name: self.contact_name.as_str().to_string(),
            contact_phone: self.phone.as_str().to_string(),
            updated_at: now,
            ..row
        }
    }
}

fn check<T>(errors: &mut Vec<FieldError>, prefix: &str, field: &str, code: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| errors.push(FieldError::new(format!("{prefix}{field}"), code, m))).ok()
}

/// The city of a county code.
pub fn city_of(county: &DivisionCode, reference: &Reference) -> Result<String, AppError> {
    reference
        .division(county.as_str())
        .and_then(|d| d.parent_code.clone())
        .ok_or_else(|| AppError::internal("county without a city in the reference data"))
}

/// Validates every field (names prefixed with `prefix`, e.g. `enterprise.`), reporting all errors.
pub fn validate(raw: &RawEnterprise, reference: &Reference, prefix: &str) -> Result<ValidEnterprise, AppError> {
    let mut e = Vec::new();
    let uscc = check(&mut e, prefix, "uscc", "invalid_uscc", Uscc::parse_input(&raw.uscc));
    let name = check(&mut e, prefix, "name", "invalid_name", LegalName::parse(&raw.name));
    let county =
        check(&mut e, prefix, "county_code", "invalid_county", DivisionCode::parse_county(&raw.county_code, reference));
    let industry = check(&mut e, prefix, "industry_code", "invalid_industry", IndustryCode::parse(&raw.industry_code));
    let size = check(&mut e, prefix, "size_class", "invalid_size_class", SizeClass::parse(raw.size_class.trim()));
    let contact_name = check(&mut e, prefix, "contact_name", "invalid_name", ContactName::parse(&raw.contact_name));
    let phone = check(&mut e, prefix, "contact_phone", "invalid_phone", Phone::parse(&raw.contact_phone));
    match (uscc, name, county, industry, size, contact_name, phone) {
        (Some(uscc), Some(name), Some(county), Some(industry), Some(size), Some(contact_name), Some(phone)) => {
            let city_code = city_of(&county, reference)?;
            Ok(ValidEnterprise { uscc, name, county, city_code, industry, size, contact_name, phone })
        }
        _ => Err(AppError::validation(e)),
    }
}

/// Inserts a new enterprise (409 with a link when the USCC is taken) and audits it.
pub fn insert(
    conn: &mut DbConnection,
    v: &ValidEnterprise,
    verified_by: Option<&str>,
    meta: &RequestMeta,
    actor: &Actor,
) -> Result<EnterpriseRow, AppError> {
    let taken = |existing: String| {
        AppError::conflict("uscc_taken", "an enterprise with this USCC is already registered")
            .with("existing", format!("/api/v1/enterprises/{existing}"))
            .with("field", "uscc")
    };
    if let Some(existing) = q::id_by_uscc(conn, v.uscc.as_str())? {
        return Err(taken(existing));
    }
    let now = crate::clock::now();
    let blank = EnterpriseRow {
        id: uuid::Uuid::now_v7().to_string(),
        uscc: v.uscc.as_str().to_string(),
        name: String::new(),
        county_code: String::new(),
        city_code: String::new(),
        industry_code: None,
        size_class: None,
        contact_name: String::new(),
        contact_phone: String::new(),
        verified: verified_by.is_some(),
        verified_at: verified_by.map(|_| now),
        verified_by: verified_by.map(str::to_string),
        registered_via: if verified_by.is_some() { "official" } else { "self" }.to_string(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let row = v.apply_to(blank, now);
    if !q::insert(conn, &row)? {
        // Registered concurrently: the other transaction has committed by now.
        let existing = q::id_by_uscc(conn, v.uscc.as_str())?
            .ok_or_else(|| AppError::internal("USCC conflict without a holder"))?;
        return Err(taken(existing));
    }
    tail::audited(
        conn,
        meta,
        actor,
        Event::ok(
            if verified_by.is_some() { "enterprise.create" } else { "enterprise.register" },
            "enterprise",
            &row.id,
        )
        .detail(serde_json::json!({"uscc": row.uscc, "county_code": row.county_code})),
    )?;
    Ok(row)
}

/// Loads an enterprise the caller may see; absent and out-of-scope look the same (404).
pub fn load_visible(conn: &mut DbConnection, p: &Principal, id: &EnterpriseId) -> Result<EnterpriseRow, AppError> {
    q::find(conn, id.as_str())?
        .filter(|e| p.scope().sees_enterprise(e))
        .ok_or_else(|| AppError::not_found("enterprise"))
}
