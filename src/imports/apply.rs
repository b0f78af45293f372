//! Writing a checked list (DESIGN §3.8), inside the import's one transaction: the new
//! enterprises (verified, `registered_via: official_list`), the records (`approved`, with the
//! import, 文号 and batch; history action `import`), tier supersession as an approval makes it,
//! and the statistics aggregates (`crate::stats::aggregates::bulk`). Rows are turned into
//! database rows a chunk at a time, so memory stays bounded by the checked rows themselves.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::check::{CheckedRow, TypeEntry};
use super::plan::Plan;
use super::Importer;
use crate::db::DbConnection;
use crate::domain::DivisionCode;
use crate::domain::MilestoneState;
use crate::enterprises::city_of;
use crate::error::AppError;
use crate::milestones::history_entry_by;
use crate::milestones::transitions::supersede_tiers;
use crate::queries::enterprises::EnterpriseRow;
use crate::queries::imports as q;
use crate::queries::milestones::{Draft, HistoryRow, MilestoneRow};
use crate::reference::Reference;
use crate::stats::aggregates::bulk::Bulk;
use crate::stats::aggregates::catalogue::Catalogue;
use crate::stats::definitions::model::{RecordFacts, TypeTable};

/// Rows turned into records and inserted at a time.
const CHUNK: usize = 1_000;

/// The records a tier record of the import ended: (record, [(ended record, day)]).
pub type Superseded = Vec<(String, Vec<(String, NaiveDate)>)>;

/// Where an enterprise's records are attributed: (id, county, city).
type Place = (String, String, String);

/// Writes everything `plan` holds as import `import_id`; returns the tier records it ended.
pub fn apply(
    conn: &mut DbConnection,
    by: &Importer,
    reference: &Reference,
    catalogue: &Catalogue,
    types: &[TypeEntry],
    plan: &Plan,
    import_id: &str,
) -> Result<Superseded, AppError> {
    let now = by.now;
    let mut codes: Vec<String> = plan.rows.iter().map(|r| types[r.type_index].code.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut places: HashMap<&str, Place> = plan
        .existing
        .values()
        .map(|e| (e.uscc.as_str(), (e.id.clone(), e.county_code.clone(), e.city_code.clone())))
        .collect();
    let mut touched_existing: Vec<String> = Vec::new();
    let mut new_rows: Vec<EnterpriseRow> = Vec::new();
    for row in &plan.rows {
        if let Some(e) = plan.existing.get(&row.uscc) {
            touched_existing.push(e.id.clone());
        } else if !places.contains_key(row.uscc.as_str()) {
            let e = new_enterprise(row, by, reference)?;
            places.insert(row.uscc.as_str(), (e.id.clone(), e.county_code.clone(), e.city_code.clone()));
            new_rows.push(e);
        }
    }
    touched_existing.sort();
    touched_existing.dedup();

    let started = std::time::Instant::now();
    let mut bulk = Bulk::new(catalogue, &codes);
    bulk.before(conn, &touched_existing)?;
    q::insert_enterprises(conn, &new_rows)?;
    let enterprises_ms = started.elapsed().as_millis();
    let new_ids: std::collections::HashSet<String> = new_rows.into_iter().map(|e| e.id).collect();
    // The records of new enterprises are all in hand: their statistics need not be read back.
    let mut new_facts: Vec<RecordFacts> = Vec::new();

    // Tier records (an exclusive group) are kept to apply supersession as an approval does.
    let mut tiers: Vec<MilestoneRow> = Vec::new();
    for chunk in plan.rows.chunks(CHUNK) {
        let mut records = Vec::with_capacity(chunk.len());
        let mut history: Vec<HistoryRow> = Vec::with_capacity(chunk.len());
        let mut events = Vec::with_capacity(chunk.len());
        for row in chunk {
            let place =
                places.get(row.uscc.as_str()).ok_or_else(|| AppError::internal("import row without enterprise"))?;
            let t = &types[row.type_index];
            let m = record(row, t, place, by, import_id);
            let mut entry = history_entry_by(&m.id, "import", None, MilestoneState::Approved, (&by.id, &by.role), now);
            entry.seq = 1;
            entry.effective_on = Some(m.effective_on);
            history.push(entry);
            let extra = serde_json::json!({"import_id": import_id, "document_no": m.document_no, "batch": m.batch});
            events.push(crate::events::row("milestone.imported", &m, now, extra));
            if t.rules.exclusive_group.is_some() {
                tiers.push(m.clone());
            }
            if new_ids.contains(&m.enterprise_id) {
                new_facts.push(RecordFacts::from(&m));
            }
            records.push(m);
        }
        q::insert_records(conn, &records)?;
        q::insert_history(conn, &history)?;
        crate::queries::events::insert_many(conn, &events)?;
    }
    let records_ms = started.elapsed().as_millis() - enterprises_ms;
    let superseded = supersede(conn, by, &catalogue.types, tiers, &touched_existing)?;
    bulk.after(conn, &touched_existing)?;
    bulk.new_enterprises(new_facts);
    bulk.settle(conn)?;
    let statistics_ms = started.elapsed().as_millis() - enterprises_ms - records_ms;
    tracing::debug!(enterprises_ms, records_ms, statistics_ms, "import written");
    // No record enters or leaves `submitted`: the review queue's counts do not change.
    Ok(superseded)
}

/// Ends the tier records an imported tier record replaces, in date order, as approvals in that
/// order would: for an enterprise that held records before, or that the list gives two tiers.
fn supersede(
    conn: &mut DbConnection,
    by: &Importer,
    types: &TypeTable,
    mut tiers: Vec<MilestoneRow>,
    existing: &[String],
) -> Result<Superseded, AppError> {
    let mut per_enterprise: HashMap<String, usize> = HashMap::new();
    for m in &tiers {
        *per_enterprise.entry(m.enterprise_id.clone()).or_default() += 1;
    }
    tiers.retain(|m| {
        per_enterprise.get(&m.enterprise_id).is_some_and(|n| *n > 1) || existing.binary_search(&m.enterprise_id).is_ok()
    });
    tiers.sort_by(|a, b| (a.effective_on, &a.id).cmp(&(b.effective_on, &b.id)));
    let mut out = Vec::new();
    for m in &tiers {
        // Whether it ended the imported record itself is read back with the statistics.
        let ended = supersede_tiers(conn, types, (&by.id, &by.role), m, m.effective_on, by.now)?.ended;
        if !ended.is_empty() {
            out.push((m.id.clone(), ended));
        }
    }
    Ok(out)
}

/// The enterprise a row names, new: verified by the list, industry and size unknown, no contact.
fn new_enterprise(row: &CheckedRow, by: &Importer, reference: &Reference) -> Result<EnterpriseRow, AppError> {
    let county = DivisionCode::parse_county(&row.county_code, reference).map_err(AppError::internal)?;
    Ok(EnterpriseRow {
        id: uuid::Uuid::now_v7().to_string(),
        uscc: row.uscc.clone(),
        name: row.name.clone(),
        city_code: city_of(&county, reference)?,
        county_code: row.county_code.clone(),
        industry_code: None,
        size_class: None,
        contact_name: String::new(),
        contact_phone: String::new(),
        verified: true,
        verified_at: Some(by.now),
        verified_by: Some(by.id.clone()),
        registered_via: "official_list".into(),
        version: 1,
        created_at: by.now,
        updated_at: by.now,
    })
}

/// The approved record of a row, attributed to its enterprise's county and city.
fn record(
    row: &CheckedRow,
    t: &TypeEntry,
    (enterprise_id, county, city): &Place,
    by: &Importer,
    import_id: &str,
) -> MilestoneRow {
    let draft = Draft {
        id: uuid::Uuid::now_v7().to_string(),
        created_by: by.id.clone(),
        enterprise_id: enterprise_id.clone(),
        county_code: county.clone(),
        city_code: city.clone(),
        milestone_type: t.code.clone(),
        level: row.level.clone(),
        effective_on: row.effective_on,
        title: row.title.clone(),
        details: None,
        evidence: None,
        provider_id: None,
    };
    MilestoneRow {
        state: MilestoneState::Approved,
        decided_at: Some(by.now),
        decided_by: Some(by.id.clone()),
        approved_at: Some(by.now),
        document_no: Some(row.document_no.clone()),
        batch: row.batch.clone(),
        import_id: Some(import_id.to_string()),
        ..draft.into_row(by.now)
    }
}
