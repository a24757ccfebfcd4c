//! In-memory test doubles of the two ports: plain structs holding the vendors' state, with
//! switches to make a call fail the way a vendor would.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use sync_core::datto::{AuditFacts, DeviceUid};
use sync_core::gravityzone::{Company, CompanyId, DefaultPackage, Site, SiteUid};
use sync_core::itglue::Device;
use sync_engine::datto::{DattoRmmPort, DeviceInterfaces, RmmSite};
use sync_engine::gravityzone::ports::{CompanySubtree, GravityZonePort};
use sync_engine::port::{PortError, PortErrorKind, PortIdentity};
use sync_store::{ConnectionDetails, CredentialFingerprint, Vendor};

/// A failure to inject into the next matching call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The vendor rejects the credentials.
    Unauthorized,
    /// The vendor answers a server error.
    ServerError,
}

fn fault_error(vendor: Vendor, fault: Fault) -> PortError {
    match fault {
        Fault::Unauthorized => PortError::new(vendor, PortErrorKind::Unauthorized, "key refused"),
        Fault::ServerError => PortError::new(vendor, PortErrorKind::Transient, "server error"),
    }
}

/// Datto RMM as a list of sites and their variables (an account without devices: the
/// GravityZone flow never asks for them).
pub struct DattoDouble {
    pub account_uid: String,
    pub sites: Mutex<Vec<Site>>,
    pub variables: Mutex<BTreeMap<(SiteUid, String), String>>,
    /// A fault every call answers until cleared.
    pub fault: Mutex<Option<Fault>>,
    pub calls: Mutex<Vec<String>>,
    /// How long listing the sites takes (on tokio's clock).
    pub sites_delay: Mutex<std::time::Duration>,
    /// Site listings running now, and the most that ever ran at once.
    pub sites_in_flight: AtomicU64,
    pub most_sites_in_flight: AtomicU64,
}

impl DattoDouble {
    pub fn new(account_uid: &str, sites: Vec<Site>) -> Self {
        Self {
            account_uid: account_uid.into(),
            sites: Mutex::new(sites),
            variables: Mutex::new(BTreeMap::new()),
            fault: Mutex::new(None),
            calls: Mutex::new(Vec::new()),
            sites_delay: Mutex::new(std::time::Duration::ZERO),
            sites_in_flight: AtomicU64::new(0),
            most_sites_in_flight: AtomicU64::new(0),
        }
    }

    pub fn variable(&self, site: &str, name: &str) -> Option<String> {
        self.variables
            .lock()
            .unwrap()
            .get(&(SiteUid::new(site), name.to_owned()))
            .cloned()
    }

    pub fn remove_site(&self, uid: &str) {
        self.sites.lock().unwrap().retain(|s| s.uid.as_str() != uid);
    }

    pub fn add_site(&self, site: Site) {
        self.sites.lock().unwrap().push(site);
    }

    pub fn set_fault(&self, fault: Option<Fault>) {
        *self.fault.lock().unwrap() = fault;
    }

    fn enter(&self, call: &str) -> Result<(), PortError> {
        self.calls.lock().unwrap().push(call.to_owned());
        match *self.fault.lock().unwrap() {
            Some(fault) => Err(fault_error(Vendor::DattoRmm, fault)),
            None => Ok(()),
        }
    }
}

#[async_trait]
impl DattoRmmPort for DattoDouble {
    fn identity(&self) -> PortIdentity {
        PortIdentity {
            connection: ConnectionDetails::default(),
            fingerprint: CredentialFingerprint::of_secrets(["datto-double", &self.account_uid]),
        }
    }

    async fn account_uid(&self) -> Result<String, PortError> {
        self.enter("account")?;
        Ok(self.account_uid.clone())
    }

    async fn account_devices(&self) -> Result<Vec<Device>, PortError> {
        self.enter("account_devices")?;
        Ok(Vec::new())
    }

    async fn site_devices(&self, _site: &SiteUid) -> Result<Vec<Device>, PortError> {
        self.enter("site_devices")?;
        Ok(Vec::new())
    }

    async fn site_network_interfaces(
        &self,
        _site: &SiteUid,
    ) -> Result<Vec<DeviceInterfaces>, PortError> {
        self.enter("site_network_interfaces")?;
        Ok(Vec::new())
    }

    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError> {
        self.enter("device_audit")?;
        Err(PortError::new(
            Vendor::DattoRmm,
            PortErrorKind::NotFound,
            format!("no device {device}"),
        ))
    }

    async fn sites(&self) -> Result<Vec<RmmSite>, PortError> {
        self.enter("sites")?;
        let now = self.sites_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_sites_in_flight.fetch_max(now, Ordering::SeqCst);
        let delay = *self.sites_delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        self.sites_in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(self
            .sites
            .lock()
            .unwrap()
            .iter()
            .cloned()
            .map(RmmSite::from)
            .collect())
    }

    async fn upsert_site_variable(
        &self,
        site: &SiteUid,
        name: &str,
        value: &str,
    ) -> Result<(), PortError> {
        self.enter("upsert_site_variable")?;
        if !self.sites.lock().unwrap().iter().any(|s| &s.uid == site) {
            return Err(PortError::new(
                Vendor::DattoRmm,
                PortErrorKind::NotFound,
                "no such site",
            ));
        }
        self.variables
            .lock()
            .unwrap()
            .insert((site.clone(), name.to_owned()), value.to_owned());
        Ok(())
    }

    async fn delete_site_variable(&self, site: &SiteUid, name: &str) -> Result<bool, PortError> {
        self.enter("delete_site_variable")?;
        Ok(self
            .variables
            .lock()
            .unwrap()
            .remove(&(site.clone(), name.to_owned()))
            .is_some())
    }
}

/// One package of the GravityZone double.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRecord {
    pub id: String,
    pub company: CompanyId,
    pub name: String,
    pub package: DefaultPackage,
}

/// GravityZone as a company tree, packages and names taken elsewhere in the instance.
pub struct GravityZoneDouble {
    pub root: CompanyId,
    /// Customer companies, with their parents (anywhere in the instance).
    pub companies: Mutex<Vec<Company>>,
    /// Partner companies other than the root (never listed as customers).
    pub partners: Mutex<Vec<Company>>,
    /// Names used by companies this key cannot see.
    pub foreign_names: Mutex<Vec<String>>,
    pub packages: Mutex<Vec<PackageRecord>>,
    /// Endpoint counts by company (none: zero).
    pub endpoints: Mutex<BTreeMap<CompanyId, u64>>,
    pub fault: Mutex<Option<Fault>>,
    /// Fails the next `find_or_create_package` (after which the fault is cleared), to
    /// interrupt a step after its company was created.
    pub fail_next_package: Mutex<bool>,
    pub calls: Mutex<Vec<String>>,
    next_id: AtomicU64,
}

impl GravityZoneDouble {
    pub fn new(root: &str) -> Self {
        Self {
            root: CompanyId::new(root),
            companies: Mutex::new(Vec::new()),
            partners: Mutex::new(Vec::new()),
            foreign_names: Mutex::new(Vec::new()),
            packages: Mutex::new(Vec::new()),
            endpoints: Mutex::new(BTreeMap::new()),
            fault: Mutex::new(None),
            fail_next_package: Mutex::new(false),
            calls: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// Adds a customer company directly under the root; returns its id.
    pub fn add_company(&self, name: &str) -> CompanyId {
        let id = self.fresh_id();
        self.companies
            .lock()
            .unwrap()
            .push(Company::new(id.as_str(), name, self.root.clone()));
        id
    }

    /// Adds a partner directly under the root; returns its id.
    pub fn add_partner(&self, name: &str) -> CompanyId {
        let id = self.fresh_id();
        self.partners
            .lock()
            .unwrap()
            .push(Company::new(id.as_str(), name, self.root.clone()));
        id
    }

    pub fn company_named(&self, name: &str) -> Option<Company> {
        self.companies
            .lock()
            .unwrap()
            .iter()
            .find(|c| c.name == name)
            .cloned()
    }

    pub fn companies_named(&self, name: &str) -> usize {
        self.companies
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.name == name)
            .count()
    }

    pub fn set_parent(&self, id: &CompanyId, parent: &CompanyId) {
        for c in self.companies.lock().unwrap().iter_mut() {
            if &c.id == id {
                c.parent = parent.clone();
            }
        }
    }

    /// Renames a company, as a user would in GravityZone's console.
    pub fn rename(&self, id: &CompanyId, name: &str) {
        for c in self.companies.lock().unwrap().iter_mut() {
            if &c.id == id {
                c.name = name.to_owned();
            }
        }
    }

    pub fn remove_company(&self, id: &CompanyId) {
        self.companies.lock().unwrap().retain(|c| &c.id != id);
    }

    pub fn packages_of(&self, company: &CompanyId) -> Vec<PackageRecord> {
        self.packages
            .lock()
            .unwrap()
            .iter()
            .filter(|p| &p.company == company)
            .cloned()
            .collect()
    }

    pub fn count_calls(&self, call: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| *c == call)
            .count()
    }

    pub fn set_fault(&self, fault: Option<Fault>) {
        *self.fault.lock().unwrap() = fault;
    }

    fn fresh_id(&self) -> CompanyId {
        CompanyId::new(format!(
            "c{:04}",
            self.next_id.fetch_add(1, Ordering::SeqCst)
        ))
    }

    fn enter(&self, call: &str) -> Result<(), PortError> {
        self.calls.lock().unwrap().push(call.to_owned());
        match *self.fault.lock().unwrap() {
            Some(fault) => Err(fault_error(Vendor::GravityZone, fault)),
            None => Ok(()),
        }
    }

    fn name_taken(&self, name: &str, except: Option<&CompanyId>) -> bool {
        let lower = name.to_lowercase();
        self.companies
            .lock()
            .unwrap()
            .iter()
            .chain(self.partners.lock().unwrap().iter())
            .any(|c| c.name.to_lowercase() == lower && Some(&c.id) != except)
            || self
                .foreign_names
                .lock()
                .unwrap()
                .iter()
                .any(|n| n.to_lowercase() == lower)
    }

    fn taken(name: &str) -> PortError {
        PortError::new(
            Vendor::GravityZone,
            PortErrorKind::CompanyNameTaken { name: name.into() },
            "name taken",
        )
    }
}

#[async_trait]
impl GravityZonePort for GravityZoneDouble {
    async fn check_api_key(&self) -> Result<(), PortError> {
        self.enter("check_api_key")
    }

    async fn root_company(&self) -> Result<CompanyId, PortError> {
        self.enter("root_company")?;
        Ok(self.root.clone())
    }

    async fn customer_companies(&self, root: &CompanyId) -> Result<CompanySubtree, PortError> {
        self.enter("customer_companies")?;
        // Customers under the root or under a partner of the root.
        let partners: Vec<CompanyId> = self
            .partners
            .lock()
            .unwrap()
            .iter()
            .filter(|p| &p.parent == root)
            .map(|p| p.id.clone())
            .collect();
        let companies = self
            .companies
            .lock()
            .unwrap()
            .iter()
            .filter(|c| &c.parent == root || partners.contains(&c.parent))
            .cloned()
            .collect();
        Ok(CompanySubtree::new(companies, partners))
    }

    async fn endpoint_count(&self, id: &CompanyId) -> Result<u64, PortError> {
        self.enter("endpoint_count")?;
        Ok(self.endpoints.lock().unwrap().get(id).copied().unwrap_or(0))
    }

    async fn company(&self, id: &CompanyId) -> Result<Option<Company>, PortError> {
        self.enter("company")?;
        Ok(self
            .companies
            .lock()
            .unwrap()
            .iter()
            .find(|c| &c.id == id)
            .cloned())
    }

    async fn find_company_by_name(&self, name: &str) -> Result<Option<Company>, PortError> {
        self.enter("find_company_by_name")?;
        Ok(self.company_named(name))
    }

    async fn create_company(&self, name: &str, parent: &CompanyId) -> Result<CompanyId, PortError> {
        self.enter("create_company")?;
        if self.name_taken(name, None) {
            return Err(Self::taken(name));
        }
        let id = self.fresh_id();
        self.companies
            .lock()
            .unwrap()
            .push(Company::new(id.as_str(), name, parent.clone()));
        Ok(id)
    }

    async fn rename_company(&self, id: &CompanyId, name: &str) -> Result<(), PortError> {
        self.enter("rename_company")?;
        if self.name_taken(name, Some(id)) {
            return Err(Self::taken(name));
        }
        let mut companies = self.companies.lock().unwrap();
        let company = companies
            .iter_mut()
            .find(|c| &c.id == id)
            .ok_or_else(|| PortError::new(Vendor::GravityZone, PortErrorKind::NotFound, "gone"))?;
        company.name = name.to_owned();
        Ok(())
    }

    async fn move_company(&self, id: &CompanyId, parent: &CompanyId) -> Result<(), PortError> {
        self.enter("move_company")?;
        self.set_parent(id, parent);
        Ok(())
    }

    async fn delete_company(&self, id: &CompanyId) -> Result<(), PortError> {
        self.enter("delete_company")?;
        self.remove_company(id);
        self.packages.lock().unwrap().retain(|p| &p.company != id);
        Ok(())
    }

    async fn find_or_create_package(
        &self,
        company: &CompanyId,
        name: &str,
        package: &DefaultPackage,
    ) -> Result<String, PortError> {
        self.enter("find_or_create_package")?;
        {
            let mut fail = self.fail_next_package.lock().unwrap();
            if *fail {
                *fail = false;
                return Err(PortError::new(
                    Vendor::GravityZone,
                    PortErrorKind::Transient,
                    "interrupted",
                ));
            }
        }
        let mut packages = self.packages.lock().unwrap();
        if let Some(found) = packages
            .iter()
            .find(|p| &p.company == company && p.name == name)
        {
            return Ok(found.id.clone());
        }
        let id = format!("p{:04}", self.next_id.fetch_add(1, Ordering::SeqCst));
        packages.push(PackageRecord {
            id: id.clone(),
            company: company.clone(),
            name: name.to_owned(),
            package: *package,
        });
        Ok(id)
    }

    async fn delete_package(&self, company: &CompanyId, name: &str) -> Result<bool, PortError> {
        self.enter("delete_package")?;
        let mut packages = self.packages.lock().unwrap();
        let before = packages.len();
        packages.retain(|p| !(&p.company == company && p.name == name));
        Ok(packages.len() != before)
    }

    async fn installation_link(
        &self,
        company: &CompanyId,
        name: &str,
    ) -> Result<Option<String>, PortError> {
        self.enter("installation_link")?;
        Ok(self
            .packages
            .lock()
            .unwrap()
            .iter()
            .find(|p| &p.company == company && p.name == name)
            .map(|p| format!("https://gz.example/Packages/BSTWIN/0/[{}]/setup", p.id)))
    }
}
