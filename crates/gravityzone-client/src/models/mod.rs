//! The vendor's data: what the methods take and return.
//!
//! Responses are decoded leniently (optional members are `Option`, unknown members kept in
//! `extra`, unknown enum values kept) because the vendor's replies drift from its docs.

mod api_key;
mod company;
mod enums;
pub(crate) mod lenient;
mod license;
mod network;
mod package;

pub use api_key::ApiKeyDetails;
pub use company::{
    CompanyDetails, CompanyNode, CompanySummary, CompanyUpdate, ContactPerson, Industry,
    LicenseSubscription, MAX_ADDRESS_CHARS, MAX_COMPANY_NAME_CHARS, MAX_PHONE_CHARS, NewCompany,
    RiskScore, SKIP_2FA_PERIODS,
};
pub use enums::{
    ApiArea, CompanyType, KitState, MachineType, ModuleKey, PackageType, ProductType, RpcErrorCode,
    ScanEngine, ScanModeType, SubscriptionType,
};
pub use lenient::parse_timestamp;
pub use license::LicenseInfo;
pub(crate) use license::LicenseInfoResult;
pub use network::{Endpoint, EndpointFilters, EndpointPolicy, InventoryItem};
pub use package::{
    DeploymentOptions, InstallationLinks, Modules, NewPackage, PackageDetails, PackageRoles,
    PackageSettings, PackageSummary, ScanEngines, ScanMode,
};
