//! The JSON shape of a milestone and of its history.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

use crate::error::AppError;
use crate::idempotency::{json_body, StoredResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::conditional::etag;
use crate::domain::{MilestoneState, ReviewChain, Stage};
use crate::queries::milestones::{HistoryRow, MilestoneRow};

/// A milestone as the API shows it.
#[derive(Debug, Serialize)]
pub struct MilestoneView {
    id: String,
    enterprise_id: String,
    #[serde(rename = "type")]
    milestone_type: String,
    level: Option<String>,
    effective_on: NaiveDate,
    title: String,
    details: Option<Box<RawValue>>,
    evidence: Option<Box<RawValue>>,
    state: &'static str,
    county_code: String,
    city_code: String,
    version: i32,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    updated_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    submitted_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    decided_at: Option<NaiveDateTime>,
    decided_by: Option<String>,
    comment: Option<String>,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    approved_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::option::serialize")]
    revoked_at: Option<NaiveDateTime>,
    revoked_effective_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    stage: Option<&'static str>,
    review_chain: Option<Vec<&'static str>>,
    publicity_days: Option<i32>,
    publicity_starts_on: Option<NaiveDate>,
    publicity_ends_on: Option<NaiveDate>,
    document_no: Option<String>,
    batch: Option<String>,
    recommended_on: Option<NaiveDate>,
    priority: Option<i32>,
    /// `official_list` for a record an import wrote, else `self`.
    source: &'static str,
    import_id: Option<String>,
    submitted_by: Option<String>,
    provider_id: Option<String>,
}

/// A stored JSON column as written, checked but not rebuilt (null when absent or not JSON).
fn json_or_null(s: Option<String>) -> Option<Box<RawValue>> {
    s.and_then(|s| RawValue::from_string(s).ok())
}

impl From<MilestoneRow> for MilestoneView {
    fn from(m: MilestoneRow) -> Self {
        Self {
            id: m.id,
            enterprise_id: m.enterprise_id,
            milestone_type: m.milestone_type,
            level: m.level,
            effective_on: m.effective_on,
            title: m.title,
            details: json_or_null(m.details),
            evidence: json_or_null(m.evidence),
            state: m.state.as_str(),
            county_code: m.county_code,
            city_code: m.city_code,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            submitted_at: m.submitted_at,
            decided_at: m.decided_at,
            decided_by: m.decided_by,
            comment: m.comment,
            approved_at: m.approved_at,
            revoked_at: m.revoked_at,
            revoked_effective_on: m.revoked_effective_on,
            ended_on: m.ended_on,
            stage: m.stage.map(Stage::as_str),
            review_chain: m.review_chain.as_deref().and_then(|c| ReviewChain::parse(c).ok()).map(|c| c.names()),
            publicity_days: m.publicity_days,
            publicity_starts_on: m.publicity_starts_on,
            publicity_ends_on: m.publicity_ends_on,
            document_no: m.document_no,
            batch: m.batch,
            recommended_on: m.recommended_on,
            priority: m.priority,
            source: if m.import_id.is_some() { "official_list" } else { "self" },
            import_id: m.import_id,
            submitted_by: m.submitted_by,
            provider_id: m.provider_id,
        }
    }
}

/// A milestone in a list: the record with its enterprise's name and USCC and the name of the
/// reviewer who last decided on it (null when nobody has).
#[derive(Debug, Serialize)]
pub struct ListItemView {
    #[serde(flatten)]
    milestone: MilestoneView,
    enterprise_name: String,
    enterprise_uscc: String,
    decided_by_name: Option<String>,
}

impl ListItemView {
    /// The record with the names found for it.
    pub fn new(m: MilestoneRow, enterprise: (String, String), decided_by_name: Option<String>) -> Self {
        let (enterprise_name, enterprise_uscc) = enterprise;
        Self { milestone: MilestoneView::from(m), enterprise_name, enterprise_uscc, decided_by_name }
    }
}

/// A single-milestone response with its ETag (and Location when created), storable for
/// `Idempotency-Key` replays.
pub fn reply(status: StatusCode, m: MilestoneRow) -> Result<StoredResponse, AppError> {
    let tag = etag(m.version);
    let location = format!("/api/v1/milestones/{}", m.id);
    let res = StoredResponse::json(status, &MilestoneView::from(m))?.with_header(header::ETAG, tag);
    Ok(if status == StatusCode::CREATED { res.with_header(header::LOCATION, location) } else { res })
}

/// A single-milestone response with its ETag, written straight into the response (a read has
/// nothing to store for replays).
pub fn respond(status: StatusCode, m: MilestoneRow) -> Result<HttpResponse, AppError> {
    let tag = etag(m.version);
    let body = json_body(&MilestoneView::from(m))?;
    Ok(HttpResponse::build(status)
        .insert_header((header::ETAG, tag))
        .insert_header(header::ContentType::json())
        .body(body))
}

/// A history entry as the API shows it.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    seq: i32,
    action: String,
    from_state: Option<&'static str>,
    to_state: &'static str,
    actor_id: String,
    actor_role: String,
    #[serde(serialize_with = "crate::clock::serde_rfc3339::serialize")]
    at: NaiveDateTime,
    comment: Option<String>,
    effective_on: Option<NaiveDate>,
    stage: Option<&'static str>,
}

impl From<HistoryRow> for HistoryView {
    fn from(h: HistoryRow) -> Self {
        Self {
            seq: h.seq,
            action: h.action,
            from_state: h.from_state.map(MilestoneState::as_str),
            to_state: h.to_state.as_str(),
            actor_id: h.actor_id,
            actor_role: h.actor_role,
            at: h.at,
            comment: h.comment,
            effective_on: h.effective_on,
            stage: h.stage.map(Stage::as_str),
        }
    }
}
