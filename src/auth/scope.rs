//! Who may see and act on what: the one home of scope (DESIGN §1). Every read and write of an
//! enterprise, a record, a region's statistics or an enterprise's API clients asks here.
//!
//! | role | enterprises | records | statistics drill-down |
//! |---|---|---|---|
//! | `enterprise` | its own | its own, drafts included | — |
//! | `city_reviewer` | its city's | its city's, but no drafts | its own city |
//! | `county_reviewer` | its county's | its county's, but no drafts | its city (the county table) |
//! | `province_officer` | all | all, but no drafts | every city |
//! | `provider` | none | the delegated types of the enterprises that delegated to it, while in force, drafts included | — |
//! | `sysadmin`, `auditor` | none | none | — |
//!
//! Drafts are the enterprise's own work: officials see a record once it has been submitted. A
//! provider acts for the enterprise on the delegated types, so it sees their drafts too.
//!
//! A provider's scope depends on delegations stored in the database, so the pure functions here
//! answer "no" for it and the callers that admit providers ask `crate::delegations` (records by
//! id: `milestones::load_visible`; lists: the filter's `delegated_to`).
//!
//! **404 or 403.** Something that exists outside the caller's scope answers 404, exactly like
//! something that does not exist, so scope never reveals existence ([`Scope::sees_enterprise`],
//! [`Scope::sees_record`], [`Scope::sees_city`], and the list filters narrowed by
//! [`Scope::narrow_enterprises`] / [`Scope::narrow_records`]). A role that an endpoint does not admit
//! answers 403 (the `As<R>` extractor), and so does a write that would *place* something outside
//! the caller's region ([`Scope::may_place_in_city`]): the caller named that region itself, so
//! nothing leaks. Adding a role means adding its variant to [`Scope`] and its arm to each
//! function here.

use crate::auth::{Principal, PrincipalKind};
use crate::domain::id::{EnterpriseId, ResourceId};
use crate::domain::Role;
use crate::error::AppError;
use crate::queries::enterprises::{EnterpriseFilter, EnterpriseRow};
use crate::queries::milestones::{MilestoneFilter, MilestoneRow};

/// What a principal's scope covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// One enterprise (its users and machine clients).
    Enterprise(&'a str),
    /// One city (its reviewers).
    City(&'a str),
    /// One county (its reviewers).
    County(&'a str),
    /// The whole province (the provincial office).
    Province,
    /// The delegations made to one provider (its users and machine clients).
    Provider(&'a str),
    /// No business data (sysadmins, auditors; or an account whose scope is missing).
    Nothing,
}

impl Principal {
    /// This principal's scope.
    pub fn scope(&self) -> Scope<'_> {
        match self.role {
            Role::Enterprise => self.enterprise_id.as_ref().map(|e| Scope::Enterprise(e.as_str())),
            Role::CityReviewer => self.city_code.as_deref().map(Scope::City),
            Role::CountyReviewer => self.county_code.as_deref().map(Scope::County),
            Role::ProvinceOfficer => Some(Scope::Province),
            Role::Provider => self.provider_id.as_deref().map(Scope::Provider),
            Role::Sysadmin | Role::Auditor => None,
        }
        .unwrap_or(Scope::Nothing)
    }
}

impl Scope<'_> {
    /// Whether the scope covers enterprise `e`.
    pub fn sees_enterprise(self, e: &EnterpriseRow) -> bool {
        match self {
            Scope::Enterprise(id) => id == e.id,
            Scope::City(c) => c == e.city_code,
            Scope::County(c) => c == e.county_code,
            Scope::Province => true,
            Scope::Provider(_) | Scope::Nothing => false,
        }
    }

    /// Whether the scope covers record `m` (officials never see drafts; a provider's records are
    /// decided by its delegations, `milestones::load_visible`).
    pub fn sees_record(self, m: &MilestoneRow) -> bool {
        match self {
            Scope::Enterprise(id) => id == m.enterprise_id,
            Scope::City(c) => m.state.is_visible_to_officials() && c == m.city_code,
            Scope::County(c) => m.state.is_visible_to_officials() && c == m.county_code,
            Scope::Province => m.state.is_visible_to_officials(),
            Scope::Provider(_) | Scope::Nothing => false,
        }
    }

    /// Whether the scope covers the statistics of `city` and its counties.
    pub fn sees_city(self, city: &str) -> bool {
        match self {
            Scope::City(c) => c == city,
            Scope::County(c) => city_of_county(c) == city,
            Scope::Province => true,
            Scope::Enterprise(_) | Scope::Provider(_) | Scope::Nothing => false,
        }
    }

    /// Whether the caller is enterprise `id` itself: only it writes its records and sees its
    /// contact phone unmasked.
    pub fn is_enterprise(self, id: &str) -> bool {
        matches!(self, Scope::Enterprise(own) if own == id)
    }

    /// Narrows an enterprise list to the scope; false when the filter asked for something
    /// outside it (the answer is then an empty list, as for something that does not exist).
    pub fn narrow_enterprises(self, f: &mut EnterpriseFilter) -> bool {
        match self {
            Scope::Enterprise(id) => narrow_to(&mut f.id, id),
            Scope::City(c) => narrow_to(&mut f.city, c),
            Scope::County(c) => narrow_to(&mut f.county, c),
            Scope::Province => true,
            Scope::Provider(_) | Scope::Nothing => false,
        }
    }

    /// Narrows a record list to the scope (officials: no drafts); false when the filter asked for
    /// something outside it.
    pub fn narrow_records(self, f: &mut MilestoneFilter) -> bool {
        f.exclude_drafts = !matches!(self, Scope::Enterprise(_) | Scope::Provider(_));
        match self {
            Scope::Enterprise(id) => narrow_to(&mut f.enterprise_id, id),
            Scope::City(c) => narrow_to(&mut f.city, c),
            Scope::County(c) => narrow_to(&mut f.county, c),
            Scope::Province => true,
            Scope::Provider(p) => {
                f.delegated_to = Some(p.to_string());
                true
            }
            Scope::Nothing => false,
        }
    }

    /// 403 `outside_own_city` when a city reviewer would register or move an enterprise into
    /// another city; the province and the enterprise itself may place it anywhere. (County
    /// reviewers do not write enterprises: no route admits them; were one to, it would be held
    /// to its city here.)
    pub fn may_place_in_city(self, city: &str) -> Result<(), AppError> {
        let own = match self {
            Scope::City(c) => c.to_string(),
            Scope::County(c) => city_of_county(c),
            _ => return Ok(()),
        };
        if own != city {
            return Err(AppError::forbidden("outside_own_city", "a city reviewer may act only within its own city"));
        }
        Ok(())
    }
}

/// Whether `p` may manage the API clients of enterprise `enterprise_id`: its own users and
/// sysadmins; a machine client may not mint further clients (403); another enterprise's clients
/// are out of scope (404).
pub fn may_manage_clients(p: &Principal, enterprise_id: &EnterpriseId) -> Result<(), AppError> {
    match p.role {
        Role::Sysadmin => Ok(()),
        Role::Enterprise if p.kind == PrincipalKind::Client => {
            Err(AppError::forbidden("forbidden_principal", "machine clients cannot manage API clients"))
        }
        Role::Enterprise if p.scope().is_enterprise(enterprise_id.as_str()) => Ok(()),
        _ => Err(AppError::not_found("enterprise")),
    }
}

/// Whether `p` may manage the API clients of provider `provider_id`: the provider's own users
/// and sysadmins; a machine client may not mint further clients (403); another provider's
/// clients are out of scope (404).
pub fn may_manage_provider_clients(p: &Principal, provider_id: &str) -> Result<(), AppError> {
    match p.role {
        Role::Sysadmin => Ok(()),
        Role::Provider if p.kind == PrincipalKind::Client => {
            Err(AppError::forbidden("forbidden_principal", "machine clients cannot manage API clients"))
        }
        Role::Provider if p.scope() == Scope::Provider(provider_id) => Ok(()),
        _ => Err(AppError::not_found("provider")),
    }
}

/// Whether `p` may grant or revoke the delegations of enterprise `e`: the enterprise itself (its
/// users and machine clients) and the reviewer of its city (on paper evidence); anyone else who
/// reaches here (a city reviewer of another city) does not see the enterprise (404).
pub fn may_grant(p: &Principal, e: &EnterpriseRow) -> Result<(), AppError> {
    match p.scope() {
        Scope::Enterprise(id) if id == e.id => Ok(()),
        Scope::City(c) if c == e.city_code => Ok(()),
        _ => Err(AppError::not_found("enterprise")),
    }
}

/// The city a county belongs to (GB/T 2260: the county's first four digits, then `00`).
fn city_of_county(county: &str) -> String {
    format!("{}00", county.get(..4).unwrap_or(county))
}

/// Intersects a list filter with the scope's value: the filter becomes `own`, and the answer is
/// false when it asked for something else.
fn narrow_to(filter: &mut Option<String>, own: &str) -> bool {
    let inside = filter.as_deref().is_none_or(|f| f == own);
    *filter = Some(own.to_string());
    inside
}

#[cfg(test)]
mod tests {
    use super::{city_of_county, narrow_to};

    #[test]
    fn a_county_belongs_to_its_city() {
        assert_eq!(city_of_county("330106"), "330100");
        assert_eq!(city_of_county("331082"), "331000");
    }

    #[test]
    fn filters_are_narrowed_to_the_scope() {
        let mut f = None;
        assert!(narrow_to(&mut f, "330100"));
        assert_eq!(f.as_deref(), Some("330100"));
        let mut f = Some("330100".to_string());
        assert!(narrow_to(&mut f, "330100"));
        let mut f = Some("330200".to_string());
        assert!(!narrow_to(&mut f, "330100"));
        assert_eq!(f.as_deref(), Some("330100"));
    }
}
