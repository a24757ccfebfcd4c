//! The hourly inventory sync's decisions: which events exist and which automatic actions to
//! run. Pure and deterministic: the same inputs, in any order, give the same plan.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::action::{Action, CompanyRef, association_actions};
use super::event::{Event, EventId, EventKind, EventState};
use super::event_action::EventAction;
use super::ids::{CompanyId, SiteUid};
use super::prefix::{NewCompanyName, association_names, new_company_name};
use super::resolve::{ResolveError, actions_for};
use super::settings::Settings;
use super::snapshot::{InventorySnapshot, Site};
use super::state::{Association, StoredState};
use super::world::World;

/// What one sync found and what it will do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// Every discrepancy found, as an open event, sorted by identity. An event that was open
    /// before keeps its `generated_at_ms`; one that was ignored comes back as a new occurrence.
    /// Events a step resolves are listed too: the engine marks them resolved once the step's
    /// actions succeeded.
    pub events: Vec<Event>,
    /// Events that were open before and are no longer found, resolved as
    /// [`Resolution::NoLongerFound`](super::event::Resolution::NoLongerFound).
    pub closed: Vec<Event>,
    /// The automatic work, in the order it must run.
    pub steps: Vec<Step>,
}

/// A group of actions that belong together, with the reason for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Why the sync does this.
    pub reason: StepReason,
    /// The concrete actions, in order.
    pub actions: Vec<Action>,
}

/// Why the sync runs a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepReason {
    /// The automatic action of an event.
    Event {
        /// The event the step resolves.
        event: EventId,
        /// Its automatic action.
        action: EventAction,
    },
    /// At the automatic level: an unassociated managed site with no matching company gets a
    /// new one.
    NewCompany {
        /// The site.
        site: SiteUid,
    },
}

impl Plan {
    /// Every action of every step, in order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.steps.iter().flat_map(|step| step.actions.iter())
    }

    /// Whether the plan changes nothing.
    pub fn has_no_actions(&self) -> bool {
        self.steps.iter().all(|step| step.actions.is_empty())
    }
}

/// Compares the inventories with the stored state and returns the events and the automatic
/// steps the settings allow; `now_ms` (milliseconds since the Unix epoch) dates new events.
///
/// Scope: excluded, OnDemand and system sites never take part. Every level watches the
/// associated sites (source deleted, destination deleted, destination moved); the automatic
/// level also watches unassociated managed sites (association missing, prefix-based
/// association missing, destination creation) and creates companies for them. Steps run only
/// when [`Settings::acts_automatically`]. The rules are laid out in `docs/gravityzone-sync.md`.
///
/// Applying the steps' actions (see [`apply`](super::apply::apply)) and planning again gives no
/// actions.
pub fn plan(
    snapshot: &InventorySnapshot,
    state: &StoredState,
    settings: &Settings,
    now_ms: i64,
) -> Plan {
    let mut planner = Planner {
        world: World::new(snapshot, state),
        settings,
        acts: settings.acts_automatically(),
        stored: stored_events(&state.events),
        found: BTreeMap::new(),
        steps: Vec::new(),
    };
    planner.watch_associated_sites();
    if settings.level.watches_unassociated_sites() {
        planner.watch_unassociated_sites();
    }
    planner.keep_destination_creation_events();
    planner.finish(now_ms)
}

/// The stored events that matter to the planner: open or ignored, by identity (an open one wins
/// over an ignored one).
fn stored_events(events: &[Event]) -> BTreeMap<EventId, &Event> {
    let mut stored: BTreeMap<EventId, &Event> = BTreeMap::new();
    // Among several stored events of one identity, the open one, else the latest.
    let rank = |e: &Event| (e.is_open(), e.generated_at_ms, e.company_name.clone());
    for event in events {
        if !(event.is_open() || event.is_ignored()) {
            continue;
        }
        let keep = stored
            .get(&event.id)
            .is_none_or(|kept| rank(event) > rank(kept));
        if keep {
            stored.insert(event.id.clone(), event);
        }
    }
    stored
}

/// A discrepancy found in this sync.
struct Found {
    site_name: Option<String>,
    company_name: Option<String>,
}

struct Planner<'a> {
    world: World,
    settings: &'a Settings,
    acts: bool,
    stored: BTreeMap<EventId, &'a Event>,
    found: BTreeMap<EventId, Found>,
    steps: Vec<Step>,
}

impl Planner<'_> {
    fn raise(&mut self, id: EventId, site_name: Option<String>, company_name: Option<String>) {
        self.found.insert(
            id,
            Found {
                site_name,
                company_name,
            },
        );
    }

    /// Whether GravityZone refused to create a company for `site` and no user has answered yet:
    /// the sync then leaves the site's creation to the user.
    fn awaits_users_name(&self, site: &SiteUid) -> bool {
        self.stored.contains_key(&EventId::new(
            EventKind::DestinationCreation,
            site.clone(),
            None,
        ))
    }

    /// Runs the automatic action of the event `id` on the working copy, if the settings allow
    /// and it can be carried out now; otherwise the event waits for a user, and the reason is
    /// returned.
    fn handle(&mut self, id: &EventId) -> Option<ResolveError> {
        if !self.acts {
            return None;
        }
        let action = id.kind.automatic_action()?;
        match actions_for(id, &action, &self.world, self.settings) {
            Ok(actions) => {
                self.run(
                    StepReason::Event {
                        event: id.clone(),
                        action,
                    },
                    actions,
                );
                None
            }
            Err(refused) => Some(refused),
        }
    }

    /// The site's name as its association or an earlier occurrence of the event remembers it.
    fn last_known_site_name(&self, site: &SiteUid, company: &CompanyId) -> Option<String> {
        self.world
            .association(site, company)
            .and_then(|a| a.site_name.clone())
            .or_else(|| {
                self.stored
                    .values()
                    .filter(|e| &e.id.site == site)
                    .find_map(|e| e.site_name.clone())
            })
    }

    /// The company's name as its association or an earlier occurrence of the event remembers
    /// it; `None` (the event shows the bare id) only when neither ever knew it: an association
    /// stored before company names were remembered.
    fn last_known_company_name(&self, id: &EventId) -> Option<String> {
        let company = id.company.as_ref()?;
        self.world
            .association(&id.site, company)
            .and_then(|a| a.company_name.clone())
            .or_else(|| {
                self.stored
                    .values()
                    .filter(|e| e.id.company.as_ref() == Some(company))
                    .find_map(|e| e.company_name.clone())
            })
    }

    /// Raises destination creation for a site the sync cannot create a company for because
    /// every name the prefix setting allows is taken. The event carries the name, so the sync
    /// keeps off that name for the site until a user decides.
    fn raise_destination_creation(&mut self, site: &SiteUid, wanted: String) {
        let site_name = self.world.site(site).map(|s| s.name.clone());
        let id = EventId::new(EventKind::DestinationCreation, site.clone(), None);
        self.raise(id, site_name, Some(wanted));
    }

    /// Adds a step and applies it to the working copy, so later decisions see it. A step the
    /// working copy cannot take is left out rather than planned inconsistently.
    fn run(&mut self, reason: StepReason, actions: Vec<Action>) {
        if self.world.apply(&actions).is_ok() {
            self.steps.push(Step { reason, actions });
        }
    }

    /// Every level: the associated sites that take part, and their companies.
    fn watch_associated_sites(&mut self) {
        for Association {
            site: site_uid,
            company: company_id,
            ..
        } in self.world.associations()
        {
            if self.world.is_excluded(&site_uid) {
                continue;
            }
            let site = self.world.site(&site_uid).cloned();
            let company = self.world.company(&company_id).cloned();
            let parent = self.world.remembered_parent(&site_uid, &company_id);
            let kind = match (&site, &company) {
                (None, _) => EventKind::SourceDeleted,
                (Some(site), _) if !site.is_managed() => continue,
                (Some(_), None) => EventKind::DestinationDeleted,
                (Some(_), Some(company)) if company.parent != parent => EventKind::DestinationMoved,
                (Some(_), Some(_)) => continue,
            };
            let id = EventId::new(kind, site_uid.clone(), Some(company_id.clone()));
            // A deleted site keeps its last known name; so does a deleted company.
            let site_name = site
                .map(|s| s.name)
                .or_else(|| self.last_known_site_name(&site_uid, &company_id));
            let company_name = company
                .map(|c| c.name)
                .or_else(|| self.last_known_company_name(&id));
            self.raise(id.clone(), site_name, company_name);
            if kind == EventKind::DestinationDeleted && self.awaits_users_name(&site_uid) {
                continue;
            }
            // A refused automatic action (the site's name is taken) leaves the event open.
            let _waits_for_user = self.handle(&id);
        }
    }

    /// The automatic level: unassociated managed sites that are not excluded.
    fn watch_unassociated_sites(&mut self) {
        let eligible: Vec<Site> = self
            .world
            .sites()
            .filter(|s| self.world.is_actionable(&s.uid) && self.world.company_of(&s.uid).is_none())
            .cloned()
            .collect();
        let matches: Vec<(Site, EventKind, Vec<CompanyId>)> = eligible
            .into_iter()
            .map(|site| {
                let (kind, companies) = self.matching_free_companies(&site);
                (site, kind, companies)
            })
            .collect();
        let mut claims: BTreeMap<CompanyId, usize> = BTreeMap::new();
        for (_, _, companies) in &matches {
            for company in companies {
                *claims.entry(company.clone()).or_default() += 1;
            }
        }
        let mut unmatched = Vec::new();
        for (site, kind, companies) in matches {
            if companies.is_empty() {
                unmatched.push(site);
                continue;
            }
            // Two candidates for one site, or one company wanted by two sites: a user chooses.
            let unambiguous =
                matches!(companies.as_slice(), [only] if claims.get(only) == Some(&1));
            for company in companies {
                let company_name = self.world.company(&company).map(|c| c.name.clone());
                let id = EventId::new(kind, site.uid.clone(), Some(company));
                self.raise(id.clone(), Some(site.name.clone()), company_name);
                if unambiguous {
                    // The company is free and the site unassociated, so associating cannot be
                    // refused here; were it refused, the event would simply wait for a user.
                    let _waits_for_user = self.handle(&id);
                }
            }
        }
        if self.acts {
            for site in unmatched {
                self.create_company_for(&site);
            }
        }
    }

    /// The free companies called like the site; failing those, when the prefix is used for
    /// association, the free companies called like the prefixed name.
    fn matching_free_companies(&self, site: &Site) -> (EventKind, Vec<CompanyId>) {
        let names = association_names(&site.name, &self.settings.prefix);
        let free_named = |name: &Option<String>| -> Vec<CompanyId> {
            name.iter()
                .flat_map(|n| self.world.companies_named(n))
                .filter(|c| self.world.is_free(c))
                .map(|c| c.id.clone())
                .collect()
        };
        let plain = free_named(&names.plain);
        if !plain.is_empty() {
            return (EventKind::AssociationMissing, plain);
        }
        (
            EventKind::PrefixBasedAssociationMissing,
            free_named(&names.prefixed),
        )
    }

    /// Creates a company for an unmatched site, or raises destination creation when every name
    /// the prefix setting allows is taken.
    fn create_company_for(&mut self, site: &Site) {
        if self.awaits_users_name(&site.uid) {
            return;
        }
        let world = &self.world;
        match new_company_name(&site.name, &self.settings.prefix, |n| {
            world.is_name_taken(n)
        }) {
            NewCompanyName::Free(name) => {
                let mut actions = vec![Action::CreateCompany {
                    name: name.clone(),
                    parent: self.world.root.clone(),
                }];
                actions.extend(association_actions(
                    site,
                    CompanyRef::created(name.clone()),
                    &self.world.root,
                    &name,
                    &self.settings.package,
                ));
                self.run(
                    StepReason::NewCompany {
                        site: site.uid.clone(),
                    },
                    actions,
                );
            }
            NewCompanyName::Taken { wanted } => self.raise_destination_creation(&site.uid, wanted),
            // A site without a name cannot name a company; the companies page shows it.
            NewCompanyName::NoName => {}
        }
    }

    /// A stored destination-creation event comes back while its site still has no company, at
    /// every level: an associated site whose company is gone, or an unassociated site. The
    /// event records a creation GravityZone refused (a user's "set as new company", or the
    /// automatic level's new company); it stays until a primary action handles it.
    fn keep_destination_creation_events(&mut self) {
        let stored: Vec<&Event> = self
            .stored
            .values()
            .filter(|e| e.id.kind == EventKind::DestinationCreation)
            .copied()
            .collect();
        for event in stored {
            let site = &event.id.site;
            if !self.world.is_actionable(site) {
                continue;
            }
            let companies = self.world.companies_of(site);
            let in_scope = companies.iter().all(|c| self.world.company(c).is_none());
            if in_scope {
                let site_name = self.world.site(site).map(|s| s.name.clone());
                self.raise(event.id.clone(), site_name, event.company_name.clone());
            }
        }
    }

    fn finish(self, now_ms: i64) -> Plan {
        let events = self
            .found
            .into_iter()
            .map(|(id, found)| {
                let generated_at_ms = match self.stored.get(&id) {
                    Some(previous) if previous.state == EventState::Open => {
                        previous.generated_at_ms
                    }
                    _ => now_ms,
                };
                Event {
                    id,
                    site_name: found.site_name,
                    company_name: found.company_name,
                    generated_at_ms,
                    state: EventState::Open,
                }
            })
            .collect::<Vec<_>>();
        let raised: BTreeSet<&EventId> = events.iter().map(|e| &e.id).collect();
        let closed = self
            .stored
            .values()
            .filter(|e| e.is_open() && !raised.contains(&e.id))
            .filter_map(|e| e.no_longer_found(now_ms).ok())
            .collect();
        Plan {
            events,
            closed,
            steps: self.steps,
        }
    }
}
