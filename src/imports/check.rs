//! The checks of one row on its own (DESIGN §3.8), as the API makes them: the USCC rule, the
//! legal name, a county of Zhejiang, a milestone type by code or Chinese name, a level of that
//! type, a date that is real and not in the future, a 文号, and optional batch and title. The
//! rules are the domain's own constructors and checks; this module only names the column.

use chrono::NaiveDate;

use super::read::{Column, Row};
use crate::domain::milestone::input::one_line;
use crate::domain::milestone::rules::check_level;
use crate::domain::{DivisionCode, LegalName, TypeRules, Uscc};
use crate::error::FieldError;
use crate::milestones::input::{check_title, parse_effective_on};
use crate::reference::Reference;

/// One milestone type as an import reads it.
#[derive(Debug, Clone)]
pub struct TypeEntry {
    /// Code.
    pub code: String,
    /// Chinese name (also the default title).
    pub name_zh: String,
    /// Its rules.
    pub rules: TypeRules,
}

/// A fault of one row: `{row, field, code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The line a person sees in the file (header = 1).
    pub row: u64,
    /// The column (its English name).
    pub field: String,
    /// Stable code of the rule that failed.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    /// The fault `e` (named by its field) of row `row`.
    pub fn of(row: u64, e: FieldError) -> Self {
        Self { row, field: e.field.unwrap_or_default(), code: e.code, message: e.message }
    }
}

/// A row whose every cell passed its own checks.
#[derive(Debug, Clone)]
pub struct CheckedRow {
    /// Its line.
    pub line: u64,
    /// The USCC, normalised.
    pub uscc: String,
    /// The legal name, trimmed.
    pub name: String,
    /// The county.
    pub county_code: String,
    /// Index of its type in the catalogue.
    pub type_index: usize,
    /// Level, when the type has levels.
    pub level: Option<String>,
    /// The recognition date.
    pub effective_on: NaiveDate,
    /// 文号.
    pub document_no: String,
    /// 批次.
    pub batch: Option<String>,
    /// Title (the type's name when the list gives none).
    pub title: String,
}

/// Checks one row's cells; every fault of the row is reported.
pub fn check_row(
    row: &Row,
    types: &[TypeEntry],
    reference: &Reference,
    today: NaiveDate,
) -> Result<CheckedRow, Vec<RowError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut field = |column: Column, code: &str, r: Result<String, String>| {
        r.map_err(|m| errors.push(FieldError::new(column.field(), code, m))).ok()
    };
    let uscc = field(Column::Uscc, "invalid_uscc", Uscc::parse_input(row.get(Column::Uscc)).map(|u| u.as_str().into()));
    let name = field(Column::Name, "invalid_name", LegalName::parse(row.get(Column::Name)).map(|n| n.as_str().into()));
    let county = field(
        Column::County,
        "invalid_county",
        DivisionCode::parse_county(row.get(Column::County), reference).map(|c| c.as_str().into()),
    );
    let wanted = row.get(Column::Type);
    let type_index = types.iter().position(|t| t.code == wanted || t.name_zh == wanted);
    if type_index.is_none() {
        errors.push(FieldError::new(
            "type",
            "unknown_type",
            "is neither the code nor the Chinese name of a milestone type",
        ));
    }
    let level = Some(row.get(Column::Level)).filter(|l| !l.is_empty()).map(str::to_string);
    if let Some(t) = type_index.map(|i| &types[i]) {
        if let Err(m) = check_level(&t.rules, level.as_deref()) {
            errors.push(FieldError::new("level", "invalid_level", m));
        }
    }
    let effective_on = parse_effective_on(&normal_date(row.get(Column::EffectiveOn)), today, "effective_on")
        .map_err(|e| errors.push(e))
        .ok();
    let document_no = row.get(Column::DocumentNo).to_string();
    let batch = Some(row.get(Column::Batch)).filter(|b| !b.is_empty()).map(str::to_string);
    for (column, value) in [(Column::DocumentNo, Some(document_no.as_str())), (Column::Batch, batch.as_deref())] {
        match value {
            Some("") => errors.push(FieldError::new(column.field(), "required", "is required")),
            Some(v) if !one_line(v) => {
                errors.push(FieldError::new(column.field(), "invalid_value", "must be 1 to 100 characters on one line"))
            }
            _ => {}
        }
    }
    let title = match (row.get(Column::Title), type_index) {
        ("", Some(i)) => types[i].name_zh.clone(),
        (t, _) => {
            let mut title_errors = Vec::new();
            let t = check_title(t, &mut title_errors);
            errors.extend(title_errors.into_iter().map(|e| FieldError { field: Some("title".into()), ..e }));
            t
        }
    };
    match (uscc, name, county, type_index, effective_on) {
        (Some(uscc), Some(name), Some(county_code), Some(type_index), Some(effective_on)) if errors.is_empty() => {
            Ok(CheckedRow {
                line: row.line,
                uscc,
                name,
                county_code,
                type_index,
                level,
                effective_on,
                document_no,
                batch,
                title,
            })
        }
        _ => Err(errors.into_iter().map(|e| RowError::of(row.line, e)).collect()),
    }
}

/// A date as lists write it, as `YYYY-MM-DD`: `2024/12/20` and `2024.12.20` (months and days
/// with or without a leading zero) are read as `2024-12-20`; anything else is left for the date
/// rule to refuse.
fn normal_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => s.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_lists_write_them() {
        assert_eq!(normal_date("2024/1/5"), "2024-01-05");
        assert_eq!(normal_date("2024.12.20"), "2024-12-20");
        assert_eq!(normal_date(" 2024-12-20 "), "2024-12-20");
        assert_eq!(normal_date("20241220"), "20241220");
    }
}
