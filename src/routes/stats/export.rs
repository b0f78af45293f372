//! `GET /api/v1/stats/progress.csv` and `.xlsx`: the province table with Chinese headers, a
//! 全省合计 row, numbers stored as numbers, and the 口径 definition as a footnote. Audited.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::params::ProgressParams;
use crate::audit::{Actor, Event, RequestMeta};
use crate::auth::principal::roles::Officials;
use crate::auth::As;
use crate::error::AppError;
use crate::export::{to_csv, to_xlsx, Cell, Table};
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::stats::rates::Progress;
use crate::stats::report::Report;
use crate::tail;

const HEADERS: [&str; 10] =
    ["序号", "地区", "目标", "累计", "新增", "完成率", "序时进度", "超/欠序时（百分点）", "待审", "排名"];

const DEFINITION: &str = "口径：经市经信局审核通过、截至数据时点已知且在统计日前生效、未被撤销、未过有效期、\
未被同一企业后续梯队认定替代的记录计入；“家”按企业去重，“个”按记录计数。累计为截至统计日的存量，\
新增为统计年度1月1日至统计日生效的数量；完成率＝实际÷目标；序时进度＝已完成月数÷12（统计日为月末时当月计入）；\
超/欠序时＝（完成率－序时进度）×100；待审为当前待审核记录数；排名按完成率从高到低，并列同名次，无目标不排名。";

fn cells(index: Cell, name: &str, p: Option<&Progress>, target: Option<i64>, rank: Option<u32>) -> Vec<Cell> {
    let int = |v: Option<i64>| v.map(Cell::Int).unwrap_or(Cell::Empty);
    vec![
        index,
        Cell::text(name),
        int(target),
        int(p.map(|p| p.cumulative)),
        int(p.map(|p| p.increment)),
        Cell::Ratio(p.and_then(|p| p.completion_rate)),
        Cell::Ratio(p.and_then(|p| p.time_progress)),
        Cell::Decimal2(p.and_then(|p| p.pace_gap_pp)),
        int(p.map(|p| p.pending)),
        rank.map(|r| Cell::Int(i64::from(r))).unwrap_or(Cell::Empty),
    ]
}

/// The export table of a report.
pub fn table(r: &Report) -> Table {
    let known = r.query.known_at.and_utc().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M:%S");
    let title = format!(
        "{}（{}）{}年推进情况 截至{}（数据截至北京时间{}）{}",
        r.name_zh,
        r.query.plan,
        r.query.year,
        r.query.as_of,
        known,
        if r.tracked { "" } else { "（未跟踪指标）" }
    );
    let mut t = Table::new(title, HEADERS);
    for (i, row) in r.rows.iter().enumerate() {
        let target = row.progress.as_ref().and_then(|p| p.target);
        t.push_row(cells(Cell::Int(i as i64 + 1), &row.name_zh, row.progress.as_ref(), target, row.rank));
    }
    t.push_total_row(cells(Cell::Empty, "全省合计", r.total.as_ref(), r.total_target, None));
    t.with_footnote(format!(
        "{DEFINITION} 单位：{}；类型：{}。",
        r.unit,
        if r.kind == "increment" { "新增" } else { "累计" }
    ))
}

async fn build(
    state: &web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    p: ProgressParams,
    format: &'static str,
) -> Result<Report, AppError> {
    let q = p.into_query()?;
    let r = super::guard::report(state, q, None).await?;
    let detail = serde_json::json!({
        "format": format, "plan": r.query.plan, "indicator": r.query.indicator, "year": r.query.year,
        "as_of": r.query.as_of.to_string(), "known_at": crate::clock::rfc3339(r.query.known_at),
    });
    let object = format!("{}/{}", r.query.plan, r.query.indicator);
    state
        .db
        .write(move |c| {
            tail::audited(
                c,
                &meta,
                &Actor::Principal(auth.0),
                Event::ok("stats.export", "indicator", &object).detail(detail),
            )
        })
        .await?;
    Ok(r)
}

fn attachment(r: &Report, ext: &str) -> String {
    format!("attachment; filename=\"progress-{}-{}-{}.{ext}\"", r.query.plan, r.query.indicator, r.query.year)
}

/// CSV (UTF-8 with BOM).
pub async fn csv(
    state: web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, auth, meta, p, "csv").await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, attachment(&r, "csv")))
        .body(to_csv(&table(&r))))
}

/// XLSX workbook.
pub async fn xlsx(
    state: web::Data<AppState>,
    auth: As<Officials>,
    meta: RequestMeta,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, auth, meta, p, "xlsx").await?;
    let bytes = web::block(move || to_xlsx(&table(&r)).map(|b| (b, attachment(&r, "xlsx")))).await??;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((header::CONTENT_DISPOSITION, bytes.1))
        .body(bytes.0))
}
