//! An `.xlsx` list: the first sheet of the workbook, read cell by cell with `calamine`'s streaming
//! cell reader (the sheet is never held whole). Numbers that are whole print without a fraction
//! (a county code typed as a number), dates as `YYYY-MM-DD`.

use std::io::Cursor;

use actix_web::http::StatusCode;
use calamine::{DataRef, Reader, Xlsx};

use super::Sink;
use crate::error::AppError;

/// Reads every row of the first sheet of the workbook in `bytes` into `sink`.
pub(super) fn read(bytes: &[u8], sink: &mut Sink<'_>) -> Result<(), AppError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = book.sheet_names().into_iter().next() else {
        return Err(unreadable(&"no sheet"));
    };
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| unreadable(&e))?;
    let mut row: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(done) = current {
                sink.push(u64::from(done) + 1, &row)?;
            }
            row.clear();
            current = Some(r);
        }
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text(cell.get_value());
    }
    if let Some(done) = current {
        sink.push(u64::from(done) + 1, &row)?;
    }
    Ok(())
}

/// A cell as text.
fn text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_datetime().map_or_else(|| d.as_f64().to_string(), |t| t.date().to_string()),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn unreadable(e: &dyn std::fmt::Display) -> AppError {
    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable_workbook", "the file is not a readable .xlsx workbook")
        .with_cause(e.to_string())
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

    use super::super::{read as read_list, Column, Format};

    /// A workbook as Excel writes one: shared strings, a county typed as a number, a real date
    /// cell, a title row and a blank row above the header, a second sheet that is not read.
    #[test]
    fn shared_strings_numbers_and_date_cells() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "2024年第一批名单").unwrap();
        for (c, h) in ["统一社会信用代码", "企业名称", "区县代码", "类型", "认定日期", "文号"].iter().enumerate()
        {
            sheet.write_string(2, c as u16, *h).unwrap();
        }
        sheet.write_string(3, 0, "91330106MA2CFHK00X").unwrap();
        sheet.write_string(3, 1, "浙江甲公司").unwrap();
        sheet.write_number(3, 2, 330106.0).unwrap();
        sheet.write_string(3, 3, "雄鹰企业").unwrap();
        let date = ExcelDateTime::from_ymd(2024, 12, 20).unwrap();
        sheet.write_datetime_with_format(3, 4, &date, &CellFormat::new().set_num_format("yyyy/m/d")).unwrap();
        sheet.write_string(3, 5, "浙经信〔2024〕1号").unwrap();
        book.add_worksheet().write_string(0, 0, "not read").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut rows = Vec::new();
        read_list(Format::Xlsx, &bytes, |r| rows.push(r)).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[0].get(Column::Name), "浙江甲公司");
        assert_eq!(rows[0].get(Column::Uscc), "91330106MA2CFHK00X");
        assert_eq!(rows[0].get(Column::County), "330106");
        assert_eq!(rows[0].get(Column::EffectiveOn), "2024-12-20");
    }
}
