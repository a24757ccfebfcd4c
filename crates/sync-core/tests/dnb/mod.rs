//! The DNB evaluation set (tests/fixtures/SOURCES.md): 500 synthetic company names and a
//! corrupted copy of each, at the same row.

#![allow(dead_code)]

use sync_core::itglue::{Organization, OrganizationId, OrganizationIndex};

/// Reads the `company_name` column of a fixture (`index,company_name,country`; quoted fields may
/// hold commas, doubled quotes and line breaks).
pub fn company_names(file: &str) -> Vec<String> {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    records(&text)
        .into_iter()
        .skip(1)
        .map(|mut record| record.swap_remove(1))
        .collect()
}

/// The records of a CSV text.
pub fn records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = vec![String::new()];
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                record.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(String::new()),
            ('\r', false) => {}
            ('\n', false) => records.push(std::mem::replace(&mut record, vec![String::new()])),
            (c, _) => record.last_mut().unwrap().push(c),
        }
    }
    if record.len() > 1 {
        records.push(record);
    }
    records
}

/// The originals and their corrupted copies, row by row.
pub fn evaluation_set() -> (Vec<String>, Vec<String>) {
    let originals = company_names("dnb-test-names.csv");
    let corrupted = company_names("dnb-adjusted-test-names.csv");
    assert_eq!(originals.len(), 500);
    assert_eq!(corrupted.len(), 500);
    (originals, corrupted)
}

/// The originals indexed, each with its row as id.
pub fn index_of(names: &[String]) -> OrganizationIndex {
    OrganizationIndex::new(names.iter().enumerate().map(|(i, name)| Organization {
        id: OrganizationId(i as u64),
        name: name.clone(),
    }))
}
