//! Licensing API (`{access}/v1.0/jsonrpc/licensing`, 5 requests per second per key).

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::CompanyId;
use crate::models::{ApiArea, LicenseInfo, LicenseInfoResult};
use crate::params;

const LICENSING: ApiArea = ApiArea::Licensing;

impl GravityZoneClient {
    /// `getLicenseInfo`: the licence of `company_id` (default: the key's company).
    ///
    /// Documented as an array but seen as a single object (probably an array only with
    /// `returnAllProducts`); both come back as a list.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::CompanyId;
    /// let company = CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c");
    /// for licence in client.get_license_info(Some(&company), false).await? {
    ///     println!("{:?} of {:?} seats used", licence.used_slots, licence.total_slots);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_license_info(
        &self,
        company_id: Option<&CompanyId>,
        return_all_products: bool,
    ) -> Result<Vec<LicenseInfo>, Error> {
        let params = params::LicenseInfo {
            company_id,
            return_all_products,
        };
        let LicenseInfoResult(list) = self
            .call(MethodSpec::read(&LICENSING, "getLicenseInfo"), &params)
            .await?;
        Ok(list)
    }
}
