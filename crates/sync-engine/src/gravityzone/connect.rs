//! Connecting a tenant, and its settings.

use sync_core::gravityzone::{CompanyId, Settings};
use sync_store::{ConnectionDetails, CredentialStatus, TenantId, Vendor};
use tracing::Instrument;

use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::settings_words::SettingsChange;
use super::state::StateEdit;
use super::sync::GravityZoneSync;
use crate::port::{PortError, PortErrorKind};

impl GravityZoneSync {
    /// Connects a tenant: checks the Datto RMM credentials (their account names the tenant) and
    /// the GravityZone key (it must reach the companies, licensing, packages and network APIs),
    /// then saves both integrations — connection details and credential fingerprints, never
    /// the secrets — as working. Nothing is saved when a check fails: refused credentials (or
    /// a key lacking API areas) give [`GravityZoneSyncError::CredentialsRefused`], a vendor that
    /// cannot be reached [`GravityZoneSyncError::CredentialsUnchecked`].
    ///
    /// Several administrators may connect to one tenant with their own credentials: they share
    /// its settings, associations and events; the last credentials saved are the ones the
    /// scheduler's passes are checked against. A GravityZone key of another partner (another
    /// root company) than the one the tenant was first connected to is refused with
    /// [`GravityZoneSyncError::WrongPartner`] until the tenant is reset.
    pub async fn connect(
        &self,
        connection: &TenantConnection,
    ) -> Result<TenantId, GravityZoneSyncError> {
        async {
            let account = check(Vendor::DattoRmm, connection.datto.account_uid().await)?;
            let tenant = TenantId::new(&connection.datto_api_url, &account)?;
            check(
                Vendor::GravityZone,
                connection.gravityzone.check_api_key().await,
            )?;
            // One partner per tenant: a key of another root company is refused until the
            // tenant is reset (the document's "Reset Tenant … to change the GravityZone
            // company"). The Datto RMM account names the tenant itself, so credentials of
            // another account connect another tenant.
            let root = check(
                Vendor::GravityZone,
                connection.gravityzone.root_company().await,
            )?;
            let view = self.view(&tenant).await?;
            if let Some(expected) = view
                .integrations
                .get(&Vendor::GravityZone)
                .and_then(|i| i.connection.account.clone())
                && expected != root.as_str()
            {
                // The names, where the key given can see the companies (a refusal anyway: a
                // failed lookup only leaves the name out).
                let name = |id: CompanyId| async move {
                    let company = connection.gravityzone.company(&id).await;
                    company.ok().flatten().map(|c| c.name)
                };
                return Err(GravityZoneSyncError::WrongPartner {
                    expected_name: name(CompanyId::new(expected.clone())).await,
                    expected,
                    found_name: name(root.clone()).await,
                    found: root.to_string(),
                });
            }
            let details = [
                (
                    Vendor::DattoRmm,
                    ConnectionDetails {
                        url: Some(tenant.api_url().to_owned()),
                        ..ConnectionDetails::default()
                    },
                    connection.datto_fingerprint.clone(),
                ),
                (
                    Vendor::GravityZone,
                    ConnectionDetails {
                        url: Some(connection.gravityzone_access_url.trim().to_owned()),
                        account: Some(root.to_string()),
                        ..ConnectionDetails::default()
                    },
                    connection.gravityzone_fingerprint.clone(),
                ),
            ];
            let edits: Vec<StateEdit> = details
                .iter()
                .map(
                    |(vendor, details, fingerprint)| StateEdit::SaveIntegration {
                        vendor: *vendor,
                        connection: details.clone(),
                        fingerprint: fingerprint.clone(),
                    },
                )
                .collect();
            self.commit(&tenant, &edits).await?;
            let now = self.clock.now();
            for (vendor, _, fingerprint) in &details {
                self.store
                    .set_credential_status(
                        &tenant,
                        *vendor,
                        fingerprint,
                        CredentialStatus::Valid,
                        now,
                    )
                    .await?;
            }
            tracing::info!(%tenant, "tenant connected");
            Ok(tenant)
        }
        .instrument(tracing::info_span!("gravityzone_connect"))
        .await
    }

    /// The tenant's settings (the defaults until they are first saved).
    pub async fn settings(&self, tenant: &TenantId) -> Result<Settings, GravityZoneSyncError> {
        Ok(self.view(tenant).await?.settings)
    }

    /// Changes some of the tenant's settings (the others stay as they are), checks and saves
    /// them in one call, and returns them as saved.
    ///
    /// ```
    /// # async fn run(sync: sync_engine::gravityzone::GravityZoneSync, tenant: sync_store::TenantId)
    /// # -> Result<(), sync_engine::gravityzone::GravityZoneSyncError> {
    /// use sync_core::gravityzone::SyncLevel;
    /// use sync_engine::gravityzone::SettingsChange;
    ///
    /// let mut change = SettingsChange::default();
    /// change.level = Some(SyncLevel::AutomaticInventorySync);
    /// let saved = sync.change_settings(&tenant, &change).await?;
    /// assert_eq!(saved.level, SyncLevel::AutomaticInventorySync);
    /// # Ok(()) }
    /// ```
    pub async fn change_settings(
        &self,
        tenant: &TenantId,
        change: &SettingsChange,
    ) -> Result<Settings, GravityZoneSyncError> {
        let changed = change.apply(self.settings(tenant).await?);
        self.update_settings(tenant, &changed).await?;
        Ok(changed)
    }

    /// Saves the tenant's settings after checking them; they apply from the next pass.
    pub async fn update_settings(
        &self,
        tenant: &TenantId,
        settings: &Settings,
    ) -> Result<(), GravityZoneSyncError> {
        settings.validate()?;
        self.commit(tenant, &[StateEdit::SaveSettings(settings.clone())])
            .await?;
        tracing::info!(%tenant, ?settings, "GravityZone settings saved");
        Ok(())
    }
}

/// A refusal of the credentials (or of an API area the key lacks) while connecting, or a failure
/// to check them.
fn check<T>(vendor: Vendor, answer: Result<T, PortError>) -> Result<T, GravityZoneSyncError> {
    answer.map_err(|error| match error.kind {
        PortErrorKind::Unauthorized | PortErrorKind::ApiNotEnabled { .. } => {
            GravityZoneSyncError::CredentialsRefused { vendor, error }
        }
        _ => GravityZoneSyncError::CredentialsUnchecked { vendor, error },
    })
}
