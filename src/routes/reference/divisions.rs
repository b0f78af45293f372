//! `GET /api/v1/divisions?level=&parent=`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::Items;
use crate::domain::{DivisionCode, DivisionLevel};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::queries::reference as q;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    level: Option<String>,
    parent: Option<String>,
}

/// Lists divisions, optionally of one level and/or under one parent.
pub async fn list(state: web::Data<AppState>, ApiQuery(p): ApiQuery<Params>) -> Result<HttpResponse, AppError> {
    let level = p
        .level
        .as_deref()
        .map(DivisionLevel::parse)
        .transpose()
        .map_err(|m| AppError::bad_request("invalid_parameter", Some("level"), format!("`level` {m}")))?;
    let parent = p
        .parent
        .as_deref()
        .map(|s| DivisionCode::parse(s, &state.reference))
        .transpose()
        .map_err(|m| AppError::bad_request("invalid_parameter", Some("parent"), format!("`parent` {m}")))?;
    let items = state
        .db
        .run(move |conn| {
            Ok(q::list_divisions(conn, level.map(DivisionLevel::as_str), parent.as_ref().map(DivisionCode::as_str))?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Items { items }))
}
