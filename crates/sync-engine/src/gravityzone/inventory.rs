//! Fetching both inventories, completely, into a `sync-core` snapshot.

use std::collections::BTreeSet;

use sync_core::gravityzone::{Association, CompanyId, InventorySnapshot};
use tracing::Instrument;

use super::ports::{DattoRmmPort, GravityZonePort, PortError};

/// Both inventories: every Datto RMM site, and every customer company and sub-partner below the
/// partner's root plus every associated company wherever it is now (looked up by id; one that GravityZone no
/// longer knows is left out, which the planner reads as deleted).
///
/// Any failed call fails the whole fetch: a partial inventory would look like deleted sites and
/// companies.
pub(crate) async fn fetch(
    datto: &dyn DattoRmmPort,
    gravityzone: &dyn GravityZonePort,
    associations: &[Association],
) -> Result<InventorySnapshot, PortError> {
    let sites = async {
        let sites: Vec<_> = datto.sites().await?.into_iter().map(|s| s.site).collect();
        tracing::debug!(sites = sites.len(), "Datto RMM sites fetched");
        Ok::<_, PortError>(sites)
    }
    .instrument(tracing::info_span!("datto_sites"));
    let companies = async {
        let root = gravityzone.root_company().await?;
        let subtree = gravityzone.customer_companies(&root).await?;
        let partners = subtree.partners;
        let mut companies = subtree.companies;
        let known: BTreeSet<CompanyId> = companies.iter().map(|c| c.id.clone()).collect();
        let elsewhere: BTreeSet<&CompanyId> = associations
            .iter()
            .map(|a| &a.company)
            .filter(|id| !known.contains(*id))
            .collect();
        for id in elsewhere {
            if let Some(company) = gravityzone.company(id).await? {
                companies.push(company);
            }
        }
        tracing::debug!(companies = companies.len(), "GravityZone companies fetched");
        Ok::<_, PortError>((root, companies, partners))
    }
    .instrument(tracing::info_span!("gravityzone_companies"));
    let (sites, (root, companies, partners)) = futures::try_join!(sites, companies)?;
    Ok(InventorySnapshot::new(root, sites, companies).with_partners(partners))
}
