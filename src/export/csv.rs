//! CSV rendering of a [`Table`]: UTF-8 with a byte-order mark (so that Excel opens Chinese text
//! correctly), the header row first, then one line per row and nothing else, so tools that take
//! the first line as the header read it right. The title and the footnote are not in the CSV
//! (the XLSX carries them, the export's response headers too).

use super::{finite, percent, Cell, Table};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Renders `table` as CSV (RFC 4180 quoting). Percentages and points are written with 2
/// decimals, missing values as empty fields. Text that a spreadsheet would take for a
/// formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = BOM.to_vec();
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
    let width = table.width();
    let mut records: Vec<Vec<String>> = Vec::with_capacity(table.rows.len() + 1);
    records.push((0..width).map(|c| table.headers.get(c).map(|h| guard(h)).unwrap_or_default()).collect());
    records
        .extend(table.rows.iter().map(|row| (0..width).map(|c| row.get(c).map(field).unwrap_or_default()).collect()));
    for record in &records {
        // Writing to a Vec cannot fail and flexible records cannot mismatch; should the csv
        // crate ever report an error, log it rather than panic in a request.
        if let Err(e) = w.write_record(record) {
            tracing::error!(error = %e, "csv export failed");
            break;
        }
    }
    drop(w);
    out
}

fn field(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => guard(s),
        Cell::Int(n) => n.to_string(),
        Cell::Percent(v) => percent(*v).map(|x| format!("{x:.2}")).unwrap_or_default(),
        Cell::Points(v) => finite(*v).map(|x| format!("{x:.2}")).unwrap_or_default(),
        Cell::Empty => String::new(),
    }
}

// Spreadsheets evaluate a field that starts like a formula (CSV injection); text from users
// (enterprise names, titles) must never run as one.
fn guard(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        let body = bytes.strip_prefix(BOM).expect("starts with a BOM");
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn round_trips_through_the_csv_reader() {
        let t = sample::table();
        let records = read(&to_csv(&t));
        // The header first, one record per row, every record as wide as the header, no title
        // or footnote.
        assert_eq!(records.len(), 1 + t.rows.len());
        assert_eq!(records[0], t.headers);
        assert_eq!(records[1], ["杭州市", "40", "23", "57.50", "7.50", "含 \"示范\", 逗号\n与换行"]);
        assert_eq!(records[2], ["宁波市", "", "9", "", "", "'=HYPERLINK(\"x\")"]);
        assert_eq!(records[3], ["温州市", "10", "1", "", "", ""]);
        assert_eq!(records[4], ["全省", "150", "33", "22.00", "-28.00", ""]);
    }

    #[test]
    fn quotes_only_where_needed_and_skips_non_finite_numbers() {
        let mut t = super::super::Table::new("t", ["a", "b"]);
        t.push_row(vec![Cell::text("plain"), Cell::Percent(Some(f64::NAN))]);
        t.push_row(vec![Cell::text("a,b"), Cell::Points(Some(f64::INFINITY))]);
        let text = String::from_utf8(to_csv(&t)).unwrap();
        assert_eq!(text, "\u{feff}a,b\nplain,\n\"a,b\",\n");
    }
}
