//! Reference data carried by the binary: the project's copy of the GB/T 2260 divisions, the
//! milestone catalogue, the plans' targets and the indicator → milestone mapping
//! (`data/reference/*.csv`, embedded at compile time), and the working-day calendar
//! ([`calendar`]). It seeds the database and gives the domain fast, I/O-free lookups of divisions
//! and milestone types.

pub mod calendar;
pub mod rows;
pub mod seed;

use std::collections::HashMap;

pub use rows::{DivisionRow, IndicatorSourceRow, MilestoneTypeRow, PlanTargetRow};

/// Parsed reference data.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Divisions in file order (province, then each city followed by its counties).
    pub divisions: Vec<DivisionRow>,
    /// Milestone types in catalogue order.
    pub milestone_types: Vec<MilestoneTypeRow>,
    /// Plan target rows in file order.
    pub plan_targets: Vec<PlanTargetRow>,
    /// Indicator → milestone type mapping rows.
    pub indicator_sources: Vec<IndicatorSourceRow>,
    division_index: HashMap<String, usize>,
}

impl Reference {
    /// Parses the embedded CSV files. They are part of the binary and checked by tests, so a
    /// failure here is a build defect and is reported at start-up.
    pub fn load() -> Result<Self, String> {
        let divisions: Vec<DivisionRow> = rows::parse(rows::DIVISIONS_CSV)?;
        let division_index = divisions.iter().enumerate().map(|(i, d)| (d.code.clone(), i)).collect();
        let milestone_types: Vec<MilestoneTypeRow> = rows::parse(rows::MILESTONE_TYPES_CSV)?;
        for t in &milestone_types {
            crate::domain::Review::from_stored(Some(&t.review_chain), Some(t.publicity_days))
                .map_err(|e| format!("embedded milestone type {}: review {e}", t.code))?;
        }
        Ok(Self {
            divisions,
            milestone_types,
            plan_targets: rows::parse(rows::PLAN_TARGETS_CSV)?,
            indicator_sources: rows::parse(rows::INDICATOR_SOURCES_CSV)?,
            division_index,
        })
    }

    /// The division with this code, if it is one of Zhejiang's.
    pub fn division(&self, code: &str) -> Option<&DivisionRow> {
        self.division_index.get(code).map(|&i| &self.divisions[i])
    }

    /// The milestone type with this code.
    pub fn milestone_type(&self, code: &str) -> Option<&MilestoneTypeRow> {
        self.milestone_types.iter().find(|t| t.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_data_is_complete() {
        let r = Reference::load().unwrap();
        let count = |lvl: &str| r.divisions.iter().filter(|d| d.level == lvl).count();
        assert_eq!((count("province"), count("city"), count("county")), (1, 11, 90));
        for d in &r.divisions {
            if let Some(p) = &d.parent_code {
                assert!(r.division(p).is_some(), "parent of {} missing", d.code);
            }
        }
        assert_eq!(r.milestone_types.len(), 23);
        let smart = r.milestone_type("smart_factory").unwrap();
        assert_eq!((smart.review_chain.as_str(), smart.publicity_days), ("city>province", 5));
        let cloud = r.milestone_type("cloud_adoption").unwrap();
        assert_eq!((cloud.review_chain.as_str(), cloud.publicity_days), ("city", 0));
        assert_eq!(r.plan_targets.len(), 57);
        assert_eq!(r.indicator_sources.len(), 31);
        for s in &r.indicator_sources {
            let t = r.milestone_type(&s.milestone_type).expect("type exists");
            for level in s.levels.split('|').filter(|l| !l.is_empty()) {
                assert!(t.levels.split('|').any(|x| x == level), "{level} of {}", t.code);
            }
            assert!(r.plan_targets.iter().any(|p| p.plan_code == s.plan_code && p.indicator_code == s.indicator_code));
        }
    }
}
