//! [`TableRow`]: the columns of the flow's pages as a table shows them, names first and ids
//! last, so every program that prints a page prints the same columns in the same order (the
//! events page's are the source document's).
//!
//! ```
//! use sync_core::gravityzone::{CompanyId, Event, EventId, EventKind, SiteUid};
//! use sync_engine::gravityzone::{EventRow, EventView, TableRow};
//!
//! let event = Event::open(
//!     EventId::new(EventKind::DestinationMoved, SiteUid::new("s1"), Some(CompanyId::new("c1"))),
//!     Some("Hamburg".into()),
//!     Some("Northwind GmbH".into()),
//!     0,
//! );
//! let row = EventRow::new(&EventView::new(event));
//! assert_eq!(EventRow::COLUMNS[..3], ["TYPE", "SOURCE", "DESTINATION"]);
//! assert_eq!(row.cells()[..3], ["destination", "Hamburg", "Northwind GmbH"]);
//! assert_eq!(row.cells().len(), EventRow::COLUMNS.len());
//! ```

use sync_core::gravityzone::Company;

pub use crate::table::TableRow;

use super::report::{AssociationRow, EventHistoryRow, EventRow, SiteLine};

/// The events page: the document's columns (type, source, destination, generation time, event
/// type, action), then the reference a person types.
impl TableRow for EventRow {
    const COLUMNS: &'static [&'static str] = &[
        "TYPE",
        "SOURCE",
        "DESTINATION",
        "GENERATION TIME",
        "EVENT TYPE",
        "ACTION (* primary)",
        "REF",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.subject.as_str().to_owned(),
            self.source.clone(),
            self.destination.clone(),
            self.generation_time.clone(),
            self.event_type.to_owned(),
            self.action.clone(),
            self.reference.clone(),
        ]
    }
}

/// Every event the tenant has had, with its states in one cell.
impl TableRow for EventHistoryRow {
    const COLUMNS: &'static [&'static str] = &["REF", "KIND", "SITE", "COMPANY", "STATES"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.reference.clone(),
            self.event.id.kind.as_str().to_owned(),
            self.source.clone(),
            self.destination.clone(),
            self.states(),
        ]
    }
}

/// The associations: the site by name (its uid when no name is known), how, by whom, the
/// installation link (`-` before there is one); the ids last.
impl TableRow for AssociationRow {
    const COLUMNS: &'static [&'static str] = &[
        "SITE",
        "HOW",
        "BY",
        "PACKAGE LINK",
        "SITE UID",
        "COMPANY ID",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.site_name
                .clone()
                .unwrap_or_else(|| self.site.to_string()),
            self.how.to_owned(),
            self.made_by.clone(),
            self.package_link.clone().unwrap_or_else(|| "-".to_owned()),
            self.site.to_string(),
            self.company.to_string(),
        ]
    }
}

/// The companies page's sites: `!` for a site with an open event (the document's exclamation
/// mark), the site, its status, its company or the one proposed for it; the ids last.
impl TableRow for SiteLine {
    const COLUMNS: &'static [&'static str] = &[
        "!",
        "SITE",
        "STATUS",
        "COMPANY",
        "PROPOSAL",
        "SITE UID",
        "COMPANY ID",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            if self.flagged { "!" } else { "" }.to_owned(),
            self.site.clone(),
            self.status.to_owned(),
            self.company.clone(),
            self.proposal.clone(),
            self.site_uid.to_string(),
            self.company_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]
    }
}

/// The companies page's free companies: the name, then the id.
impl TableRow for Company {
    const COLUMNS: &'static [&'static str] = &["FREE COMPANY", "ID"];

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.id.to_string()]
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use sync_core::gravityzone::{CompanyId, Site, SiteRow, SiteUid};
    use sync_store::{AssociationMethod, AssociationRecord, ChangedBy};

    use super::*;
    use crate::gravityzone::Names;

    fn widths_agree<R: TableRow>(row: &R) {
        assert_eq!(row.cells().len(), R::COLUMNS.len());
    }

    #[test]
    fn every_row_has_a_cell_per_column_names_first_and_ids_last() {
        let record = AssociationRecord::new(
            SiteUid::new("s1"),
            CompanyId::new("c1"),
            AssociationMethod::CreatedCompany,
            ChangedBy::user("ana"),
            Utc.with_ymd_and_hms(2026, 11, 23, 15, 11, 0).unwrap(),
        );
        let unnamed = AssociationRow::new(&record, &Names::default());
        assert_eq!(
            unnamed.cells(),
            ["s1", "created a company", "ana", "-", "s1", "c1"]
        );
        let named = AssociationRow::new(
            &record,
            &Names::default().with_site(SiteUid::new("s1"), "Zürich"),
        );
        assert_eq!(named.cells()[0], "Zürich");
        widths_agree(&named);

        let line = SiteLine::new(&SiteRow {
            site: Site::new("s2", "Hamburg", false),
            association: None,
            excluded: true,
            open_events: Vec::new(),
            proposal: None,
        });
        assert_eq!(line.cells(), ["", "Hamburg", "excluded", "", "", "s2", ""]);
        widths_agree(&line);
        let company = Company::new("c9", "Spare GmbH", CompanyId::new("root"));
        assert_eq!(company.cells(), ["Spare GmbH", "c9"]);
        assert_eq!(AssociationRow::COLUMNS.last(), Some(&"COMPANY ID"));
        assert_eq!(SiteLine::COLUMNS[5..], ["SITE UID", "COMPANY ID"]);
    }
}
