//! The vendor's numeric and textual enumerations, each keeping values this client does not
//! know (`Unknown(i64)` / `Other(String)`) instead of failing to decode.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Declares an integer-coded enum that keeps unknown codes.
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this client does not know, kept as sent.
            Unknown(i64),
        }

        impl $name {
            /// The wire code.
            pub fn code(self) -> i64 {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Unknown(code) => code,
                }
            }

            /// The variant for a wire code (unknown codes are kept).
            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }
        }

        impl From<i64> for $name {
            fn from(code: i64) -> Self {
                Self::from_code(code)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::lenient::int(d).map(Self::from_code)
            }
        }
    };
}

int_enum! {
    /// Whether a company is a partner (may manage other companies) or a customer.
    ///
    /// ```
    /// use gravityzone_client::CompanyType;
    /// assert_eq!(CompanyType::from_code(1), CompanyType::Customer);
    /// assert_eq!(CompanyType::from_code(9), CompanyType::Unknown(9));
    /// ```
    CompanyType {
        /// `0`: a partner company (can have sub-companies).
        Partner = 0,
        /// `1`: a customer company.
        Customer = 1,
    }
}

int_enum! {
    /// A company's licence subscription type (`licenseSubscription.type`,
    /// `getLicenseInfo.subscriptionType`).
    SubscriptionType {
        /// `1`: trial.
        Trial = 1,
        /// `2`: licence key.
        License = 2,
        /// `3`: monthly subscription.
        MonthlySubscription = 3,
        /// `4`: monthly licence trial.
        MonthlyLicenseTrial = 4,
        /// `5`: monthly subscription trial.
        MonthlySubscriptionTrial = 5,
        /// `6`: FRAT.
        Frat = 6,
    }
}

int_enum! {
    /// The kind of an installation package (`getPackagesList` items' `type`).
    PackageType {
        /// `3`: Security Server (SVA).
        SecurityServer = 3,
        /// `4`: Bitdefender Endpoint Security Tools (BEST) agent.
        Best = 4,
        /// `5`: Sandbox Analyzer (on-premises).
        SandboxAnalyzer = 5,
        /// `6`: Network Sensor (on-premises).
        NetworkSensor = 6,
    }
}

int_enum! {
    /// The kind of machine an endpoint is (`machineType`).
    MachineType {
        /// `0`: other.
        Other = 0,
        /// `1`: computer.
        Computer = 1,
        /// `2`: virtual machine.
        VirtualMachine = 2,
        /// `3`: Amazon EC2 instance.
        Ec2Instance = 3,
    }
}

int_enum! {
    /// The product a package installs (`productType` of `createPackage`).
    ProductType {
        /// `0`: Detection & Prevention (the default).
        DetectionAndPrevention = 0,
        /// `3`: EDR (report only).
        EdrReportOnly = 3,
        /// `5`: PHASR standalone.
        PhasrStandalone = 5,
    }
}

int_enum! {
    /// How a package chooses its scan engines (`scanMode.type`).
    ScanModeType {
        /// `1`: automatic.
        Automatic = 1,
        /// `2`: custom (send the per-platform engines).
        Custom = 2,
    }
}

int_enum! {
    /// A scan engine choice in a custom scan mode (`main` / `fallback`).
    ScanEngine {
        /// `1`: central scanning (Security Server).
        Central = 1,
        /// `2`: hybrid scanning (light engines).
        Hybrid = 2,
        /// `3`: local scanning (full engines).
        Local = 3,
    }
}

int_enum! {
    /// The build state of one platform's installer kit (`status.<platform>` of
    /// `getInstallationLinks`; a single public source, so treat it as advisory).
    KitState {
        /// `1`: still being built.
        Building = 1,
        /// `2`: ready to download.
        Ready = 2,
    }
}

int_enum! {
    /// The `code` of a JSON-RPC error. Besides the JSON-RPC 2.0 codes GravityZone uses
    /// seven-digit domain codes per method family (e.g. 4050001–4050010 for
    /// `moveEndpointsBetweenCompanies`), kept as [`RpcErrorCode::Unknown`].
    RpcErrorCode {
        /// `-32700`: the request was not valid JSON.
        ParseError = -32700,
        /// `-32600`: not a valid JSON-RPC request.
        InvalidRequest = -32600,
        /// `-32601`: no such method (also: a method called on the wrong API version).
        MethodNotFound = -32601,
        /// `-32602`: invalid parameters, e.g. "Invalid value for 'parentId' parameter."
        InvalidParams = -32602,
        /// `-32000`: server error (also sent with HTTP 401 for a bad key).
        ServerError = -32000,
        /// `-32001`: authorization error ("Operation not allowed"; one public source).
        AuthorizationError = -32001,
        /// `-32002`: not found (one public source).
        NotFound = -32002,
        /// `-32003`: too many requests (one public source).
        TooManyRequests = -32003,
    }
}

/// Declares a string-coded enum that keeps unknown names.
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A name this client does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The name on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(name) => name,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(|s| Self::from_wire(&s))
            }
        }
    };
}

str_enum! {
    /// A protection module of an installation package (the keys of `modules`).
    ///
    /// Unknown keys in a response are kept as [`ModuleKey::Other`]; the deprecated `atc` is
    /// read as [`ModuleKey::AdvancedThreatControl`] and never sent.
    ///
    /// ```
    /// use gravityzone_client::ModuleKey;
    /// assert_eq!(ModuleKey::from_wire("edrSensor"), ModuleKey::EdrSensor);
    /// assert_eq!(ModuleKey::from_wire("atc"), ModuleKey::AdvancedThreatControl);
    /// assert_eq!(ModuleKey::from_wire("quantumShield").as_str(), "quantumShield");
    /// ```
    ModuleKey {
        /// `advancedThreatControl` (deprecated alias `atc`).
        AdvancedThreatControl = "advancedThreatControl",
        /// `firewall`.
        Firewall = "firewall",
        /// `contentControl`: deprecated; setting it copies its value to `userControl`,
        /// `antiphishing` and `trafficScan`.
        ContentControl = "contentControl",
        /// `userControl`.
        UserControl = "userControl",
        /// `antiphishing`.
        Antiphishing = "antiphishing",
        /// `trafficScan`.
        TrafficScan = "trafficScan",
        /// `deviceControl`.
        DeviceControl = "deviceControl",
        /// `powerUser`.
        PowerUser = "powerUser",
        /// `edrSensor` (add-on, depends on the licence).
        EdrSensor = "edrSensor",
        /// `advancedAntiExploit`.
        AdvancedAntiExploit = "advancedAntiExploit",
        /// `containerProtection`.
        ContainerProtection = "containerProtection",
        /// `encryption` (add-on).
        Encryption = "encryption",
        /// `patchManagement` (add-on).
        PatchManagement = "patchManagement",
        /// `networkAttackDefense`.
        NetworkAttackDefense = "networkAttackDefense",
        /// `integrityMonitoring`.
        IntegrityMonitoring = "integrityMonitoring",
        /// `antimalware` (reported by `getPackageDetails`; not a `createPackage` key).
        Antimalware = "antimalware",
        /// `applicationControl` (on-premises `getPackageDetails`).
        ApplicationControl = "applicationControl",
    }
}

impl ModuleKey {
    /// The key for a wire name; `atc` is the deprecated alias of `advancedThreatControl`.
    pub fn from_wire(name: &str) -> Self {
        match name {
            "advancedThreatControl" | "atc" => Self::AdvancedThreatControl,
            "firewall" => Self::Firewall,
            "contentControl" => Self::ContentControl,
            "userControl" => Self::UserControl,
            "antiphishing" => Self::Antiphishing,
            "trafficScan" => Self::TrafficScan,
            "deviceControl" => Self::DeviceControl,
            "powerUser" => Self::PowerUser,
            "edrSensor" => Self::EdrSensor,
            "advancedAntiExploit" => Self::AdvancedAntiExploit,
            "containerProtection" => Self::ContainerProtection,
            "encryption" => Self::Encryption,
            "patchManagement" => Self::PatchManagement,
            "networkAttackDefense" => Self::NetworkAttackDefense,
            "integrityMonitoring" => Self::IntegrityMonitoring,
            "antimalware" => Self::Antimalware,
            "applicationControl" => Self::ApplicationControl,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The keys `createPackage` documents (current partner docs), in the documented order.
    pub const CREATE_PACKAGE_KEYS: [ModuleKey; 15] = [
        Self::AdvancedThreatControl,
        Self::Firewall,
        Self::ContentControl,
        Self::UserControl,
        Self::Antiphishing,
        Self::TrafficScan,
        Self::DeviceControl,
        Self::PowerUser,
        Self::EdrSensor,
        Self::AdvancedAntiExploit,
        Self::ContainerProtection,
        Self::Encryption,
        Self::PatchManagement,
        Self::NetworkAttackDefense,
        Self::IntegrityMonitoring,
    ];
}

str_enum! {
    /// An API area: the last segment of `{access}/v1.0/jsonrpc/{area}`, and the unit an API
    /// key is scoped by (the boxes ticked when the key was made).
    ///
    /// ```
    /// use gravityzone_client::ApiArea;
    /// assert_eq!(ApiArea::from_wire("Packages"), ApiArea::Packages);
    /// assert_eq!(ApiArea::Network.as_str(), "network");
    /// ```
    ApiArea {
        /// `accounts`.
        Accounts = "accounts",
        /// `companies`.
        Companies = "companies",
        /// `general` (the key's own details).
        General = "general",
        /// `incidents`.
        Incidents = "incidents",
        /// `integrations`.
        Integrations = "integrations",
        /// `investigation`.
        Investigation = "investigation",
        /// `licensing`.
        Licensing = "licensing",
        /// `network` (also lists companies: `getCompaniesList`).
        Network = "network",
        /// `packages`.
        Packages = "packages",
        /// `policies`.
        Policies = "policies",
        /// `push`.
        Push = "push",
        /// `quarantine`.
        Quarantine = "quarantine",
        /// `reports`.
        Reports = "reports",
    }
}

impl ApiArea {
    /// The area for a name, case-insensitively (`"Packages"` and `"packages"` are the same).
    pub fn from_wire(name: &str) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "accounts" => Self::Accounts,
            "companies" => Self::Companies,
            "general" => Self::General,
            "incidents" => Self::Incidents,
            "integrations" => Self::Integrations,
            "investigation" => Self::Investigation,
            "licensing" => Self::Licensing,
            "network" => Self::Network,
            "packages" => Self::Packages,
            "policies" => Self::Policies,
            "push" => Self::Push,
            "quarantine" => Self::Quarantine,
            "reports" => Self::Reports,
            _ => Self::Other(name.trim().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_codes_round_trip() {
        let t: PackageType = serde_json::from_value(json!(42)).unwrap();
        assert_eq!(t, PackageType::Unknown(42));
        assert_eq!(serde_json::to_value(t).unwrap(), json!(42));
        let s: SubscriptionType = serde_json::from_value(json!("3")).unwrap();
        assert_eq!(s, SubscriptionType::MonthlySubscription);
    }

    #[test]
    fn unknown_module_keys_round_trip() {
        let k: ModuleKey = serde_json::from_value(json!("quantumShield")).unwrap();
        assert_eq!(k, ModuleKey::Other("quantumShield".into()));
        assert_eq!(serde_json::to_value(&k).unwrap(), json!("quantumShield"));
    }

    #[test]
    fn every_documented_module_key_round_trips_by_name() {
        for key in ModuleKey::CREATE_PACKAGE_KEYS {
            assert_eq!(ModuleKey::from_wire(key.as_str()), key);
        }
    }

    #[test]
    fn api_areas_compare_case_insensitively() {
        assert_eq!(ApiArea::from_wire("LICENSING"), ApiArea::Licensing);
        assert_eq!(ApiArea::from_wire("phasr"), ApiArea::Other("phasr".into()));
    }
}
