//! The `params` of each JSON-RPC method, as typed structs: a misspelt member is a compile
//! error here rather than a silently ignored key at GravityZone. Unset options are not sent.

use serde::Serialize;
use serde_json::Value;

use crate::ids::{CompanyId, NodeId, PackageId};
use crate::models::{CompanyUpdate, EndpointFilters};

/// `{}`: a method without parameters.
#[derive(Serialize)]
pub(crate) struct NoParams {}

/// `{"companyId"?}`: a company, or (absent) the key's own company.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OptionalCompany<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<&'a CompanyId>,
}

/// `{"companyId"}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OneCompany<'a> {
    pub company_id: &'a CompanyId,
}

/// `{"companyId", "recursive"}` (suspend, activate).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompanyRecursive<'a> {
    pub company_id: &'a CompanyId,
    pub recursive: bool,
}

/// `updateCompanyDetails`: the company's id beside the members of the update that are set.
///
/// The id's name is unconfirmed: the partner docs describe "the id of the company to update"
/// without naming it in the stored copy; `companyId` matches `getCompanyDetails` (one
/// third-party client sends `id`). This is the one place to change it.
#[derive(Serialize)]
pub(crate) struct UpdateCompany<'a> {
    #[serde(rename = "companyId")]
    pub company_id: &'a CompanyId,
    #[serde(flatten)]
    pub update: &'a CompanyUpdate,
}

/// `{"nameFilter"}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NameFilter<'a> {
    pub name_filter: &'a str,
}

/// `moveCompanyOrCompanyFolder` (unconfirmed; see the `company_move` module).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MoveCompany<'a> {
    pub company_id: &'a CompanyId,
    pub parent_id: &'a CompanyId,
}

/// `getLicenseInfo`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LicenseInfo<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<&'a CompanyId>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub return_all_products: bool,
}

/// `getCompaniesList`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompaniesList<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<&'a CompanyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<CompaniesListFilters>,
}

/// The `filters` of `getCompaniesList`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompaniesListFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_type: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<i64>,
}

/// `getEndpointsList`, without the page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EndpointsList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_managed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<EndpointFilters>,
}

/// `getNetworkInventoryItems`, without the page. Filters and options are the caller's, sent
/// as given (the documented set is large).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InventoryItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Value>,
}

/// `getPackagesList`, without the page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PackagesList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<CompanyId>,
}

/// `{"packageId"}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OnePackage<'a> {
    pub package_id: &'a PackageId,
}

/// `getInstallationLinks`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InstallationLinks<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<&'a CompanyId>,
}

/// A paged method's parameters with the page asked for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Paged<P> {
    #[serde(flatten)]
    pub params: P,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(params: impl Serialize) -> Value {
        serde_json::to_value(params).unwrap()
    }

    #[test]
    fn unset_options_are_not_sent() {
        assert_eq!(sent(NoParams {}), json!({}));
        assert_eq!(sent(OptionalCompany { company_id: None }), json!({}));
        let licence = LicenseInfo {
            company_id: None,
            return_all_products: false,
        };
        assert_eq!(sent(licence), json!({}));
        let list = CompaniesList {
            parent_id: None,
            filters: None,
        };
        assert_eq!(sent(list), json!({}));
    }

    #[test]
    fn members_have_the_vendor_s_names() {
        let company = CompanyId::new("c");
        let licence = LicenseInfo {
            company_id: Some(&company),
            return_all_products: true,
        };
        assert_eq!(
            sent(licence),
            json!({"companyId": "c", "returnAllProducts": true})
        );
        let parent = CompanyId::new("p");
        let list = CompaniesList {
            parent_id: Some(&parent),
            filters: Some(CompaniesListFilters {
                company_type: Some(0),
                license_type: None,
            }),
        };
        assert_eq!(
            sent(list),
            json!({"parentId": "p", "filters": {"companyType": 0}})
        );
        let links = InstallationLinks {
            package_name: Some("Contoso - default"),
            company_id: Some(&company),
        };
        assert_eq!(
            sent(links),
            json!({"packageName": "Contoso - default", "companyId": "c"})
        );
    }

    #[test]
    fn an_update_sends_the_id_beside_the_members_that_are_set() {
        let update = CompanyUpdate {
            phone: Some("+40 21 000 0000".into()),
            ..CompanyUpdate::default()
        };
        let params = UpdateCompany {
            company_id: &CompanyId::new("c1"),
            update: &update,
        };
        assert_eq!(
            sent(params),
            json!({"companyId": "c1", "phone": "+40 21 000 0000"})
        );
    }

    #[test]
    fn a_page_is_asked_for_beside_the_method_s_parameters() {
        let endpoints = EndpointsList {
            parent_id: Some(NodeId::new("c")),
            is_managed: Some(true),
            filters: None,
        };
        let paged = Paged {
            params: &endpoints,
            page: 2,
            per_page: 1000,
        };
        assert_eq!(
            sent(paged),
            json!({"parentId": "c", "isManaged": true, "page": 2, "perPage": 1000})
        );
    }
}
