//! Typed identifiers of GravityZone records.
//!
//! GravityZone names companies, packages, endpoints, groups and policies by ids that are
//! strings of 24 hex digits on the real service (MongoDB ObjectIds, e.g.
//! `54a295d8b1a43d7c4a7b23c6`). The client keeps them as the opaque strings the vendor sends
//! (its own reference shows placeholders such as `"COMPANY_ID"`), but gives each kind its own
//! type, so a package id can never be passed where a company id is expected.
//!
//! On the wire every id is a JSON string; a number, `null` where an id is required, or any
//! other JSON type is a decode error that names the failing member, never a panic:
//!
//! ```
//! use gravityzone_client::CompanySummary;
//! let error = serde_json::from_str::<CompanySummary>(r#"{"id": 42, "name": "Contoso"}"#)
//!     .unwrap_err();
//! assert!(error.to_string().contains("invalid type"), "{error}");
//! ```

/// The error returned when text is not a valid GravityZone id: a blank text.
///
/// ```
/// use gravityzone_client::{CompanyId, ParseIdError};
/// let error: ParseIdError = " ".parse::<CompanyId>().unwrap_err();
/// assert_eq!(error.to_string(), "not a valid GravityZone company id: \" \"");
/// ```
pub use msp_transport::ParseIdError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        msp_transport::string_id!($(#[$doc])* $name, "GravityZone", $what);
    };
}

id_type!(
    /// The id of a company (partner or customer) or company folder: what `getCompanyDetails`,
    /// `deleteCompany`, the package methods' `companyId` and `getCompaniesList`'s `parentId`
    /// take.
    ///
    /// ```
    /// use gravityzone_client::CompanyId;
    /// let id: CompanyId = serde_json::from_str("\"54a295d8b1a43d7c4a7b23c6\"").unwrap();
    /// assert_eq!(id, CompanyId::new("54a295d8b1a43d7c4a7b23c6"));
    /// assert_eq!(serde_json::to_string(&id).unwrap(), "\"54a295d8b1a43d7c4a7b23c6\"");
    /// ```
    CompanyId,
    "company id"
);
id_type!(
    /// The id of an installation package (`getPackageDetails`, `deletePackage`).
    ///
    /// ```
    /// use gravityzone_client::PackageId;
    /// let id: PackageId = " 55b8c1bfb1a43dd71071071b ".parse().unwrap();
    /// assert_eq!(id.as_str(), "55b8c1bfb1a43dd71071071b");
    /// ```
    PackageId,
    "package id"
);
id_type!(
    /// The id of an endpoint (a computer, virtual machine or EC2 instance; a relay is one
    /// too).
    ///
    /// ```
    /// use gravityzone_client::EndpointId;
    /// assert_eq!(EndpointId::from("5b2a9e1f0c1d2e3f4a5b6c7d").to_string(), "5b2a9e1f0c1d2e3f4a5b6c7d");
    /// ```
    EndpointId,
    "endpoint id"
);
id_type!(
    /// The id of a custom group of the network inventory.
    ///
    /// ```
    /// use gravityzone_client::{GroupId, NodeId};
    /// let group = GroupId::new("5b2a9e1f0c1d2e3f4a5b6c00");
    /// assert_eq!(NodeId::from(group).as_str(), "5b2a9e1f0c1d2e3f4a5b6c00");
    /// ```
    GroupId,
    "group id"
);
id_type!(
    /// The id of a policy ([`EndpointPolicy::id`](crate::EndpointPolicy::id)).
    ///
    /// ```
    /// use gravityzone_client::PolicyId;
    /// assert_eq!(PolicyId::new("p").into_string(), "p");
    /// ```
    PolicyId,
    "policy id"
);
id_type!(
    /// The id of any node of the network inventory: a company, company folder, group or
    /// endpoint. What `getEndpointsList` and `getNetworkInventoryItems` take as `parentId`;
    /// every more specific id converts into it.
    ///
    /// ```
    /// use gravityzone_client::{CompanyId, EndpointsQuery, NodeId};
    /// let company = CompanyId::new("54a295d8b1a43d7c4a7b23c6");
    /// let query = EndpointsQuery::under(company.clone());
    /// assert_eq!(query.parent_id, Some(NodeId::from(company)));
    /// ```
    NodeId,
    "node id"
);

macro_rules! node_from {
    ($($name:ident),*) => {
        $(
            impl From<$name> for NodeId {
                fn from(id: $name) -> Self {
                    NodeId(id.0)
                }
            }

            impl From<&$name> for NodeId {
                fn from(id: &$name) -> Self {
                    NodeId(id.0.clone())
                }
            }
        )*
    };
}

node_from!(CompanyId, GroupId, EndpointId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_json_strings_and_nothing_else() {
        let id: PackageId = serde_json::from_str("\"55b8c1bfb1a43dd71071071b\"").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"55b8c1bfb1a43dd71071071b\""
        );
        for json in ["17", "true", "null", "[\"a\"]", "{}"] {
            assert!(serde_json::from_str::<CompanyId>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn parsing_trims_blanks_and_refuses_blank_text() {
        assert_eq!(" c1 ".parse::<CompanyId>().unwrap(), CompanyId::new("c1"));
        assert_eq!(
            "".parse::<EndpointId>().unwrap_err().to_string(),
            "not a valid GravityZone endpoint id: \"\""
        );
    }
}
