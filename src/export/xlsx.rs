//! XLSX rendering of a [`Table`] with `rust_xlsxwriter`: one sheet named by the table, the title
//! merged across the columns in bold on row 1, the header row frozen below it, numbers stored as
//! numbers with number formats (`#,##0` counts, `0.00` percentages, `+0.00;-0.00` points), the
//! total row in bold, the footnote below the table, column widths fitted to Chinese text; printed
//! landscape on A4, one page wide, title and header repeated on every page.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{finite, percent, Cell, Table};
use crate::error::AppError;

/// Number format of [`Cell::Int`]: thousands separated.
const INT_FORMAT: &str = "#,##0";
/// Number format of [`Cell::Percent`] (the percentage number; the header says （%）).
const PERCENT_FORMAT: &str = "0.00";
/// Number format of [`Cell::Points`]: always signed.
const POINTS_FORMAT: &str = "+0.00;-0.00";
/// Excel's paper size code of A4.
const A4: u8 = 9;

/// Column widths, in Excel character units.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 50;

/// The cell formats, plain and bold (total row).
struct Formats {
    title: Format,
    header: Format,
    footnote: Format,
    text: [Format; 2],
    int: [Format; 2],
    percent: [Format; 2],
    points: [Format; 2],
}

impl Formats {
    fn new() -> Self {
        let pair = |f: Format| [f.clone(), f.set_bold()];
        let cell = || Format::new().set_border(FormatBorder::Thin);
        Self {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            header: cell()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            footnote: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            text: pair(cell()),
            int: pair(cell().set_num_format(INT_FORMAT)),
            percent: pair(cell().set_num_format(PERCENT_FORMAT)),
            points: pair(cell().set_num_format(POINTS_FORMAT)),
        }
    }
}

/// Renders `table` as an XLSX workbook of one sheet.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, AppError> {
    render(table).map_err(|e| AppError::internal(format!("xlsx export: {e}")))
}

fn render(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(&table.sheet_name)?;
    // Print: landscape A4, every column on one page wide (as many pages down as needed), the
    // title and header rows on every page.
    sheet.set_landscape().set_paper_size(A4).set_print_fit_to_pages(1, 0).set_print_center_horizontally(true);
    sheet.set_repeat_rows(0, 1)?;
    let f = Formats::new();
    let columns = table.width().max(1);
    let last_col = col(columns - 1)?;

    // Row 1: the title across every column.
    if last_col > 0 {
        sheet.merge_range(0, 0, 0, last_col, &table.title, &f.title)?;
    } else {
        sheet.write_string_with_format(0, 0, &table.title, &f.title)?;
    }
    sheet.set_row_height(0, 24)?;

    // Row 2: the headers, frozen with the title above them.
    for (c, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(1, col(c)?, h, &f.header)?;
    }
    sheet.set_freeze_panes(2, 0)?;

    for (r, cells) in table.rows.iter().enumerate() {
        let row = row(r + 2)?;
        let bold = usize::from(table.total_row == Some(r));
        for c in 0..columns {
            write_cell(sheet, row, col(c)?, cells.get(c).unwrap_or(&Cell::Empty), &f, bold)?;
        }
    }

    let widths = column_widths(table, columns);
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c)?, *w as f64)?;
    }

    // The footnote, one blank row below the table, wrapped across the table's width.
    if let Some(note) = &table.footnote {
        let at = row(table.rows.len() + 3)?;
        if last_col > 0 {
            sheet.merge_range(at, 0, at, last_col, note, &f.footnote)?;
        } else {
            sheet.write_string_with_format(at, 0, note, &f.footnote)?;
        }
        // Excel does not grow a merged row to fit wrapped text: estimate the lines needed.
        let total: usize = widths.iter().sum::<usize>().max(1);
        let lines: usize = note.split('\n').map(|l| display_width(l).div_ceil(total).max(1)).sum();
        sheet.set_row_height(at, 15.0 * lines as f64 + 3.0)?;
    }

    workbook.save_to_buffer()
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
    bold: usize,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string_with_format(row, col, s, &f.text[bold])?,
        Cell::Int(n) => sheet.write_number_with_format(row, col, *n as f64, &f.int[bold])?,
        Cell::Percent(v) => match percent(*v) {
            Some(x) => sheet.write_number_with_format(row, col, x, &f.percent[bold])?,
            None => sheet.write_blank(row, col, &f.percent[bold])?,
        },
        Cell::Points(v) => match finite(*v) {
            Some(x) => sheet.write_number_with_format(row, col, x, &f.points[bold])?,
            None => sheet.write_blank(row, col, &f.points[bold])?,
        },
        Cell::Empty => sheet.write_blank(row, col, &f.text[bold])?,
    };
    Ok(())
}

/// Widths fitted to the widest header or cell of each column (CJK characters count double).
fn column_widths(table: &Table, columns: usize) -> Vec<usize> {
    (0..columns)
        .map(|c| {
            let header = table.headers.get(c).map_or(0, |h| display_width(h));
            let cells = table.rows.iter().filter_map(|r| r.get(c)).map(|cell| match cell {
                Cell::Text(s) => s.split('\n').map(display_width).max().unwrap_or(0),
                Cell::Int(n) => n.to_string().len() * 4 / 3,
                Cell::Percent(_) => "100.00".len(),
                Cell::Points(v) => finite(*v).map_or(0, |x| format!("{x:+.2}").len()),
                Cell::Empty => 0,
            });
            (cells.chain(std::iter::once(header)).max().unwrap_or(0) + 2).clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

/// The width of `s` in Excel character units: wide (CJK, full-width) characters count 2.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(
        c as u32,
        0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD
    )
}

fn row(r: usize) -> Result<u32, XlsxError> {
    u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::export::sample;

    fn sheet_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    #[test]
    fn is_a_zip_holding_one_worksheet() {
        let bytes = to_xlsx(&sample::table()).unwrap();
        assert!(bytes.starts_with(b"PK"));
        // Entry names are stored uncompressed in the ZIP headers.
        assert!(bytes.windows(24).any(|w| w == b"xl/worksheets/sheet1.xml"));
    }

    #[test]
    fn numbers_are_numbers_and_the_layout_holds() {
        let xml = sheet_xml(&to_xlsx(&sample::table()).unwrap());
        // B3 (杭州市's target) is a number cell (no `t="s"`), holding 40.
        let b3 = xml.split("<c r=\"B3\"").nth(1).unwrap();
        let b3 = &b3[..b3.find("</c>").unwrap()];
        assert!(!b3.contains("t=\"s\""), "{b3}");
        assert!(b3.contains("<v>40</v>"), "{b3}");
        // The percentage is stored as the number the CSV shows.
        assert!(xml.contains("<v>57.5</v>"), "{xml}");
        // Title merged over the six columns, panes frozen below the header row.
        assert!(xml.contains("<mergeCell ref=\"A1:F1\"/>"), "{xml}");
        assert!(xml.contains("ySplit=\"2\"") && xml.contains("state=\"frozen\""), "{xml}");
        // The footnote is merged one row below the table (4 data rows from row 3: row 8).
        assert!(xml.contains("<mergeCell ref=\"A8:F8\"/>"), "{xml}");
        // Column widths are set.
        assert!(xml.contains("<cols>"), "{xml}");
        // Printed landscape on A4, one page wide, as many down as needed.
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{xml}");
        assert!(xml.contains("paperSize=\"9\"") && xml.contains("orientation=\"landscape\""), "{xml}");
        assert!(xml.contains("fitToHeight=\"0\""), "{xml}");
        // The total row (row 6) has its own (bold) styles; data rows share theirs.
        let style = |cell: &str| {
            let rest = xml.split(&format!("<c r=\"{cell}\"")).nth(1).unwrap();
            rest.split("s=\"").nth(1).unwrap().split('"').next().unwrap().to_string()
        };
        assert_eq!(style("B3"), style("B5"));
        assert_ne!(style("B3"), style("B6"));
        assert_ne!(style("A3"), style("A6"));
    }

    #[test]
    fn number_formats_are_declared() {
        let bytes = to_xlsx(&sample::table()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
        for code in [INT_FORMAT, PERCENT_FORMAT, POINTS_FORMAT] {
            let declared = format!("formatCode=\"{code}\"");
            assert!(styles.contains(&declared), "{declared} missing: {styles}");
        }
        assert!(styles.contains("<b/>"), "bold fonts for the title, header and total row");
    }

    #[test]
    fn the_sheet_is_named_and_titles_repeat_on_every_page() {
        let bytes = to_xlsx(&sample::table()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut workbook = String::new();
        zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
        assert!(workbook.contains("<sheet name=\"智能工厂2023\""), "{workbook}");
        assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$1:$2"), "{workbook}");
    }

    #[test]
    fn widths_count_chinese_characters_double() {
        assert_eq!(display_width("杭州市"), 6);
        assert_eq!(display_width("ab（c）"), 7);
        let t = sample::table();
        let w = column_widths(&t, t.width());
        assert_eq!(w[0], MIN_WIDTH);
        assert_eq!(w[4], display_width("序时进度差（百分点）") + 2);
    }

    #[test]
    fn degenerate_tables_still_render() {
        let one = Table::new("只有一列", ["地区"]).with_footnote("注");
        assert!(to_xlsx(&one).unwrap().starts_with(b"PK"));
        let none = Table::new("空表", Vec::<String>::new());
        assert!(to_xlsx(&none).unwrap().starts_with(b"PK"));
    }
}
