//! The GravityZone flow's references: a managed site or a free company of the companies page by
//! uid, id or name, and an open event by its short reference (see [`crate::lookup`]).

use sync_core::gravityzone::{CompaniesPage, Company, SiteRow};
use sync_store::TenantId;

use super::error::GravityZoneSyncError;
use super::events::EventView;
use super::sync::GravityZoneSync;
use crate::lookup::{self, Candidate, LookupError, Named, Subject};

impl Named for SiteRow {
    fn id(&self) -> String {
        self.site.uid.to_string()
    }

    fn name(&self) -> &str {
        &self.site.name
    }
}

impl Named for Company {
    fn id(&self) -> String {
        self.id.to_string()
    }

    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for EventView {
    /// The event's short reference ([`sync_core::gravityzone::EventId::short_ref`]).
    fn id(&self) -> String {
        self.reference.clone()
    }

    /// The site's name as the event remembers it.
    fn name(&self) -> &str {
        self.event
            .site_name
            .as_deref()
            .unwrap_or(self.event.id.site.as_str())
    }

    /// A unique start of the reference, in any case.
    fn has_id(&self, reference: &str) -> bool {
        self.id().starts_with(&reference.to_ascii_lowercase())
    }

    fn candidate(&self) -> Candidate {
        Candidate::new(
            format!("{} of {}", self.event.id.kind, self.name()),
            self.id(),
        )
    }
}

/// The managed site of the companies page `reference` names: its uid, else its name.
///
/// ```
/// use sync_core::gravityzone::{CompaniesPage, CompanyId, Site, SiteRow};
/// use sync_engine::gravityzone::find_site;
///
/// let row = |uid: &str, name: &str| SiteRow {
///     site: Site::new(uid, name, false),
///     association: None,
///     excluded: false,
///     open_events: Vec::new(),
///     proposal: None,
/// };
/// let page = CompaniesPage {
///     root: CompanyId::new("root"),
///     sites: vec![row("s1", "Zürich"), row("s2", "Hamburg")],
///     deleted_sites: Vec::new(),
///     free_companies: Vec::new(),
/// };
/// assert_eq!(find_site(&page, "ZÜRICH").unwrap().site.uid.as_str(), "s1");
/// assert_eq!(find_site(&page, "s2").unwrap().site.name, "Hamburg");
/// assert!(find_site(&page, "Berlin").is_err());
/// ```
pub fn find_site<'a>(page: &'a CompaniesPage, reference: &str) -> Result<&'a SiteRow, LookupError> {
    lookup::find(Subject::Site, &page.sites, reference)
}

/// The free company (under the partner, serving no site) `reference` names: its id, else its
/// name.
pub fn find_free_company<'a>(
    page: &'a CompaniesPage,
    reference: &str,
) -> Result<&'a Company, LookupError> {
    lookup::find(Subject::FreeCompany, &page.free_companies, reference)
}

/// The open event `reference` names: its short reference or a unique start of it, in any case.
pub fn find_event<'a>(
    events: &'a [EventView],
    reference: &str,
) -> Result<&'a EventView, LookupError> {
    let wanted = reference.trim();
    if wanted.is_empty() {
        return Err(LookupError::not_found(Subject::OpenEvent, reference));
    }
    let found: Vec<&EventView> = events.iter().filter(|view| view.has_id(wanted)).collect();
    lookup::one(Subject::OpenEvent, reference, found)
}

impl GravityZoneSync {
    /// The tenant's open event `reference` names (see [`find_event`]); no vendor call.
    pub async fn find_event(
        &self,
        tenant: &TenantId,
        reference: &str,
    ) -> Result<EventView, GravityZoneSyncError> {
        let events = self.events(tenant).await?;
        Ok(find_event(&events, reference)?.clone())
    }
}

#[cfg(test)]
mod tests {
    use sync_core::gravityzone::{CompanyId, Event, EventId, EventKind, SiteUid};

    use super::*;

    fn view(kind: EventKind, site: &str, name: &str) -> EventView {
        let event = Event::open(
            EventId::new(kind, SiteUid::new(site), Some(CompanyId::new("c1"))),
            Some(name.to_owned()),
            Some("Company".to_owned()),
            0,
        );
        EventView {
            reference: event.id.short_ref(),
            actions: event.kind().offered_actions().to_vec(),
            event,
        }
    }

    #[test]
    fn an_event_is_found_by_a_unique_start_of_its_reference_in_any_case() {
        let events = [
            view(EventKind::SourceDeleted, "s1", "Zürich"),
            view(EventKind::DestinationMoved, "s2", "Hamburg"),
        ];
        let reference = events[0].event.id.short_ref();
        let found = find_event(&events, &reference[..6].to_ascii_uppercase()).unwrap();
        assert_eq!(found.event.id, events[0].event.id);
        assert_eq!(
            find_event(&events, "zz"),
            Err(LookupError::not_found(Subject::OpenEvent, "zz"))
        );
        assert!(find_event(&events, " ").is_err());
    }

    #[test]
    fn a_start_shared_by_two_events_names_both_with_kind_and_site() {
        let events: Vec<EventView> = (0..40)
            .map(|i| {
                view(
                    EventKind::SourceDeleted,
                    &format!("s{i}"),
                    &format!("Site {i}"),
                )
            })
            .collect();
        // Among 40 references two share their first hex digit.
        let digit = (0..16)
            .map(|d| format!("{d:x}"))
            .find(|d| {
                events
                    .iter()
                    .filter(|v| v.event.id.short_ref().starts_with(d.as_str()))
                    .count()
                    > 1
            })
            .unwrap();
        match find_event(&events, &digit) {
            Err(LookupError::Ambiguous { candidates, .. }) => {
                assert!(candidates.len() > 1);
                assert!(
                    candidates
                        .iter()
                        .all(|c| c.name.starts_with("source-deleted of Site ")),
                    "{candidates:?}"
                );
            }
            other => panic!("expected an ambiguous reference, got {other:?}"),
        }
    }

    #[test]
    fn a_free_company_is_found_by_id_or_unicode_name() {
        let root = CompanyId::new("root");
        let page = CompaniesPage {
            root: root.clone(),
            sites: Vec::new(),
            deleted_sites: Vec::new(),
            free_companies: vec![
                Company::new("c1", "Müller GmbH", root.clone()),
                Company::new("c2", "Other", root),
            ],
        };
        assert_eq!(
            find_free_company(&page, "MÜLLER GMBH").unwrap().id.as_str(),
            "c1"
        );
        assert_eq!(find_free_company(&page, "c2").unwrap().name, "Other");
        assert!(matches!(
            find_free_company(&page, "Muller GmbH"),
            Err(LookupError::NotFound {
                subject: Subject::FreeCompany,
                ..
            })
        ));
    }
}
