//! General API: the credential check.

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::models::{ApiArea, ApiKeyDetails};
use crate::params::NoParams;

const GENERAL: ApiArea = ApiArea::General;

impl GravityZoneClient {
    /// `general/getApiKeyDetails`: the cheapest call that proves the key works, and which API
    /// areas it may call.
    ///
    /// An invalid key fails with an error whose [`Error::is_unauthorized`] is true.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::ApiArea;
    /// let details = client.get_api_key_details().await?;
    /// if details.allows(&ApiArea::Packages) == Some(false) {
    ///     eprintln!("tick Packages on the API key");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_api_key_details(&self) -> Result<ApiKeyDetails, Error> {
        self.call(MethodSpec::read(&GENERAL, "getApiKeyDetails"), &NoParams {})
            .await
    }

    /// Checks the key and that it may call every area in `required`; the first missing area
    /// is reported as [`Error::ApiNotEnabled`].
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::ApiArea;
    /// client.require_api_areas(&[ApiArea::Companies, ApiArea::Network, ApiArea::Packages]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn require_api_areas(&self, required: &[ApiArea]) -> Result<ApiKeyDetails, Error> {
        let details = self.get_api_key_details().await?;
        if let Some(area) = details.missing(required).first() {
            return Err(Error::ApiNotEnabled {
                area: (*area).clone(),
                details: "getApiKeyDetails does not list it among the key's enabled APIs".into(),
            });
        }
        Ok(details)
    }
}
