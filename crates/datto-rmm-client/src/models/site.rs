//! Sites: Datto's `Site`, `DevicesStatus`, `ProxySettings` and the create/update requests.

use serde::{Deserialize, Serialize};

use super::lenient;
use super::open_enum::open_enum;
use crate::ids::{AccountUid, AutotaskCompanyId, SiteId, SiteUid};

/// A Datto RMM site (OpenAPI `Site`). Every field is optional: Datto documents no
/// nullability and sends `null` freely (`notes`, `proxySettings`, the Autotask fields).
///
/// ```
/// use datto_rmm_client::models::{Site, SystemSite};
/// let site: Site = serde_json::from_str(r#"{"uid": "u1", "name": "Deleted Devices", "onDemand": false}"#).unwrap();
/// assert_eq!(site.system_site(), Some(SystemSite::DeletedDevices));
/// assert!(!site.is_customer_site());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Site {
    /// Numeric site id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<SiteId>,
    /// Site uid (a UUID in practice): the id the API's paths take.
    #[serde(default)]
    pub uid: Option<SiteUid>,
    /// Uid of the account the site belongs to (a short code like `ab1c0002`).
    #[serde(default)]
    pub account_uid: Option<AccountUid>,
    /// Site name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// True for OnDemand sites (they never take part in a sync).
    #[serde(default)]
    pub on_demand: Option<bool>,
    /// Whether Splashtop is installed automatically.
    #[serde(default)]
    pub splashtop_auto_install: Option<bool>,
    /// Proxy settings.
    #[serde(default)]
    pub proxy_settings: Option<ProxySettings>,
    /// Device counts.
    #[serde(default)]
    pub devices_status: Option<DevicesStatus>,
    /// Name of the linked Autotask company.
    #[serde(default)]
    pub autotask_company_name: Option<String>,
    /// Id of the linked Autotask company (documented as a string, e.g. `"1234"`; a number is
    /// accepted and kept as its decimal text).
    #[serde(default, deserialize_with = "lenient::opt_text_id")]
    pub autotask_company_id: Option<AutotaskCompanyId>,
    /// Link to the site in the web portal (opaque).
    #[serde(default)]
    pub portal_url: Option<String>,
}

/// The three sites every Datto account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SystemSite {
    /// `Managed`.
    Managed,
    /// `OnDemand`.
    OnDemand,
    /// `Deleted Devices`.
    DeletedDevices,
}

impl SystemSite {
    /// The site's name in Datto.
    pub fn name(self) -> &'static str {
        match self {
            SystemSite::Managed => "Managed",
            SystemSite::OnDemand => "OnDemand",
            SystemSite::DeletedDevices => "Deleted Devices",
        }
    }

    /// The system site called `name`, if it is one.
    pub fn from_name(name: &str) -> Option<SystemSite> {
        [
            SystemSite::Managed,
            SystemSite::OnDemand,
            SystemSite::DeletedDevices,
        ]
        .into_iter()
        .find(|s| s.name() == name.trim())
    }
}

impl Site {
    /// Which system site this is, if it is one (recognised by name, as every client does).
    pub fn system_site(&self) -> Option<SystemSite> {
        self.name.as_deref().and_then(SystemSite::from_name)
    }

    /// True when Datto marks the site OnDemand.
    pub fn is_on_demand(&self) -> bool {
        self.on_demand == Some(true)
    }

    /// True for a managed customer site: neither a system site nor OnDemand.
    pub fn is_customer_site(&self) -> bool {
        self.system_site().is_none() && !self.is_on_demand()
    }
}

/// Device counts of a site (OpenAPI `DevicesStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DevicesStatus {
    /// All devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_devices: Option<i64>,
    /// Online devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_online_devices: Option<i64>,
    /// Offline devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_offline_devices: Option<i64>,
}

open_enum! {
    /// Proxy protocol (OpenAPI `ProxySettings.type`).
    ProxyType {
        /// `http`.
        Http => "http",
        /// `socks4`.
        Socks4 => "socks4",
        /// `socks5`.
        Socks5 => "socks5",
    }
}

/// A site's proxy settings (OpenAPI `ProxySettings`). `Debug` never prints the password.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProxySettings {
    /// Proxy host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Proxy password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Proxy port.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub port: Option<i64>,
    /// Protocol.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub proxy_type: Option<ProxyType>,
    /// Proxy user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxySettings")
            .field("host", &self.host)
            .field(
                "password",
                &self.password.as_ref().map(|_| msp_transport::REDACTED),
            )
            .field("port", &self.port)
            .field("proxy_type", &self.proxy_type)
            .field("username", &self.username)
            .finish()
    }
}

/// The body of `PUT /v2/site` (OpenAPI `CreateSiteRequest`): `name` is required.
///
/// ```
/// use datto_rmm_client::models::CreateSiteRequest;
/// let request = CreateSiteRequest::new("Northwind Logistics").description("Hamburg office");
/// assert_eq!(
///     serde_json::to_value(&request).unwrap(),
///     serde_json::json!({"name": "Northwind Logistics", "description": "Hamburg office"})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateSiteRequest {
    /// Site name.
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Create the site as OnDemand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<bool>,
    /// Install Splashtop automatically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splashtop_auto_install: Option<bool>,
    /// Proxy settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_settings: Option<ProxySettings>,
}

impl CreateSiteRequest {
    /// A request for a site called `name`, everything else left to Datto's defaults.
    pub fn new(name: impl Into<String>) -> Self {
        CreateSiteRequest {
            name: name.into(),
            description: None,
            notes: None,
            on_demand: None,
            splashtop_auto_install: None,
            proxy_settings: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Creates the site as OnDemand (or not).
    pub fn on_demand(mut self, on_demand: bool) -> Self {
        self.on_demand = Some(on_demand);
        self
    }

    /// Installs Splashtop automatically (or not).
    pub fn splashtop_auto_install(mut self, enabled: bool) -> Self {
        self.splashtop_auto_install = Some(enabled);
        self
    }

    /// Sets the proxy settings.
    pub fn proxy_settings(mut self, proxy: ProxySettings) -> Self {
        self.proxy_settings = Some(proxy);
        self
    }
}

/// The body of `POST /v2/site/{siteUid}` (OpenAPI `SiteRequest`). Datto requires `name` even
/// for a partial update; fields left `None` are not sent.
///
/// ```
/// use datto_rmm_client::models::UpdateSiteRequest;
/// let request = UpdateSiteRequest::new("Northwind Logistics GmbH").notes("renamed after merger");
/// assert_eq!(request.name, "Northwind Logistics GmbH");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateSiteRequest {
    /// Site name (required by Datto).
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// OnDemand flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<bool>,
    /// Splashtop auto-install flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splashtop_auto_install: Option<bool>,
}

impl UpdateSiteRequest {
    /// An update that sets the name (and nothing else).
    pub fn new(name: impl Into<String>) -> Self {
        UpdateSiteRequest {
            name: name.into(),
            description: None,
            notes: None,
            on_demand: None,
            splashtop_auto_install: None,
        }
    }

    /// An update that keeps `site`'s current values and changes what the caller sets next;
    /// `None` when the site has no name.
    pub fn from_site(site: &Site) -> Option<Self> {
        Some(UpdateSiteRequest {
            name: site.name.clone()?,
            description: site.description.clone(),
            notes: site.notes.clone(),
            on_demand: site.on_demand,
            splashtop_auto_install: site.splashtop_auto_install,
        })
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Sets the OnDemand flag.
    pub fn on_demand(mut self, on_demand: bool) -> Self {
        self.on_demand = Some(on_demand);
        self
    }

    /// Sets the Splashtop auto-install flag.
    pub fn splashtop_auto_install(mut self, enabled: bool) -> Self {
        self.splashtop_auto_install = Some(enabled);
        self
    }
}
