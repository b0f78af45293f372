//! Service providers (§3.9): the province registers them; their users and machine clients then
//! act for the enterprises that delegated milestone types to them ([`delegations`]).

pub mod delegations;

use serde::Deserialize;

use crate::audit::{Actor, Event, RequestMeta};
use crate::db::DbConnection;
use crate::domain::enterprise_fields::LegalName;
use crate::domain::Uscc;
use crate::error::{AppError, FieldError};
use crate::queries::providers::{self as q, ProviderRow};
use crate::tail;

/// Body of `POST /providers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderBody {
    /// 统一社会信用代码 (trimmed and upper-cased, then checked strictly).
    pub uscc: String,
    /// Registered name (2–200 characters).
    pub name: String,
}

/// A provider's fields, checked.
#[derive(Debug, Clone)]
pub struct ValidProvider {
    uscc: Uscc,
    name: LegalName,
}

/// 422 naming every wrong field.
pub fn validate(b: &ProviderBody) -> Result<ValidProvider, AppError> {
    let mut errors = Vec::new();
    let uscc = Uscc::parse_input(&b.uscc).map_err(|m| errors.push(FieldError::new("uscc", "invalid_uscc", m))).ok();
    let name = LegalName::parse(&b.name).map_err(|m| errors.push(FieldError::new("name", "invalid_name", m))).ok();
    match (uscc, name) {
        (Some(uscc), Some(name)) => Ok(ValidProvider { uscc, name }),
        _ => Err(AppError::validation(errors)),
    }
}

/// Registers a provider (409 `uscc_taken` naming the existing one) and audits it.
pub fn register(
    conn: &mut DbConnection,
    v: &ValidProvider,
    meta: &RequestMeta,
    actor: &Actor,
    by: &str,
) -> Result<ProviderRow, AppError> {
    let taken = |existing: String| {
        AppError::conflict("uscc_taken", "a provider with this USCC is already registered")
            .with("existing", existing)
            .with("field", "uscc")
    };
    if let Some(existing) = q::find_by_uscc(conn, v.uscc.as_str())? {
        return Err(taken(existing.id));
    }
    let row = ProviderRow {
        id: uuid::Uuid::now_v7().to_string(),
        uscc: v.uscc.as_str().to_string(),
        name: v.name.as_str().to_string(),
        created_at: crate::clock::now(),
        created_by: Some(by.to_string()),
    };
    if !q::insert(conn, &row)? {
        // Registered concurrently: the other transaction has committed by now.
        let existing = q::find_by_uscc(conn, v.uscc.as_str())?
            .ok_or_else(|| AppError::internal("USCC conflict without a holder"))?;
        return Err(taken(existing.id));
    }
    let event = Event::ok("provider.create", "provider", &row.id).detail(serde_json::json!({"uscc": row.uscc}));
    tail::audited(conn, meta, actor, event)?;
    Ok(row)
}
