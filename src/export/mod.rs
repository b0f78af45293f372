//! Export scaffolding: a small, format-neutral [`Table`] model and its renderings as CSV
//! ([`to_csv`]: the bare table, for tools) and XLSX ([`to_xlsx`]: titled, with the 口径
//! definition as a footnote, laid out for print), for the statistics exports (§3.6: Chinese
//! headers, a total row, numbers stored as numbers, the same units in both).

mod csv;
mod xlsx;

pub use self::csv::to_csv;
pub use self::xlsx::to_xlsx;

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as is.
    Text(String),
    /// A whole number (counts, targets).
    Int(i64),
    /// A fraction (0.5642) written in both formats as the percentage number with 2 decimals
    /// (56.42; the header says （%）). `None` (e.g. no target) is an empty cell.
    Percent(Option<f64>),
    /// A signed difference in percentage points, 2 decimals (XLSX shows the sign: +7.50,
    /// -28.00); `None` is an empty cell.
    Points(Option<f64>),
    /// An empty cell.
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }
}

/// A titled table with a header row, data rows, an optional total row and a footnote.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Title (e.g. the indicator, year, as-of date and knowledge time): the XLSX's first row.
    pub title: String,
    /// The XLSX worksheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet_name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows; a row may be shorter than the headers (the rest is empty).
    pub rows: Vec<Vec<Cell>>,
    /// Index into `rows` of the total row (shown bold in XLSX), if any.
    pub total_row: Option<usize>,
    /// Text after the table in the XLSX (e.g. the 口径 definition).
    pub footnote: Option<String>,
}

impl Table {
    /// An empty table with a title and headers.
    pub fn new(title: impl Into<String>, headers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            title: title.into(),
            sheet_name: "表1".into(),
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            total_row: None,
            footnote: None,
        }
    }

    /// Appends a data row.
    pub fn push_row(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Appends the total row and marks it as such.
    pub fn push_total_row(&mut self, row: Vec<Cell>) {
        self.total_row = Some(self.rows.len());
        self.rows.push(row);
    }

    /// Sets the worksheet's name.
    pub fn with_sheet_name(mut self, name: impl Into<String>) -> Self {
        self.sheet_name = name.into();
        self
    }

    /// Sets the footnote.
    pub fn with_footnote(mut self, footnote: impl Into<String>) -> Self {
        self.footnote = Some(footnote.into());
        self
    }

    /// The number of columns: the headers' or the longest row's, whichever is larger.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).chain(std::iter::once(self.headers.len())).max().unwrap_or(0)
    }
}

/// A finite number, or `None` (NaN and infinities are written as empty cells).
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A fraction as the percentage number both formats write, rounded to 2 decimals so that the
/// CSV and the XLSX hold the same value.
fn percent(v: Option<f64>) -> Option<f64> {
    finite(v).map(|x| (x * 10_000.0).round() / 100.0)
}

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A table shaped like a progress export, with awkward text.
    pub fn table() -> Table {
        let mut t = Table::new(
            "智能工厂和数字化车间 2023 年进度（截至 2023-06-30，数据时点 2023-07-01T00:00:00Z）",
            ["地区", "目标", "完成数", "完成率（%）", "序时进度差（百分点）", "备注"],
        )
        .with_sheet_name("智能工厂2023");
        t.push_row(vec![
            Cell::text("杭州市"),
            Cell::Int(40),
            Cell::Int(23),
            Cell::Percent(Some(0.575)),
            Cell::Points(Some(7.5)),
            Cell::text("含 \"示范\", 逗号\n与换行"),
        ]);
        t.push_row(vec![
            Cell::text("宁波市"),
            Cell::Empty,
            Cell::Int(9),
            Cell::Percent(None),
            Cell::Points(None),
            Cell::text("=HYPERLINK(\"x\")"),
        ]);
        t.push_row(vec![Cell::text("温州市"), Cell::Int(10), Cell::Int(1)]);
        t.push_total_row(vec![
            Cell::text("全省"),
            Cell::Int(150),
            Cell::Int(33),
            Cell::Percent(Some(0.22)),
            Cell::Points(Some(-28.0)),
            Cell::Empty,
        ]);
        t.with_footnote("口径：当年新认定、已审核通过且截至统计日仍有效的记录，按企业去重。")
    }
}
