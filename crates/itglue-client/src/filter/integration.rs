//! The PSA and RMM integrations IT Glue names in its `*_integration_type` filters.

/// The PSA integrations IT Glue names in `filter[psa_integration_type]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PsaIntegrationType {
    /// ConnectWise Manage (`manage`).
    Manage,
    /// Autotask (`autotask`).
    Autotask,
    /// Tigerpaw (`tigerpaw`).
    Tigerpaw,
    /// Kaseya BMS (`kaseya-bms`).
    KaseyaBms,
    /// Pulseway PSA (`pulseway-psa`).
    PulsewayPsa,
    /// Vorex (`vorex`).
    Vorex,
    /// A value this crate does not know yet, sent as written.
    Other(String),
}

impl PsaIntegrationType {
    /// The value IT Glue expects.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Manage => "manage",
            Self::Autotask => "autotask",
            Self::Tigerpaw => "tigerpaw",
            Self::KaseyaBms => "kaseya-bms",
            Self::PulsewayPsa => "pulseway-psa",
            Self::Vorex => "vorex",
            Self::Other(other) => other,
        }
    }
}

/// The RMM integrations IT Glue names in `filter[rmm_integration_type]`.
///
/// Datto RMM has no entry of its own; [`RmmIntegrationType::Aem`] (Autotask Endpoint
/// Management, Datto RMM's former name) is most likely it (an inference, not documented).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RmmIntegrationType {
    /// Addigy (`addigy`).
    Addigy,
    /// Autotask Endpoint Management, today Datto RMM (`aem`).
    Aem,
    /// Atera (`atera`).
    Atera,
    /// Auvik (`auvik`).
    Auvik,
    /// Managed Workplace (`managed-workplace`).
    ManagedWorkplace,
    /// Continuum (`continuum`).
    Continuum,
    /// Jamf Pro (`jamf-pro`).
    JamfPro,
    /// Kaseya VSA (`kaseya-vsa`).
    KaseyaVsa,
    /// ConnectWise Automate (`automate`).
    Automate,
    /// LogMeIn (`log-me-in`).
    LogMeIn,
    /// MSP RMM (`msp-rmm`).
    MspRmm,
    /// Meraki (`meraki`).
    Meraki,
    /// N-central (`msp-n-central`).
    MspNCentral,
    /// NinjaRMM (`ninja-rmm`).
    NinjaRmm,
    /// Panorama9 (`panorama9`).
    Panorama9,
    /// Pulseway RMM (`pulseway-rmm`).
    PulsewayRmm,
    /// Syncro (`syncro`).
    Syncro,
    /// Watchman Monitoring (`watchman-monitoring`).
    WatchmanMonitoring,
    /// Office 365 (`office365`).
    Office365,
    /// VSA X (`vsa-x`).
    VsaX,
    /// A value this crate does not know yet, sent as written.
    Other(String),
}

impl RmmIntegrationType {
    /// The value IT Glue expects.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Addigy => "addigy",
            Self::Aem => "aem",
            Self::Atera => "atera",
            Self::Auvik => "auvik",
            Self::ManagedWorkplace => "managed-workplace",
            Self::Continuum => "continuum",
            Self::JamfPro => "jamf-pro",
            Self::KaseyaVsa => "kaseya-vsa",
            Self::Automate => "automate",
            Self::LogMeIn => "log-me-in",
            Self::MspRmm => "msp-rmm",
            Self::Meraki => "meraki",
            Self::MspNCentral => "msp-n-central",
            Self::NinjaRmm => "ninja-rmm",
            Self::Panorama9 => "panorama9",
            Self::PulsewayRmm => "pulseway-rmm",
            Self::Syncro => "syncro",
            Self::WatchmanMonitoring => "watchman-monitoring",
            Self::Office365 => "office365",
            Self::VsaX => "vsa-x",
            Self::Other(other) => other,
        }
    }
}
