//! CSV rendering of a [`Table`]: UTF-8 with a byte-order mark (so that Excel opens Chinese text
//! correctly), the title as the first line, the header row, the data, the footnote last.

use super::{finite, Cell, Table};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Renders `table` as CSV (RFC 4180 quoting). Ratios are written as fractions with 4 decimals,
/// `Decimal2` with 2, missing values as empty fields. Text that a spreadsheet would take for a
/// formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = BOM.to_vec();
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
    let mut records: Vec<Vec<String>> = Vec::with_capacity(table.rows.len() + 3);
    records.push(vec![guard(&table.title)]);
    records.push(table.headers.iter().map(|h| guard(h)).collect());
    records.extend(table.rows.iter().map(|row| row.iter().map(field).collect()));
    if let Some(f) = &table.footnote {
        records.push(vec![guard(f)]);
    }
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
        Cell::Ratio(v) => finite(*v).map(|x| format!("{x:.4}")).unwrap_or_default(),
        Cell::Decimal2(v) => finite(*v).map(|x| format!("{x:.2}")).unwrap_or_default(),
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
        assert_eq!(records.len(), 1 + 1 + t.rows.len() + 1);
        assert_eq!(records[0], vec![t.title.clone()]);
        assert_eq!(records[1], t.headers);
        assert_eq!(records[2], ["杭州市", "40", "23", "0.5750", "7.50", "含 \"示范\", 逗号\n与换行"]);
        assert_eq!(records[3], ["宁波市", "", "9", "", "", "'=HYPERLINK(\"x\")"]);
        assert_eq!(records[4], ["温州市", "10", "1"]);
        assert_eq!(records[5], ["全省", "150", "33", "0.2200", "-28.00", ""]);
        assert_eq!(records[6], vec![t.footnote.clone().unwrap()]);
    }

    #[test]
    fn quotes_only_where_needed_and_skips_non_finite_numbers() {
        let mut t = super::super::Table::new("t", ["a", "b"]);
        t.push_row(vec![Cell::text("plain"), Cell::Ratio(Some(f64::NAN))]);
        t.push_row(vec![Cell::text("a,b"), Cell::Decimal2(Some(f64::INFINITY))]);
        let text = String::from_utf8(to_csv(&t)).unwrap();
        assert_eq!(text, "\u{feff}t\na,b\nplain,\n\"a,b\",\n");
    }
}
