//! `/api/v1/enterprises/{id}/clients`: an enterprise's machine clients (its ERP systems).

pub mod create;
pub mod list;
pub mod revoke;

use crate::auth::{Principal, PrincipalKind};
use crate::domain::Role;
use crate::error::AppError;

/// Clients are managed by the enterprise's own users or by a sysadmin; a machine client cannot
/// mint further clients. Another enterprise's clients are invisible (404).
pub fn may_manage(p: &Principal, enterprise_id: &str) -> Result<(), AppError> {
    match p.role {
        Role::Sysadmin => Ok(()),
        Role::Enterprise if p.kind == PrincipalKind::Client => {
            Err(AppError::forbidden("forbidden_principal", "machine clients cannot manage API clients"))
        }
        Role::Enterprise if p.enterprise_id.as_deref() == Some(enterprise_id) => Ok(()),
        _ => Err(AppError::not_found("enterprise")),
    }
}
