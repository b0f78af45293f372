//! The export table of a progress report: the same columns and units in the CSV and the XLSX
//! (rates as percentages), the region's own row last (全省合计, or the city's 合计 in a
//! drill-down), the title and the 口径 definition.

use crate::export::{Cell, Table};
use crate::stats::definitions::rates::Progress;
use crate::stats::reports::report::Report;

/// What a table covers: the province and its cities, or one city and its counties.
pub struct Scope {
    /// Division code of the whole region (330000, or the city's).
    pub code: String,
    /// Its Chinese name (浙江省, 杭州市).
    pub name_zh: String,
    /// Whether it is the province table (cities ranked, the sum of the city targets shown).
    pub province: bool,
}

/// Column headers; the province table adds 各市目标之和 after 目标.
const HEAD: [&str; 4] = ["序号", "地区代码", "地区", "目标"];
const TAIL: [&str; 8] =
    ["累计", "新增", "完成率（%）", "序时进度（%）", "超/欠序时（百分点）", "待审", "公示中", "排名"];

/// The 口径 definition, in the XLSX footnote and the `X-Export-Definition` header.
pub const DEFINITION: &str = "口径：经市经信局审核通过、截至数据时点已知且在统计日前生效、未被撤销、未过有效期、\
未被同一企业后续梯队认定替代的记录计入；“家”按企业去重，“个”按记录计数。累计为截至统计日的存量，\
新增为统计年度1月1日至统计日生效的数量；完成率＝实际÷目标×100%；序时进度＝已完成月数÷12×100%（统计日为月末时当月计入）；\
超/欠序时＝完成率－序时进度（百分点）；待审为当前待审核记录数；公示中为当前处于公示期的记录数（公示期满后计入）；排名按完成率从高到低，并列同名次，无目标不排名；\
各市目标之和为省经信厅下达各市目标的合计，与规划的全省目标可以不等。";

/// One row: `extra` is the 各市目标之和 cell of the province table.
fn cells(
    index: Cell,
    code: &str,
    name: &str,
    p: Option<&Progress>,
    target: Option<i64>,
    extra: Option<Cell>,
) -> Vec<Cell> {
    let int = |v: Option<i64>| v.map(Cell::Int).unwrap_or(Cell::Empty);
    let mut row = vec![index, Cell::text(code), Cell::text(name), int(target)];
    row.extend(extra);
    row.extend([
        int(p.map(|p| p.cumulative)),
        int(p.map(|p| p.increment)),
        Cell::Percent(p.and_then(|p| p.completion_rate)),
        Cell::Percent(p.and_then(|p| p.time_progress)),
        Cell::Points(p.and_then(|p| p.pace_gap_pp)),
        int(p.map(|p| p.pending)),
        int(p.map(|p| p.in_publicity)),
    ]);
    row
}

/// The title: indicator, plan, region, year, D and T (Beijing time).
pub fn title(r: &Report, scope: &Scope) -> String {
    let known = r.query.known_at.and_utc().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M:%S");
    format!(
        "{}（{}）{}{}年推进情况 截至{}（数据截至北京时间{}）{}",
        r.name_zh,
        r.query.plan,
        if scope.province { "全省及各市" } else { &scope.name_zh },
        r.query.year,
        r.query.as_of,
        known,
        if r.tracked { "" } else { "（未跟踪指标）" }
    )
}

/// The definition with the indicator's unit and kind.
pub fn definition(r: &Report) -> String {
    format!("{DEFINITION} 单位：{}；类型：{}。", r.unit, if r.kind == "increment" { "新增" } else { "累计" })
}

/// The export table of `r`.
pub fn table(r: &Report, scope: &Scope) -> Table {
    let mut headers: Vec<&str> = HEAD.to_vec();
    if scope.province {
        headers.push("各市目标之和");
    }
    headers.extend(TAIL.iter().take(if scope.province { TAIL.len() } else { TAIL.len() - 1 }));
    let sheet = format!("{}{}年", if scope.province { "全省" } else { &scope.name_zh }, r.query.year);
    let mut t = Table::new(title(r, scope), headers).with_sheet_name(sheet);
    let blank = scope.province.then_some(Cell::Empty);
    for (i, row) in r.rows.iter().enumerate() {
        let p = row.progress.as_ref();
        let mut cells =
            cells(Cell::Int(i as i64 + 1), &row.code, &row.name_zh, p, p.and_then(|p| p.target), blank.clone());
        if scope.province {
            cells.push(row.rank.map(|r| Cell::Int(i64::from(r))).unwrap_or(Cell::Empty));
        }
        t.push_row(cells);
    }
    let (name, extra) = if scope.province {
        ("全省合计".to_string(), Some(r.city_target_sum.map(Cell::Int).unwrap_or(Cell::Empty)))
    } else {
        (format!("{}合计", scope.name_zh), None)
    };
    let mut total = cells(Cell::Empty, &scope.code, &name, r.total.as_ref(), r.total_target, extra);
    if scope.province {
        total.push(Cell::Empty);
    }
    t.push_total_row(total);
    t.with_footnote(definition(r))
}
