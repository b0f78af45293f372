//! Demo service providers (§3.9): a handful of cloud and platform operators that reported a
//! realistic share of the 上云 records (and of platform use) for the enterprises that delegated
//! those types to them — the way the province's largest indicator is really fed.
//!
//! Applied after the bulk load, set-based and deterministic (no draw from the seed's generator,
//! so the rest of the demo is unchanged): which submitted record a provider reported follows from
//! the last hex digit of the record's id (UUIDv7 from a counter, so about uniform): 11 of 16 上云
//! records (≈ 69 %) and half the platform-use records. Each provider has a fixed id and one
//! machine client, named as the records' `submitted_by`; each (enterprise, provider) pair gets one
//! delegation of the types reported, granted by the enterprise before its first such record and
//! still in force.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{on_backend, DbConnection};
use crate::domain::Uscc;
use crate::error::AppError;
use crate::queries::api_clients::ApiClientRow;
use crate::queries::delegations::{scope_key, DelegationRow, DelegationTypeRow};
use crate::queries::providers::ProviderRow;
use crate::schema::{api_clients, delegation_types, delegations, milestones, providers};

/// A demo provider: fixed id suffix, USCC body (16 characters; the check characters are
/// computed), name, and the last id digits of the 上云 and platform-use records it reported.
struct Demo {
    n: u8,
    uscc_body: &'static str,
    name: &'static str,
    cloud: &'static str,
    platform: &'static str,
}

/// The providers. 阿里云's USCC is its real, public one (`data/reference/uscc_vectors.csv`); the
/// others are fictitious names with well-formed codes.
const DEMO: [Demo; 5] = [
    Demo { n: 1, uscc_body: "9133010667395965", name: "阿里云计算有限公司", cloud: "0123", platform: "" },
    Demo {
        n: 2, uscc_body: "91330100MA2H3C8K", name: "浙江天枢云计算服务有限公司", cloud: "45", platform: ""
    },
    Demo {
        n: 3, uscc_body: "91330200MA2J7Q1D", name: "宁波甬云数据科技有限公司", cloud: "67", platform: ""
    },
    Demo {
        n: 4, uscc_body: "91330300MA2L4W9F", name: "温州瓯云信息技术有限公司", cloud: "8", platform: ""
    },
    Demo {
        n: 5,
        uscc_body: "91330106MA2CFX5B",
        name: "浙江智联工业互联网平台有限公司",
        cloud: "9a",
        platform: "01234567",
    },
];

/// The fixed id of demo provider `n` (and, with `c`, of its client).
fn fixed_id(kind: char, n: u8) -> String {
    format!("01800000-0000-7000-8{kind}00-0000000000{n:02}")
}

/// Adds the providers, their clients and delegations, and marks their records. Returns how many
/// records they reported.
pub fn apply(conn: &mut DbConnection, created_at: NaiveDateTime) -> Result<usize, AppError> {
    let mut reported = 0;
    for d in &DEMO {
        let uscc = Uscc::complete(d.uscc_body).ok_or_else(|| AppError::internal("a demo provider's USCC"))?;
        let id = fixed_id('0', d.n);
        let client = fixed_id('1', d.n);
        diesel::insert_into(providers::table)
            .values(ProviderRow {
                id: id.clone(),
                uscc: uscc.as_str().to_string(),
                name: d.name.to_string(),
                created_at,
                created_by: None,
            })
            .execute(conn)?;
        diesel::insert_into(api_clients::table)
            .values(ApiClientRow {
                id: client.clone(),
                enterprise_id: None,
                name: "批量上报接口".to_string(),
                // Not a hash of any secret: this client cannot obtain a token.
                secret_hash: "-".to_string(),
                created_at,
                created_by: None,
                revoked_at: None,
                last_used_at: None,
                provider_id: Some(id.clone()),
            })
            .execute(conn)?;
        for (kind, digits) in [("cloud_adoption", d.cloud), ("iip_application", d.platform)] {
            let last: Vec<String> = digits.chars().map(|c| c.to_string()).collect();
            if last.is_empty() {
                continue;
            }
            let target = milestones::table
                .filter(milestones::milestone_type.eq(kind))
                .filter(milestones::submitted_at.is_not_null())
                .filter(milestones::provider_id.is_null())
                .filter(diesel::dsl::sql::<diesel::sql_types::Text>("substr(id, 36, 1)").eq_any(last));
            reported += diesel::update(target)
                .set((milestones::provider_id.eq(Some(&id)), milestones::submitted_by.eq(Some(&client))))
                .execute(conn)?;
        }
    }
    delegate(conn)?;
    Ok(reported)
}

/// One delegation per (enterprise, provider) of the types the provider reported, granted a day
/// before the first of those records was created.
fn delegate(conn: &mut DbConnection) -> Result<(), AppError> {
    let rows: Vec<(String, Option<String>, String, NaiveDateTime)> = milestones::table
        .filter(milestones::provider_id.is_not_null())
        .select((
            milestones::enterprise_id,
            milestones::provider_id,
            milestones::milestone_type,
            milestones::created_at,
        ))
        .load(conn)?;
    let mut pairs: BTreeMap<(String, String), (Vec<String>, NaiveDateTime)> = BTreeMap::new();
    for (enterprise, provider, kind, at) in rows {
        let Some(provider) = provider else { continue };
        let e = pairs.entry((enterprise, provider)).or_insert_with(|| (Vec::new(), at));
        if !e.0.contains(&kind) {
            e.0.push(kind);
        }
        e.1 = e.1.min(at);
    }
    let mut grants = Vec::with_capacity(pairs.len());
    let mut types = Vec::new();
    for (i, ((enterprise, provider), (kinds, first))) in pairs.into_iter().enumerate() {
        let id = format!("01800000-0000-7000-8200-{i:012}");
        for k in &kinds {
            types.push(DelegationTypeRow {
                delegation_id: id.clone(),
                milestone_type: k.clone(),
                provider_id: provider.clone(),
                enterprise_id: enterprise.clone(),
                scope_key: scope_key(&enterprise, k),
            });
        }
        grants.push(DelegationRow {
            id,
            created_by: enterprise.clone(),
            enterprise_id: enterprise,
            provider_id: provider,
            expires_on: None,
            created_at: first - Duration::days(1),
            revoked_at: None,
            revoked_by: None,
        });
    }
    for chunk in grants.chunks(1_000) {
        on_backend!(conn, c => diesel::insert_into(delegations::table).values(chunk).execute(c)?);
    }
    for chunk in types.chunks(1_000) {
        on_backend!(conn, c => diesel::insert_into(delegation_types::table).values(chunk).execute(c)?);
    }
    Ok(())
}
