//! `system/status`, `system/request_rate`, `system/pagination`.

use crate::client::Call;
use crate::models::{PaginationConfiguration, RequestRate, SystemStatus};
use crate::{DattoClient, Error};

impl DattoClient {
    /// The API's status and version (`GET /v2/system/status`). Needs no token: a cheap probe
    /// of connectivity and of the API URL.
    ///
    /// ```no_run
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let status = client.get_system_status().await?;
    /// println!("Datto RMM {:?} is {:?}", status.version, status.status);
    /// # Ok(()) }
    /// ```
    pub async fn get_system_status(&self) -> Result<SystemStatus, Error> {
        let call = Call::get(self.url("v2/system/status")?).unauthenticated();
        Ok(self.send(call).await?.json()?)
    }

    /// The account's request counts and limits in the current window
    /// (`GET /v2/system/request_rate`).
    pub async fn get_request_rate(&self) -> Result<RequestRate, Error> {
        self.get_json(self.url("v2/system/request_rate")?).await
    }

    /// The page size Datto uses (`GET /v2/system/pagination`, 250 in practice).
    pub async fn get_pagination(&self) -> Result<PaginationConfiguration, Error> {
        self.get_json(self.url("v2/system/pagination")?).await
    }
}
