//! Export scaffolding: a small, format-neutral [`Table`] model and its renderings as CSV
//! ([`to_csv`]) and XLSX ([`to_xlsx`]), for the statistics exports (§3.6: Chinese headers, a
//! province total row, the 口径 definition as a footnote, numbers stored as numbers).

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
    /// A fraction (0.5642); XLSX shows it as a percentage with 2 decimals (56.42%), CSV writes
    /// the fraction with 4 decimals. `None` (e.g. no target) is an empty cell.
    Ratio(Option<f64>),
    /// A number shown with 2 decimals (e.g. percentage points); `None` is an empty cell.
    Decimal2(Option<f64>),
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
    /// Title, the first line (e.g. the indicator, year, as-of date and knowledge time).
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows; a row may be shorter than the headers (the rest is empty).
    pub rows: Vec<Vec<Cell>>,
    /// Index into `rows` of the total row (shown bold in XLSX), if any.
    pub total_row: Option<usize>,
    /// Text after the table (e.g. the 口径 definition).
    pub footnote: Option<String>,
}

impl Table {
    /// An empty table with a title and headers.
    pub fn new(title: impl Into<String>, headers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            title: title.into(),
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

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A table shaped like a progress export, with awkward text.
    pub fn table() -> Table {
        let mut t = Table::new(
            "智能工厂和数字化车间 2023 年进度（截至 2023-06-30，数据时点 2023-07-01T00:00:00Z）",
            ["地区", "目标", "完成数", "完成率", "序时进度差（百分点）", "备注"],
        );
        t.push_row(vec![
            Cell::text("杭州市"),
            Cell::Int(40),
            Cell::Int(23),
            Cell::Ratio(Some(0.575)),
            Cell::Decimal2(Some(7.5)),
            Cell::text("含 \"示范\", 逗号\n与换行"),
        ]);
        t.push_row(vec![
            Cell::text("宁波市"),
            Cell::Empty,
            Cell::Int(9),
            Cell::Ratio(None),
            Cell::Decimal2(None),
            Cell::text("=HYPERLINK(\"x\")"),
        ]);
        t.push_row(vec![Cell::text("温州市"), Cell::Int(10), Cell::Int(1)]);
        t.push_total_row(vec![
            Cell::text("全省"),
            Cell::Int(150),
            Cell::Int(33),
            Cell::Ratio(Some(0.22)),
            Cell::Decimal2(Some(-28.0)),
            Cell::Empty,
        ]);
        t.with_footnote("口径：当年新认定、已审核通过且截至统计日仍有效的记录，按企业去重。")
    }
}
