//! Network: endpoints, inventory items and the filters of their lists.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::enums::MachineType;
use super::lenient;
use crate::ids::{CompanyId, EndpointId, GroupId, NodeId, PolicyId};

/// The policy applied to an endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EndpointPolicy {
    /// Policy id.
    #[serde(default)]
    pub id: Option<PolicyId>,
    /// Policy name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the policy is applied.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub applied: Option<bool>,
}

/// One endpoint as `getEndpointsList` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Endpoint {
    /// Endpoint id.
    pub id: EndpointId,
    /// Name.
    pub name: String,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
    /// Fully qualified domain name.
    #[serde(default)]
    pub fqdn: Option<String>,
    /// The group the endpoint is in.
    #[serde(default)]
    pub group_id: Option<GroupId>,
    /// Whether a Bitdefender agent manages it.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub is_managed: Option<bool>,
    /// Machine type.
    #[serde(default)]
    pub machine_type: Option<MachineType>,
    /// Operating system version.
    #[serde(default)]
    pub operating_system_version: Option<String>,
    /// IP address.
    #[serde(default)]
    pub ip: Option<String>,
    /// MAC addresses (bare hex such as `005056b1ef97`).
    #[serde(default)]
    pub macs: Vec<String>,
    /// SSID.
    #[serde(default)]
    pub ssid: Option<String>,
    /// Whether it is managed with BEST (sometimes absent).
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub managed_with_best: Option<bool>,
    /// Applied policy.
    #[serde(default)]
    pub policy: Option<EndpointPolicy>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One node as `getNetworkInventoryItems` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InventoryItem {
    /// Node id.
    pub id: NodeId,
    /// Name.
    pub name: String,
    /// Node type: 5 computer, 6 virtual machine, 7 EC2 instance; 1–4 and 14–16 are
    /// structural (companies, folders, groups).
    #[serde(rename = "type", deserialize_with = "lenient::int")]
    pub node_type: i64,
    /// Parent node.
    #[serde(default)]
    pub parent_id: Option<NodeId>,
    /// Owning company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Type-specific details, kept as sent.
    #[serde(default)]
    pub details: Option<Value>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InventoryItem {
    /// Whether the node is an endpoint (computer, virtual machine or EC2 instance).
    pub fn is_endpoint(&self) -> bool {
        matches!(self.node_type, 5..=7)
    }
}

/// The documented filters of `getEndpointsList` (options within a section are ORed,
/// sections ANDed). Unset members are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointFilters {
    /// `security.management.managedWithBest`.
    pub managed_with_best: Option<bool>,
    /// `security.management.managedExchangeServers`.
    pub managed_exchange_servers: Option<bool>,
    /// `security.management.managedRelays`.
    pub managed_relays: Option<bool>,
    /// `security.management.securityServers`.
    pub security_servers: Option<bool>,
    /// `depth.allItemsRecursively`.
    pub all_items_recursively: Option<bool>,
    /// `details.name`: prefix match, `*x` matches "contains".
    pub name: Option<String>,
    /// `details.macs`.
    pub macs: Option<Vec<String>>,
    /// `details.ssid`.
    pub ssid: Option<String>,
}

impl EndpointFilters {
    /// True when no filter is set (nothing is sent then).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl Serialize for EndpointFilters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut root = Map::new();
        let mut management = Map::new();
        for (key, value) in [
            ("managedWithBest", self.managed_with_best),
            ("managedExchangeServers", self.managed_exchange_servers),
            ("managedRelays", self.managed_relays),
            ("securityServers", self.security_servers),
        ] {
            if let Some(v) = value {
                management.insert(key.into(), json!(v));
            }
        }
        if !management.is_empty() {
            root.insert("security".into(), json!({ "management": management }));
        }
        if let Some(v) = self.all_items_recursively {
            root.insert("depth".into(), json!({ "allItemsRecursively": v }));
        }
        let mut details = Map::new();
        if let Some(v) = &self.name {
            details.insert("name".into(), json!(v));
        }
        if let Some(v) = &self.macs {
            details.insert("macs".into(), json!(v));
        }
        if let Some(v) = &self.ssid {
            details.insert("ssid".into(), json!(v));
        }
        if !details.is_empty() {
            root.insert("details".into(), Value::Object(details));
        }
        root.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_filters_nest_by_section() {
        let f = EndpointFilters {
            managed_with_best: Some(true),
            all_items_recursively: Some(true),
            name: Some("*web".into()),
            ..EndpointFilters::default()
        };
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"security": {"management": {"managedWithBest": true}},
                   "depth": {"allItemsRecursively": true},
                   "details": {"name": "*web"}})
        );
        assert!(EndpointFilters::default().is_empty());
    }
}
