//! The generated MSP served by the three vendor fakes at once: Datto RMM holds the MSP's sites
//! and devices, IT Glue and GravityZone hold what an MSP's documentation and security consoles
//! typically hold for the same clients — some records named exactly like the client, some with
//! a typo, some missing, plus records that belong to nobody.
//!
//! What is planted is decided by [`Plan::for_msp`], a pure function of the generated MSP, so the
//! demo and the tests know what a sync should find: which organizations should match, which
//! should only be suggested, which configurations share a MAC address, a serial number or only a
//! name with a device, which GravityZone companies are free to map and which name is taken by
//! another partner's company.

use std::collections::BTreeSet;

use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{DeviceClass, GeneratedMsp, MspDevice, MspSite, SiteKind};
use serde::Serialize;

/// The IT Glue API key the fake accepts.
pub const ITGLUE_API_KEY: &str = "ITG.fake0000000000000000000000000001";

/// Serial numbers that identify no machine (BIOS placeholders); never planted as a serial match.
const PLACEHOLDER_SERIALS: &[&str] = &[
    "to be filled by o.e.m.",
    "system serial number",
    "default string",
    "0",
    "123456789",
    "0123456789",
    "not specified",
    "none",
];

/// How an IT Glue organization was planted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrganizationKind {
    /// Named exactly like the client company: every site of it should match.
    Exact {
        /// Index of the client company in [`GeneratedMsp::companies`].
        company: usize,
    },
    /// The client company's name with two letters swapped: only a suggestion.
    Typo {
        /// Index of the client company in [`GeneratedMsp::companies`].
        company: usize,
    },
    /// Belongs to no client of the MSP (the MSP itself, an old customer).
    Unrelated,
}

/// One planted IT Glue organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlantedOrganization {
    /// Its name.
    pub name: String,
    /// Why it is there.
    pub kind: OrganizationKind,
}

/// What a planted IT Glue configuration shares with its device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SharedIdentifier {
    /// The MAC address of a physical network adapter (written in another notation).
    Mac,
    /// The BIOS serial number (in upper case).
    Serial,
    /// Only the name (the device's hostname): a suggestion, never an automatic match.
    Name,
}

/// One planted IT Glue configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlantedConfiguration {
    /// Index of the client company whose (exactly named) organization holds it.
    pub company: usize,
    /// Index of the device in [`GeneratedMsp::devices`] it stands for.
    pub device: usize,
    /// What it shares with the device.
    pub shares: SharedIdentifier,
    /// Its name.
    pub name: String,
    /// Its primary MAC address, when it has one.
    pub mac_address: Option<String>,
    /// Its serial number, when it has one.
    pub serial_number: Option<String>,
}

/// How a GravityZone company was planted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CompanyKind {
    /// A free customer company under the partner, named exactly like a site.
    SameNameAsSite {
        /// Index of the site in [`GeneratedMsp::sites`].
        site: usize,
    },
    /// A company of another partner on the same GravityZone instance that carries a site's
    /// name: company names are unique per instance, so that name cannot be created.
    TakenByAnotherPartner {
        /// Index of the site in [`GeneratedMsp::sites`].
        site: usize,
    },
    /// A free customer company no site is named after.
    Unrelated,
}

/// One planted GravityZone company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlantedCompany {
    /// Its name.
    pub name: String,
    /// Why it is there.
    pub kind: CompanyKind,
}

/// Everything planted in the IT Glue and GravityZone fakes for one generated MSP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// IT Glue organizations.
    pub organizations: Vec<PlantedOrganization>,
    /// IT Glue configurations (all in exactly named organizations).
    pub configurations: Vec<PlantedConfiguration>,
    /// GravityZone companies.
    pub companies: Vec<PlantedCompany>,
    /// The name of the other partner whose company blocks a site's name.
    pub other_partner: String,
}

/// True when a site takes part in the IT Glue flow: a managed customer site with a device.
pub fn site_has_devices(site: &MspSite) -> bool {
    site.kind == SiteKind::Customer && !site.devices.is_empty()
}

/// True for a serial number that names a machine (not a BIOS placeholder, not blank).
pub fn is_real_serial(serial: &str) -> bool {
    let folded = serial.trim().to_lowercase();
    !folded.is_empty() && !PLACEHOLDER_SERIALS.contains(&folded.as_str())
}

/// The MAC address of the device's first physical adapter, written upper case with colons.
fn physical_mac(device: &MspDevice) -> Option<String> {
    let nic = device
        .nics
        .iter()
        .find(|n| !n.is_virtual && !n.mac_address.is_empty())?;
    let hex: String = nic
        .mac_address
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_uppercase();
    if hex.len() != 12 {
        return None;
    }
    let pairs: Vec<&str> = (0..6).filter_map(|i| hex.get(i * 2..i * 2 + 2)).collect();
    Some(pairs.join(":"))
}

/// Swaps two letters inside the name's longest word ("Northwind" → "Nortwhind").
fn typo(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let (index, word) = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().count() >= 6 && w.chars().all(char::is_alphabetic))
        .max_by_key(|(_, w)| w.chars().count())?;
    let mut letters: Vec<char> = word.chars().collect();
    let middle = letters.len() / 2;
    if letters.get(middle) == letters.get(middle + 1) {
        return None;
    }
    letters.swap(middle, middle + 1);
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    if let Some(slot) = out.get_mut(index) {
        *slot = letters.into_iter().collect();
    }
    Some(out.join(" "))
}

impl Plan {
    /// What to plant for `msp`. Deterministic: the same MSP always gives the same plan.
    ///
    /// Of the client companies with a site that has devices, five in eight get an exactly named
    /// organization, two in eight one with a typo, one in eight none. In every exactly named
    /// organization, of the devices that have been audited, every sixth gets a configuration
    /// with its MAC address, the next one with its serial number, the next one with its
    /// hostname only. In GravityZone every fifth managed site has a free company of its name,
    /// and the first site that would otherwise need a new company finds its name taken by
    /// another partner's company.
    pub fn for_msp(msp: &GeneratedMsp) -> Plan {
        let mut organizations = vec![PlantedOrganization {
            name: msp.account.name.clone(),
            kind: OrganizationKind::Unrelated,
        }];
        let mut configurations = Vec::new();
        let taking_part: BTreeSet<usize> = msp
            .sites
            .iter()
            .filter(|s| site_has_devices(s))
            .filter_map(|s| s.company)
            .collect();
        for company in msp
            .companies
            .iter()
            .filter(|c| taking_part.contains(&c.index))
        {
            let kind = match company.index % 8 {
                0..=4 => OrganizationKind::Exact {
                    company: company.index,
                },
                5 | 6 => OrganizationKind::Typo {
                    company: company.index,
                },
                _ => continue,
            };
            let name = match kind {
                OrganizationKind::Typo { .. } => match typo(&company.name) {
                    Some(name) => name,
                    None => continue,
                },
                _ => company.name.clone(),
            };
            if matches!(kind, OrganizationKind::Exact { .. }) {
                configurations.extend(Self::configurations_of(msp, company.index));
            }
            organizations.push(PlantedOrganization { name, kind });
        }
        organizations.push(PlantedOrganization {
            name: "Former Client Holdings".to_owned(),
            kind: OrganizationKind::Unrelated,
        });

        let mut companies = Vec::new();
        let mut blocked = false;
        for (position, site) in msp.customer_sites().enumerate() {
            if position % 5 == 0 {
                companies.push(PlantedCompany {
                    name: site.name.clone(),
                    kind: CompanyKind::SameNameAsSite { site: site.index },
                });
            } else if !blocked && position % 5 == 2 {
                blocked = true;
                companies.push(PlantedCompany {
                    name: site.name.clone(),
                    kind: CompanyKind::TakenByAnotherPartner { site: site.index },
                });
            }
        }
        companies.push(PlantedCompany {
            name: "Former Client Holdings".to_owned(),
            kind: CompanyKind::Unrelated,
        });
        Plan {
            organizations,
            configurations,
            companies,
            other_partner: "Another MSP Partner".to_owned(),
        }
    }

    fn configurations_of(msp: &GeneratedMsp, company: usize) -> Vec<PlantedConfiguration> {
        let audited = msp
            .sites
            .iter()
            .filter(|s| s.company == Some(company) && site_has_devices(s))
            .flat_map(|s| msp.devices_of(s))
            .filter(|d| d.device_class == DeviceClass::Device && d.last_audit_ms.is_some());
        let mut planted = Vec::new();
        for (position, device) in audited.enumerate() {
            let shares = match position % 6 {
                0 => SharedIdentifier::Mac,
                1 => SharedIdentifier::Serial,
                2 => SharedIdentifier::Name,
                _ => continue,
            };
            let asset = format!("ASSET-{:05}", device.index);
            let configuration = match shares {
                SharedIdentifier::Mac => physical_mac(device).map(|mac| PlantedConfiguration {
                    company,
                    device: device.index,
                    shares,
                    name: asset,
                    mac_address: Some(mac),
                    serial_number: None,
                }),
                SharedIdentifier::Serial => device
                    .serial_number
                    .as_deref()
                    .filter(|s| is_real_serial(s))
                    .map(|serial| PlantedConfiguration {
                        company,
                        device: device.index,
                        shares,
                        name: asset,
                        mac_address: None,
                        serial_number: Some(serial.to_uppercase()),
                    }),
                SharedIdentifier::Name => Some(PlantedConfiguration {
                    company,
                    device: device.index,
                    shares,
                    name: device.hostname.clone(),
                    mac_address: None,
                    serial_number: None,
                }),
            };
            planted.extend(configuration);
        }
        planted
    }

    /// How many planted configurations share `what` with their device.
    pub fn configurations_sharing(&self, what: SharedIdentifier) -> usize {
        self.configurations
            .iter()
            .filter(|c| c.shares == what)
            .count()
    }
}

/// The three fakes, running on loopback, serving one generated MSP.
#[derive(Debug)]
pub struct MspFakes {
    /// The generated MSP.
    pub msp: GeneratedMsp,
    /// What was planted in IT Glue and GravityZone.
    pub plan: Plan,
    /// The Datto RMM fake.
    pub datto: DattoFake,
    /// The IT Glue fake.
    pub itglue: ItGlueFake,
    /// The GravityZone fake.
    pub gravityzone: GravityZoneFake,
    /// The id of the other partner's company in GravityZone.
    pub other_partner_id: Option<String>,
}

/// Where to reach the fakes and with which (fake) credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FakeEndpoints {
    /// Datto RMM API URL.
    pub datto_api_url: String,
    /// Datto RMM API key.
    pub datto_api_key: String,
    /// Datto RMM API secret.
    pub datto_api_secret: String,
    /// IT Glue API URL.
    pub itglue_api_url: String,
    /// IT Glue API key.
    pub itglue_api_key: String,
    /// GravityZone access URL.
    pub gravityzone_access_url: String,
    /// GravityZone API key.
    pub gravityzone_api_key: String,
}

impl FakeEndpoints {
    /// The environment variables the binaries read, with these values.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DATTO_API_URL", self.datto_api_url.clone()),
            ("DATTO_API_KEY", self.datto_api_key.clone()),
            ("DATTO_API_SECRET", self.datto_api_secret.clone()),
            ("ITGLUE_API_URL", self.itglue_api_url.clone()),
            ("ITGLUE_API_KEY", self.itglue_api_key.clone()),
            (
                "GRAVITYZONE_ACCESS_URL",
                self.gravityzone_access_url.clone(),
            ),
            ("GRAVITYZONE_API_KEY", self.gravityzone_api_key.clone()),
        ]
    }
}

impl MspFakes {
    /// Starts the three fakes on free loopback ports and plants `msp`'s data. The fakes keep
    /// their vendors' rate limits unless `rate_limits` is false.
    pub async fn start(msp: GeneratedMsp, rate_limits: bool) -> MspFakes {
        let plan = Plan::for_msp(&msp);
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        if !rate_limits {
            datto_config.rate_limit = None;
        }
        let datto = DattoFake::start(datto_config).await;
        let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_API_KEY);
        if !rate_limits {
            itglue_config.rate_limit = None;
        }
        let itglue = ItGlueFake::start(itglue_config).await;
        let gravityzone = GravityZoneFake::start(GravityZoneFakeConfig {
            seed: msp.seed,
            root_name: msp.account.name.clone(),
            ..GravityZoneFakeConfig::default()
        })
        .await;
        let mut fakes = MspFakes {
            msp,
            plan,
            datto,
            itglue,
            gravityzone,
            other_partner_id: None,
        };
        fakes.plant();
        fakes
    }

    fn plant(&mut self) {
        let mut organization_of_company = std::collections::BTreeMap::new();
        for organization in &self.plan.organizations {
            let id = self.itglue.add_organization(&organization.name);
            if let OrganizationKind::Exact { company } = organization.kind {
                organization_of_company.insert(company, id);
            }
        }
        for planted in &self.plan.configurations {
            let Some(&organization) = organization_of_company.get(&planted.company) else {
                continue;
            };
            let id = self.itglue.add_configuration(organization, &planted.name);
            self.itglue.modify_configuration(id, |c| {
                c.mac_address = planted.mac_address.clone();
                c.serial_number = planted.serial_number.clone();
            });
        }
        let root = self.gravityzone.root_id();
        self.other_partner_id = self
            .gravityzone
            .add_foreign_partner(&self.plan.other_partner)
            .ok();
        for company in &self.plan.companies {
            let parent = match company.kind {
                CompanyKind::TakenByAnotherPartner { .. } => match &self.other_partner_id {
                    Some(id) => id.clone(),
                    None => continue,
                },
                _ => root.clone(),
            };
            // A refused name (too long, taken) is simply not planted; `companies` reports truth.
            let _ = self.gravityzone.add_customer(&parent, &company.name);
        }
    }

    /// The URLs and credentials of the three fakes.
    pub fn endpoints(&self) -> FakeEndpoints {
        FakeEndpoints {
            datto_api_url: self.datto.uri(),
            datto_api_key: self.datto.config().api_key.clone(),
            datto_api_secret: self.datto.config().api_secret.clone(),
            itglue_api_url: self.itglue.uri(),
            itglue_api_key: ITGLUE_API_KEY.to_owned(),
            gravityzone_access_url: self.gravityzone.access_url(),
            gravityzone_api_key: self.gravityzone.api_key(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use msp_fakes::msp::MspSize;

    #[test]
    fn a_typo_swaps_two_letters_of_the_longest_word() {
        assert_eq!(
            typo("Northwind Logistics GmbH").as_deref(),
            Some("Northwind Logitsics GmbH")
        );
        assert_eq!(typo("Acme Co"), None);
    }

    #[test]
    fn placeholder_serials_are_not_real() {
        assert!(!is_real_serial("To Be Filled By O.E.M."));
        assert!(!is_real_serial(" 0 "));
        assert!(is_real_serial("C02XK1JHJGH5"));
    }

    #[test]
    fn the_plan_is_deterministic_and_plants_every_kind() {
        let msp = GeneratedMsp::generate(7, MspSize::Small);
        let plan = Plan::for_msp(&msp);
        assert_eq!(plan, Plan::for_msp(&msp));
        assert!(
            plan.organizations
                .iter()
                .any(|o| matches!(o.kind, OrganizationKind::Exact { .. }))
        );
        assert!(
            plan.organizations
                .iter()
                .any(|o| matches!(o.kind, OrganizationKind::Typo { .. }))
        );
        for shared in [
            SharedIdentifier::Mac,
            SharedIdentifier::Serial,
            SharedIdentifier::Name,
        ] {
            assert!(plan.configurations_sharing(shared) > 0, "{shared:?}");
        }
        assert!(
            plan.companies
                .iter()
                .any(|c| matches!(c.kind, CompanyKind::TakenByAnotherPartner { .. }))
        );
    }

    #[test]
    fn mac_addresses_are_written_with_colons() {
        let msp = GeneratedMsp::generate(3, MspSize::Small);
        let plan = Plan::for_msp(&msp);
        for planted in plan
            .configurations
            .iter()
            .filter(|c| c.shares == SharedIdentifier::Mac)
        {
            let mac = planted.mac_address.as_deref().unwrap_or_default();
            assert_eq!(mac.len(), 17, "{mac}");
            assert_eq!(mac.matches(':').count(), 5, "{mac}");
        }
    }
}
