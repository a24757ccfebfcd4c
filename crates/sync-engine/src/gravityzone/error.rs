//! The workflow's one error type.

use sync_core::gravityzone::{EventId, Refusal, ResolveError, SettingsError};
use sync_store::{StoreError, TenantIdError, Vendor};

use crate::port::{PortError, vendor_name};

/// What went wrong in a GravityZone workflow call. Nothing here carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GravityZoneSyncError {
    /// A vendor call failed.
    #[error(transparent)]
    Vendor(#[from] PortError),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The Datto RMM API URL or account does not name a tenant.
    #[error("invalid tenant: {0}")]
    Tenant(#[from] TenantIdError),
    /// A vendor refused the credentials (or, for GravityZone, an API area the flow needs)
    /// while connecting: nothing was saved.
    #[error("{error}; nothing was saved")]
    CredentialsRefused {
        /// Which vendor.
        vendor: Vendor,
        /// The vendor's answer.
        error: PortError,
    },
    /// The credentials could not be checked while connecting (the vendor could not be reached
    /// or failed): nothing was saved.
    #[error("could not check the {} credentials ({error}); nothing was saved", vendor_name(*vendor))]
    CredentialsUnchecked {
        /// Which vendor.
        vendor: Vendor,
        /// What went wrong.
        error: PortError,
    },
    /// The GravityZone key belongs to another partner (another root company) than the one the
    /// tenant was connected to: its associations would all look deleted. Refused until the
    /// tenant is reset.
    #[error(
        "the GravityZone API key belongs to partner company {}, not to this tenant's {}: reset \
         the tenant to connect it to another partner",
        partner(found, found_name),
        partner(expected, expected_name)
    )]
    WrongPartner {
        /// The root company the tenant is connected to.
        expected: String,
        /// Its name, when the key given can see it.
        expected_name: Option<String>,
        /// The root company of the key given.
        found: String,
        /// Its name, when GravityZone gave it.
        found_name: Option<String>,
    },
    /// The Datto RMM credentials belong to another account than the tenant's.
    #[error(
        "the Datto RMM credentials belong to account {found:?}, not to this tenant's {expected:?}"
    )]
    WrongAccount {
        /// The tenant's account uid.
        expected: String,
        /// The account the credentials belong to.
        found: String,
    },
    /// The tenant has no saved integration with this vendor: connect first.
    #[error("no {} credentials are saved for this tenant: connect first", vendor_name(*vendor))]
    NotConnected {
        /// Which vendor.
        vendor: Vendor,
    },
    /// The vendor refused the tenant's saved credentials at the last check: the tenant's
    /// passes stay stopped until new credentials are saved. Nothing was sent to any vendor.
    #[error(
        "syncing is stopped: {} refused the saved credentials; save new credentials to resume",
        vendor_name(*vendor)
    )]
    CredentialsInvalid {
        /// Which vendor.
        vendor: Vendor,
    },
    /// The credentials handed to this call are not the ones the tenant saved. Nothing was
    /// sent to any vendor.
    #[error(
        "the {} credentials in use are not the saved ones: connect with them first",
        vendor_name(*vendor)
    )]
    CredentialsNotSaved {
        /// Which vendor.
        vendor: Vendor,
    },
    /// Another worker (or another call) is running this tenant's GravityZone sync: a pass, a
    /// companies task or an event resolution holds the tenant's lease for
    /// [`Flow::GravityZone`](sync_store::Flow::GravityZone) (the IT Glue sync has a lease of its
    /// own).
    #[error(
        "the GravityZone sync of this tenant is running in worker {holder}: try again once it has \
         finished"
    )]
    Busy {
        /// The worker holding the tenant's GravityZone lease.
        holder: String,
    },
    /// The call outlasted the tenant's GravityZone lease between two steps (another worker may
    /// hold it now); it stopped before the next step.
    #[error(
        "the GravityZone sync of this tenant lost its lease (a step took longer than the lease \
         lasts) and stopped; another worker may be running it now"
    )]
    LeaseLost,
    /// The settings were refused.
    #[error("invalid settings: {0}")]
    Settings(#[from] SettingsError),
    /// The companies page refused some changes of the batch; nothing was done. It displays
    /// as `1 change(s) of the batch were refused; nothing was done: change 2: …`, every
    /// refusal numbered from 1 as the batch's changes are.
    #[error("{} change(s) of the batch were refused; nothing was done: {}", .0.len(), refusals(.0))]
    ChangesRefused(Vec<Refusal>),
    /// A reference (a site, a company, an event) named no record, or several.
    #[error(transparent)]
    Lookup(#[from] crate::lookup::LookupError),
    /// No open event has this identity.
    #[error("no open event {}", .0.short_ref())]
    EventNotFound(EventId),
    /// The chosen action cannot be carried out for the event.
    #[error("cannot resolve the event: {0}")]
    Resolve(#[from] ResolveError),
    /// A vendor write could not be completed for a reason other than a vendor error (for
    /// example GravityZone lists no installation link for a new package yet).
    #[error("the change could not be completed: {0}")]
    ActionFailed(String),
    /// The tenant's state kept changing under this call; try again.
    #[error("the tenant's state kept changing; try again")]
    TooManyConflicts,
    /// The stored state cannot be read as the workflow expects.
    #[error("inconsistent stored state: {0}")]
    Inconsistent(String),
}

/// `"Another MSP" (5f…)`, or the id alone when the name is not known.
fn partner(id: &str, name: &Option<String>) -> String {
    match name {
        Some(name) => format!("{name:?} ({id})"),
        None => id.to_owned(),
    }
}

/// `change 1: …; change 3: …`.
fn refusals(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| format!("change {}: {}", r.index + 1, r.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl GravityZoneSyncError {
    /// Whether the vendor's side failed: credentials refused, unchecked, not the saved ones,
    /// of another account or partner, a failed call, a write that could not be completed.
    pub fn is_vendor(&self) -> bool {
        matches!(
            self,
            Self::Vendor(_)
                | Self::CredentialsRefused { .. }
                | Self::CredentialsUnchecked { .. }
                | Self::CredentialsInvalid { .. }
                | Self::CredentialsNotSaved { .. }
                | Self::WrongAccount { .. }
                | Self::WrongPartner { .. }
                | Self::ActionFailed(_)
        )
    }

    /// Whether the flow refused the request as it was asked (not connected, settings out of
    /// bounds, changes the companies page refuses, a reference naming nothing or several, an
    /// event action that does not fit): nothing was done, and asking differently may succeed.
    pub fn is_refused_request(&self) -> bool {
        matches!(
            self,
            Self::NotConnected { .. }
                | Self::Settings(_)
                | Self::ChangesRefused(_)
                | Self::Lookup(_)
                | Self::EventNotFound(_)
                | Self::Resolve(_)
        )
    }

    /// Whether the error means a vendor refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::CredentialsRefused { .. } | Self::CredentialsInvalid { .. } => true,
            Self::Vendor(e) => e.is_unauthorized(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itglue::ItGlueError;
    use crate::port::PortErrorKind;

    fn refusal() -> PortError {
        PortError::new(
            Vendor::DattoRmm,
            PortErrorKind::Unauthorized,
            "Datto RMM rejected the API key or secret key: HTTP 401: Bad credentials",
        )
    }

    #[test]
    fn the_errors_both_flows_share_read_alike() {
        type G = GravityZoneSyncError;
        type I = ItGlueError;
        let vendor = Vendor::GravityZone;
        let (expected, found) = ("acc-1".to_owned(), "acc-2".to_owned());
        let pairs = [
            (G::NotConnected { vendor }, I::NotConnected { vendor }),
            (
                G::CredentialsInvalid { vendor },
                I::CredentialsInvalid { vendor },
            ),
            (
                G::CredentialsNotSaved { vendor },
                I::CredentialsNotSaved { vendor },
            ),
            (
                G::WrongAccount {
                    expected: expected.clone(),
                    found: found.clone(),
                },
                I::WrongAccount { expected, found },
            ),
            (
                G::CredentialsRefused {
                    vendor,
                    error: refusal(),
                },
                I::CredentialsRefused {
                    vendor,
                    error: refusal(),
                },
            ),
            (
                G::CredentialsUnchecked {
                    vendor,
                    error: refusal(),
                },
                I::CredentialsUnchecked {
                    vendor,
                    error: refusal(),
                },
            ),
        ];
        for (gravityzone, itglue) in pairs {
            assert_eq!(gravityzone.to_string(), itglue.to_string());
            assert_eq!(gravityzone.is_unauthorized(), itglue.is_unauthorized());
        }
    }

    #[test]
    fn the_lease_errors_name_their_flow_and_the_holder() {
        let busy = |holder: &str| {
            (
                GravityZoneSyncError::Busy {
                    holder: holder.into(),
                }
                .to_string(),
                ItGlueError::Busy {
                    holder: holder.into(),
                }
                .to_string(),
            )
        };
        assert_eq!(
            busy("worker-2"),
            (
                "the GravityZone sync of this tenant is running in worker worker-2: try again \
                 once it has finished"
                    .to_owned(),
                "the IT Glue sync of this tenant is running in worker worker-2: try again once \
                 it has finished"
                    .to_owned()
            )
        );
        assert_eq!(
            GravityZoneSyncError::LeaseLost.to_string(),
            "the GravityZone sync of this tenant lost its lease (a step took longer than the \
             lease lasts) and stopped; another worker may be running it now"
        );
        assert_eq!(
            ItGlueError::LeaseLost.to_string(),
            "the IT Glue sync of this tenant lost its lease (a step took longer than the lease \
             lasts) and stopped; another worker may be running it now"
        );
    }

    #[test]
    fn another_partner_is_named_by_name_where_known() {
        let error = GravityZoneSyncError::WrongPartner {
            expected: "root-1".into(),
            expected_name: None,
            found: "root-2".into(),
            found_name: Some("Another MSP".into()),
        };
        assert_eq!(
            error.to_string(),
            "the GravityZone API key belongs to partner company \"Another MSP\" (root-2), not to \
             this tenant's root-1: reset the tenant to connect it to another partner"
        );
    }

    #[test]
    fn a_refusal_at_connect_says_its_cause_once() {
        let error = GravityZoneSyncError::CredentialsRefused {
            vendor: Vendor::DattoRmm,
            error: refusal(),
        };
        assert_eq!(
            error.to_string(),
            "Datto RMM rejected the API key or secret key: HTTP 401: Bad credentials; \
             nothing was saved"
        );
        assert!(std::error::Error::source(&error).is_none());
    }

    #[test]
    fn a_refused_batch_names_every_refusal_and_errors_say_whose_side_failed() {
        use sync_core::gravityzone::{Change, RefusalReason, SiteUid};
        let refused = |index| Refusal {
            index,
            change: Change::Exclude {
                site: SiteUid::new("s1"),
            },
            reason: RefusalReason::SiteNotManaged,
        };
        let error = GravityZoneSyncError::ChangesRefused(vec![refused(0), refused(2)]);
        assert_eq!(
            error.to_string(),
            "2 change(s) of the batch were refused; nothing was done: change 1: the site is not \
             a managed Datto RMM site; change 3: the site is not a managed Datto RMM site"
        );
        assert!(error.is_refused_request() && !error.is_vendor());
        let vendor = GravityZoneSyncError::Vendor(refusal());
        assert!(vendor.is_vendor() && !vendor.is_refused_request());
        let busy = GravityZoneSyncError::Busy { holder: "w".into() };
        assert!(!busy.is_vendor() && !busy.is_refused_request());
    }
}
