//! The fake's data: one GravityZone instance holding a forest of companies (the key's partner
//! tree plus other partners it cannot see), packages, endpoints and API keys.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// Whether a company is a partner (may hold companies) or a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FakeCompanyType {
    /// `type` 0.
    Partner,
    /// `type` 1.
    Customer,
}

impl FakeCompanyType {
    /// The wire code.
    pub fn code(self) -> i64 {
        match self {
            FakeCompanyType::Partner => 0,
            FakeCompanyType::Customer => 1,
        }
    }

    /// The type for a wire code.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(FakeCompanyType::Partner),
            1 => Some(FakeCompanyType::Customer),
            _ => None,
        }
    }
}

/// A company as the fake stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeCompany {
    /// 24 hex digits.
    pub id: String,
    /// Unique (case-insensitively) across the whole instance.
    pub name: String,
    /// Partner or customer.
    pub company_type: FakeCompanyType,
    /// The partner directly above; `None` for a top-level partner.
    pub parent_id: Option<String>,
    /// Whether the company is suspended.
    pub suspended: bool,
    /// Licence subscription type (1 trial … 6 FRAT).
    pub subscription_type: i64,
    /// Reserved seats, `None` when the licence has no fixed count.
    pub reserved_slots: Option<i64>,
    /// Creation time, zone-less UTC as the API prints it.
    pub created_at: String,
    /// Every other member stored from `createCompany`/`updateCompanyDetails` (address,
    /// phone, country, industry, contactPerson, …).
    pub details: Map<String, Value>,
}

/// An installation package as the fake stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakePackage {
    /// 24 hex digits.
    pub id: String,
    /// Name, unique within its company.
    pub name: String,
    /// The owning company.
    pub company_id: String,
    /// Package type (4 = BEST agent).
    pub package_type: i64,
    /// Module switches as stored (every documented key, 0/1, plus whatever a test added).
    pub modules: BTreeMap<String, i64>,
    /// `description`, `language`, `scanMode`, `settings`, `roles`, `deploymentOptions`,
    /// `productType` as sent (defaults filled in).
    pub config: Map<String, Value>,
    /// The deployment id embedded in the Windows downloader link.
    pub deployment_id: String,
    /// Per-platform kit state (`windows`, `mac`, `linux`): 1 building, 2 ready.
    pub kit_status: BTreeMap<String, i64>,
}

/// An endpoint as the fake stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeEndpoint {
    /// 24 hex digits.
    pub id: String,
    /// Host name.
    pub name: String,
    /// The owning company.
    pub company_id: String,
    /// 1 computer, 2 virtual machine, 3 EC2 instance, 0 other.
    pub machine_type: i64,
    /// Whether an agent manages it.
    pub is_managed: bool,
    /// IP address.
    pub ip: String,
    /// MAC addresses, bare lower-case hex.
    pub macs: Vec<String>,
    /// Operating system version.
    pub operating_system_version: String,
}

/// An API key: the company it belongs to and the API areas ticked on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeApiKey {
    /// The company whose tree the key sees.
    pub company_id: String,
    /// Enabled areas, lower case (`companies`, `network`, …). `general` is always allowed.
    pub enabled_apis: BTreeSet<String>,
}

/// Every API area a key can be given.
pub const ALL_API_AREAS: [&str; 13] = [
    "accounts",
    "companies",
    "general",
    "incidents",
    "integrations",
    "investigation",
    "licensing",
    "network",
    "packages",
    "policies",
    "push",
    "quarantine",
    "reports",
];

/// The whole instance.
#[derive(Debug, Clone, Default)]
pub(crate) struct Instance {
    /// Companies by id; `order` keeps creation order for lists.
    pub companies: BTreeMap<String, FakeCompany>,
    pub order: Vec<String>,
    pub packages: BTreeMap<String, FakePackage>,
    pub package_order: Vec<String>,
    pub endpoints: BTreeMap<String, FakeEndpoint>,
    pub endpoint_order: Vec<String>,
    pub keys: BTreeMap<String, FakeApiKey>,
    seed: u32,
    next_id: u64,
}

/// The normalised form names are compared in for uniqueness.
pub(crate) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Instance {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            // Low bits of the seed make every fake's ids distinct yet repeatable.
            seed: (seed & 0xffff_ffff) as u32,
            ..Self::default()
        }
    }

    /// A fresh 24-hex-digit id.
    pub(crate) fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{:08x}{:016x}", self.seed, self.next_id)
    }

    /// A creation time that grows with every object, so the data is repeatable.
    pub(crate) fn timestamp(&self) -> String {
        let minutes = self.next_id;
        let day = 1 + (minutes / (24 * 60)) % 28;
        let hour = (minutes / 60) % 24;
        let minute = minutes % 60;
        format!("2024-03-{day:02}T{hour:02}:{minute:02}:00")
    }

    pub(crate) fn company(&self, id: &str) -> Option<&FakeCompany> {
        self.companies.get(id)
    }

    /// The company with this name (case-insensitively), anywhere in the instance.
    pub(crate) fn company_named(&self, name: &str) -> Option<&FakeCompany> {
        let wanted = name_key(name);
        self.order
            .iter()
            .filter_map(|id| self.companies.get(id))
            .find(|c| name_key(&c.name) == wanted)
    }

    /// Direct children of `parent`, in creation order.
    pub(crate) fn children(&self, parent: &str) -> Vec<&FakeCompany> {
        self.order
            .iter()
            .filter_map(|id| self.companies.get(id))
            .filter(|c| c.parent_id.as_deref() == Some(parent))
            .collect()
    }

    /// Whether `id` is `ancestor` or below it.
    pub(crate) fn is_within(&self, id: &str, ancestor: &str) -> bool {
        let mut current = Some(id.to_owned());
        let mut hops = 0;
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            hops += 1;
            if hops > self.companies.len() {
                return false;
            }
            current = self.companies.get(&c).and_then(|x| x.parent_id.clone());
        }
        false
    }

    /// The companies from `top` down to `id` (both included), or empty when `id` is not
    /// below `top`.
    pub(crate) fn path(&self, top: &str, id: &str) -> Vec<&FakeCompany> {
        let mut path = Vec::new();
        let mut current = self.companies.get(id);
        while let Some(c) = current {
            path.push(c);
            if c.id == top {
                path.reverse();
                return path;
            }
            if path.len() > self.companies.len() {
                break;
            }
            current = c.parent_id.as_deref().and_then(|p| self.companies.get(p));
        }
        Vec::new()
    }

    /// Every company below `top` (not `top` itself), in creation order.
    pub(crate) fn descendants(&self, top: &str) -> Vec<&FakeCompany> {
        self.order
            .iter()
            .filter_map(|id| self.companies.get(id))
            .filter(|c| c.id != top && self.is_within(&c.id, top))
            .collect()
    }

    /// Adds a company without any check (callers check).
    pub(crate) fn insert_company(
        &mut self,
        name: &str,
        company_type: FakeCompanyType,
        parent_id: Option<&str>,
        details: Map<String, Value>,
    ) -> String {
        let id = self.new_id();
        let company = FakeCompany {
            id: id.clone(),
            name: name.trim().to_owned(),
            company_type,
            parent_id: parent_id.map(str::to_owned),
            suspended: false,
            subscription_type: 3,
            reserved_slots: None,
            created_at: self.timestamp(),
            details,
        };
        self.companies.insert(id.clone(), company);
        self.order.push(id.clone());
        id
    }

    /// Removes a company with its packages and endpoints (not its children: callers check).
    pub(crate) fn remove_company(&mut self, id: &str) -> bool {
        if self.companies.remove(id).is_none() {
            return false;
        }
        self.order.retain(|x| x != id);
        let packages: Vec<String> = self
            .packages
            .values()
            .filter(|p| p.company_id == id)
            .map(|p| p.id.clone())
            .collect();
        for p in packages {
            self.packages.remove(&p);
            self.package_order.retain(|x| *x != p);
        }
        let endpoints: Vec<String> = self
            .endpoints
            .values()
            .filter(|e| e.company_id == id)
            .map(|e| e.id.clone())
            .collect();
        for e in endpoints {
            self.endpoints.remove(&e);
            self.endpoint_order.retain(|x| *x != e);
        }
        true
    }

    /// The packages of `company`, in creation order.
    pub(crate) fn packages_of(&self, company: &str) -> Vec<&FakePackage> {
        self.package_order
            .iter()
            .filter_map(|id| self.packages.get(id))
            .filter(|p| p.company_id == company)
            .collect()
    }

    /// The endpoints of `company`, in creation order.
    pub(crate) fn endpoints_of(&self, company: &str) -> Vec<&FakeEndpoint> {
        self.endpoint_order
            .iter()
            .filter_map(|id| self.endpoints.get(id))
            .filter(|e| e.company_id == company)
            .collect()
    }

    pub(crate) fn insert_package(&mut self, package: FakePackage) {
        self.package_order.push(package.id.clone());
        self.packages.insert(package.id.clone(), package);
    }

    pub(crate) fn insert_endpoint(&mut self, endpoint: FakeEndpoint) {
        self.endpoint_order.push(endpoint.id.clone());
        self.endpoints.insert(endpoint.id.clone(), endpoint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (Instance, String, String, String) {
        let mut i = Instance::new(1);
        let root = i.insert_company("Root", FakeCompanyType::Partner, None, Map::new());
        let sub = i.insert_company("Sub", FakeCompanyType::Partner, Some(&root), Map::new());
        let leaf = i.insert_company("Leaf", FakeCompanyType::Customer, Some(&sub), Map::new());
        (i, root, sub, leaf)
    }

    #[test]
    fn ids_are_24_hex_digits_and_unique() {
        let (i, root, sub, _) = tree();
        assert_eq!(root.len(), 24);
        assert!(root.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(root, sub);
        assert_eq!(i.companies.len(), 3);
    }

    #[test]
    fn paths_and_descendants_follow_parents() {
        let (i, root, sub, leaf) = tree();
        let names: Vec<_> = i
            .path(&root, &leaf)
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["Root", "Sub", "Leaf"]);
        assert!(i.path(&sub, &root).is_empty());
        assert_eq!(i.descendants(&root).len(), 2);
        assert!(i.is_within(&leaf, &root) && !i.is_within(&root, &leaf));
    }

    #[test]
    fn names_compare_case_insensitively() {
        let (i, ..) = tree();
        assert!(i.company_named(" leaf ").is_some());
        assert!(i.company_named("Leaf 2").is_none());
    }
}
