//! What the GravityZone flow's pages show, as rows a program prints: as JSON (`Serialize`)
//! or, field by field, as a table. The events page's columns are the source document's.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sync_core::gravityzone::{
    ActionRole, AssociatedCompany, CompanyId, DeletedSiteRow, Event, EventState, EventSubject,
    SiteRow, SiteUid,
};
use sync_store::{AssociationMethod, AssociationRecord, ChangedBy, EventRecord, TenantId};

use super::events::EventView;
use super::names::Names;

/// One open event as the events page shows it: the document's columns (type, source,
/// destination, generation time, event type, action), then the ids, the reference a person
/// types and each action with its role.
///
/// ```
/// use sync_core::gravityzone::{CompanyId, Event, EventId, EventKind, SiteUid};
/// use sync_engine::gravityzone::{EventRow, EventView};
///
/// let event = Event::open(
///     EventId::new(EventKind::AssociationMissing, SiteUid::new("s1"), Some(CompanyId::new("c1"))),
///     Some("Kim Hotels SAS".into()),
///     Some("Kim Hotels SAS".into()),
///     0,
/// );
/// let row = EventRow::new(&EventView::new(event));
/// assert_eq!(row.subject.as_str(), "association");
/// assert_eq!(row.action, "associate*, rename-with-prefix-and-create-new*, ignore");
/// assert_eq!(row.generation_time, "1970-01-01 00:00 UTC");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EventRow {
    /// The document's *Type*: `source`, `destination` or `association`.
    #[serde(rename = "type")]
    pub subject: EventSubject,
    /// The site by name (a deleted site by its last known name; its uid only when no name
    /// was ever known).
    pub source: String,
    /// The company by name (its id only when no name was ever known; empty when the event
    /// names no company).
    pub destination: String,
    /// When this occurrence was raised: `2026-11-23 15:11 UTC`.
    pub generation_time: String,
    /// The kind, as typed: `destination-moved`.
    pub event_type: &'static str,
    /// The actions in one cell: primary ones marked `*`, extras `(extra)`.
    pub action: String,
    /// The short reference a person types to name the event.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The kind again (as `event_type`), for programs.
    pub kind: &'static str,
    /// The site's uid.
    pub site: SiteUid,
    /// The site's name, when known.
    pub site_name: Option<String>,
    /// The company's id, when the event names one.
    pub company: Option<CompanyId>,
    /// The company's name, when known.
    pub company_name: Option<String>,
    /// The generation time again (as `generation_time`).
    pub generated_at: String,
    /// The actions with their roles, primary first.
    pub actions: Vec<OfferedRow>,
}

/// One action an event offers, as typed, with its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfferedRow {
    /// The action as `resolve` takes it: `create-new-company`.
    pub action: &'static str,
    /// `primary`, `secondary` or `extra`.
    pub role: ActionRole,
}

impl EventRow {
    /// The row of an open event.
    pub fn new(view: &EventView) -> Self {
        let event = &view.event;
        let action = view
            .actions
            .iter()
            .map(|offered| {
                let name = offered.action.as_str();
                match offered.role {
                    ActionRole::Primary => format!("{name}*"),
                    ActionRole::Extra => format!("{name} (extra)"),
                    _ => name.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let time = event_time(event.generated_at_ms);
        Self {
            subject: event.id.kind.subject(),
            source: site_label(event),
            destination: company_label(event),
            generation_time: time.clone(),
            event_type: event.id.kind.as_str(),
            action,
            reference: view.reference.clone(),
            kind: event.id.kind.as_str(),
            site: event.id.site.clone(),
            site_name: event.site_name.clone(),
            company: event.id.company.clone(),
            company_name: event.company_name.clone(),
            generated_at: time,
            actions: view
                .actions
                .iter()
                .map(|offered| OfferedRow {
                    action: offered.action.as_str(),
                    role: offered.role,
                })
                .collect(),
        }
    }
}

/// `2026-11-23 15:11 UTC` (the milliseconds as they are when out of range).
fn event_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn site_label(event: &Event) -> String {
    event
        .site_name
        .clone()
        .unwrap_or_else(|| event.id.site.to_string())
}

fn company_label(event: &Event) -> String {
    match (&event.company_name, &event.id.company) {
        (Some(name), _) => name.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => String::new(),
    }
}

/// Who made a change, in one word: the user's name, or `sync`.
fn author(by: &ChangedBy) -> String {
    match by {
        ChangedBy::User { name } => name.clone(),
        _ => "sync".to_owned(),
    }
}

/// One event of the tenant's history (open, ignored or resolved) with every state it went
/// through.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EventHistoryRow {
    /// The event's short reference.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The site by name (see [`EventRow::source`]).
    pub source: String,
    /// The company by name (see [`EventRow::destination`]).
    pub destination: String,
    /// The event as it is now.
    pub event: Event,
    /// Every state it entered, oldest first.
    pub history: Vec<StateRow>,
}

/// One state an event entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StateRow {
    /// The state.
    pub state: EventState,
    /// Who changed it.
    pub changed_by: ChangedBy,
    /// When, RFC 3339.
    pub changed_at: String,
}

impl EventHistoryRow {
    /// The row of a stored event.
    pub fn new(record: &EventRecord) -> Self {
        Self {
            reference: record.event.id.short_ref(),
            source: site_label(&record.event),
            destination: company_label(&record.event),
            event: record.event.clone(),
            history: record
                .history
                .iter()
                .map(|h| StateRow {
                    state: h.state.clone(),
                    changed_by: h.changed_by.clone(),
                    changed_at: h.changed_at.to_rfc3339(),
                })
                .collect(),
        }
    }

    /// The states in one line: `open 2026-11-23 15:11 → resolved 2026-11-23 16:02`.
    pub fn states(&self) -> String {
        self.history
            .iter()
            .map(|h| {
                let state = match h.state {
                    EventState::Open => "open",
                    EventState::Ignored { .. } => "ignored",
                    _ => "resolved",
                };
                let at = h.changed_at.get(..16).unwrap_or(&h.changed_at);
                format!("{state} {}", at.replace('T', " "))
            })
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// One association with how, when and by whom it was made, and its installation link.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use sync_core::gravityzone::{CompanyId, SiteUid};
/// use sync_engine::gravityzone::{AssociationRow, Names};
/// use sync_store::{AssociationMethod, AssociationRecord, ChangedBy};
///
/// let record = AssociationRecord::new(
///     SiteUid::new("s1"),
///     CompanyId::new("c1"),
///     AssociationMethod::MatchedByName,
///     ChangedBy::Sync,
///     Utc.with_ymd_and_hms(2026, 11, 23, 15, 11, 0).unwrap(),
/// );
/// let names = Names::default().with_site(SiteUid::new("s1"), "Hamburg");
/// let row = AssociationRow::new(&record, &names);
/// assert_eq!((row.site_name.as_deref(), row.made_by.as_str()), (Some("Hamburg"), "sync"));
/// assert_eq!(row.how, "matched by name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AssociationRow {
    /// The site's uid.
    pub site: SiteUid,
    /// The site's name: as the association remembers it, else as known.
    pub site_name: Option<String>,
    /// The company's id.
    pub company: CompanyId,
    /// The company's name: as known (GravityZone's), else as the association remembers it (a
    /// company deleted since); `None` only for a company gone from `names` whose association
    /// was stored before company names were remembered.
    pub company_name: Option<String>,
    /// How it was made, as stored: `matched_by_name`, `created_company`, …
    pub method: &'static str,
    /// How it was made, in words: `matched by name`.
    pub how: &'static str,
    /// Who made it: the user's name, or `sync`.
    pub made_by: String,
    /// When, RFC 3339.
    pub made_at: String,
    /// The installation package's id, once created.
    pub package_id: Option<String>,
    /// The installation link written to the site variable `GravityZonePackageLink`.
    pub package_link: Option<String>,
}

impl AssociationRow {
    /// The row of a stored association, with the names `names` knows.
    pub fn new(record: &AssociationRecord, names: &Names) -> Self {
        Self {
            site: record.site().clone(),
            site_name: record
                .association
                .site_name
                .clone()
                .or_else(|| names.site_name(record.site()).map(str::to_owned)),
            company: record.company().clone(),
            company_name: names
                .company_name(record.company())
                .map(str::to_owned)
                .or_else(|| record.association.company_name.clone()),
            method: record.method.as_str(),
            how: how(record.method),
            made_by: author(&record.made_by),
            made_at: record.made_at.to_rfc3339(),
            package_id: record.package_id.clone(),
            package_link: record.package_link.clone(),
        }
    }
}

fn how(method: AssociationMethod) -> &'static str {
    match method {
        AssociationMethod::MappedToExisting => "mapped to an existing company",
        AssociationMethod::MatchedByName => "matched by name",
        AssociationMethod::MatchedByPrefixedName => "matched by prefixed name",
        AssociationMethod::CreatedCompany => "created a company",
        _ => "other",
    }
}

/// A tenant as `connect` and `reset-tenant` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TenantSummary {
    /// The tenant's id (API URL and account).
    pub tenant: String,
    /// The Datto RMM API URL.
    pub api_url: String,
    /// The Datto RMM account uid.
    pub account: String,
}

impl From<&TenantId> for TenantSummary {
    fn from(tenant: &TenantId) -> Self {
        Self {
            tenant: tenant.to_string(),
            api_url: tenant.api_url().to_owned(),
            account: tenant.account_uid().to_owned(),
        }
    }
}

/// One managed site of the companies page as a table shows it: by name, with its status, its
/// company or the company proposed for it; the ids last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SiteLine {
    /// Whether the site has an open event (the document's exclamation mark).
    pub flagged: bool,
    /// The site's name.
    pub site: String,
    /// `associated`, `associated, excluded`, `excluded` or `not paired`.
    pub status: &'static str,
    /// The associated company's name; for one that is gone, the name its association remembers
    /// followed by `(deleted in GravityZone)` (that alone when no name was ever remembered).
    pub company: String,
    /// For a site without association: the company proposed for it (`(prefixed name)` when
    /// found through the prefix).
    pub proposal: String,
    /// The site's uid.
    pub site_uid: SiteUid,
    /// The associated (else the proposed) company's id.
    pub company_id: Option<CompanyId>,
}

impl SiteLine {
    /// The line of a managed site.
    pub fn new(row: &SiteRow) -> Self {
        let (status, company) = match (&row.association, row.excluded) {
            (Some(_), true) => ("associated, excluded", deleted_or(row.association.as_ref())),
            (Some(_), false) => ("associated", deleted_or(row.association.as_ref())),
            (None, true) => ("excluded", String::new()),
            (None, false) => ("not paired", String::new()),
        };
        let proposal = match (&row.proposal, &row.association) {
            (Some(p), None) if p.prefixed => format!("{} (prefixed name)", p.company.name),
            (Some(p), None) => p.company.name.clone(),
            _ => String::new(),
        };
        let company_id = match (&row.association, &row.proposal) {
            (Some(a), _) => Some(a.id.clone()),
            (None, Some(p)) => Some(p.company.id.clone()),
            (None, None) => None,
        };
        Self {
            flagged: row.is_flagged(),
            site: row.site.name.clone(),
            status,
            company,
            proposal,
            site_uid: row.site.uid.clone(),
            company_id,
        }
    }

    /// The line of an association whose site was deleted in Datto RMM: the site by its last
    /// known name (`(name unknown)`), the status `site deleted`.
    pub fn deleted(row: &DeletedSiteRow) -> Self {
        Self {
            flagged: !row.open_events.is_empty(),
            site: row
                .site_name
                .clone()
                .unwrap_or_else(|| "(name unknown)".to_owned()),
            status: "site deleted",
            company: deleted_or(Some(&row.association)),
            proposal: String::new(),
            site_uid: row.site.clone(),
            company_id: Some(row.association.id.clone()),
        }
    }
}

fn deleted_or(company: Option<&AssociatedCompany>) -> String {
    let Some(company) = company else {
        return "(deleted in GravityZone)".to_owned();
    };
    match (&company.name, &company.last_known_name) {
        (Some(name), _) => name.clone(),
        (None, Some(last)) => format!("{last} (deleted in GravityZone)"),
        (None, None) => "(deleted in GravityZone)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use sync_core::gravityzone::{Actor, EventAction, EventId, EventKind};
    use sync_store::EventStateChange;

    use super::*;

    fn event(kind: EventKind, site_name: Option<&str>, company: Option<&str>) -> Event {
        Event::open(
            EventId::new(kind, SiteUid::new("s1"), Some(CompanyId::new("c1"))),
            site_name.map(str::to_owned),
            company.map(str::to_owned),
            1_764_000_000_000,
        )
    }

    #[test]
    fn an_event_row_has_the_documents_columns_by_name() {
        let row = EventRow::new(&EventView::new(event(
            EventKind::DestinationDeleted,
            Some("Zürich"),
            Some("Müller AG"),
        )));
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["type"], "destination");
        assert_eq!(json["source"], "Zürich");
        assert_eq!(json["destination"], "Müller AG");
        assert_eq!(json["generation_time"], "2025-11-24 16:00 UTC");
        assert_eq!(json["event_type"], "destination-deleted");
        assert_eq!(
            json["action"],
            "create-new-company*, ignore, delete-association (extra)"
        );
        assert_eq!(json["ref"], row.reference.as_str());
        assert_eq!(
            (json["site"].as_str(), json["company"].as_str()),
            (Some("s1"), Some("c1"))
        );
        assert_eq!(json["actions"][0]["action"], "create-new-company");
        assert_eq!(json["actions"][0]["role"], "primary");
        assert_eq!(json["actions"][2]["role"], "extra");
    }

    #[test]
    fn an_event_without_names_falls_back_to_its_ids() {
        let row = EventRow::new(&EventView::new(event(EventKind::SourceDeleted, None, None)));
        assert_eq!(
            (row.source.as_str(), row.destination.as_str()),
            ("s1", "c1")
        );
        assert_eq!(row.subject, EventSubject::Source);
    }

    #[test]
    fn the_history_reads_as_one_line_of_states() {
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 23, h, 11, 0).unwrap();
        let open = event(EventKind::DestinationMoved, Some("Zürich"), None);
        let resolved = open.resolve(EventAction::MoveBack, Actor::User, 0).unwrap();
        let record = EventRecord {
            event: resolved.clone(),
            history: vec![
                EventStateChange {
                    state: EventState::Open,
                    changed_by: ChangedBy::Sync,
                    changed_at: at(15),
                },
                EventStateChange {
                    state: resolved.state.clone(),
                    changed_by: ChangedBy::user("ana"),
                    changed_at: at(16),
                },
            ],
        };
        let row = EventHistoryRow::new(&record);
        assert_eq!(
            row.states(),
            "open 2026-11-23 15:11 → resolved 2026-11-23 16:11"
        );
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(
            json["history"][1]["changed_at"],
            "2026-11-23T16:11:00+00:00"
        );
        assert_eq!(json["ref"], record.event.id.short_ref());
    }

    #[test]
    fn a_site_line_names_the_company_or_the_proposal() {
        use sync_core::gravityzone::{Company, Proposal, Site};
        let row = |association: Option<AssociatedCompany>, proposal: Option<Proposal>| SiteRow {
            site: Site::new("s1", "Zürich", false),
            association,
            excluded: false,
            open_events: Vec::new(),
            proposal,
        };
        let gone = AssociatedCompany {
            id: CompanyId::new("c1"),
            name: None,
            last_known_name: None,
        };
        let line = SiteLine::new(&row(Some(gone.clone()), None));
        assert_eq!(
            (
                line.status,
                line.company.as_str(),
                line.company_id.as_ref().map(CompanyId::as_str)
            ),
            ("associated", "(deleted in GravityZone)", Some("c1"))
        );
        let proposal = Proposal {
            company: Company::new("c2", "MSP Zürich", CompanyId::new("root")),
            prefixed: true,
        };
        let line = SiteLine::new(&row(None, Some(proposal)));
        assert_eq!(line.status, "not paired");
        assert_eq!(line.proposal, "MSP Zürich (prefixed name)");
        assert_eq!(line.company_id, Some(CompanyId::new("c2")));
        let deleted = SiteLine::deleted(&DeletedSiteRow {
            site: SiteUid::new("s9"),
            site_name: None,
            association: gone.clone(),
            open_events: Vec::new(),
        });
        assert_eq!(
            (deleted.site.as_str(), deleted.flagged),
            ("(name unknown)", false)
        );
        let remembered = AssociatedCompany {
            last_known_name: Some("Müller AG".into()),
            ..gone
        };
        let line = SiteLine::new(&row(Some(remembered), None));
        assert_eq!(line.company, "Müller AG (deleted in GravityZone)");
    }
}
