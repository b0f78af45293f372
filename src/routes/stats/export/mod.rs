//! `GET /api/v1/stats/progress.csv|.xlsx` (the province and its cities) and
//! `/api/v1/stats/progress/{city_code}.csv|.xlsx` (a city and its counties): the CSV is the bare
//! table (header first, one line per region); the XLSX adds the title and the 口径 footnote and
//! is laid out for print; both responses carry the title and the definition in `X-Export-Title`
//! and `X-Export-Definition`. Audited.

mod disposition;
mod table;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};

use self::disposition::{content_disposition, ext_value};
use self::table::Scope;
use super::params::ProgressParams;
use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::principal::roles::{Officials, RegionOfficials};
use crate::auth::{As, Principal};
use crate::error::AppError;
use crate::export::{to_csv, to_xlsx};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use crate::stats::reports::report::Report;
use crate::tail;

/// The two formats, named by the route's extension (`.csv`, `.xlsx`).
#[derive(Clone, Copy)]
pub enum Format {
    /// UTF-8 CSV with BOM.
    Csv,
    /// Office Open XML workbook.
    Xlsx,
}

impl FromRequest for Format {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(if req.path().ends_with(".xlsx") { Format::Xlsx } else { Format::Csv }))
    }
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Computes the report of `scope` and records the export in the audit trail.
async fn build(
    state: &web::Data<AppState>,
    who: Principal,
    meta: RequestMeta,
    p: ProgressParams,
    format: Format,
    scope: &Scope,
) -> Result<Report, AppError> {
    let q = p.into_query()?;
    let city = (!scope.province).then(|| scope.code.clone());
    let r = super::run::report(state, q, city.clone()).await?;
    let detail = serde_json::json!({
        "format": format.ext(), "plan": r.query.plan, "indicator": r.query.indicator, "year": r.query.year,
        "as_of": r.query.as_of.to_string(), "known_at": crate::clock::rfc3339(r.query.known_at), "city": city,
    });
    let object = format!("{}/{}", r.query.plan, r.query.indicator);
    state
        .db
        .write(move |c| {
            tail::audited(
                c,
                &meta,
                &Actor::Principal(who),
                Event::ok("stats.export", "indicator", &object).detail(detail),
            )
        })
        .await?;
    Ok(r)
}

/// Renders the file and its headers.
async fn respond(r: Report, scope: Scope, format: Format) -> Result<HttpResponse, AppError> {
    let title = ext_value(&table::title(&r, &scope));
    let definition = ext_value(&table::definition(&r));
    let disposition = content_disposition(&r, &scope, format.ext());
    let (content_type, body) = match format {
        Format::Csv => ("text/csv; charset=utf-8", to_csv(&table::table(&r, &scope))),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            web::block(move || to_xlsx(&table::table(&r, &scope))).await??,
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Export-Title", title))
        .insert_header(("X-Export-Definition", definition))
        .body(body))
}

/// The province table as CSV (UTF-8 with BOM) or an XLSX workbook, by the path's extension.
pub async fn province(
    state: web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    ApiQuery(p): ApiQuery<ProgressParams>,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let scope = Scope { code: "330000".into(), name_zh: "浙江省".into(), province: true };
    let r = build(&state, auth.0, meta, p, format, &scope).await?;
    respond(r, scope, format).await
}

/// A city's drill-down as CSV or XLSX; a city reviewer exports only its own city (404 for others).
pub async fn city(
    state: web::Data<AppState>,
    auth: As<RegionOfficials>,
    meta: RequestMeta,
    path: ApiPath<String>,
    ApiQuery(p): ApiQuery<ProgressParams>,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let (code, name_zh) = super::city::city_in_scope(&state, &auth.0, &path)?;
    let scope = Scope { code, name_zh, province: false };
    let r = build(&state, auth.0, meta, p, format, &scope).await?;
    respond(r, scope, format).await
}
