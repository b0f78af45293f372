//! `POST /api/v1/imports?dry_run=`: the body is the file itself, `text/csv` or an `.xlsx`
//! workbook, up to 20 MiB (413 beyond, the limit in the problem body). 201 with the report when
//! written (`Location` the import), 200 for a dry run or a file imported before (its first
//! report), 422 with the report under `report` when any row is invalid (nothing written).
//! Idempotent by the file's SHA-256, so it needs no `Idempotency-Key`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::audit::{Actor, RequestMeta};
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::error::i18n::{field_message, Lang};
use crate::error::AppError;
use crate::extract::{read_up_to, ApiQuery};
use crate::imports::read::{self, Format, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE};
use crate::imports::{import, Importer, Outcome};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    dry_run: Option<bool>,
}

/// Imports (or checks) an official list.
pub async fn create(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    req: HttpRequest,
    ApiQuery(params): ApiQuery<Params>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = Format::of_media_type(content_type).ok_or_else(|| {
        AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("the request body must be {CSV_MEDIA_TYPE} or {XLSX_MEDIA_TYPE}"),
        )
    })?;
    let body = read_up_to(&req, payload.into_inner(), read::MAX_BYTES, read::too_large).await?;
    let p = auth.0;
    let by = Importer {
        id: p.id.clone(),
        role: p.role.as_str().to_string(),
        actor: Actor::Principal(p),
        meta,
        now: state.clock.now(),
        today: state.clock.today_shanghai(),
    };
    let (reference, catalogue) = (state.reference.clone(), state.catalogue.clone());
    let dry_run = params.dry_run.unwrap_or(false);
    let lang = Lang::of_request(req.headers());
    let outcome = state
        .db
        .write(move |c| import(c, &by, &reference, &catalogue, format, &body, dry_run, &|_| {}))
        .await
        .map_err(|e| in_language(e, lang))?;
    Ok(match outcome {
        Outcome::Applied(report) => {
            let location = format!("/api/v1/imports/{}", report.id.as_deref().unwrap_or_default());
            HttpResponse::Created().insert_header((header::LOCATION, location)).json(report)
        }
        Outcome::Replayed(report) | Outcome::DryRun(report) => HttpResponse::Ok().json(report),
    })
}

/// A refused list's report in the request's language: the `localise` middleware renders the
/// problem itself in Chinese, this the row messages of the report inside it, by the same tables.
fn in_language(e: AppError, lang: Lang) -> AppError {
    if lang != Lang::Zh || e.code() != "invalid_list" {
        return e;
    }
    let mut report = e.body()["report"].clone();
    if let Some(errors) = report["errors"].as_array_mut() {
        for row in errors {
            let message = field_message(row["code"].as_str().unwrap_or(""), row["message"].as_str().unwrap_or(""));
            row["message"] = message.into();
        }
    }
    e.with("report", report)
}
