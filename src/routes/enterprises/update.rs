//! `PATCH /api/v1/enterprises/{id}` with `If-Match`, by the enterprise itself or a reviewer in
//! scope. The USCC is not editable; moving county is allowed and audited.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::respond;
use crate::audit::{self, Actor, Event, RequestMeta};
use crate::auth::principal::roles::Business;
use crate::auth::As;
use crate::conditional::{stale, IfMatch};
use crate::domain::id::parse_id;
use crate::enterprises::{self, RawEnterprise};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::queries::enterprises::{self as q, EnterpriseRow};
use crate::state::AppState;

/// Request body: only the fields to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    uscc: Option<String>,
    name: Option<String>,
    county_code: Option<String>,
    industry_code: Option<String>,
    size_class: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
}

/// Changes an enterprise's profile.
pub async fn update(
    state: web::Data<AppState>,
    auth: As<Business>,
    meta: RequestMeta,
    if_match: IfMatch,
    path: ApiPath<String>,
    ApiJson(b): ApiJson<Body>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path, "id")?;
    let if_match = if_match.required()?;
    let p = auth.0;
    let viewer = p.clone();
    let reference = state.reference.clone();
    let row = state
        .db
        .write(move |c| {
            let current = enterprises::load_visible(c, &p, &id)?;
            if_match.check(current.version)?;
            if b.uscc.as_deref().is_some_and(|u| u.trim().to_uppercase() != current.uscc) {
                return Err(AppError::invalid_field("uscc", "not_editable", "the USCC cannot be changed"));
            }
            let raw = RawEnterprise {
                uscc: current.uscc.clone(),
                name: b.name.unwrap_or_else(|| current.name.clone()),
                county_code: b.county_code.unwrap_or_else(|| current.county_code.clone()),
                industry_code: b.industry_code.unwrap_or_else(|| current.industry_code.clone()),
                size_class: b.size_class.unwrap_or_else(|| current.size_class.clone()),
                contact_name: b.contact_name.unwrap_or_else(|| current.contact_name.clone()),
                contact_phone: b.contact_phone.unwrap_or_else(|| current.contact_phone.clone()),
            };
            let v = enterprises::validate(&raw, &reference, "")?;
            enterprises::require_own_city(&p, &v.city_code)?;
            let next = v.apply_to(current.clone(), crate::clock::now());
            let changed = changed_fields(&current, &next);
            if !q::update_profile(c, &next, current.version)? {
                return Err(stale(current.version));
            }
            let mut detail = serde_json::json!({ "changed": changed });
            if current.county_code != next.county_code {
                detail["moved"] = serde_json::json!({"from": current.county_code, "to": next.county_code});
            }
            audit::record(
                c,
                &meta,
                &Actor::Principal(p),
                Event::ok("enterprise.update", "enterprise", &id).detail(detail),
            )?;
            q::find(c, &id)?.ok_or_else(|| AppError::not_found("enterprise"))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &viewer))
}

fn changed_fields(a: &EnterpriseRow, b: &EnterpriseRow) -> Vec<&'static str> {
    let pairs = [
        ("name", &a.name, &b.name),
        ("county_code", &a.county_code, &b.county_code),
        ("industry_code", &a.industry_code, &b.industry_code),
        ("size_class", &a.size_class, &b.size_class),
        ("contact_name", &a.contact_name, &b.contact_name),
        ("contact_phone", &a.contact_phone, &b.contact_phone),
    ];
    pairs.iter().filter(|(_, x, y)| x != y).map(|(n, _, _)| *n).collect()
}
