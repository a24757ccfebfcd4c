//! Companies API (`{access}/v1.0/jsonrpc/companies`): create, read, update, delete, search,
//! suspend and activate companies.

use serde::Deserialize;

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::CompanyId;
use crate::models::{
    ApiArea, CompanyDetails, CompanySummary, CompanyUpdate, NewCompany, RpcErrorCode,
};
use crate::params;

const COMPANIES: ApiArea = ApiArea::Companies;

/// `createCompany`'s result: the new id as a plain string (seen in clients); an object with
/// an `id` is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum CreatedId {
    Id(CompanyId),
    Object { id: CompanyId },
    Other(serde::de::IgnoredAny),
}

impl GravityZoneClient {
    /// `createCompany`: creates a partner or customer company and returns its id.
    ///
    /// Names are unique across the whole GravityZone instance, also across partners this key
    /// cannot see: a collision fails with [`Error::CompanyNameTaken`] (recognised from the
    /// error text, or — when the text says nothing — by finding a company of exactly that name
    /// afterwards). The name is checked against the 64-character limit before sending.
    ///
    /// Not retried after a timeout (see [`GravityZoneClient`]): on an error whose
    /// [`Error::may_have_been_sent`] is true, look the company up by name before creating it
    /// again.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::{CompanyId, CompanyType, NewCompany};
    /// let mut company = NewCompany::new(CompanyType::Customer, "Contoso");
    /// company.parent_id = Some(CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"));
    /// match client.create_company(&company).await {
    ///     Ok(id) => println!("created {id}"),
    ///     Err(e) if e.is_company_name_taken() => println!("the name is taken"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create_company(&self, company: &NewCompany) -> Result<CompanyId, Error> {
        const METHOD: &str = "createCompany";
        company.validate().map_err(|message| Error::InvalidInput {
            method: METHOD.into(),
            message,
        })?;
        let created: Result<CreatedId, Error> = self
            .call(MethodSpec::write(&COMPANIES, METHOD), company)
            .await;
        match created {
            Ok(CreatedId::Id(id) | CreatedId::Object { id }) if !id.as_str().is_empty() => Ok(id),
            Ok(_) => Err(Error::UnexpectedResult {
                method: METHOD.into(),
                message: "the result does not name the new company's id".into(),
            }),
            Err(e) => Err(self.refine_name_error(e, &company.name).await),
        }
    }

    /// `getCompanyDetails`: a company's details; `None` asks for the key's own company.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// let own = client.get_company(None).await?;
    /// println!("{} ({:?}), parent {:?}", own.name, own.company_type, own.parent_company_id);
    /// # Ok(()) }
    /// ```
    pub async fn get_company(
        &self,
        company_id: Option<&CompanyId>,
    ) -> Result<CompanyDetails, Error> {
        let params = params::OptionalCompany { company_id };
        self.call(MethodSpec::read(&COMPANIES, "getCompanyDetails"), &params)
            .await
    }

    /// `updateCompanyDetails`: changes the members of `update` that are set (result `null`).
    /// A new name that is taken fails with [`Error::CompanyNameTaken`].
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::{CompanyId, CompanyUpdate};
    /// let mut update = CompanyUpdate::default();
    /// update.phone = Some("+40 21 000 0000".into());
    /// client.update_company(&CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"), &update).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_company(
        &self,
        company_id: &CompanyId,
        update: &CompanyUpdate,
    ) -> Result<(), Error> {
        const METHOD: &str = "updateCompanyDetails";
        update.validate().map_err(|message| Error::InvalidInput {
            method: METHOD.into(),
            message,
        })?;
        let params = params::UpdateCompany { company_id, update };
        let result: Result<(), Error> = self
            .call(MethodSpec::update(&COMPANIES, METHOD), &params)
            .await;
        match (result, &update.name) {
            (Err(e), Some(name)) => Err(self.refine_name_error(e, name).await),
            (result, _) => result,
        }
    }

    /// `deleteCompany`: deletes a company with its user accounts and licence (a partner with
    /// sub-companies cannot be deleted).
    pub async fn delete_company(&self, company_id: &CompanyId) -> Result<(), Error> {
        self.call(
            MethodSpec::write(&COMPANIES, "deleteCompany"),
            &params::OneCompany { company_id },
        )
        .await
    }

    /// `findCompaniesByName`: the companies the key manages whose name *contains*
    /// `name_filter` (vendor-side matching is fuzzy; see
    /// [`GravityZoneClient::find_company_by_exact_name`]).
    pub async fn find_companies_by_name(
        &self,
        name_filter: &str,
    ) -> Result<Vec<CompanySummary>, Error> {
        let found: Option<Vec<CompanySummary>> = self
            .call(
                MethodSpec::read(&COMPANIES, "findCompaniesByName"),
                &params::NameFilter { name_filter },
            )
            .await?;
        Ok(found.unwrap_or_default())
    }

    /// The company named exactly `name` (byte-for-byte), if the key manages one: the
    /// vendor's substring search, compared exactly on this side.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// if let Some(company) = client.find_company_by_exact_name("Contoso").await? {
    ///     println!("Contoso is {}", company.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_company_by_exact_name(
        &self,
        name: &str,
    ) -> Result<Option<CompanySummary>, Error> {
        let found = self.find_companies_by_name(name).await?;
        Ok(found.into_iter().find(|c| c.name == name))
    }

    /// `suspendCompany`: blocks console login for the company's users (`recursive` includes
    /// its sub-companies).
    pub async fn suspend_company(
        &self,
        company_id: &CompanyId,
        recursive: bool,
    ) -> Result<(), Error> {
        self.call(
            MethodSpec::update(&COMPANIES, "suspendCompany"),
            &params::CompanyRecursive {
                company_id,
                recursive,
            },
        )
        .await
    }

    /// `activateCompany`: lifts a suspension (`recursive` includes its sub-companies).
    pub async fn activate_company(
        &self,
        company_id: &CompanyId,
        recursive: bool,
    ) -> Result<(), Error> {
        self.call(
            MethodSpec::update(&COMPANIES, "activateCompany"),
            &params::CompanyRecursive {
                company_id,
                recursive,
            },
        )
        .await
    }

    /// Turns a JSON-RPC error of a create/rename into [`Error::CompanyNameTaken`] when it
    /// reads like a name collision, or when it is an "invalid params" error and a company of
    /// exactly that name exists.
    async fn refine_name_error(&self, error: Error, name: &str) -> Error {
        let Error::Rpc { error: rpc, method } = error else {
            return error;
        };
        let taken = rpc.looks_like_name_collision()
            || (rpc.code == RpcErrorCode::InvalidParams
                && matches!(self.find_company_by_exact_name(name).await, Ok(Some(_))));
        if taken {
            Error::CompanyNameTaken {
                name: name.to_owned(),
                details: rpc.reason().to_owned(),
            }
        } else {
            Error::Rpc { method, error: rpc }
        }
    }
}
