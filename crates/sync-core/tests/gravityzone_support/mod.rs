//! Builders shared by the GravityZone tests.
#![allow(dead_code)]

use sync_core::gravityzone::{
    Action, Association, Company, CompanyId, CompanyRef, DefaultPackage, Event, EventHandling,
    EventId, EventKind, Exclusion, InventorySnapshot, PrefixCreation, PrefixSettings, Settings,
    Site, SiteUid, StoredState, SyncLevel, association_actions,
};

pub const NOW: i64 = 1_700_000_000_000;

pub fn root() -> CompanyId {
    CompanyId::new("root")
}

pub fn elsewhere() -> CompanyId {
    CompanyId::new("other-partner")
}

pub fn sid(uid: &str) -> SiteUid {
    SiteUid::new(uid)
}

pub fn cid(id: &str) -> CompanyId {
    CompanyId::new(id)
}

pub fn site(uid: &str, name: &str) -> Site {
    Site::new(uid, name, false)
}

pub fn ondemand_site(uid: &str, name: &str) -> Site {
    Site::new(uid, name, true)
}

/// A company directly under the partner's root.
pub fn company(id: &str, name: &str) -> Company {
    Company::new(id, name, root())
}

/// A company that was moved away from the partner's root.
pub fn moved_company(id: &str, name: &str) -> Company {
    Company::new(id, name, elsewhere())
}

pub fn snapshot(sites: Vec<Site>, companies: Vec<Company>) -> InventorySnapshot {
    InventorySnapshot::new(root(), sites, companies)
}

pub fn associated(pairs: &[(&str, &str)]) -> StoredState {
    StoredState {
        associations: pairs
            .iter()
            .map(|(s, c)| Association::new(sid(s), cid(c)))
            .collect(),
        ..StoredState::default()
    }
}

pub fn with_exclusions(mut state: StoredState, sites: &[&str]) -> StoredState {
    state
        .exclusions
        .extend(sites.iter().map(|s| Exclusion::new(sid(s))));
    state
}

pub fn settings(level: SyncLevel, handling: EventHandling) -> Settings {
    Settings {
        level,
        handling,
        ..Settings::default()
    }
}

pub fn automatic() -> Settings {
    settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
}

pub fn with_prefix(
    mut settings: Settings,
    text: &str,
    creation: PrefixCreation,
    association: bool,
) -> Settings {
    settings.prefix = PrefixSettings {
        text: text.into(),
        use_for_creation: creation,
        use_for_association: association,
    };
    settings
}

pub const LEVELS: [SyncLevel; 3] = [
    SyncLevel::MonitorAndReportSynchronized,
    SyncLevel::MonitorAndHandleSynchronized,
    SyncLevel::AutomaticInventorySync,
];

pub const HANDLINGS: [EventHandling; 2] = [EventHandling::Automatic, EventHandling::Manual];

pub fn id(kind: EventKind, site: &str, company: Option<&str>) -> EventId {
    EventId::new(kind, sid(site), company.map(cid))
}

pub fn open_event(kind: EventKind, site: &str, company: Option<&str>, at: i64) -> Event {
    Event::open(id(kind, site, company), None, None, at)
}

/// The actions of associating `site` with an existing company.
pub fn associate_existing(site: &str, company: &str) -> Vec<Action> {
    association_actions(
        &sid(site),
        CompanyRef::existing(cid(company)),
        &DefaultPackage::default(),
    )
}

/// The actions of creating a company `name` under the root and associating `site` with it.
pub fn create_and_associate(site: &str, name: &str) -> Vec<Action> {
    let mut actions = vec![Action::CreateCompany {
        name: name.into(),
        parent: root(),
    }];
    actions.extend(association_actions(
        &sid(site),
        CompanyRef::created(name),
        &DefaultPackage::default(),
    ));
    actions
}
