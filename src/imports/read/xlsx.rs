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
