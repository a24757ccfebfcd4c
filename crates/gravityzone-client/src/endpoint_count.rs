//! How many endpoints a company holds: `network/getEndpointsList` (v1.1) asked for one item of
//! the company's whole subtree (`filters.depth.allItemsRecursively`), read for its `total`.
//!
//! The paged result carries `total` on page 1 (BD-GEL; on v1.1 later pages may leave it out,
//! page 1 always has it). Deciding whether a company may be deleted needs the count, not the
//! endpoints, so one small request replaces walking every page.

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::CompanyId;
use crate::jsonrpc::ApiVersion;
use crate::models::{ApiArea, Endpoint, EndpointFilters};
use crate::paging::Page;
use crate::params::{EndpointsList, Paged};

const METHOD: &str = "getEndpointsList";

/// The parameters of the count request: page 1 of one item, every endpoint below the company.
fn count_params(company_id: &CompanyId) -> Paged<EndpointsList> {
    let filters = EndpointFilters {
        all_items_recursively: Some(true),
        ..EndpointFilters::default()
    };
    Paged {
        params: EndpointsList {
            parent_id: Some(company_id.into()),
            is_managed: None,
            filters: Some(filters),
        },
        page: 1,
        per_page: 1,
    }
}

impl GravityZoneClient {
    /// How many endpoints (managed and unmanaged) `company_id` holds, its sub-companies' and
    /// groups' included. Fails with [`Error::UnexpectedResult`] when GravityZone's first page
    /// carries no `total`: a count the client cannot read is not reported as zero.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::CompanyId;
    /// let count = client.get_endpoint_count(&CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c")).await?;
    /// println!("{count} endpoints");
    /// # Ok(()) }
    /// ```
    pub async fn get_endpoint_count(&self, company_id: &CompanyId) -> Result<u64, Error> {
        let spec = MethodSpec {
            area: &ApiArea::Network,
            version: ApiVersion::V1_1,
            name: METHOD,
            idempotent: true,
            read: true,
        };
        let page: Page<Endpoint> = self.call(spec, &count_params(company_id)).await?;
        match page.total {
            Some(total) if total >= 0 => Ok(total.unsigned_abs()),
            _ => Err(Error::UnexpectedResult {
                method: METHOD.into(),
                message: "the first page of getEndpointsList carries no `total`".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_count_asks_for_one_item_of_the_whole_subtree() {
        assert_eq!(
            serde_json::to_value(count_params(&CompanyId::new("c1"))).unwrap(),
            json!({
                "parentId": "c1",
                "page": 1,
                "perPage": 1,
                "filters": {"depth": {"allItemsRecursively": true}},
            })
        );
    }
}
