//! Moving a company under another partner: `network/moveCompanyOrCompanyFolder`.
//!
//! **The parameters are a guess.** Bitdefender's rate-limit table lists the method (30
//! requests per minute) but its reference page was not found. The guess follows the Network
//! API's own naming for moves (`moveCustomGroup` takes the moved item's id and `parentId`;
//! `getCompaniesList` calls the managing partner or company folder `parentId`):
//!
//! ```json
//! {"companyId": "<company or company-folder id>", "parentId": "<destination partner or folder id>"}
//! ```
//!
//! and the result is expected to be `null`, like the other moves. Everything that depends on
//! the guess is in this module: if a live console disagrees, change `move_params` and the
//! fake in `msp-fakes` (which mirrors this guess, so it cannot confirm it).

use serde_json::Value;

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::CompanyId;
use crate::models::ApiArea;
use crate::params::MoveCompany;

/// The method name (confirmed by the rate-limit table).
const MOVE_METHOD: &str = "moveCompanyOrCompanyFolder";

/// The parameters of the move (unconfirmed; see the module documentation).
fn move_params<'a>(company_id: &'a CompanyId, new_parent_id: &'a CompanyId) -> MoveCompany<'a> {
    MoveCompany {
        company_id,
        parent_id: new_parent_id,
    }
}

impl GravityZoneClient {
    /// Moves a company (or company folder) under the partner company or folder
    /// `new_parent_id`, e.g. back under the MSP's root after someone moved it in the console.
    ///
    /// In the 30-requests-per-minute class. The parameter names are **unconfirmed**: see the
    /// [`company_move`](crate::company_move) module.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::CompanyId;
    /// let company = CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c");
    /// client.move_company(&company, &CompanyId::new("5e5d3f4a1b2c3d4e5f6a0000")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn move_company(
        &self,
        company_id: &CompanyId,
        new_parent_id: &CompanyId,
    ) -> Result<(), Error> {
        let _ignored: Value = self
            .call(
                MethodSpec::write(&ApiArea::Network, MOVE_METHOD),
                &move_params(company_id, new_parent_id),
            )
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_guess_names_the_company_and_its_new_parent() {
        assert_eq!(
            serde_json::to_value(move_params(&CompanyId::new("c"), &CompanyId::new("p"))).unwrap(),
            json!({"companyId": "c", "parentId": "p"})
        );
    }
}
