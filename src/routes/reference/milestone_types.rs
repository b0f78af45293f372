//! `GET /api/v1/milestone-types`: the milestone catalogue.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::Items;
use crate::error::AppError;
use crate::queries::reference::{self as q, MilestoneType};
use crate::state::AppState;

/// A milestone type as the API shows it.
#[derive(Debug, Serialize)]
pub struct MilestoneTypeView {
    code: String,
    name_zh: String,
    name_en: String,
    levels: Vec<String>,
    multiplicity: String,
    exclusive_group: Option<String>,
    validity_years: Option<i32>,
    recognised_by: String,
}

impl From<MilestoneType> for MilestoneTypeView {
    fn from(t: MilestoneType) -> Self {
        Self {
            levels: split_levels(&t.levels),
            code: t.code,
            name_zh: t.name_zh,
            name_en: t.name_en,
            multiplicity: t.multiplicity,
            exclusive_group: t.exclusive_group,
            validity_years: t.validity_years,
            recognised_by: t.recognised_by,
        }
    }
}

/// Splits a stored `a|b|c` level list.
pub fn split_levels(levels: &str) -> Vec<String> {
    levels.split('|').filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Lists the catalogue.
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(|conn| Ok(q::list_milestone_types(conn)?)).await?;
    let items: Vec<MilestoneTypeView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
