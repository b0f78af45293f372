//! `PUT /api/v1/calendar/{date}` `{kind, name}`: the province creates or replaces a date's entry.

use actix_web::{web, HttpResponse};

use super::date_param;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::calendar::EntryInput;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// Creates or replaces the entry of `{date}` (audited `calendar.put`); answers the entry.
pub async fn put(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    path: ApiPath<String>,
    ApiJson(body): ApiJson<EntryInput>,
) -> Result<HttpResponse, AppError> {
    let date = date_param(&path, "date")?;
    let p = auth.0;
    let entry = state.db.write(move |c| crate::calendar::put(c, &p, &meta, date, &body)).await?;
    Ok(HttpResponse::Ok().json(entry))
}
