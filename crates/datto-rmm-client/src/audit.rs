//! `GET /v2/audit/device/{deviceUid}`.

use crate::models::DeviceAudit;
use crate::sites::path_segment;
use crate::{DattoClient, DeviceUid, Error};

impl DattoClient {
    /// The hardware audit of a device of class `device`: BIOS serial number, manufacturer,
    /// model and network interfaces (`GET /v2/audit/device/{deviceUid}`).
    ///
    /// Datto answers `400` for printers, ESXi hosts and network devices; that is
    /// [`Error::NotAGenericDevice`]. Check [`Device::has_device_audit`] first to save the call.
    ///
    /// [`Device::has_device_audit`]: crate::models::Device::has_device_audit
    ///
    /// ```no_run
    /// use datto_rmm_client::DeviceUid;
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let audit = client.get_device_audit(&DeviceUid::new("device-uid")).await?;
    /// println!("serial {:?}, {} NICs", audit.serial_number(), audit.nics.len());
    /// # Ok(()) }
    /// ```
    pub async fn get_device_audit(&self, device_uid: &DeviceUid) -> Result<DeviceAudit, Error> {
        let url = self.url(&format!(
            "v2/audit/device/{}",
            path_segment(device_uid.as_str())
        ))?;
        match self.get_json(url).await {
            Err(Error::Transport(msp_transport::Error::Vendor { status: 400, .. })) => {
                Err(Error::NotAGenericDevice {
                    device_uid: device_uid.clone(),
                })
            }
            other => other,
        }
    }
}
