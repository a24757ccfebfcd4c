//! `GET /v2/account`.

use crate::models::Account;
use crate::{DattoClient, Error};

impl DattoClient {
    /// The account the API key belongs to (`GET /v2/account`).
    ///
    /// ```no_run
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let account = client.get_account().await?;
    /// println!("{:?} ({:?})", account.name, account.uid);
    /// # Ok(()) }
    /// ```
    pub async fn get_account(&self) -> Result<Account, Error> {
        self.get_json(self.url("v2/account")?).await
    }
}
