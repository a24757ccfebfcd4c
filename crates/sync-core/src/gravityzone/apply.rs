//! What a list of actions does to the inventories and the stored state, when every call
//! succeeds: the model the planner's idempotency is stated against, and a dry run's preview.

use super::action::Action;
use super::ids::{CompanyId, SiteUid};
use super::snapshot::InventorySnapshot;
use super::state::StoredState;
use super::world::World;

/// Why a list of actions cannot be carried out as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// A company of that name already exists.
    #[error("a company named {0:?} already exists")]
    NameTaken(String),
    /// The company does not exist.
    #[error("company {0} does not exist")]
    UnknownCompany(CompanyId),
    /// A [`CompanyRef::Created`](super::action::CompanyRef::Created) names a company that no
    /// earlier action of the list creates.
    #[error("no earlier action creates a company named {0:?}")]
    NotCreatedInThisList(String),
    /// The site already has a company.
    #[error("site {site} is already associated with company {company}")]
    SiteAlreadyAssociated {
        /// The site.
        site: SiteUid,
        /// Its company.
        company: CompanyId,
    },
    /// The company already serves a site.
    #[error("company {company} is already associated with site {site}")]
    CompanyAlreadyAssociated {
        /// The company.
        company: CompanyId,
        /// Its site.
        site: SiteUid,
    },
    /// There is no such association to delete.
    #[error("site {site} is not associated with company {company}")]
    NotAssociated {
        /// The site.
        site: SiteUid,
        /// The company.
        company: CompanyId,
    },
    /// The site is already excluded.
    #[error("site {0} is already excluded")]
    AlreadyExcluded(SiteUid),
    /// The site is not excluded.
    #[error("site {0} is not excluded")]
    NotExcluded(SiteUid),
}

/// Applies `actions` in order to `snapshot` and `state`, as GravityZone, Datto RMM and the store
/// would if every call succeeded. A created company gets the stand-in id
/// [`CompanyId::provisional`]. Packages and site variables are not part of the snapshot, so
/// those actions only check that their company exists.
///
/// The whole list is applied or, on error, nothing. The snapshot's lists and the state's
/// associations and exclusions come back sorted by id, duplicates removed; events are left as
/// they are.
pub fn apply(
    snapshot: &mut InventorySnapshot,
    state: &mut StoredState,
    actions: &[Action],
) -> Result<(), ApplyError> {
    let mut world = World::new(snapshot, state);
    world.apply(actions)?;
    world.write_back(snapshot, state);
    Ok(())
}
