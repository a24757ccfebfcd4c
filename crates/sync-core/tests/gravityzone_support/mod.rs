//! Builders shared by the GravityZone tests.
#![allow(dead_code)]

use sync_core::gravityzone::{
    Action, Association, Company, CompanyId, CompanyRef, DefaultPackage, Event, EventHandling,
    EventId, EventKind, Exclusion, InventorySnapshot, PrefixCreation, PrefixSettings, Settings,
    Site, SiteUid, StoredState, SyncLevel, association_actions,
};

pub const NOW: i64 = 1_700_000_000_000;

thread_local! {
    /// The names the builders gave each site uid and the parents they gave each company id in
    /// the current test, so the action helpers below can say what an association remembers.
    static SITE_NAMES: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
    static PARENTS: std::cell::RefCell<std::collections::BTreeMap<String, CompanyId>> =
        Default::default();
    static COMPANY_NAMES: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
}

fn remember_site(uid: &str, name: &str) {
    SITE_NAMES.with(|m| m.borrow_mut().insert(uid.into(), name.into()));
}

fn remember_parent(id: &str, parent: &CompanyId) {
    PARENTS.with(|m| m.borrow_mut().insert(id.into(), parent.clone()));
}

fn remember_company(id: &str, parent: &CompanyId, name: &str) {
    remember_parent(id, parent);
    COMPANY_NAMES.with(|m| m.borrow_mut().insert(id.into(), name.into()));
}

/// The company's name as the builders last made it in this test (its id otherwise).
pub fn known_company_name(id: &str) -> String {
    COMPANY_NAMES
        .with(|m| m.borrow().get(id).cloned())
        .unwrap_or_else(|| id.to_owned())
}

/// The site as the builders last made it in this test (its uid as name otherwise).
pub fn known_site(uid: &str) -> Site {
    let name = SITE_NAMES.with(|m| m.borrow().get(uid).cloned());
    Site::new(uid, name.unwrap_or_else(|| uid.to_owned()), false)
}

/// The company's parent as the builders last made it in this test (the root otherwise).
pub fn known_parent(id: &str) -> CompanyId {
    PARENTS
        .with(|m| m.borrow().get(id).cloned())
        .unwrap_or_else(root)
}

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
    remember_site(uid, name);
    Site::new(uid, name, false)
}

pub fn ondemand_site(uid: &str, name: &str) -> Site {
    Site::new(uid, name, true)
}

/// A company directly under the partner's root.
pub fn company(id: &str, name: &str) -> Company {
    remember_company(id, &root(), name);
    Company::new(id, name, root())
}

/// A company that was moved away from the partner's root.
pub fn moved_company(id: &str, name: &str) -> Company {
    remember_company(id, &elsewhere(), name);
    Company::new(id, name, elsewhere())
}

/// A sub-partner of the root.
pub fn reseller() -> CompanyId {
    CompanyId::new("reseller")
}

/// A company under the root's sub-partner [`reseller`].
pub fn resold_company(id: &str, name: &str) -> Company {
    remember_company(id, &reseller(), name);
    Company::new(id, name, reseller())
}

/// A snapshot whose root has the sub-partner [`reseller`].
pub fn snapshot_with_reseller(sites: Vec<Site>, companies: Vec<Company>) -> InventorySnapshot {
    InventorySnapshot::new(root(), sites, companies).with_partners(vec![reseller()])
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
        &known_site(site),
        CompanyRef::existing(cid(company)),
        &known_parent(company),
        &known_company_name(company),
        &DefaultPackage::default(),
    )
}

/// The actions of associating `site` with an existing company called `name` (under the
/// parent the builders last gave it).
pub fn associate_existing_named(site: &str, company: &str, name: &str) -> Vec<Action> {
    association_actions(
        &known_site(site),
        CompanyRef::existing(cid(company)),
        &known_parent(company),
        name,
        &DefaultPackage::default(),
    )
}

/// The actions of associating `site` with an existing company under `parent`.
pub fn associate_existing_under(site: &str, company: &str, parent: CompanyId) -> Vec<Action> {
    association_actions(
        &known_site(site),
        CompanyRef::existing(cid(company)),
        &parent,
        &known_company_name(company),
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
        &known_site(site),
        CompanyRef::created(name),
        &root(),
        name,
        &DefaultPackage::default(),
    ));
    actions
}
