//! Who is calling: the [`Principal`] decoded from the bearer token, and the extractors
//! [`Authenticated`] (any valid token) and [`As<R>`] (a role of the set `R`, password changed).

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::domain::id::EnterpriseId;
use crate::domain::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::telemetry::PrincipalId;

/// Whether a principal is a person or an enterprise's machine client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A user account.
    User,
    /// An API client (client-credentials grant).
    Client,
}

impl PrincipalKind {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Client => "client",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(Self::User),
            "client" => Some(Self::Client),
            _ => None,
        }
    }
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User id or client id.
    pub id: String,
    /// Person or machine.
    pub kind: PrincipalKind,
    /// Role.
    pub role: Role,
    /// Enterprise scope (enterprise role).
    pub enterprise_id: Option<EnterpriseId>,
    /// City scope (city reviewers).
    pub city_code: Option<String>,
    /// County scope (county reviewers).
    pub county_code: Option<String>,
    /// Provider scope (providers' users and clients): the enterprises that delegated to it.
    pub provider_id: Option<String>,
    /// Must change password before anything but `/me` and `/me/password`.
    pub must_change_password: bool,
}

fn principal_from(req: &HttpRequest) -> Result<Principal, AppError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal("application state missing"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| AppError::unauthorized("missing_token", "a bearer token is required"))?;
    let value = value.to_str().map_err(|_| AppError::unauthorized("invalid_token", "the access token is not valid"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::unauthorized("invalid_token", "the Authorization header must be `Bearer <token>`"))?;
    let principal = state.tokens.verify(token)?;
    // For the request's access line (`telemetry`): the id only, never the token.
    req.extensions_mut().insert(PrincipalId(principal.id.clone()));
    Ok(principal)
}

/// Any valid token, even one whose account must still change its password.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(principal_from(req).map(Authenticated))
    }
}

/// A set of roles an endpoint admits.
pub trait Allowed {
    /// The roles.
    const ROLES: &'static [Role];
}

/// A caller holding one of the roles of `R`, with its password changed.
#[derive(Debug, Clone)]
pub struct As<R: Allowed>(pub Principal, PhantomData<R>);

impl<R: Allowed> As<R> {
    /// The principal.
    pub fn principal(&self) -> &Principal {
        &self.0
    }
}

/// Checks that `p` may act in one of `roles` (403 otherwise).
pub fn require(p: &Principal, roles: &[Role]) -> Result<(), AppError> {
    if p.must_change_password {
        return Err(AppError::forbidden(
            "password_change_required",
            "change your password (POST /api/v1/me/password) before using the service",
        ));
    }
    if !roles.contains(&p.role) {
        return Err(AppError::forbidden("forbidden_role", format!("the role `{}` may not do this", p.role)));
    }
    Ok(())
}

impl<R: Allowed> FromRequest for As<R> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(principal_from(req).and_then(|p| {
            require(&p, R::ROLES)?;
            Ok(As(p, PhantomData))
        }))
    }
}

/// Role sets used by handlers.
pub mod roles {
    use super::Allowed;
    use crate::domain::Role;

    macro_rules! role_set {
        ($(#[$doc:meta] $name:ident => [$($role:ident),+];)+) => {$(
            #[$doc]
            #[derive(Debug, Clone)]
            pub struct $name;
            impl Allowed for $name {
                const ROLES: &'static [Role] = &[$(Role::$role),+];
            }
        )+};
    }

    role_set! {
        /// Every role.
        AnyRole => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer, Provider, Sysadmin, Auditor];
        /// Operations staff.
        Sysadmin => [Sysadmin];
        /// Security auditors.
        Auditor => [Auditor];
        /// An enterprise (user or client).
        Enterprise => [Enterprise];
        /// A city reviewer.
        CityReviewer => [CityReviewer];
        /// The provincial office.
        ProvinceOfficer => [ProvinceOfficer];
        /// City reviewers and the province.
        Officials => [CityReviewer, ProvinceOfficer];
        /// Enterprises and the officials who act on their records (writes).
        Business => [Enterprise, CityReviewer, ProvinceOfficer];
        /// Enterprises, their providers and every stage's reviewers (the workflow decides).
        Reviewing => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer, Provider];
        /// Everyone who reads enterprises and records in a scope (business roles, county reviewers).
        Readers => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer];
        /// Readers of records: [`Readers`] and providers (their delegated records).
        RecordReaders => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer, Provider];
        /// Who writes a record's content: the enterprise and its providers (officials: 428/403).
        Editors => [Enterprise, CityReviewer, ProvinceOfficer, Provider];
        /// Who creates records: the enterprise and its providers (one by one or in bulk).
        Reporters => [Enterprise, Provider];
        /// Who subscribes webhooks: enterprises and providers (their users and clients).
        Subscribers => [Enterprise, Provider];
        /// Who grants and revokes delegations: the enterprise and its city reviewer.
        Grantors => [Enterprise, CityReviewer];
        /// Who reads an enterprise's delegations: every role that reads records.
        DelegationReaders => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer, Provider];
        /// Who reads the provider register: every business role.
        ProviderReaders => [Enterprise, CityReviewer, CountyReviewer, ProvinceOfficer, Provider];
        /// A provider or a sysadmin (the provider's API clients).
        ProviderOrSysadmin => [Provider, Sysadmin];
        /// Officials who read a city's county table: city and county reviewers and the province.
        RegionOfficials => [CityReviewer, CountyReviewer, ProvinceOfficer];
        /// An enterprise or a sysadmin (API client management).
        EnterpriseOrSysadmin => [Enterprise, Sysadmin];
    }
}
