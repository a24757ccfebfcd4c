//! Datto's page envelope: `{"pageDetails": PaginationData, "<items>": [...]}`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::lenient;
use super::{Device, DeviceNetworkInterfaces, Site, Variable};

/// The `pageDetails` of a page (OpenAPI `PaginationData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaginationData {
    /// Items on this page.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub count: Option<i64>,
    /// Items in all pages (not sent by every list).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    /// Absolute URL of the previous page; `null` or `""` on the first.
    #[serde(default)]
    pub prev_page_url: Option<String>,
    /// Absolute URL of the next page; `null` or `""` on the last.
    #[serde(default)]
    pub next_page_url: Option<String>,
}

/// One decoded page of some item type.
pub(crate) trait Page: DeserializeOwned + Send + 'static {
    /// The item type.
    type Item: Send + 'static;
    /// The name of the item array (`sites`, `devices`, `variables`).
    const ITEMS: &'static str;
    /// The page details and the items (`None` when the array was missing or `null`).
    fn into_parts(self) -> (Option<PaginationData>, Option<Vec<Self::Item>>);
}

macro_rules! page {
    ($name:ident, $item:ty, $key:literal) => {
        #[derive(Deserialize)]
        pub(crate) struct $name {
            #[serde(default, rename = "pageDetails")]
            page_details: Option<PaginationData>,
            #[serde(default, rename = $key)]
            items: Option<Vec<$item>>,
        }

        impl Page for $name {
            type Item = $item;
            const ITEMS: &'static str = $key;
            fn into_parts(self) -> (Option<PaginationData>, Option<Vec<$item>>) {
                (self.page_details, self.items)
            }
        }
    };
}

page!(SitesPage, Site, "sites");
page!(DevicesPage, Device, "devices");
page!(
    DevicesNetworkInterfacePage,
    DeviceNetworkInterfaces,
    "devices"
);
page!(VariablesPage, Variable, "variables");
