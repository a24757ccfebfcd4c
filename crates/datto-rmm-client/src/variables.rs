//! Site and account variables: list, create, update, delete, and an upsert for site
//! variables.
//!
//! Datto's variable writes answer without a body, and there is no endpoint that reads one
//! variable: to learn a variable's id, list the variables and find it by name.

use msp_transport::Method;

use crate::client::{Call, WriteOperation};
use crate::models::Variable;
use crate::models::page::VariablesPage;
use crate::models::variable::{CreateVariable, UpdateVariable};
use crate::pagination::PageStream;
use crate::sites::path_segment;
use crate::{DattoClient, Error, SiteUid, VariableId};

/// Where a variable lives.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Site(&'a SiteUid),
    Account,
}

impl Scope<'_> {
    fn list_path(self) -> String {
        match self {
            Scope::Site(uid) => format!("v2/site/{}/variables", path_segment(uid.as_str())),
            Scope::Account => "v2/account/variables".to_owned(),
        }
    }

    fn create_path(self) -> String {
        match self {
            Scope::Site(uid) => format!("v2/site/{}/variable", path_segment(uid.as_str())),
            Scope::Account => "v2/account/variable".to_owned(),
        }
    }

    fn item_path(self, id: VariableId) -> String {
        format!("{}/{id}", self.create_path())
    }

    fn operations(self) -> [WriteOperation; 3] {
        match self {
            Scope::Site(_) => [
                WriteOperation::SiteVariableCreate,
                WriteOperation::SiteVariableUpdate,
                WriteOperation::SiteVariableDelete,
            ],
            Scope::Account => [
                WriteOperation::AccountVariableCreate,
                WriteOperation::AccountVariableUpdate,
                WriteOperation::AccountVariableDelete,
            ],
        }
    }
}

impl DattoClient {
    fn variables_of(&self, scope: Scope<'_>) -> PageStream<Variable> {
        self.pages::<VariablesPage>(&scope.list_path(), &[])
    }

    async fn create_variable(
        &self,
        scope: Scope<'_>,
        name: &str,
        value: &str,
        masked: bool,
    ) -> Result<(), Error> {
        let body = CreateVariable {
            name,
            value,
            masked,
        };
        // Datto creates with PUT; a blind retry could create the variable twice.
        let call = Call::write(
            Method::PUT,
            self.url(&scope.create_path())?,
            Some(&body),
            false,
            scope.operations()[0],
        )?;
        self.send(call).await.map(drop)
    }

    async fn update_variable(
        &self,
        scope: Scope<'_>,
        id: VariableId,
        name: &str,
        value: &str,
    ) -> Result<(), Error> {
        let body = UpdateVariable { name, value };
        let call = Call::write(
            Method::POST,
            self.url(&scope.item_path(id))?,
            Some(&body),
            true,
            scope.operations()[1],
        )?;
        self.send(call).await.map(drop)
    }

    async fn delete_variable(&self, scope: Scope<'_>, id: VariableId) -> Result<(), Error> {
        let call = Call::write::<()>(
            Method::DELETE,
            self.url(&scope.item_path(id))?,
            None,
            true,
            scope.operations()[2],
        )?;
        self.send(call).await.map(drop)
    }

    /// A site's variables (`GET /v2/site/{siteUid}/variables`, paged).
    pub fn list_site_variables(&self, site_uid: &SiteUid) -> PageStream<Variable> {
        self.variables_of(Scope::Site(site_uid))
    }

    /// Creates a site variable (`PUT /v2/site/{siteUid}/variable`). Datto answers without a
    /// body; list the variables to learn the new id, or use
    /// [`DattoClient::upsert_site_variable`].
    pub async fn create_site_variable(
        &self,
        site_uid: &SiteUid,
        name: &str,
        value: &str,
        masked: bool,
    ) -> Result<(), Error> {
        self.create_variable(Scope::Site(site_uid), name, value, masked)
            .await
    }

    /// Changes a site variable's name and value (`POST /v2/site/{siteUid}/variable/{id}`).
    /// Whether it is masked cannot change after creation.
    pub async fn update_site_variable(
        &self,
        site_uid: &SiteUid,
        variable_id: VariableId,
        name: &str,
        value: &str,
    ) -> Result<(), Error> {
        self.update_variable(Scope::Site(site_uid), variable_id, name, value)
            .await
    }

    /// Deletes a site variable (`DELETE /v2/site/{siteUid}/variable/{id}`).
    pub async fn delete_site_variable(
        &self,
        site_uid: &SiteUid,
        variable_id: VariableId,
    ) -> Result<(), Error> {
        self.delete_variable(Scope::Site(site_uid), variable_id)
            .await
    }

    /// Sets the site variable `name` to `value`, creating it when it does not exist, and
    /// returns it as Datto lists it afterwards.
    ///
    /// Lists the site's variables; updates the one called `name` (skipping the write when an
    /// unmasked value is already equal), or creates it. When the create fails in a way that may
    /// have reached Datto, or Datto reports a conflict, the list is read again so a variable that
    /// was created anyway is updated rather than duplicated. `masked` applies to a new variable
    /// only: Datto cannot change it later.
    ///
    /// ```no_run
    /// use datto_rmm_client::SiteUid;
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let link = "https://cloud.gravityzone.bitdefender.com/Packages/…";
    /// let site = SiteUid::new("site-uid");
    /// let variable = client.upsert_site_variable(&site, "GravityZonePackageLink", link, false).await?;
    /// println!("variable id {:?}", variable.id);
    /// # Ok(()) }
    /// ```
    pub async fn upsert_site_variable(
        &self,
        site_uid: &SiteUid,
        name: &str,
        value: &str,
        masked: bool,
    ) -> Result<Variable, Error> {
        let scope = Scope::Site(site_uid);
        let existing = self.find_variable(scope, name).await?;
        match existing {
            Some(variable) => {
                let unchanged =
                    variable.masked != Some(true) && variable.value.as_deref() == Some(value);
                if unchanged {
                    return Ok(variable);
                }
                let id = variable_id(&variable, name)?;
                self.update_variable(scope, id, name, value).await?;
            }
            None => match self.create_variable(scope, name, value, masked).await {
                Ok(()) => {}
                Err(error) if error.may_have_been_sent() || is_conflict(&error) => {
                    tracing::debug!(%error, "variable create failed; checking whether it exists");
                    let variable = self.find_variable(scope, name).await?.ok_or(error)?;
                    let id = variable_id(&variable, name)?;
                    self.update_variable(scope, id, name, value).await?;
                }
                Err(error) => return Err(error),
            },
        }
        self.find_variable(scope, name)
            .await?
            .ok_or_else(|| Error::VariableNotFound {
                name: name.to_owned(),
            })
    }

    async fn find_variable(&self, scope: Scope<'_>, name: &str) -> Result<Option<Variable>, Error> {
        let variables = self.variables_of(scope).collect_all().await?;
        Ok(variables
            .into_iter()
            .find(|v| v.name.as_deref() == Some(name)))
    }

    /// The account's variables (`GET /v2/account/variables`, paged).
    pub fn list_account_variables(&self) -> PageStream<Variable> {
        self.variables_of(Scope::Account)
    }

    /// Creates an account variable (`PUT /v2/account/variable`); no body comes back.
    pub async fn create_account_variable(
        &self,
        name: &str,
        value: &str,
        masked: bool,
    ) -> Result<(), Error> {
        self.create_variable(Scope::Account, name, value, masked)
            .await
    }

    /// Changes an account variable's name and value (`POST /v2/account/variable/{id}`).
    pub async fn update_account_variable(
        &self,
        variable_id: VariableId,
        name: &str,
        value: &str,
    ) -> Result<(), Error> {
        self.update_variable(Scope::Account, variable_id, name, value)
            .await
    }

    /// Deletes an account variable (`DELETE /v2/account/variable/{id}`).
    pub async fn delete_account_variable(&self, variable_id: VariableId) -> Result<(), Error> {
        self.delete_variable(Scope::Account, variable_id).await
    }
}

fn variable_id(variable: &Variable, name: &str) -> Result<VariableId, Error> {
    variable.id.ok_or_else(|| Error::InvalidPage {
        message: format!("variable {name:?} is listed without an id"),
    })
}

fn is_conflict(error: &Error) -> bool {
    matches!(
        error,
        Error::Transport(msp_transport::Error::Vendor { status: 409, .. })
    )
}
