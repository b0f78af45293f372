//! `GET /api/v1/users?role=&disabled=&enterprise_id=&limit=&cursor=`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::view::UserView;
use crate::auth::principal::roles::Sysadmin;
use crate::auth::As;
use crate::domain::id::parse_id;
use crate::domain::Role;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::paging::{PageRequest, Paged};
use crate::queries::users::{self, UserFilter};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    role: Option<String>,
    disabled: Option<bool>,
    enterprise_id: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Lists accounts in creation order.
pub async fn list(
    state: web::Data<AppState>,
    _auth: As<Sysadmin>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(p.limit, p.cursor.as_deref())?;
    let role = p
        .role
        .as_deref()
        .map(Role::parse)
        .transpose()
        .map_err(|m| AppError::bad_request("invalid_parameter", Some("role"), m))?;
    let filter = UserFilter {
        role: role.map(|r| r.as_str().to_string()),
        disabled: p.disabled,
        enterprise_id: p.enterprise_id.as_deref().map(|e| parse_id(e, "enterprise_id")).transpose()?,
    };
    let req = page.clone();
    let rows = state.db.run(move |c| Ok(users::list(c, &filter, req.after.as_deref(), req.limit + 1)?)).await?;
    let page = Paged::from_rows(rows, &page, |u| u.id.clone()).map(UserView::from);
    Ok(HttpResponse::Ok().json(page))
}
