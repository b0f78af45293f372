//! `DELETE /api/v1/calendar/{date}`: the province removes a date's entry (the date then follows
//! the Monday–Friday rule).

use actix_web::{web, HttpResponse};

use super::date_param;
use crate::audit::RequestMeta;
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;

/// Deletes the entry of `{date}` (audited `calendar.delete`): 204, or 404 when there is none.
pub async fn delete(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    path: ApiPath<String>,
) -> Result<HttpResponse, AppError> {
    let date = date_param(&path, "date")?;
    let p = auth.0;
    state.db.write(move |c| crate::calendar::delete(c, &p, &meta, date)).await?;
    Ok(HttpResponse::NoContent().finish())
}
