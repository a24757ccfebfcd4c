//! Groups: what the IT Glue flow matches to organizations — each site, or the Autotask company
//! that sites point to (sites sharing an Autotask company form one group).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::device::Device;
use super::ids::{DeviceUid, GroupId, SiteUid};
pub use crate::datto::Site;

/// How sites are grouped (a tenant setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupingMode {
    /// Every site is a group, matched by the site's name.
    #[default]
    Site,
    /// Sites pointing to one Autotask company form one group, matched by the company's name. A
    /// site without an Autotask company stays a group of its own.
    AutotaskCompany,
}

/// A group with the devices that make it take part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The group's id.
    pub id: GroupId,
    /// The name it is matched by.
    pub name: String,
    /// Its sites, sorted.
    pub sites: Vec<SiteUid>,
    /// Its devices, sorted.
    pub devices: Vec<DeviceUid>,
}

/// Forms the groups of an account. Only groups with at least one device are returned, sorted by
/// id; only managed sites take part ([`Site::is_managed`]: OnDemand and system sites never do). The result does not depend on the order of
/// the inputs.
///
/// ```
/// use sync_core::itglue::{AutotaskCompanyId, Device, DeviceUid, GroupingMode, Site, SiteUid, build_groups};
///
/// let site = |uid: &str, company: &str| Site {
///     uid: SiteUid::new(uid),
///     name: format!("Site {uid}"),
///     on_demand: false,
///     autotask_company_id: Some(AutotaskCompanyId::new(company)),
///     autotask_company_name: Some("Acme Inc".into()),
/// };
/// let sites = [site("a", "1"), site("b", "1")];
/// let devices = [
///     Device::new(DeviceUid::new("d1"), SiteUid::new("a"), "PC-1"),
///     Device::new(DeviceUid::new("d2"), SiteUid::new("b"), "PC-2"),
/// ];
/// let groups = build_groups(&sites, &devices, GroupingMode::AutotaskCompany);
/// assert_eq!(groups.len(), 1);
/// assert_eq!(groups[0].name, "Acme Inc");
/// assert_eq!(groups[0].devices.len(), 2);
/// ```
pub fn build_groups(sites: &[Site], devices: &[Device], mode: GroupingMode) -> Vec<Group> {
    let mut devices_by_site: BTreeMap<&SiteUid, BTreeSet<&DeviceUid>> = BTreeMap::new();
    for device in devices {
        devices_by_site
            .entry(&device.site)
            .or_default()
            .insert(&device.uid);
    }

    // Sorted by uid so that the name picked for a group does not depend on input order.
    let mut taking_part: Vec<&Site> = sites.iter().filter(|s| s.is_managed()).collect();
    taking_part.sort_by(|a, b| a.uid.cmp(&b.uid).then_with(|| a.name.cmp(&b.name)));
    taking_part.dedup_by(|later, earlier| later.uid == earlier.uid);

    let mut groups: BTreeMap<GroupId, Group> = BTreeMap::new();
    for site in taking_part {
        let (id, name) = group_of(site, mode);
        let group = groups.entry(id.clone()).or_insert_with(|| Group {
            id,
            name: name.clone(),
            sites: Vec::new(),
            devices: Vec::new(),
        });
        if group.name.trim().is_empty() || (!name.trim().is_empty() && name < group.name) {
            group.name = name;
        }
        group.sites.push(site.uid.clone());
        if let Some(site_devices) = devices_by_site.get(&site.uid) {
            group
                .devices
                .extend(site_devices.iter().map(|d| (*d).clone()));
        }
    }
    groups
        .into_values()
        .filter(|g| !g.devices.is_empty())
        .map(|mut g| {
            g.devices.sort();
            g.devices.dedup();
            g
        })
        .collect()
}

fn group_of(site: &Site, mode: GroupingMode) -> (GroupId, String) {
    let company = site
        .autotask_company_id
        .as_ref()
        .filter(|id| !id.as_str().trim().is_empty());
    match (mode, company) {
        (GroupingMode::AutotaskCompany, Some(company)) => (
            GroupId::AutotaskCompany(company.clone()),
            site.autotask_company_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| site.name.clone()),
        ),
        _ => (GroupId::Site(site.uid.clone()), site.name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datto::AutotaskCompanyId;

    fn site(uid: &str, name: &str) -> Site {
        Site {
            uid: SiteUid::new(uid),
            name: name.to_owned(),
            on_demand: false,
            autotask_company_id: None,
            autotask_company_name: None,
        }
    }

    fn with_company(mut site: Site, id: &str, name: &str) -> Site {
        site.autotask_company_id = Some(AutotaskCompanyId::new(id));
        site.autotask_company_name = Some(name.to_owned());
        site
    }

    fn device(uid: &str, site: &str) -> Device {
        Device::new(DeviceUid::new(uid), SiteUid::new(site), uid)
    }

    #[test]
    fn groups_without_devices_take_no_part() {
        let groups = build_groups(
            &[site("a", "Acme"), site("b", "Empty")],
            &[device("d1", "a")],
            GroupingMode::Site,
        );
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].id, GroupId::Site(SiteUid::new("a")));
    }

    #[test]
    fn ondemand_and_system_sites_never_take_part() {
        let mut on_demand = site("o", "Walk-in customer");
        on_demand.on_demand = true;
        let sites = [
            on_demand,
            site("m", "Managed"),
            site("x", "Deleted Devices"),
            site("n", "OnDemand"),
        ];
        let devices = [
            device("1", "o"),
            device("2", "m"),
            device("3", "x"),
            device("4", "n"),
        ];
        assert!(build_groups(&sites, &devices, GroupingMode::Site).is_empty());
    }

    #[test]
    fn sites_sharing_an_autotask_company_form_one_group() {
        let sites = [
            with_company(site("a", "Acme East"), "7", "Acme Inc"),
            with_company(site("b", "Acme West"), "7", "Acme Inc"),
            site("c", "Bolt"),
        ];
        let devices = [device("d1", "a"), device("d2", "b"), device("d3", "c")];
        let groups = build_groups(&sites, &devices, GroupingMode::AutotaskCompany);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].id, GroupId::Site(SiteUid::new("c")));
        let acme = &groups[1];
        assert_eq!(
            acme.id,
            GroupId::AutotaskCompany(AutotaskCompanyId::new("7"))
        );
        assert_eq!(acme.name, "Acme Inc");
        assert_eq!(acme.sites, [SiteUid::new("a"), SiteUid::new("b")]);
        assert_eq!(acme.devices.len(), 2);
    }

    #[test]
    fn site_mode_ignores_the_autotask_company() {
        let sites = [with_company(site("a", "Acme East"), "7", "Acme Inc")];
        let groups = build_groups(&sites, &[device("d1", "a")], GroupingMode::Site);
        assert_eq!(groups[0].name, "Acme East");
    }

    #[test]
    fn grouping_does_not_depend_on_input_order() {
        let sites = vec![
            with_company(site("a", "Acme East"), "7", "Acme Inc"),
            with_company(site("b", "Acme West"), "7", "ACME Incorporated"),
            site("c", "Bolt"),
        ];
        let devices = vec![device("d1", "a"), device("d2", "b"), device("d3", "c")];
        let forward = build_groups(&sites, &devices, GroupingMode::AutotaskCompany);
        let mut sites_rev = sites.clone();
        sites_rev.reverse();
        let mut devices_rev = devices.clone();
        devices_rev.reverse();
        let backward = build_groups(&sites_rev, &devices_rev, GroupingMode::AutotaskCompany);
        assert_eq!(forward, backward);
        assert_eq!(forward[1].name, "ACME Incorporated");
    }
}
