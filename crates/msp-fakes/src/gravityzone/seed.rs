//! Seeding the fake with companies: from a list of names, or from a [`GeneratedMsp`].

use super::GravityZoneFake;
use crate::msp::{DeviceClass, GeneratedMsp};

/// What a seeding call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedReport {
    /// `(name, id)` of every company created, in order.
    pub created: Vec<(String, String)>,
    /// Names not created, with the reason (taken, too long, empty).
    pub skipped: Vec<(String, String)>,
}

impl SeedReport {
    /// The id created for `name`, if it was.
    pub fn id_of(&self, name: &str) -> Option<&str> {
        self.created
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.as_str())
    }
}

impl GravityZoneFake {
    /// Creates a customer company under `parent_id` for every name, skipping (and reporting)
    /// names the instance refuses.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig};
    /// let fake = GravityZoneFake::start(GravityZoneFakeConfig::default()).await;
    /// let report = fake.seed_customers(&fake.root_id(), ["Contoso", "Fabrikam", "contoso"]);
    /// assert_eq!(report.created.len(), 2);
    /// assert_eq!(report.skipped.len(), 1); // names are unique case-insensitively
    /// # }
    /// ```
    pub fn seed_customers<I, S>(&self, parent_id: &str, names: I) -> SeedReport
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut report = SeedReport::default();
        for name in names {
            let name = name.as_ref();
            match self.add_customer(parent_id, name) {
                Ok(id) => report.created.push((name.to_owned(), id)),
                Err(reason) => report.skipped.push((name.to_owned(), reason)),
            }
        }
        report
    }
}

/// How [`GravityZoneFake::seed_from_msp`] spreads companies over a [`GeneratedMsp`]'s managed
/// customer sites. Counting the sites from 0 in order, site `k` gets:
/// - a company of exactly its name under the root when `k % same_name_every == 0`
///   (ready to associate), with the site's computers as endpoints;
/// - otherwise a company named `"{prefix} {site name}"` under the root when
///   `k % prefixed_every == 1` (the prefix-based association case);
/// - otherwise a company of its name under another partner of the instance when
///   `k % foreign_every == 2` (the name is blocked: "destination creation");
/// - otherwise a company of its name under a reseller partner inside the key's tree when
///   `k % reseller_every == 5` (the company sits under another partner);
/// - otherwise nothing.
///
/// A divisor of 0 switches that case off.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MspSeedPlan {
    /// See the type's documentation (default 3: a third of the sites).
    pub same_name_every: usize,
    /// See the type's documentation (default 6).
    pub prefixed_every: usize,
    /// The prefix, joined to the site name with one blank (default `"MSP"`).
    pub prefix: String,
    /// See the type's documentation (default 10).
    pub foreign_every: usize,
    /// See the type's documentation (default 12).
    pub reseller_every: usize,
    /// Customer companies matching no site, under the root (default 2).
    pub free_companies: usize,
}

impl Default for MspSeedPlan {
    fn default() -> Self {
        Self {
            same_name_every: 3,
            prefixed_every: 6,
            prefix: "MSP".into(),
            foreign_every: 10,
            reseller_every: 12,
            free_companies: 2,
        }
    }
}

/// What [`GravityZoneFake::seed_from_msp`] created, by site uid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MspSeedReport {
    /// `(site uid, company id)` of same-name companies under the root.
    pub same_name: Vec<(String, String)>,
    /// `(site uid, company id)` of prefixed companies under the root.
    pub prefixed: Vec<(String, String)>,
    /// `(site uid, company id)` of same-name companies under the foreign partner.
    pub foreign: Vec<(String, String)>,
    /// `(site uid, company id)` of same-name companies under the reseller partner.
    pub under_reseller: Vec<(String, String)>,
    /// Ids of the companies matching no site.
    pub free: Vec<String>,
    /// The foreign partner (outside the key's tree), when one was needed.
    pub foreign_partner_id: Option<String>,
    /// The reseller partner (inside the key's tree), when one was needed.
    pub reseller_id: Option<String>,
    /// Names the instance refused, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// `k` is in the case `every` picks at `offset` (0 switches the case off).
fn picks(k: usize, every: usize, offset: usize) -> bool {
    every != 0 && k % every == offset % every
}

/// A MAC address in any notation as GravityZone lists it: bare lower-case hex.
fn bare_mac(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_lowercase()
}

impl GravityZoneFake {
    /// Starts a fake and seeds it from `msp` (see [`GravityZoneFake::seed_from_msp`]).
    ///
    /// ```no_run
    /// # async fn run() {
    /// use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan};
    /// use msp_fakes::msp::{GeneratedMsp, MspSize};
    ///
    /// let msp = GeneratedMsp::generate(7, MspSize::Medium);
    /// let (fake, report) =
    ///     GravityZoneFake::start_with_msp(GravityZoneFakeConfig::default(), &msp, &MspSeedPlan::default()).await;
    /// println!("{} companies ready to associate at {}", report.same_name.len(), fake.access_url());
    /// # }
    /// ```
    pub async fn start_with_msp(
        config: super::GravityZoneFakeConfig,
        msp: &GeneratedMsp,
        plan: &MspSeedPlan,
    ) -> (GravityZoneFake, MspSeedReport) {
        let fake = GravityZoneFake::start(config).await;
        let report = fake.seed_from_msp(msp, plan);
        (fake, report)
    }

    /// Seeds companies from the managed customer sites of `msp` as `plan` says (see
    /// [`MspSeedPlan`]), so a sync against this fake and a Datto fake serving the same MSP
    /// meets every case: names ready to associate, prefixed names, names blocked by another
    /// partner, companies under a reseller, and free companies.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan};
    /// use msp_fakes::msp::{GeneratedMsp, MspSize};
    ///
    /// let msp = GeneratedMsp::generate(7, MspSize::Small);
    /// let fake = GravityZoneFake::start(GravityZoneFakeConfig::default()).await;
    /// let report = fake.seed_from_msp(&msp, &MspSeedPlan::default());
    /// assert!(!report.same_name.is_empty());
    /// # }
    /// ```
    pub fn seed_from_msp(&self, msp: &GeneratedMsp, plan: &MspSeedPlan) -> MspSeedReport {
        let root = self.root_id();
        let mut report = MspSeedReport::default();
        let record =
            |report: &mut MspSeedReport, name: &str, result: Result<String, String>| match result {
                Ok(id) => Some(id),
                Err(reason) => {
                    report.skipped.push((name.to_owned(), reason));
                    None
                }
            };
        for (k, site) in msp.customer_sites().enumerate() {
            let uid = site.uid.clone();
            if picks(k, plan.same_name_every, 0) {
                let result = self.add_customer(&root, &site.name);
                if let Some(id) = record(&mut report, &site.name, result) {
                    for device in msp.devices_of(site) {
                        if device.device_class != DeviceClass::Device {
                            continue;
                        }
                        let macs: Vec<String> = device
                            .nics
                            .iter()
                            .map(|n| bare_mac(&n.mac_address))
                            .collect();
                        let macs: Vec<&str> = macs.iter().map(String::as_str).collect();
                        let machine_type = if device.type_name == "Virtual" { 2 } else { 1 };
                        self.add_endpoint(&id, &device.hostname, machine_type, &macs);
                    }
                    report.same_name.push((uid, id));
                }
            } else if picks(k, plan.prefixed_every, 1) {
                let name = format!("{} {}", plan.prefix, site.name);
                let result = self.add_customer(&root, &name);
                if let Some(id) = record(&mut report, &name, result) {
                    report.prefixed.push((uid, id));
                }
            } else if picks(k, plan.foreign_every, 2) {
                let partner = match &report.foreign_partner_id {
                    Some(id) => Some(id.clone()),
                    None => {
                        let result = self.add_foreign_partner("Other MSP (foreign partner)");
                        record(&mut report, "Other MSP (foreign partner)", result)
                    }
                };
                report.foreign_partner_id = partner.clone();
                if let Some(partner) = partner {
                    let result = self.add_customer(&partner, &site.name);
                    if let Some(id) = record(&mut report, &site.name, result) {
                        report.foreign.push((uid, id));
                    }
                }
            } else if picks(
                k,
                plan.reseller_every,
                plan.reseller_every.saturating_sub(1),
            ) {
                let reseller = match &report.reseller_id {
                    Some(id) => Some(id.clone()),
                    None => {
                        let result = self.add_partner(&root, "Reseller Partner");
                        record(&mut report, "Reseller Partner", result)
                    }
                };
                report.reseller_id = reseller.clone();
                if let Some(reseller) = reseller {
                    let result = self.add_customer(&reseller, &site.name);
                    if let Some(id) = record(&mut report, &site.name, result) {
                        report.under_reseller.push((uid, id));
                    }
                }
            }
        }
        for n in 1..=plan.free_companies {
            let name = format!("Spare Customer {n}");
            let result = self.add_customer(&root, &name);
            if let Some(id) = record(&mut report, &name, result) {
                report.free.push(id);
            }
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_picked_by_position_and_zero_switches_off() {
        assert!(picks(0, 3, 0) && picks(3, 3, 0) && !picks(1, 3, 0));
        assert!(picks(7, 10, 7) && !picks(7, 0, 0));
    }

    #[test]
    fn macs_become_bare_lower_case_hex() {
        assert_eq!(bare_mac("00:1A:2B:3C:4D:5E"), "001a2b3c4d5e");
        assert_eq!(bare_mac("001a.2b3c.4d5e"), "001a2b3c4d5e");
    }
}
