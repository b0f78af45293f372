//! The seven roles of §1 and their separation of duties.

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// An enterprise's staff or machine client; scoped to one enterprise.
    Enterprise,
    /// A 市经信局 officer; scoped to one city.
    CityReviewer,
    /// A 区县经信局 officer; scoped to one county.
    CountyReviewer,
    /// 省经信厅 staff; the whole province.
    ProvinceOfficer,
    /// A service provider's staff or machine client; the enterprises that delegated to it (§3.9).
    Provider,
    /// Operations: users and clients; no business rights.
    Sysadmin,
    /// Security audit: reads and verifies the audit trail only.
    Auditor,
}

impl Role {
    /// Every role, in a fixed order.
    pub const ALL: [Role; 7] = [
        Role::Enterprise,
        Role::CityReviewer,
        Role::CountyReviewer,
        Role::ProvinceOfficer,
        Role::Provider,
        Role::Sysadmin,
        Role::Auditor,
    ];

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "enterprise" => Ok(Self::Enterprise),
            "city_reviewer" => Ok(Self::CityReviewer),
            "county_reviewer" => Ok(Self::CountyReviewer),
            "province_officer" => Ok(Self::ProvinceOfficer),
            "provider" => Ok(Self::Provider),
            "sysadmin" => Ok(Self::Sysadmin),
            "auditor" => Ok(Self::Auditor),
            _ => Err("is not a role (enterprise, city_reviewer, county_reviewer, province_officer, provider, sysadmin, auditor)"
                .to_string()),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise",
            Self::CityReviewer => "city_reviewer",
            Self::CountyReviewer => "county_reviewer",
            Self::ProvinceOfficer => "province_officer",
            Self::Provider => "provider",
            Self::Sysadmin => "sysadmin",
            Self::Auditor => "auditor",
        }
    }

    /// Business roles act on enterprises, milestones and statistics.
    pub fn is_business(self) -> bool {
        matches!(
            self,
            Self::Enterprise | Self::CityReviewer | Self::CountyReviewer | Self::ProvinceOfficer | Self::Provider
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("admin").is_err());
    }
}
