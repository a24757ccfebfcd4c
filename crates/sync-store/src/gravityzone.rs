//! What the store keeps for the Datto RMM ↔ GravityZone sync, around sync-core's types.
//!
//! sync-core's [`Association`], [`Exclusion`] and [`Event`] are what the planner works on; the
//! records here add what only the store needs: who made an association and how, its
//! installation package, and every state an event went through.

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{
    Association, CompanyId, Event, EventId, EventState, Exclusion, Settings, SiteUid, StoredState,
};

use crate::ChangedBy;

/// How an association came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssociationMethod {
    /// The site was mapped to an existing free company (on the companies page).
    MappedToExisting,
    /// A free company with the site's name was associated ("association missing").
    MatchedByName,
    /// A free company named `"<prefix> <site name>"` was associated ("prefix-based association
    /// missing").
    MatchedByPrefixedName,
    /// A new company was created for the site.
    CreatedCompany,
}

impl AssociationMethod {
    /// The method's name in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MappedToExisting => "mapped_to_existing",
            Self::MatchedByName => "matched_by_name",
            Self::MatchedByPrefixedName => "matched_by_prefixed_name",
            Self::CreatedCompany => "created_company",
        }
    }
}

impl std::str::FromStr for AssociationMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::MappedToExisting,
            Self::MatchedByName,
            Self::MatchedByPrefixedName,
            Self::CreatedCompany,
        ]
        .into_iter()
        .find(|method| method.as_str() == s)
        .ok_or_else(|| format!("unknown association method {s:?}"))
    }
}

/// A stored site ↔ company association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssociationRecord {
    /// The site and its company. A site has at most one company and a company serves at most one
    /// site; the store refuses a second one with [`StoreError::Duplicate`](crate::StoreError).
    pub association: Association,
    /// How it came about.
    pub method: AssociationMethod,
    /// Who made it.
    pub made_by: ChangedBy,
    /// When.
    pub made_at: DateTime<Utc>,
    /// The id of the company's installation package, once created.
    pub package_id: Option<String>,
    /// The package's installation link, as written to the site variable `GravityZonePackageLink`.
    pub package_link: Option<String>,
}

impl AssociationRecord {
    /// A new association, without package yet.
    pub fn new(
        site: SiteUid,
        company: CompanyId,
        method: AssociationMethod,
        made_by: ChangedBy,
        made_at: DateTime<Utc>,
    ) -> Self {
        Self {
            association: Association::new(site, company),
            method,
            made_by,
            made_at,
            package_id: None,
            package_link: None,
        }
    }

    /// The site.
    pub fn site(&self) -> &SiteUid {
        &self.association.site
    }

    /// The company.
    pub fn company(&self) -> &CompanyId {
        &self.association.company
    }
}

/// A stored exclusion: a site the inventory sync leaves alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusionRecord {
    /// The excluded site.
    pub exclusion: Exclusion,
    /// Who excluded it.
    pub made_by: ChangedBy,
    /// When.
    pub made_at: DateTime<Utc>,
}

impl ExclusionRecord {
    /// An exclusion of `site`.
    pub fn new(site: SiteUid, made_by: ChangedBy, made_at: DateTime<Utc>) -> Self {
        Self {
            exclusion: Exclusion::new(site),
            made_by,
            made_at,
        }
    }

    /// The site.
    pub fn site(&self) -> &SiteUid {
        &self.exclusion.site
    }
}

/// One state an event entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventStateChange {
    /// The state entered.
    pub state: EventState,
    /// Who or what changed it.
    pub changed_by: ChangedBy,
    /// When.
    pub changed_at: DateTime<Utc>,
}

/// A stored event (one per identity: kind, site, company) with every state it went through,
/// oldest first. A new occurrence of an ignored or resolved event replaces the event and adds
/// its `Open` state to the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// The event as it is now.
    pub event: Event,
    /// Every state it entered, oldest first.
    pub history: Vec<EventStateChange>,
}

impl EventRecord {
    /// The event's identity.
    pub fn id(&self) -> &EventId {
        &self.event.id
    }
}

/// The GravityZone part of a tenant's versioned state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GravityZoneState {
    /// The flow's settings; `None` until saved once.
    pub settings: Option<Settings>,
    /// The associations, by site uid.
    pub associations: Vec<AssociationRecord>,
    /// The exclusions, by site uid.
    pub exclusions: Vec<ExclusionRecord>,
    /// The events, by identity.
    pub events: Vec<EventRecord>,
}

impl GravityZoneState {
    /// What the planner compares the inventories with (sync-core's
    /// [`plan`](sync_core::gravityzone::plan())).
    pub fn stored_state(&self) -> StoredState {
        StoredState {
            associations: self
                .associations
                .iter()
                .map(|record| record.association.clone())
                .collect(),
            exclusions: self
                .exclusions
                .iter()
                .map(|record| record.exclusion.clone())
                .collect(),
            events: self
                .events
                .iter()
                .map(|record| record.event.clone())
                .collect(),
            pending_creations: Vec::new(),
        }
    }

    /// The settings, or sync-core's defaults when none were saved.
    pub fn settings_or_default(&self) -> Settings {
        self.settings.clone().unwrap_or_default()
    }

    /// The association of `site`.
    pub fn association_of(&self, site: &SiteUid) -> Option<&AssociationRecord> {
        self.associations
            .iter()
            .find(|record| record.site() == site)
    }

    /// The stored event with identity `id`.
    pub fn event(&self, id: &EventId) -> Option<&EventRecord> {
        self.events.iter().find(|record| record.id() == id)
    }
}

/// How an event identity is named in errors: `kind site → company`.
pub(crate) fn event_key(id: &EventId) -> String {
    match &id.company {
        Some(company) => format!("{:?} {} → {}", id.kind, id.site, company),
        None => format!("{:?} {}", id.kind, id.site),
    }
}
