//! Reading an official list (DESIGN §3.8): the file's format from its media type, the header row
//! (Chinese or English column names, other columns ignored), and its data rows one at a time —
//! [`csv`] streams a CSV text, [`xlsx`] the cells of a workbook's first sheet. Every row carries
//! the line a person sees in the file (the header is line 1 of a CSV).

mod csv;
mod xlsx;

use actix_web::http::StatusCode;

use crate::error::AppError;

/// Most data rows a list may have.
pub const MAX_ROWS: usize = 200_000;

/// Largest file accepted, in bytes (20 MiB).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Media type of a CSV list.
pub const CSV_MEDIA_TYPE: &str = "text/csv";

/// Media type of an Excel workbook.
pub const XLSX_MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The two formats a list may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 CSV, with or without a byte-order mark.
    Csv,
    /// An `.xlsx` workbook; its first sheet is read.
    Xlsx,
}

impl Format {
    /// The format of a `Content-Type` (parameters ignored), if it is one of the two.
    pub fn of_media_type(content_type: &str) -> Option<Self> {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            CSV_MEDIA_TYPE => Some(Self::Csv),
            XLSX_MEDIA_TYPE => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// The format of a file name's extension (the command line), if it is one of the two.
    pub fn of_file_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Self::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Self::Xlsx)
        } else {
            None
        }
    }

    /// `csv` or `xlsx`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// A column of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 统一社会信用代码 / `uscc`.
    Uscc,
    /// 企业名称 / `name`.
    Name,
    /// 区县代码 / `county_code`.
    County,
    /// 类型 / `type`: a milestone type's code or Chinese name.
    Type,
    /// 级别 / `level` (optional column).
    Level,
    /// 认定日期 / `effective_on`.
    EffectiveOn,
    /// 文号 / `document_no`.
    DocumentNo,
    /// 批次 / `batch` (optional column).
    Batch,
    /// 项目名称 / `title` (optional column; default the type's name).
    Title,
}

impl Column {
    /// Every column, in the order of [`Row::cells`].
    pub const ALL: [Column; 9] = [
        Column::Uscc,
        Column::Name,
        Column::County,
        Column::Type,
        Column::Level,
        Column::EffectiveOn,
        Column::DocumentNo,
        Column::Batch,
        Column::Title,
    ];

    /// The English name, also the `field` of a row's errors.
    pub fn field(self) -> &'static str {
        match self {
            Column::Uscc => "uscc",
            Column::Name => "name",
            Column::County => "county_code",
            Column::Type => "type",
            Column::Level => "level",
            Column::EffectiveOn => "effective_on",
            Column::DocumentNo => "document_no",
            Column::Batch => "batch",
            Column::Title => "title",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Column::Uscc => "统一社会信用代码",
            Column::Name => "企业名称",
            Column::County => "区县代码",
            Column::Type => "类型",
            Column::Level => "级别",
            Column::EffectiveOn => "认定日期",
            Column::DocumentNo => "文号",
            Column::Batch => "批次",
            Column::Title => "项目名称",
        }
    }

    /// Whether a list must have the column.
    pub fn required(self) -> bool {
        !matches!(self, Column::Level | Column::Batch | Column::Title)
    }

    /// The column a header cell names (trimmed; English case-insensitive), if any.
    fn of_header(cell: &str) -> Option<Column> {
        let h = cell.trim().trim_start_matches('\u{feff}').trim();
        Column::ALL.into_iter().find(|c| h == c.chinese() || h.eq_ignore_ascii_case(c.field()))
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One data row: its line in the file and its cells, by [`Column::ALL`] order (empty when the
/// column is absent or the cell blank).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The line (CSV) or row number (workbook) a person sees; the header is line 1 of a CSV.
    pub line: u64,
    /// The cells, trimmed.
    pub cells: [String; 9],
}

impl Row {
    /// The cell of `column`.
    pub fn get(&self, column: Column) -> &str {
        &self.cells[column.index()]
    }
}

/// Where each column is in the file.
#[derive(Debug, Clone)]
struct Header {
    positions: [Option<usize>; 9],
}

impl Header {
    /// Reads the header row: 422 `missing_columns` naming every required column it lacks.
    fn parse(cells: &[String]) -> Result<Self, AppError> {
        let mut positions = [None; 9];
        for (i, cell) in cells.iter().enumerate() {
            if let Some(c) = Column::of_header(cell) {
                // The first of two columns with the same name wins.
                positions[c.index()].get_or_insert(i);
            }
        }
        let missing: Vec<String> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && positions[c.index()].is_none())
            .map(|c| format!("{}|{}", c.chinese(), c.field()))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing_columns",
                format!("the header row lacks the required column(s) {}", missing.join(", ")),
            )
            .with("missing", missing));
        }
        Ok(Self { positions })
    }

    /// The row of `cells` at `line`; `None` when every cell the list reads is blank.
    fn row(&self, line: u64, cells: &[String]) -> Option<Row> {
        let mut row = Row { line, ..Row::default() };
        for (slot, position) in row.cells.iter_mut().zip(self.positions) {
            if let Some(cell) = position.and_then(|p| cells.get(p)) {
                *slot = cell.trim().to_string();
            }
        }
        row.cells.iter().any(|c| !c.is_empty()).then_some(row)
    }
}

/// Feeds rows to a callback, enforcing [`MAX_ROWS`]: the header comes first, then data rows.
/// The header is the first line naming any column of a list, so a title line above it (名单的
/// 标题, common in published lists) is skipped.
struct Sink<'f> {
    header: Option<Header>,
    rows: usize,
    each: &'f mut dyn FnMut(Row),
}

impl Sink<'_> {
    /// Takes one line of cells.
    fn push(&mut self, line: u64, cells: &[String]) -> Result<(), AppError> {
        let Some(header) = &self.header else {
            if cells.iter().any(|c| Column::of_header(c).is_some()) {
                self.header = Some(Header::parse(cells)?);
            }
            return Ok(());
        };
        if let Some(row) = header.row(line, cells) {
            self.rows += 1;
            if self.rows > MAX_ROWS {
                return Err(AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_many_rows",
                    format!("a list may have at most {MAX_ROWS} rows"),
                )
                .with("limit", MAX_ROWS));
            }
            (self.each)(row);
        }
        Ok(())
    }

    /// The number of data rows, once the whole file was read (422 `missing_columns` naming
    /// every required column when no line names any column).
    fn finish(self) -> Result<usize, AppError> {
        match self.header {
            None => Header::parse(&[]).map(|_| 0),
            Some(_) => Ok(self.rows),
        }
    }
}

/// Reads the list in `bytes`, calling `each` with every data row in file order; returns the
/// number of rows. File-level faults are errors: not UTF-8 or not a workbook (422), a missing
/// required column (422), more than [`MAX_ROWS`] rows (413).
pub fn read(format: Format, bytes: &[u8], mut each: impl FnMut(Row)) -> Result<usize, AppError> {
    let mut sink = Sink { header: None, rows: 0, each: &mut each };
    match format {
        Format::Csv => csv::read(bytes, &mut sink)?,
        Format::Xlsx => xlsx::read(bytes, &mut sink)?,
    }
    sink.finish()
}

/// 413 for a file over [`MAX_BYTES`], with the limit in the problem body.
pub fn too_large() -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the request body exceeds {MAX_BYTES} bytes"),
    )
    .with("limit", MAX_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: Format, bytes: &[u8]) -> Result<Vec<Row>, AppError> {
        let mut out = Vec::new();
        read(format, bytes, |r| out.push(r))?;
        Ok(out)
    }

    #[test]
    fn english_headers_in_any_order_and_other_columns_ignored() {
        let text = "note,Type,USCC,name,county_code,effective_on,document_no\nx,eagle,91330106MA2CFHK00X,A 公司,330106,2024-01-02,文1\n";
        let got = rows(Format::Csv, text.as_bytes()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 2);
        assert_eq!(got[0].get(Column::Type), "eagle");
        assert_eq!(got[0].get(Column::Uscc), "91330106MA2CFHK00X");
        assert_eq!(got[0].get(Column::Level), "");
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let e = rows(Format::Csv, "统一社会信用代码,企业名称,区县代码,类型,认定日期\n".as_bytes()).unwrap_err();
        assert_eq!(e.status().as_u16(), 422);
        assert_eq!(e.code(), "missing_columns");
        assert_eq!(e.body()["missing"], serde_json::json!(["文号|document_no"]));
    }

    #[test]
    fn media_types_and_names() {
        assert_eq!(Format::of_media_type("text/csv; charset=utf-8"), Some(Format::Csv));
        assert_eq!(Format::of_media_type(XLSX_MEDIA_TYPE), Some(Format::Xlsx));
        assert_eq!(Format::of_media_type("application/json"), None);
        assert_eq!(Format::of_file_name("名单.XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::of_file_name("list.xls"), None);
    }
}
