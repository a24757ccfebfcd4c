//! Network API (`{access}/v1.0/jsonrpc/network`, `…/v1.1/…`): child companies and the
//! company tree, endpoints and inventory items.

use std::collections::{HashSet, VecDeque};

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::{CompanyId, NodeId};
use crate::jsonrpc::ApiVersion;
use crate::models::{
    ApiArea, CompanyNode, CompanySummary, CompanyType, Endpoint, EndpointFilters, InventoryItem,
    RpcErrorCode,
};
use crate::paging::{PageStream, PagedMethod, paged};
use crate::params;

const NETWORK: ApiArea = ApiArea::Network;

/// How deep [`GravityZoneClient::get_company_tree`] walks before giving up (real trees are a few
/// levels deep; this only stops a pathological answer).
pub const MAX_TREE_DEPTH: usize = 32;

/// The largest page `getEndpointsList` and `getNetworkInventoryItems` serve on v1.1.
pub const MAX_PER_PAGE_V1_1: u32 = 1000;

/// The filters of `getCompaniesList`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompaniesFilter {
    /// Only partners or only customers.
    pub company_type: Option<CompanyType>,
    /// Only companies with this licence type: 1 trial, 2 yearly, 3 monthly.
    pub license_type: Option<i64>,
}

impl CompaniesFilter {
    /// Only companies of `company_type`.
    pub fn of_type(company_type: CompanyType) -> Self {
        Self {
            company_type: Some(company_type),
            license_type: None,
        }
    }
}

/// What `getEndpointsList` should list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointsQuery {
    /// Company or group (default: the key's company's targets).
    pub parent_id: Option<NodeId>,
    /// `Some(true)`: managed endpoints only; `None`: managed and unmanaged.
    pub is_managed: Option<bool>,
    /// Page size, 1–1000 (default 1000).
    pub per_page: u32,
    /// Filters.
    pub filters: EndpointFilters,
}

impl Default for EndpointsQuery {
    fn default() -> Self {
        Self {
            parent_id: None,
            is_managed: None,
            per_page: MAX_PER_PAGE_V1_1,
            filters: EndpointFilters::default(),
        }
    }
}

impl EndpointsQuery {
    /// The endpoints under `parent_id`: a [`CompanyId`], a [`GroupId`](crate::GroupId) or
    /// any [`NodeId`].
    pub fn under(parent_id: impl Into<NodeId>) -> Self {
        Self {
            parent_id: Some(parent_id.into()),
            ..Self::default()
        }
    }
}

/// What `getNetworkInventoryItems` should list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InventoryQuery {
    /// Parent node (default: the key's company).
    pub parent_id: Option<NodeId>,
    /// Page size, 1–1000 (default 1000).
    pub per_page: u32,
    /// Filters, sent as given (the documented set is large).
    pub filters: Option<Value>,
    /// Options, sent as given.
    pub options: Option<Value>,
}

impl Default for InventoryQuery {
    fn default() -> Self {
        Self {
            parent_id: None,
            per_page: MAX_PER_PAGE_V1_1,
            filters: None,
            options: None,
        }
    }
}

impl InventoryQuery {
    /// The items under `parent_id`: a [`CompanyId`], a [`GroupId`](crate::GroupId) or any
    /// [`NodeId`].
    pub fn under(parent_id: impl Into<NodeId>) -> Self {
        Self {
            parent_id: Some(parent_id.into()),
            ..Self::default()
        }
    }
}

/// `getCompaniesList` answers a bare array; a `{items: [...]}` wrapper is tolerated. Read by
/// hand, not as an untagged enum, so a company that does not decode (an id that is not a
/// string) is reported at its path (`result[3].id`) rather than as "no variant matched".
struct CompaniesList(Vec<CompanySummary>);

impl<'de> Deserialize<'de> for CompaniesList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;

        impl<'de> Visitor<'de> for ListVisitor {
            type Value = CompaniesList;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of companies, or an object with their `items`")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CompaniesList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(CompaniesList(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CompaniesList, A::Error> {
                let mut items = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "items" {
                        items = Some(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                items
                    .map(CompaniesList)
                    .ok_or_else(|| de::Error::missing_field("items"))
            }
        }

        deserializer.deserialize_any(ListVisitor)
    }
}

fn checked_per_page(method: &str, per_page: u32) -> Result<u32, Error> {
    if (1..=MAX_PER_PAGE_V1_1).contains(&per_page) {
        Ok(per_page)
    } else {
        Err(Error::InvalidInput {
            method: method.into(),
            message: format!("perPage must be 1 to {MAX_PER_PAGE_V1_1}, not {per_page}"),
        })
    }
}

impl GravityZoneClient {
    /// `getCompaniesList`: the companies directly under `parent_id` (default: the key's
    /// company), one level, unpaged. Needs the **Network** area on the key.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::{CompaniesFilter, CompanyType};
    /// let partners = client
    ///     .list_companies(None, CompaniesFilter::of_type(CompanyType::Partner))
    ///     .await?;
    /// # let _ = partners; Ok(()) }
    /// ```
    pub async fn list_companies(
        &self,
        parent_id: Option<&CompanyId>,
        filter: CompaniesFilter,
    ) -> Result<Vec<CompanySummary>, Error> {
        let filtered = filter.company_type.is_some() || filter.license_type.is_some();
        let params = params::CompaniesList {
            parent_id,
            filters: filtered.then(|| params::CompaniesListFilters {
                company_type: filter.company_type.map(CompanyType::code),
                license_type: filter.license_type,
            }),
        };
        let list: Option<CompaniesList> = self
            .call(MethodSpec::read(&NETWORK, "getCompaniesList"), &params)
            .await?;
        Ok(list.map(|CompaniesList(items)| items).unwrap_or_default())
    }

    /// Walks the partner tree below `root_id` (default: the key's company) breadth-first and
    /// returns every company with its parent and depth.
    ///
    /// Per partner it asks `getCompaniesList` twice — all children, and the partner children
    /// (`companyType: 0`) — and descends only into partners, so the cost grows with the number
    /// of partners, not of customers. A child that answers "Invalid value for 'parentId'"
    /// (a customer) has no children. Cycles and depths over [`MAX_TREE_DEPTH`] are cut.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// for company in client.get_company_tree(None).await? {
    ///     println!("{}{} ({:?})", "  ".repeat(company.depth), company.name, company.company_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_company_tree(
        &self,
        root_id: Option<&CompanyId>,
    ) -> Result<Vec<CompanyNode>, Error> {
        let mut nodes = Vec::new();
        let mut seen: HashSet<CompanyId> = root_id.into_iter().cloned().collect();
        let mut queue: VecDeque<(Option<CompanyId>, usize)> = VecDeque::new();
        queue.push_back((root_id.cloned(), 0));
        while let Some((parent, depth)) = queue.pop_front() {
            if depth >= MAX_TREE_DEPTH {
                continue;
            }
            let is_root = depth == 0;
            let children = match self
                .list_companies(parent.as_ref(), CompaniesFilter::default())
                .await
            {
                Ok(children) => children,
                Err(e) if !is_root && is_customer_parent_error(&e) => continue,
                Err(e) => return Err(e),
            };
            if children.is_empty() {
                continue;
            }
            let partners: HashSet<CompanyId> = self
                .list_companies(
                    parent.as_ref(),
                    CompaniesFilter::of_type(CompanyType::Partner),
                )
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect();
            for child in children {
                if !seen.insert(child.id.clone()) {
                    continue;
                }
                let company_type = if partners.contains(&child.id) {
                    CompanyType::Partner
                } else {
                    CompanyType::Customer
                };
                if company_type == CompanyType::Partner {
                    queue.push_back((Some(child.id.clone()), depth + 1));
                }
                nodes.push(CompanyNode {
                    id: child.id,
                    name: child.name,
                    company_type,
                    parent_id: parent.clone(),
                    depth: depth + 1,
                });
            }
        }
        Ok(nodes)
    }

    /// `getEndpointsList` on v1.1, as a stream of endpoints (pages of up to 1000).
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use futures::TryStreamExt;
    /// use gravityzone_client::{CompanyId, EndpointsQuery};
    /// let company = CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c");
    /// let mut endpoints = client.list_endpoints(EndpointsQuery::under(company));
    /// while let Some(endpoint) = endpoints.try_next().await? {
    ///     println!("{} {:?}", endpoint.name, endpoint.macs);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_endpoints(&self, query: EndpointsQuery) -> PageStream<Endpoint> {
        const METHOD: &str = "getEndpointsList";
        let per_page = match checked_per_page(METHOD, query.per_page) {
            Ok(n) => n,
            Err(e) => return PageStream::failed(e),
        };
        let params = params::EndpointsList {
            parent_id: query.parent_id,
            is_managed: query.is_managed,
            filters: (!query.filters.is_empty()).then_some(query.filters),
        };
        paged(
            self,
            PagedMethod {
                area: NETWORK,
                version: ApiVersion::V1_1,
                name: METHOD,
            },
            params,
            per_page,
        )
    }

    /// `getNetworkInventoryItems` on v1.1, as a stream of items (pages of up to 1000).
    pub fn list_inventory_items(&self, query: InventoryQuery) -> PageStream<InventoryItem> {
        const METHOD: &str = "getNetworkInventoryItems";
        let per_page = match checked_per_page(METHOD, query.per_page) {
            Ok(n) => n,
            Err(e) => return PageStream::failed(e),
        };
        let params = params::InventoryItems {
            parent_id: query.parent_id,
            filters: query.filters,
            options: query.options,
        };
        paged(
            self,
            PagedMethod {
                area: NETWORK,
                version: ApiVersion::V1_1,
                name: METHOD,
            },
            params,
            per_page,
        )
    }
}

/// `getCompaniesList` with a customer as `parentId` answers -32602 "Invalid value for
/// 'parentId' parameter."
fn is_customer_parent_error(error: &Error) -> bool {
    error
        .rpc()
        .is_some_and(|e| e.code == RpcErrorCode::InvalidParams && e.reason().contains("parentId"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(list: serde_json::Value) -> Vec<String> {
        let CompaniesList(items) = serde_json::from_value(list).unwrap();
        items.into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn the_companies_list_reads_a_bare_array_or_an_items_wrapper() {
        let item = json!({"id": "54a295eeb1a43d8b497b23c6", "name": "A"});
        assert_eq!(names(json!([item])), ["A"]);
        assert_eq!(names(json!({"total": 1, "items": [item]})), ["A"]);
        assert!(serde_json::from_value::<CompaniesList>(json!({"total": 1})).is_err());
        assert!(serde_json::from_value::<CompaniesList>(json!("A")).is_err());
    }
}
