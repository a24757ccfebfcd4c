//! Network: endpoints, inventory items and the filters of their lists.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

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
        let management = ManagementFilters {
            managed_with_best: self.managed_with_best,
            managed_exchange_servers: self.managed_exchange_servers,
            managed_relays: self.managed_relays,
            security_servers: self.security_servers,
        };
        let details = DetailsFilters {
            name: self.name.as_deref(),
            macs: self.macs.as_deref(),
            ssid: self.ssid.as_deref(),
        };
        WireFilters {
            security: (management != ManagementFilters::default())
                .then_some(SecurityFilters { management }),
            depth: self
                .all_items_recursively
                .map(|all_items_recursively| DepthFilters {
                    all_items_recursively,
                }),
            details: (details != DetailsFilters::default()).then_some(details),
        }
        .serialize(s)
    }
}

/// `getEndpointsList`'s `filters` as sent: a section only when one of its members is set.
#[derive(Serialize)]
struct WireFilters<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<SecurityFilters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    depth: Option<DepthFilters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<DetailsFilters<'a>>,
}

#[derive(Serialize)]
struct SecurityFilters {
    management: ManagementFilters,
}

#[derive(Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
struct ManagementFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_with_best: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_exchange_servers: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_relays: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security_servers: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DepthFilters {
    all_items_recursively: bool,
}

#[derive(Serialize, Default, PartialEq)]
struct DetailsFilters<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    macs: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ssid: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert_eq!(
            serde_json::to_value(EndpointFilters::default()).unwrap(),
            json!({})
        );
        let every = EndpointFilters {
            managed_with_best: Some(false),
            managed_exchange_servers: Some(true),
            managed_relays: Some(false),
            security_servers: Some(true),
            all_items_recursively: Some(false),
            name: Some("web".into()),
            macs: Some(vec!["00:1a:2b:3c:4d:5e".into()]),
            ssid: Some("office".into()),
        };
        assert_eq!(
            serde_json::to_value(&every).unwrap(),
            json!({"security": {"management": {"managedWithBest": false,
                                               "managedExchangeServers": true,
                                               "managedRelays": false,
                                               "securityServers": true}},
                   "depth": {"allItemsRecursively": false},
                   "details": {"name": "web", "macs": ["00:1a:2b:3c:4d:5e"], "ssid": "office"}})
        );
    }
}
