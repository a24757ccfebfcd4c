//! Packages API (`{access}/v1.0/jsonrpc/packages`): create, list, read and delete
//! installation packages, read their installation links, and find-or-create by name.

use serde_json::Value;

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::ids::{CompanyId, PackageId};
use crate::jsonrpc::ApiVersion;
use crate::models::{ApiArea, InstallationLinks, NewPackage, PackageDetails, PackageSummary};
use crate::paging::{PageStream, PagedMethod, paged};
use crate::params;

const PACKAGES: ApiArea = ApiArea::Packages;

/// The largest page `getPackagesList` serves.
pub const MAX_PACKAGES_PER_PAGE: u32 = 100;

/// The outcome of a find-or-create: the thing, and whether this call created it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FoundOrCreated<T> {
    /// The package (or other item) found or created.
    pub item: T,
    /// True when this call created it.
    pub created: bool,
}

/// Reads the id out of `createPackage`'s result, whose shape is unconfirmed: a plain id, the
/// old documented `[{"success": true, "records": ["<id>"]}]`, an object with `id` or
/// `records`, or nothing useful (`None`).
fn created_package_id(result: &Value) -> Option<PackageId> {
    match result {
        Value::String(id) if !id.is_empty() => Some(PackageId::new(id.as_str())),
        Value::Array(items) => items.iter().find_map(created_package_id),
        Value::Object(map) => map
            .get("id")
            .and_then(created_package_id)
            .or_else(|| map.get("records").and_then(created_package_id)),
        _ => None,
    }
}

impl GravityZoneClient {
    /// `createPackage`: creates an installation package; returns its id when the reply names
    /// one (the result's shape is unconfirmed, so `None` is not an error).
    ///
    /// A duplicate name fails with [`Error::PackageNameTaken`]. Not retried after a timeout;
    /// prefer [`GravityZoneClient::find_or_create_package`].
    pub async fn create_package(&self, package: &NewPackage) -> Result<Option<PackageId>, Error> {
        const METHOD: &str = "createPackage";
        package.validate().map_err(|message| Error::InvalidInput {
            method: METHOD.into(),
            message,
        })?;
        let result: Result<Value, Error> = self
            .call(MethodSpec::write(&PACKAGES, METHOD), package)
            .await;
        match result {
            Ok(value) => Ok(created_package_id(&value)),
            Err(Error::Rpc { error, .. }) if error.looks_like_name_collision() => {
                Err(Error::PackageNameTaken {
                    name: package.package_name.clone(),
                    details: error.reason().to_owned(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// `getPackagesList` for `company_id` (default: the key's company), as a stream of
    /// packages, 100 per page. The last item is the error if a page fails.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use futures::TryStreamExt;
    /// use gravityzone_client::CompanyId;
    /// let company = CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c");
    /// let names: Vec<String> = client
    ///     .list_packages(Some(&company))
    ///     .map_ok(|p| p.name)
    ///     .try_collect()
    ///     .await?;
    /// # let _ = names; Ok(()) }
    /// ```
    pub fn list_packages(&self, company_id: Option<&CompanyId>) -> PageStream<PackageSummary> {
        let params = params::PackagesList {
            company_id: company_id.cloned(),
        };
        paged(
            self,
            PagedMethod {
                area: PACKAGES,
                version: ApiVersion::V1_0,
                name: "getPackagesList",
            },
            params,
            MAX_PACKAGES_PER_PAGE,
        )
    }

    /// The package of `company_id` named exactly `name`, if any.
    pub async fn find_package_by_name(
        &self,
        company_id: Option<&CompanyId>,
        name: &str,
    ) -> Result<Option<PackageSummary>, Error> {
        Ok(self
            .list_packages(company_id)
            .collect_all()
            .await?
            .into_iter()
            .find(|p| p.name == name))
    }

    /// `getPackageDetails`: a package's configuration (modules, scan mode, settings, roles,
    /// deployment options), keeping module keys this client does not know.
    pub async fn get_package(&self, package_id: &PackageId) -> Result<PackageDetails, Error> {
        self.call(
            MethodSpec::read(&PACKAGES, "getPackageDetails"),
            &params::OnePackage { package_id },
        )
        .await
    }

    /// `deletePackage`.
    pub async fn delete_package(&self, package_id: &PackageId) -> Result<(), Error> {
        let _ignored: Value = self
            .call(
                MethodSpec::write(&PACKAGES, "deletePackage"),
                &params::OnePackage { package_id },
            )
            .await?;
        Ok(())
    }

    /// `getInstallationLinks`: the links of the packages whose name matches `package_name`
    /// (every package when `None`) in `company_id` (default: the key's company). The vendor's
    /// name matching may be fuzzy; see [`GravityZoneClient::find_installation_links`].
    pub async fn get_installation_links(
        &self,
        package_name: Option<&str>,
        company_id: Option<&CompanyId>,
    ) -> Result<Vec<InstallationLinks>, Error> {
        let params = params::InstallationLinks {
            package_name,
            company_id,
        };
        let links: Option<Vec<InstallationLinks>> = self
            .call(MethodSpec::read(&PACKAGES, "getInstallationLinks"), &params)
            .await?;
        Ok(links.unwrap_or_default())
    }

    /// The installation links of the package named exactly `package_name`, if any.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::CompanyId;
    /// let company = CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c");
    /// if let Some(links) = client.find_installation_links("Contoso - default", Some(&company)).await? {
    ///     println!("Windows: {:?}", links.install_link_windows);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_installation_links(
        &self,
        package_name: &str,
        company_id: Option<&CompanyId>,
    ) -> Result<Option<InstallationLinks>, Error> {
        Ok(self
            .get_installation_links(Some(package_name), company_id)
            .await?
            .into_iter()
            .find(|l| l.package_name == package_name))
    }

    /// The package named `package.package_name` in `package.company_id`, created if missing.
    ///
    /// Looks the name up first; creates only when it is absent; then looks it up again (the
    /// create result is unconfirmed, and the list is the truth). A create that fails because
    /// the name exists, or whose outcome is unknown (timeout, server error), is resolved by
    /// that second lookup, so running this twice — or concurrently, or after a crash — leaves
    /// one package.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::{CompanyId, ModuleKey, Modules, NewPackage};
    /// let mut package = NewPackage::new("Contoso - default");
    /// package.company_id = Some(CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"));
    /// package.modules = Modules::new().with(ModuleKey::AdvancedThreatControl, true);
    /// let ensured = client.find_or_create_package(&package).await?;
    /// println!("package {} (created now: {})", ensured.item.id, ensured.created);
    /// # Ok(()) }
    /// ```
    pub async fn find_or_create_package(
        &self,
        package: &NewPackage,
    ) -> Result<FoundOrCreated<PackageSummary>, Error> {
        let company = package.company_id.as_ref();
        let name = &package.package_name;
        if let Some(item) = self.find_package_by_name(company, name).await? {
            return Ok(FoundOrCreated {
                item,
                created: false,
            });
        }
        let created = match self.create_package(package).await {
            Ok(_) => true,
            Err(Error::PackageNameTaken { .. }) => false,
            Err(e) if e.may_have_been_sent() => {
                // The outcome is unknown: the lookup below decides.
                match self.find_package_by_name(company, name).await {
                    Ok(Some(item)) => {
                        return Ok(FoundOrCreated {
                            item,
                            created: true,
                        });
                    }
                    _ => return Err(e),
                }
            }
            Err(e) => return Err(e),
        };
        match self.find_package_by_name(company, name).await? {
            Some(item) => Ok(FoundOrCreated { item, created }),
            None => Err(Error::UnexpectedResult {
                method: "createPackage".into(),
                message: format!("no package named {name:?} is listed after creating it"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn created_ids_are_read_from_every_known_shape() {
        assert_eq!(created_package_id(&json!("p1")), Some(PackageId::new("p1")));
        assert_eq!(
            created_package_id(&json!([{"success": true, "records": ["p2"]}])),
            Some(PackageId::new("p2"))
        );
        assert_eq!(
            created_package_id(&json!({"id": "p3"})),
            Some(PackageId::new("p3"))
        );
        assert_eq!(created_package_id(&json!(null)), None);
        assert_eq!(created_package_id(&json!(true)), None);
    }
}
