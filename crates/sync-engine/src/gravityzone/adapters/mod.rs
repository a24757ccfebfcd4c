//! The ports over the real vendor clients: [`GravityZoneAdapter`] over `gravityzone-client`
//! and (shared with the IT Glue flow, re-exported here) [`DattoRmmAdapter`] over
//! `datto-rmm-client`, turning their models into `sync-core`
//! types and their errors into [`PortError`]s. The msp-fakes fakes are
//! reached through the same adapters (the clients pointed at the fakes' URLs).

mod gravityzone;

use std::sync::Arc;

use msp_transport::ClientOptions;

pub use crate::datto::DattoRmmAdapter;
pub use gravityzone::{
    GravityZoneAdapter, REQUIRED_API_AREAS, modules_of, new_package,
    port_error as gravityzone_port_error,
};

use super::connection::TenantConnection;
use super::credentials::{DattoCredentials, GravityZoneCredentials};
use super::ports::PortError;

impl TenantConnection {
    /// A connection through the real clients built from `datto` and `gravityzone`, with the
    /// credentials' fingerprints.
    pub fn from_credentials(
        datto: &DattoCredentials,
        gravityzone: &GravityZoneCredentials,
    ) -> Result<Self, PortError> {
        Ok(Self::from_adapters(
            datto,
            DattoRmmAdapter::from_credentials(datto)?,
            gravityzone,
            GravityZoneAdapter::from_credentials(gravityzone)?,
        ))
    }

    /// [`from_credentials`](Self::from_credentials) with the clients built with `options`
    /// (limits, retries, timeouts, user agent; a base URL in them is ignored: each client
    /// reaches its vendor at the credentials' URL).
    ///
    /// ```
    /// use msp_transport::ClientOptions;
    /// use sync_engine::gravityzone::{DattoCredentials, GravityZoneCredentials, TenantConnection};
    ///
    /// let connection = TenantConnection::from_credentials_with(
    ///     &DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret"),
    ///     &GravityZoneCredentials::new("https://cloudgz.gravityzone.bitdefender.com/api", "gz"),
    ///     &ClientOptions::default().user_agent("msp-sync-doc"),
    /// )
    /// .unwrap();
    /// assert_eq!(connection.datto_api_url, "https://merlot-api.centrastage.net");
    /// ```
    pub fn from_credentials_with(
        datto: &DattoCredentials,
        gravityzone: &GravityZoneCredentials,
        options: &ClientOptions,
    ) -> Result<Self, PortError> {
        Ok(Self::from_adapters(
            datto,
            DattoRmmAdapter::from_credentials_with(datto, options)?,
            gravityzone,
            GravityZoneAdapter::from_credentials_with(gravityzone, options)?,
        ))
    }

    /// A connection through adapters over clients built by the caller (each adapter's
    /// `from_credentials_with` takes the client options: limits, retries, timeouts), with the
    /// fingerprints of the credentials they were built with.
    pub fn from_adapters(
        datto_credentials: &DattoCredentials,
        datto: DattoRmmAdapter,
        gravityzone_credentials: &GravityZoneCredentials,
        gravityzone: GravityZoneAdapter,
    ) -> Self {
        Self::new(
            datto_credentials.api_url.trim(),
            Arc::new(datto),
            datto_credentials.fingerprint(),
            gravityzone_credentials.access_url.trim(),
            Arc::new(gravityzone),
            gravityzone_credentials.fingerprint(),
        )
    }
}
