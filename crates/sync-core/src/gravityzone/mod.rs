//! The Datto RMM ↔ GravityZone inventory sync: settings, the two inventories, associations and
//! exclusions, events and their state machine, prefix rules, the companies page and the planner.
//!
//! Every Datto RMM *managed* site is meant to have one GravityZone *company* directly under the
//! partner's root company. The hourly sync compares both inventories with the stored
//! associations, exclusions and events, reports the discrepancies as events and plans the
//! automatic actions the tenant's settings allow. The rules are described in
//! `docs/gravityzone-sync.md`.
//!
//! ```
//! use sync_core::gravityzone::{
//!     Action, Association, Company, CompanyId, EventHandling, EventKind, InventorySnapshot,
//!     Settings, Site, SiteUid, StoredState, SyncLevel, plan,
//! };
//!
//! let root = CompanyId::new("root");
//! let snapshot = InventorySnapshot::new(
//!     root.clone(),
//!     vec![Site::new("s1", "Acme", false), Site::new("s2", "Beta", false)],
//!     vec![
//!         Company::new("c1", "Acme", CompanyId::new("other-partner")),
//!         Company::new("c2", "BETA", root.clone()),
//!     ],
//! );
//! let state = StoredState {
//!     associations: vec![Association::new(SiteUid::new("s1"), CompanyId::new("c1"))],
//!     ..StoredState::default()
//! };
//! let settings = Settings {
//!     level: SyncLevel::AutomaticInventorySync,
//!     handling: EventHandling::Automatic,
//!     ..Settings::default()
//! };
//!
//! let plan = plan(&snapshot, &state, &settings, 1_700_000_000_000);
//! // c1 sits under another partner than the root the association remembers: destination
//! // moved, moved back automatically; BETA is associated automatically.
//! let kinds: Vec<EventKind> = plan.events.iter().map(|e| e.id.kind).collect();
//! assert_eq!(kinds, [EventKind::DestinationMoved, EventKind::AssociationMissing]);
//! assert!(plan.actions().any(|a| matches!(a, Action::MoveCompany { .. })));
//! assert!(plan.actions().any(|a| matches!(a, Action::Associate { .. })));
//! ```

pub mod action;
pub mod apply;
pub mod companies_page;
pub mod event;
pub mod event_action;
pub mod ids;
pub mod name;
pub mod plan;
pub mod prefix;
pub mod resolve;
pub mod settings;
pub mod snapshot;
pub mod state;
mod world;

pub use action::{Action, CompanyRef, PACKAGE_LINK_VARIABLE, association_actions, package_name};
pub use apply::{ApplyError, apply};
pub use companies_page::{
    AssociatedCompany, Change, CompaniesPage, Confirmation, ConfirmedChange, DeletedSiteRow,
    Proposal, Refusal, RefusalReason, SiteRow, companies_page, validate_changes,
};
pub use event::{Actor, Event, EventId, EventKind, EventState, Resolution, TransitionError};
pub use event_action::{ActionRole, EventAction, EventActionKind, EventSubject, OfferedAction};
pub use ids::{CompanyId, SiteUid};
pub use name::{COMPANY_NAME_MAX_CHARS, NameError};
pub use plan::{Plan, Step, StepReason, plan};
pub use prefix::{NewCompanyName, new_company_name, prefixed_name};
pub use resolve::{ResolveError, resolve};
pub use settings::{
    DefaultPackage, EventHandling, PackageAddOns, PackageModules, PrefixCreation, PrefixSettings,
    Settings, SettingsError, SyncLevel,
};
pub use snapshot::{Company, InventorySnapshot, SYSTEM_SITE_NAMES, Site};
pub use state::{Association, Exclusion, PendingCreation, StoredState};
