//! The Datto RMM → IT Glue flow against the fakes: a generated MSP in the Datto fake, the IT
//! Glue account planted from it, the engine on a store, the real clients — a "full sync" (run,
//! create the missing configurations and organizations, run again) and the end state it
//! leaves, described by names so two runs can be compared.

use std::collections::BTreeMap;
use std::sync::Arc;

use datto_rmm_client::DattoClient;
use itglue_client::ItGlueClient;
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig, NamedKind, PlantedMatches};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::{ClientOptions, RateLimit};
use sync_core::itglue::{ConfigurationOutcome, DeviceUid, OrganizationOutcome};
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    Actor, DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueError, ItGlueFlow,
    ItGlueLocation, Mode, NoProgress, SyncReport, discover_tenant,
};
use sync_store::{Store, TenantId};

use crate::gravityzone_world::{ATTEMPT_TIMEOUT, quick_retries};

/// The IT Glue key the fake accepts.
pub const ITGLUE_KEY: &str = "ITG.reliability00000000000000000001";

fn fast() -> RateLimit {
    RateLimit::per_second(100_000).unwrap_or_else(|_| unreachable!("a non-zero limit"))
}

/// One generated MSP, the IT Glue account planted from it, a connected flow.
pub struct ItGlueWorld {
    /// The MSP.
    pub msp: GeneratedMsp,
    /// The Datto RMM fake.
    pub datto: DattoFake,
    /// The IT Glue fake.
    pub itglue: ItGlueFake,
    /// What the IT Glue account was planted with.
    pub planted: PlantedMatches,
    /// The store.
    pub store: Arc<dyn Store>,
    /// The tenant.
    pub tenant: TenantId,
    /// The flow.
    pub flow: ItGlueFlow,
    /// `installed-by` of each configuration the account had before any sync: what names it in
    /// end states, since a sync writes its RMM marker on matched configurations.
    pub initial_installed_by: BTreeMap<u64, Option<String>>,
}

impl std::fmt::Debug for ItGlueWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueWorld")
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

/// An administrator.
pub fn admin() -> Actor {
    Actor::administrator("reliability-admin")
}

impl ItGlueWorld {
    /// The MSP of `size` generated from `seed`, both fakes, the flow connected on `store`.
    pub async fn start(seed: u64, size: MspSize, store: Arc<dyn Store>) -> Self {
        let msp = GeneratedMsp::generate(seed, size);
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        datto_config.rate_limit = None;
        let datto = DattoFake::start(datto_config).await;
        let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_KEY);
        itglue_config.rate_limit = None;
        let itglue = ItGlueFake::start(itglue_config).await;
        let planted = itglue.plant_documentation(&msp, seed);
        // The account's configuration types: the engine's default names for every kind of
        // device (an account has its own list; these are what the flow looks for).
        for name in [
            "Workstation",
            "Laptop",
            "Server",
            "Virtual Host",
            "Printer",
            "Network Device",
            "Mobile Device",
            "Other",
        ] {
            if itglue
                .named_id(NamedKind::ConfigurationType, name)
                .is_none()
            {
                itglue.add_named(NamedKind::ConfigurationType, name, false);
            }
        }
        let credentials = DattoCredentials::new(
            datto.uri(),
            datto.config().api_key.clone(),
            datto.config().api_secret.clone(),
        );
        let datto_client = DattoClient::builder()
            .api_url(datto.uri())
            .api_key(credentials.api_key.clone())
            .api_secret(credentials.api_secret.clone())
            .options(
                ClientOptions::new()
                    .rate_limit(fast())
                    .retry_policy(quick_retries())
                    .timeout(Some(ATTEMPT_TIMEOUT)),
            )
            .build()
            .unwrap_or_else(|e| panic!("Datto client: {e}"));
        let rmm = Arc::new(DattoRmmAdapter::with_client(datto_client, &credentials));
        let itglue_credentials = ItGlueCredentials {
            location: ItGlueLocation::Url(itglue.uri()),
            api_key: ITGLUE_KEY.into(),
        };
        let itglue_client = ItGlueClient::builder()
            .base_url(itglue.uri())
            .api_key(itglue_credentials.api_key.clone())
            .options(
                ClientOptions::new()
                    .rate_limit(fast())
                    .retry_policy(quick_retries())
                    .timeout(Some(ATTEMPT_TIMEOUT)),
            )
            .build()
            .unwrap_or_else(|e| panic!("IT Glue client: {e}"));
        let docs = Arc::new(ItGlueAdapter::with_client(
            itglue_client,
            &itglue_credentials,
        ));
        let tenant = discover_tenant(rmm.as_ref())
            .await
            .unwrap_or_else(|e| panic!("tenant: {e}"));
        let flow = ItGlueFlow::new(store.clone(), tenant.clone(), rmm, docs);
        flow.connect()
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let initial_installed_by = itglue
            .configurations()
            .into_iter()
            .map(|c| (c.id, c.installed_by))
            .collect();
        Self {
            msp,
            datto,
            itglue,
            planted,
            store,
            tenant,
            flow,
            initial_installed_by,
        }
    }

    /// A run, then the missing configurations of every matched organization created, then
    /// an organization created for every group nothing matched or suggested, then a run
    /// again. Refusals of a create (a name already taken) are part of the outcome, not
    /// failures; the first failure is returned.
    pub async fn full_sync(&self) -> Result<SyncReport, ItGlueError> {
        let report = self.flow.run(&NoProgress).await?;
        for organization in &report.organizations {
            let missing: Vec<DeviceUid> = organization
                .devices
                .iter()
                .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
                .map(|d| d.device.uid.clone())
                .collect();
            if !missing.is_empty() {
                self.flow
                    .create_configurations(&admin(), &report, &missing, Mode::Apply)
                    .await?;
            }
        }
        for group in &report.groups {
            if matches!(
                group.outcome,
                OrganizationOutcome::Unmatched | OrganizationOutcome::WeakSuggestion { .. }
            ) {
                match self
                    .flow
                    .create_organization(
                        &admin(),
                        &report,
                        &group.group.id,
                        None,
                        false,
                        Mode::Apply,
                    )
                    .await
                {
                    Ok(_) => {}
                    Err(e) if is_refusal(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.flow.run(&NoProgress).await
    }

    /// The end state, by names.
    pub async fn end_state(&self) -> ItGlueEndState {
        end_state_since(
            &self.itglue,
            self.store.as_ref(),
            &self.tenant,
            &self.initial_installed_by,
        )
        .await
    }
}

/// The end state of `tenant` in `store` and in the IT Glue fake, by names.
pub async fn end_state_of(
    itglue: &ItGlueFake,
    store: &dyn Store,
    tenant: &TenantId,
) -> ItGlueEndState {
    end_state_since(itglue, store, tenant, &BTreeMap::new()).await
}

/// [`end_state_of`], the configurations of `initial_installed_by` keyed by the `installed-by`
/// they had at the start (a matched configuration stays the same object when the sync writes
/// its marker; a created one is told apart by the marker it was created with).
pub async fn end_state_since(
    itglue: &ItGlueFake,
    store: &dyn Store,
    tenant: &TenantId,
    initial_installed_by: &BTreeMap<u64, Option<String>>,
) -> ItGlueEndState {
    let organizations = itglue.organizations();
    let org_name: BTreeMap<u64, String> = organizations
        .iter()
        .map(|o| (o.id, o.name.clone()))
        .collect();
    let name = |id: u64| {
        org_name
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("<gone {id}>"))
    };
    let mut organization_names: BTreeMap<String, usize> = BTreeMap::new();
    for organization in &organizations {
        *organization_names
            .entry(organization.name.clone())
            .or_default() += 1;
    }
    let configurations = itglue.configurations();
    let config_name: BTreeMap<u64, String> = configurations
        .iter()
        .map(|c| (c.id, format!("{} in {}", c.name, name(c.organization_id))))
        .collect();
    let mut configuration_keys: BTreeMap<String, usize> = BTreeMap::new();
    for configuration in &configurations {
        let key = format!(
            "{} [{}]",
            config_name
                .get(&configuration.id)
                .cloned()
                .unwrap_or_default(),
            initial_installed_by
                .get(&configuration.id)
                .unwrap_or(&configuration.installed_by)
                .clone()
                .unwrap_or_default()
        );
        *configuration_keys.entry(key).or_default() += 1;
    }
    let mut markers: BTreeMap<String, usize> = BTreeMap::new();
    for configuration in &configurations {
        // A configuration the account had before the sync counts with the marker it had then
        // (the sync writes its marker on matched ones, perhaps only at a later sync).
        let installed_by = initial_installed_by
            .get(&configuration.id)
            .unwrap_or(&configuration.installed_by);
        if let Some(marker) = installed_by.as_deref().filter(|m| m.starts_with("RMM:")) {
            *markers.entry(marker.to_owned()).or_default() += 1;
        }
    }
    let state = store
        .state(tenant)
        .await
        .unwrap_or_else(|e| panic!("state: {e}"));
    let organization_matches = state
        .itglue
        .organization_matches
        .iter()
        .map(|m| (format!("{:?}", m.group()), name(m.organization().0)))
        .collect();
    let device_matches = state
        .itglue
        .device_matches
        .iter()
        .map(|m| {
            (
                m.device.as_str().to_owned(),
                config_name
                    .get(&m.configuration.0)
                    .cloned()
                    .unwrap_or_else(|| format!("<gone {}>", m.configuration.0)),
            )
        })
        .collect();
    ItGlueEndState {
        organizations: organization_names,
        configurations: configuration_keys,
        markers,
        organization_matches,
        device_matches,
    }
}

/// Whether an action was refused by a rule (not failed): the organization exists already.
fn is_refusal(error: &ItGlueError) -> bool {
    matches!(error, ItGlueError::DuplicateOrganization { .. })
}

/// What a full sync leaves, by names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItGlueEndState {
    /// Organization name → how many organizations.
    pub organizations: BTreeMap<String, usize>,
    /// "configuration in organization [installed-by]" → how many.
    pub configurations: BTreeMap<String, usize>,
    /// RMM marker → how many configurations carry it (one device, one configuration).
    pub markers: BTreeMap<String, usize>,
    /// Group → organization name, as stored.
    pub organization_matches: BTreeMap<String, String>,
    /// Device uid → configuration, as stored.
    pub device_matches: BTreeMap<String, String>,
}

impl ItGlueEndState {
    /// Objects that exist more than once: organizations of one name a sync created,
    /// configurations, or two configurations of one device.
    pub fn duplicates(&self, initial: &ItGlueEndState) -> Vec<String> {
        let mut duplicates = Vec::new();
        for (name, n) in &self.organizations {
            if *n > initial.organizations.get(name).copied().unwrap_or(1).max(1) {
                duplicates.push(format!("organization {name} ×{n}"));
            }
        }
        for (key, n) in &self.configurations {
            if *n > initial.configurations.get(key).copied().unwrap_or(1).max(1) {
                duplicates.push(format!("configuration {key} ×{n}"));
            }
        }
        for (marker, n) in &self.markers {
            if *n > initial.markers.get(marker).copied().unwrap_or(1).max(1) {
                duplicates.push(format!("marker {marker} ×{n}"));
            }
        }
        duplicates
    }

    /// What this state holds that `reference` does not.
    pub fn beyond(&self, reference: &ItGlueEndState) -> Vec<String> {
        let mut extra = Vec::new();
        for (what, mine, theirs) in [
            (
                "organization",
                &self.organizations,
                &reference.organizations,
            ),
            (
                "configuration",
                &self.configurations,
                &reference.configurations,
            ),
        ] {
            for (key, n) in mine {
                if theirs.get(key).is_none_or(|m| n > m) {
                    extra.push(format!("{what} {key} ×{n}"));
                }
            }
        }
        for (what, mine, theirs) in [
            (
                "organization match",
                &self.organization_matches,
                &reference.organization_matches,
            ),
            (
                "device match",
                &self.device_matches,
                &reference.device_matches,
            ),
        ] {
            for (key, value) in mine {
                if theirs.get(key) != Some(value) {
                    extra.push(format!("{what} {key} → {value}"));
                }
            }
        }
        extra
    }

    /// What `earlier` and `reference` both hold that this state lost: organizations,
    /// configurations or stored matches removed although a fault-free run keeps them (the mark
    /// of acting on a partial list).
    pub fn lost(&self, earlier: &ItGlueEndState, reference: &ItGlueEndState) -> Vec<String> {
        let mut lost = Vec::new();
        for (what, mine, before, theirs) in [
            (
                "organization",
                &self.organizations,
                &earlier.organizations,
                &reference.organizations,
            ),
            (
                "configuration",
                &self.configurations,
                &earlier.configurations,
                &reference.configurations,
            ),
        ] {
            for key in before.keys() {
                if theirs.contains_key(key) && !mine.contains_key(key) {
                    lost.push(format!("{what} {key}"));
                }
            }
        }
        for (what, mine, before, theirs) in [
            (
                "organization match",
                &self.organization_matches,
                &earlier.organization_matches,
                &reference.organization_matches,
            ),
            (
                "device match",
                &self.device_matches,
                &earlier.device_matches,
                &reference.device_matches,
            ),
        ] {
            for (key, value) in before {
                if theirs.get(key) == Some(value) && mine.get(key) != Some(value) {
                    lost.push(format!("{what} {key} → {value}"));
                }
            }
        }
        lost
    }
}
