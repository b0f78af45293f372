//! A CSV list: UTF-8 (a byte-order mark is skipped), read record by record with the `csv` crate.
//! A file in another encoding (GBK, as Excel saves "CSV" on a Chinese Windows) is refused with a
//! message that says how to save it.

use actix_web::http::StatusCode;

use super::Sink;
use crate::error::AppError;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads every record of `bytes` into `sink`.
pub(super) fn read(bytes: &[u8], sink: &mut Sink<'_>) -> Result<(), AppError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(not_utf8(line_of(bytes, e.valid_up_to())));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::StringRecord::new();
    let mut cells: Vec<String> = Vec::new();
    let mut lines = Lines { bytes, offset: 0, line: 1 };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = lines.at(record.position().map_or(0, |p| p.byte() as usize));
                cells.clear();
                cells.extend(record.iter().map(str::to_string));
                sink.push(line, &cells)?;
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(AppError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "malformed_csv",
                    format!("the CSV text is malformed at line {line}"),
                )
                .with("line", line));
            }
        }
    }
}

/// Line numbers of records. The `csv` crate's own count of a record after blank lines is the line
/// of the first blank one; a person sees the line where the record's text starts.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line where the text of the record at byte `start` begins (starts never decrease).
    fn at(&mut self, start: usize) -> u64 {
        let mut start = start.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.offset {
            self.line += self.bytes[self.offset..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.offset = start;
        }
        self.line
    }
}

/// The line (from 1) of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset].iter().filter(|b| **b == b'\n').count() as u64
}

fn not_utf8(line: u64) -> AppError {
    AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_utf8",
        format!(
            "the file is not UTF-8 text (line {line}): save it as \"CSV UTF-8\" (in Excel: Save As, CSV UTF-8) and import it again"
        ),
    )
    .with("line", line)
}

#[cfg(test)]
mod tests {
    use super::super::{read as read_list, Format};

    #[test]
    fn bom_quotes_and_line_numbers() {
        let text = "\u{feff}uscc,name,county_code,type,effective_on,document_no\n\n\"9133,\nX\",b,c,d,e,f\n,,,,,\nA,B,C,D,E,F\n";
        let mut lines = Vec::new();
        read_list(Format::Csv, text.as_bytes(), |r| lines.push((r.line, r.cells[0].clone()))).unwrap();
        assert_eq!(lines, vec![(3, "9133,\nX".to_string()), (6, "A".to_string())]);
    }

    #[test]
    fn gbk_is_refused_with_advice() {
        // "统一社会信用代码" in GBK.
        let gbk: &[u8] = b"\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,uscc\n";
        let e = read_list(Format::Csv, gbk, |_| {}).unwrap_err();
        assert_eq!((e.status().as_u16(), e.code()), (422, "not_utf8"));
        assert!(e.detail().contains("UTF-8"), "{}", e.detail());
    }
}
