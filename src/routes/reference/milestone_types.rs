//! `GET /api/v1/milestone-types`: the milestone catalogue, with each type's review chain and
//! 公示 length; `PUT /api/v1/milestone-types/{code}/review`: the province changes them.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::audit::RequestMeta;
use crate::auth::principal::roles::ProvinceOfficer;
use crate::auth::As;
use crate::domain::milestone::review::check_days;
use crate::domain::ReviewChain;
use crate::error::FieldError;
use crate::extract::{ApiJson, ApiPath};

use super::Items;
use crate::domain::Review;
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
    review_chain: Vec<&'static str>,
    publicity_days: u32,
}

impl From<MilestoneType> for MilestoneTypeView {
    fn from(t: MilestoneType) -> Self {
        // A stored review that does not read (never written by the service) shows as city-only,
        // which is also how a submission under it would be reviewed.
        let review =
            Review::from_stored(t.review_chain.as_deref(), t.publicity_days).unwrap_or_else(|_| Review::city_only());
        Self {
            review_chain: review.chain.names(),
            publicity_days: review.publicity_days,
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

/// Body of `PUT /milestone-types/{code}/review`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    review_chain: Vec<String>,
    publicity_days: i64,
}

/// Sets the review chain and 公示 length of `{code}` (province_officer; audited
/// `milestone_type.review`); answers the type. Later submissions are reviewed under it.
pub async fn put_review(
    state: web::Data<AppState>,
    auth: As<ProvinceOfficer>,
    meta: RequestMeta,
    path: ApiPath<String>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let review = check_review(&body)?;
    let p = auth.0;
    let row = state.db.write(move |c| crate::milestones::chains::put(c, &p, &meta, &code, &review)).await?;
    Ok(HttpResponse::Ok().json(MilestoneTypeView::from(row)))
}

/// 422 naming `review_chain` or `publicity_days` unless the body is a valid review.
fn check_review(body: &ReviewBody) -> Result<Review, AppError> {
    let chain =
        ReviewChain::from_names(&body.review_chain).map_err(|m| FieldError::new("review_chain", "invalid_value", m));
    let days = check_days(body.publicity_days).map_err(|m| FieldError::new("publicity_days", "out_of_range", m));
    match (chain, days) {
        (Ok(chain), Ok(publicity_days)) => Ok(Review { chain, publicity_days }),
        (chain, days) => Err(AppError::validation(chain.err().into_iter().chain(days.err()).collect())),
    }
}

/// Lists the catalogue.
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(|conn| Ok(q::list_milestone_types(conn)?)).await?;
    let items: Vec<MilestoneTypeView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}
