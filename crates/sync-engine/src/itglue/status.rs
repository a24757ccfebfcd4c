//! Where the tenant's IT Glue sync stands: whether its credentials work, and its last runs.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sync_store::{CredentialStatus, Flow, RunCounts, RunStatus, SyncRun, Vendor};

use super::error::ItGlueError;
use super::flow::ItGlueFlow;

/// Where the tenant's IT Glue sync stands (`itglue-sync status`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FlowStatus {
    /// The tenant (`account@api-url`).
    pub tenant: String,
    /// The status of each vendor's saved credentials (Datto RMM, IT Glue; a vendor never
    /// connected is left out).
    pub credentials: Vec<CredentialsView>,
    /// The last runs of the flow, newest first.
    pub runs: Vec<RunView>,
}

impl FlowStatus {
    /// The tenant and whether each vendor's credentials work, in words (`Tenant …`, then
    /// `  Datto RMM credentials: working`, …); the runs are [`RunView`] rows.
    pub fn lines(&self) -> Vec<String> {
        let credentials = self.credentials.iter().map(|c| {
            let vendor = super::ports::vendor_name(c.vendor);
            format!("  {vendor} credentials: {}", c.words())
        });
        std::iter::once(format!("Tenant {}", self.tenant))
            .chain(credentials)
            .collect()
    }
}

/// One vendor's saved credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CredentialsView {
    /// The vendor (`datto`, `itglue`).
    #[serde(serialize_with = "vendor_text")]
    pub vendor: Vendor,
    /// `valid`, `invalid` or `unknown`.
    #[serde(serialize_with = "status_text")]
    pub status: CredentialStatus,
}

impl CredentialsView {
    /// What the status means for the user: `working`, `refused: connect with new
    /// credentials`, `not checked yet`.
    pub fn words(&self) -> &'static str {
        match self.status {
            CredentialStatus::Valid => "working",
            CredentialStatus::Invalid => "refused: connect with new credentials",
            _ => "not checked yet",
        }
    }
}

/// One run as the status shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RunView {
    /// The run's number.
    pub run: i64,
    /// `Syncing…`, `OK` or `Failed: reason`.
    pub status: String,
    /// Whether it finished without error.
    pub ok: bool,
    /// When it started (RFC 3339 in JSON).
    #[serde(serialize_with = "rfc3339")]
    pub started_at: DateTime<Utc>,
    /// When it finished (RFC 3339 in JSON), if it did.
    #[serde(serialize_with = "maybe_rfc3339")]
    pub finished_at: Option<DateTime<Utc>>,
    /// What it counted.
    pub counts: RunCounts,
}

impl RunView {
    /// A count of the run as text, `-` when the run has none of that name.
    pub fn count(&self, name: &str) -> String {
        self.counts
            .get(name)
            .map_or_else(|| "-".to_owned(), u64::to_string)
    }
}

impl From<&SyncRun> for RunView {
    fn from(run: &SyncRun) -> Self {
        Self {
            run: run.id.0,
            status: run.status.to_string(),
            ok: run.status == RunStatus::Ok,
            started_at: run.started_at,
            finished_at: run.finished_at,
            counts: run.counts.clone(),
        }
    }
}

fn rfc3339<S: serde::Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339())
}

fn maybe_rfc3339<S: serde::Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, serializer),
        None => serializer.serialize_none(),
    }
}

fn vendor_text<S: serde::Serializer>(vendor: &Vendor, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(vendor.as_str())
}

fn status_text<S: serde::Serializer>(
    status: &CredentialStatus,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(status.as_str())
}

impl ItGlueFlow {
    /// The status of the tenant's credentials and its last `runs` IT Glue runs (read from the
    /// store; no vendor call).
    pub async fn status(&self, runs: usize) -> Result<FlowStatus, ItGlueError> {
        let state = self.store.state(&self.tenant).await?;
        let listed = self
            .store
            .runs(&self.tenant, Some(Flow::ItGlue), runs)
            .await?;
        let credentials = [Vendor::DattoRmm, Vendor::ItGlue]
            .into_iter()
            .filter_map(|vendor| {
                let status = state.integrations.get(&vendor)?.status;
                Some(CredentialsView { vendor, status })
            })
            .collect();
        Ok(FlowStatus {
            tenant: self.tenant.to_string(),
            credentials,
            runs: listed.iter().map(RunView::from).collect(),
        })
    }
}
