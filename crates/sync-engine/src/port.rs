//! What every port call of both flows fails with: one [`PortError`], whichever vendor and flow.
//!
//! The adapters turn each client's error into a [`PortError`] of a [`PortErrorKind`] (what the
//! flows decide on), and test doubles build them with [`PortError::new`].
//!
//! ```
//! use sync_engine::port::{PortError, PortErrorKind};
//! use sync_store::Vendor;
//!
//! let error = PortError::new(Vendor::DattoRmm, PortErrorKind::Unauthorized, "HTTP 401");
//! assert!(error.is_unauthorized());
//! assert_eq!(error.to_string(), "Datto RMM: HTTP 401");
//! ```

use std::fmt;

use sync_store::{ConnectionDetails, CredentialFingerprint, Vendor};

/// What kind of failure a port reports: what the flows decide on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortErrorKind {
    /// The vendor refused the credentials (invalid, revoked, expired beyond refresh): the
    /// tenant's syncing stops until new credentials are saved.
    Unauthorized,
    /// The credentials work but may not call these API areas (GravityZone's API key areas).
    ApiNotEnabled {
        /// The areas missing, in the vendor's words.
        areas: Vec<String>,
    },
    /// A company of this name exists somewhere in the GravityZone instance.
    CompanyNameTaken {
        /// The refused name.
        name: String,
    },
    /// The record asked for does not exist (any more).
    NotFound,
    /// The vendor rejected the request's content (a validation error such as IT Glue's 422).
    Rejected,
    /// A failure that may pass when tried later (rate limit, server error, network).
    Transient,
    /// Anything else (an answer the flow cannot use, for example).
    Other,
}

/// A failure of a port call. It carries no secret: messages come from the vendor clients,
/// which redact them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct PortError {
    /// The vendor that failed.
    pub vendor: Vendor,
    /// What kind of failure.
    pub kind: PortErrorKind,
    /// What happened, in the vendor's (or the vendor client's) words.
    pub message: String,
    /// Whether the vendor may have received and acted on the request although no answer came
    /// back: a create that may have been sent is looked up before it is made again.
    pub may_have_been_sent: bool,
}

impl PortError {
    /// A failure of `vendor` of `kind`, surely not acted on by the vendor.
    pub fn new(vendor: Vendor, kind: PortErrorKind, message: impl Into<String>) -> Self {
        Self {
            vendor,
            kind,
            message: message.into(),
            may_have_been_sent: false,
        }
    }

    /// The same failure, marked as possibly received by the vendor.
    pub fn maybe_sent(mut self) -> Self {
        self.may_have_been_sent = true;
        self
    }

    /// The vendor the error came from.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// Whether a write may have reached the vendor although no answer came back.
    pub fn may_have_been_sent(&self) -> bool {
        self.may_have_been_sent
    }

    /// Whether the vendor refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.kind == PortErrorKind::Unauthorized
    }

    /// Whether the record asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == PortErrorKind::NotFound
    }

    /// Whether GravityZone refused a company name because it is in use.
    pub fn is_company_name_taken(&self) -> bool {
        matches!(self.kind, PortErrorKind::CompanyNameTaken { .. })
    }
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vendor = vendor_name(self.vendor);
        // A port error is always a clause of a longer line ("…; nothing was saved"), so a
        // vendor's full stop does not end it.
        let message = self.message.trim_end().trim_end_matches('.');
        // The clients' messages usually name their vendor already: say it once.
        if message.starts_with(vendor) {
            f.write_str(message)
        } else {
            write!(f, "{vendor}: {message}")
        }
    }
}

/// The vendor's name as users know it ("Datto RMM", "GravityZone", "IT Glue").
///
/// ```
/// use sync_engine::port::vendor_name;
/// use sync_store::Vendor;
///
/// assert_eq!(vendor_name(Vendor::ItGlue), "IT Glue");
/// ```
pub fn vendor_name(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::DattoRmm => "Datto RMM",
        Vendor::ItGlue => "IT Glue",
        Vendor::GravityZone => "GravityZone",
        _ => "the vendor",
    }
}

/// Which credentials a port was built with, without the secrets: how to reach the account and a
/// fingerprint of the secrets. The flows compare the fingerprint with the saved one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortIdentity {
    /// How the account is reached (platform, region or URL).
    pub connection: ConnectionDetails,
    /// The fingerprint of the secrets the port sends.
    pub fingerprint: CredentialFingerprint,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_naming_its_vendor_is_not_prefixed_twice() {
        let named = PortError::new(
            Vendor::DattoRmm,
            PortErrorKind::Unauthorized,
            "Datto RMM rejected the API key or secret key: HTTP 401",
        );
        assert_eq!(
            named.to_string(),
            "Datto RMM rejected the API key or secret key: HTTP 401"
        );
        let bare = PortError::new(Vendor::ItGlue, PortErrorKind::NotFound, "HTTP 404");
        assert_eq!(bare.to_string(), "IT Glue: HTTP 404");
    }

    #[test]
    fn a_vendor_s_full_stop_does_not_end_the_clause() {
        let sentence = PortError::new(
            Vendor::GravityZone,
            PortErrorKind::Unauthorized,
            "GravityZone rejected the API key: Invalid API key. Please generate an API key in \
             Control Center. ",
        );
        assert_eq!(
            sentence.to_string(),
            "GravityZone rejected the API key: Invalid API key. Please generate an API key in \
             Control Center"
        );
    }

    #[test]
    fn only_a_may_have_been_sent_error_says_so() {
        let error = PortError::new(Vendor::GravityZone, PortErrorKind::Transient, "timeout");
        assert!(!error.may_have_been_sent());
        assert!(error.maybe_sent().may_have_been_sent());
    }
}
