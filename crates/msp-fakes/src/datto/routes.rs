//! Routing: which Datto RMM API v2 operation a request is, and the answer to it.

use std::time::Instant;

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::paging::{self, LinkStyle};
use super::state::{FakeSite, FakeVariable};
use super::wire;
use super::{Inner, error};
use crate::harness::json_response;
use crate::msp::DeviceClass;

/// One operation of the API (path parameters still raw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    Status,
    RequestRate,
    Pagination,
    Account,
    AccountSites,
    AccountDevices,
    AccountVariables,
    AccountVariableCreate,
    AccountVariableUpdate(&'a str),
    AccountVariableDelete(&'a str),
    SiteCreate,
    SiteGet(&'a str),
    SiteUpdate(&'a str),
    SiteDevices(&'a str),
    SiteNetworkInterfaces(&'a str),
    SiteVariables(&'a str),
    SiteVariableCreate(&'a str),
    SiteVariableUpdate(&'a str, &'a str),
    SiteVariableDelete(&'a str, &'a str),
    Device(&'a str),
    DeviceById(&'a str),
    DevicesByMac(&'a str),
    DeviceAudit(&'a str),
    PrinterAudit(&'a str),
    EsxiHostAudit(&'a str),
}

impl<'a> Route<'a> {
    /// The route of `method` on `rest` (the path after `/api/v2/`), `None` when unknown.
    pub fn parse(method: &str, rest: &'a str) -> Option<Route<'a>> {
        let segments: Vec<&str> = rest.split('/').collect();
        let route = match (method, segments.as_slice()) {
            ("GET", ["system", "status"]) => Route::Status,
            ("GET", ["system", "request_rate"]) => Route::RequestRate,
            ("GET", ["system", "pagination"]) => Route::Pagination,
            ("GET", ["account"]) => Route::Account,
            ("GET", ["account", "sites"]) => Route::AccountSites,
            ("GET", ["account", "devices"]) => Route::AccountDevices,
            ("GET", ["account", "variables"]) => Route::AccountVariables,
            ("PUT", ["account", "variable"]) => Route::AccountVariableCreate,
            ("POST", ["account", "variable", id]) => Route::AccountVariableUpdate(id),
            ("DELETE", ["account", "variable", id]) => Route::AccountVariableDelete(id),
            ("PUT", ["site"]) => Route::SiteCreate,
            ("GET", ["site", uid]) => Route::SiteGet(uid),
            ("POST", ["site", uid]) => Route::SiteUpdate(uid),
            ("GET", ["site", uid, "devices"]) => Route::SiteDevices(uid),
            ("GET", ["site", uid, "devices", "network-interface"]) => {
                Route::SiteNetworkInterfaces(uid)
            }
            ("GET", ["site", uid, "variables"]) => Route::SiteVariables(uid),
            ("PUT", ["site", uid, "variable"]) => Route::SiteVariableCreate(uid),
            ("POST", ["site", uid, "variable", id]) => Route::SiteVariableUpdate(uid, id),
            ("DELETE", ["site", uid, "variable", id]) => Route::SiteVariableDelete(uid, id),
            ("GET", ["device", "id", id]) => Route::DeviceById(id),
            ("GET", ["device", "macAddress", mac]) => Route::DevicesByMac(mac),
            ("GET", ["device", uid]) => Route::Device(uid),
            ("GET", ["audit", "device", uid]) => Route::DeviceAudit(uid),
            ("GET", ["audit", "printer", uid]) => Route::PrinterAudit(uid),
            ("GET", ["audit", "esxihost", uid]) => Route::EsxiHostAudit(uid),
            _ => return None,
        };
        Some(route)
    }

    /// The write operation's name in Datto's rate-limit map, `None` for reads.
    pub fn write_operation(&self) -> Option<&'static str> {
        Some(match self {
            Route::SiteCreate => "site-create",
            Route::SiteUpdate(_) => "site-update",
            Route::SiteVariableCreate(_) => "site-variable-create",
            Route::SiteVariableUpdate(..) => "site-variable-update",
            Route::SiteVariableDelete(..) => "site-variable-delete",
            Route::AccountVariableCreate => "account-variable-create",
            Route::AccountVariableUpdate(_) => "account-variable-update",
            Route::AccountVariableDelete(_) => "account-variable-delete",
            _ => return None,
        })
    }
}

/// An empty `200`: what Datto answers to variable writes.
fn no_body() -> ResponseTemplate {
    ResponseTemplate::new(200)
}

fn ok(value: &Value) -> ResponseTemplate {
    json_response(200, value)
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let needle = needle.trim_matches('%').to_lowercase();
    haystack.to_lowercase().contains(&needle)
}

fn normalise_mac(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_uppercase()
}

impl Inner {
    fn style(&self) -> LinkStyle {
        LinkStyle {
            missing: self.settings.missing_page_link,
            drop_filters: self.settings.drop_filters_in_next_page_url,
        }
    }

    fn paged<T>(
        &self,
        request: &Request,
        origin: &str,
        items: Vec<T>,
        render: impl FnMut(T) -> Value,
        key: &str,
    ) -> ResponseTemplate {
        match paging::page_request(&request.url, self.settings.max_page_size) {
            Ok(page) => ok(&paging::page(
                origin,
                request.url.path(),
                &page,
                items,
                render,
                key,
                self.style(),
            )),
            Err(message) => error(400, &message, request.url.path()),
        }
    }

    /// Answers an authenticated, admitted request.
    pub(crate) fn answer(
        &mut self,
        route: &Route<'_>,
        request: &Request,
        origin: &str,
        now: Instant,
    ) -> ResponseTemplate {
        let path = request.url.path();
        match route {
            Route::Status => ok(&json!({
                "version": "2.0.0 (msp-fakes)",
                "status": "OK",
                "started": self.started_iso,
            })),
            Route::RequestRate => {
                let limit = self.settings.rate_limit.clone().unwrap_or_default();
                let (reads, writes, operations) = self.throttle.status(&limit, now);
                let mut map = serde_json::Map::new();
                for name in [
                    "site-create",
                    "site-update",
                    "site-variable-create",
                    "site-variable-update",
                    "site-variable-delete",
                    "account-variable-create",
                    "account-variable-update",
                    "account-variable-delete",
                    "device-udf-set",
                    "device-move",
                ] {
                    let count = operations
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or(0, |(_, c)| *c);
                    let op_limit = if name == "device-udf-set" {
                        limit.writes
                    } else {
                        limit.operation_writes
                    };
                    map.insert(
                        name.to_owned(),
                        json!({ "limit": op_limit, "count": count }),
                    );
                }
                ok(&json!({
                    "slidingTimeWindowSizeSeconds": limit.window.as_secs(),
                    "accountUid": self.account.uid,
                    "accountCount": reads,
                    "accountRateLimit": limit.requests,
                    "accountCutOffRatio": 0.9,
                    "accountWriteRateLimit": limit.writes,
                    "accountWriteCount": writes,
                    "operationWriteStatus": map,
                }))
            }
            Route::Pagination => ok(&json!({ "max": self.settings.max_page_size })),
            Route::Account => ok(&wire::account(&self.account)),
            Route::AccountSites => {
                let name = query(request, "siteName");
                let items = self
                    .account
                    .sites
                    .iter()
                    .filter(|s| {
                        name.as_deref()
                            .is_none_or(|n| contains_ignore_case(&s.name, n))
                    })
                    .collect::<Vec<_>>();
                let counts = self.account.device_counts();
                let render = |s: &FakeSite| {
                    let count = counts.get(s.uid.as_str()).copied().unwrap_or_default();
                    wire::site(&self.account, s, count)
                };
                self.paged(request, origin, items, render, "sites")
            }
            Route::AccountDevices => {
                if query(request, "filterId").is_some() {
                    return error(404, "Filter was not found.", path);
                }
                let hostname = query(request, "hostname");
                let device_type = query(request, "deviceType");
                let os = query(request, "operatingSystem");
                let site_name = query(request, "siteName");
                let account = &self.account;
                let site_names: std::collections::HashMap<&str, &str> = account
                    .sites
                    .iter()
                    .map(|s| (s.uid.as_str(), s.name.as_str()))
                    .collect();
                let items = account
                    .devices
                    .iter()
                    .filter(|d| {
                        hostname
                            .as_deref()
                            .is_none_or(|h| contains_ignore_case(&d.hostname, h))
                    })
                    .filter(|d| {
                        device_type
                            .as_deref()
                            .is_none_or(|t| contains_ignore_case(&d.category, t))
                    })
                    .filter(|d| {
                        os.as_deref()
                            .is_none_or(|o| contains_ignore_case(&d.operating_system, o))
                    })
                    .filter(|d| {
                        site_name.as_deref().is_none_or(|n| {
                            site_names
                                .get(d.site_uid.as_str())
                                .is_some_and(|s| contains_ignore_case(s, n))
                        })
                    })
                    .collect::<Vec<_>>();
                self.paged(
                    request,
                    origin,
                    items,
                    |d| wire::device(account, d),
                    "devices",
                )
            }
            Route::AccountVariables => {
                let items = self.account.account_variables.iter().collect::<Vec<_>>();
                self.paged(request, origin, items, wire::variable, "variables")
            }
            Route::AccountVariableCreate => self.create_variable(request, None),
            Route::AccountVariableUpdate(id) => self.update_variable(request, None, id),
            Route::AccountVariableDelete(id) => self.delete_variable(request, None, id),
            Route::SiteCreate => self.create_site(request),
            Route::SiteGet(uid) => match self.account.site(uid) {
                Some(site) => ok(&wire::site(
                    &self.account,
                    site,
                    self.account.device_count(uid),
                )),
                None => error(404, "Site was not found.", path),
            },
            Route::SiteUpdate(uid) => self.update_site(request, uid),
            Route::SiteDevices(uid) => {
                if self.account.site(uid).is_none() {
                    return error(404, "Site or filter not found.", path);
                }
                if query(request, "filterId").is_some() {
                    return error(404, "Site or filter not found.", path);
                }
                let items = self.account.devices_of(uid).collect::<Vec<_>>();
                self.paged(
                    request,
                    origin,
                    items,
                    |d| wire::device(&self.account, d),
                    "devices",
                )
            }
            Route::SiteNetworkInterfaces(uid) => {
                if self.account.site(uid).is_none() {
                    return error(404, "Site or filter not found.", path);
                }
                let items = self.account.devices_of(uid).collect::<Vec<_>>();
                self.paged(
                    request,
                    origin,
                    items,
                    |d| wire::device_network_interfaces(&self.account, d),
                    "devices",
                )
            }
            Route::SiteVariables(uid) => {
                if self.account.site(uid).is_none() {
                    return error(404, "Site was not found.", path);
                }
                let items = self
                    .account
                    .site_variables
                    .get(*uid)
                    .map(|vars| vars.iter().collect::<Vec<_>>())
                    .unwrap_or_default();
                self.paged(request, origin, items, wire::variable, "variables")
            }
            Route::SiteVariableCreate(uid) => {
                if self.account.site(uid).is_none() {
                    return error(404, "Site was not found.", path);
                }
                self.create_variable(request, Some(uid))
            }
            Route::SiteVariableUpdate(uid, id) => self.update_variable(request, Some(uid), id),
            Route::SiteVariableDelete(uid, id) => self.delete_variable(request, Some(uid), id),
            Route::Device(uid) => match self.account.device(uid) {
                Some(device) => ok(&wire::device(&self.account, device)),
                None => error(404, "Device was not found.", path),
            },
            Route::DeviceById(id) => {
                let Ok(id) = id.parse::<i64>() else {
                    return error(400, "Request parameters are invalid.", path);
                };
                match self.account.devices.iter().find(|d| d.id == id) {
                    Some(device) => ok(&wire::device(&self.account, device)),
                    None => error(404, "Device was not found.", path),
                }
            }
            Route::DevicesByMac(mac) => {
                let wanted = normalise_mac(mac);
                if wanted.len() != 12 || mac.len() != 12 {
                    return error(400, "Request parameters are invalid.", path);
                }
                let devices: Vec<Value> = self
                    .account
                    .devices
                    .iter()
                    .filter(|d| {
                        d.nics
                            .iter()
                            .any(|n| normalise_mac(&n.mac_address) == wanted)
                    })
                    .map(|d| wire::device(&self.account, d))
                    .collect();
                ok(&Value::Array(devices))
            }
            Route::DeviceAudit(uid) => match self.account.device(uid) {
                Some(device) if device.device_class != DeviceClass::Device => error(
                    400,
                    "The device identified by the given device UID is not of class device.",
                    path,
                ),
                Some(device) => ok(&wire::device_audit(&self.account, device)),
                None => error(404, "Device was not found.", path),
            },
            Route::PrinterAudit(uid) => match self.account.device(uid) {
                Some(device) if device.device_class != DeviceClass::Printer => error(
                    400,
                    "The device identified by the given device UID is not of class printer.",
                    path,
                ),
                Some(device) => ok(&wire::printer_audit(&self.account, device)),
                None => error(404, "Device was not found.", path),
            },
            Route::EsxiHostAudit(uid) => match self.account.device(uid) {
                Some(device) if device.device_class != DeviceClass::EsxiHost => error(
                    400,
                    "The device identified by the given device UID is not of class esxihost.",
                    path,
                ),
                Some(device) => ok(&wire::esxi_host_audit(&self.account, device)),
                None => error(404, "Device was not found.", path),
            },
        }
    }

    fn create_site(&mut self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error(400, "Request is invalid.", path);
        };
        let Some(name) = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            return error(400, "Request is invalid: name is required.", path);
        };
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
        let flag = |key: &str| body.get(key).and_then(Value::as_bool).unwrap_or(false);
        let site = FakeSite {
            id: self.account.next_site_id,
            uid: self.account.new_uid(),
            name: name.to_owned(),
            description: text("description"),
            notes: text("notes"),
            on_demand: flag("onDemand"),
            splashtop_auto_install: flag("splashtopAutoInstall"),
            autotask_company_id: None,
            autotask_company_name: None,
            proxy_settings: body.get("proxySettings").filter(|p| !p.is_null()).cloned(),
        };
        self.account.next_site_id += 1;
        let answer = ok(&wire::site(&self.account, &site, Default::default()));
        self.account.sites.push(site);
        answer
    }

    fn update_site(&mut self, request: &Request, uid: &str) -> ResponseTemplate {
        let path = request.url.path();
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error(400, "Request is invalid.", path);
        };
        let Some(name) = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            return error(400, "Request is invalid: name is required.", path);
        };
        let Some(site) = self.account.site_mut(uid) else {
            return error(404, "Site was not found.", path);
        };
        site.name = name.to_owned();
        if let Some(description) = body.get("description") {
            site.description = description.as_str().map(str::to_owned);
        }
        if let Some(notes) = body.get("notes") {
            site.notes = notes.as_str().map(str::to_owned);
        }
        if let Some(on_demand) = body.get("onDemand").and_then(Value::as_bool) {
            site.on_demand = on_demand;
        }
        if let Some(splashtop) = body.get("splashtopAutoInstall").and_then(Value::as_bool) {
            site.splashtop_auto_install = splashtop;
        }
        let site = site.clone();
        ok(&wire::site(
            &self.account,
            &site,
            self.account.device_count(uid),
        ))
    }

    fn variables_mut(&mut self, site: Option<&str>) -> &mut Vec<FakeVariable> {
        match site {
            Some(uid) => self
                .account
                .site_variables
                .entry(uid.to_owned())
                .or_default(),
            None => &mut self.account.account_variables,
        }
    }

    fn create_variable(&mut self, request: &Request, site: Option<&str>) -> ResponseTemplate {
        let path = request.url.path();
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error(400, "Request parameters are invalid.", path);
        };
        let Some(name) = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            return error(
                400,
                "Request parameters are invalid: name is required.",
                path,
            );
        };
        let name = name.to_owned();
        let value = body
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let masked = body.get("masked").and_then(Value::as_bool).unwrap_or(false);
        if self.variables_mut(site).iter().any(|v| v.name == name) {
            return error(409, "A variable with this name already exists.", path);
        }
        let id = self.account.new_variable_id();
        self.variables_mut(site).push(FakeVariable {
            id,
            name,
            value,
            masked,
        });
        no_body()
    }

    fn update_variable(
        &mut self,
        request: &Request,
        site: Option<&str>,
        id: &str,
    ) -> ResponseTemplate {
        let path = request.url.path();
        let Ok(id) = id.parse::<i64>() else {
            return error(400, "Request parameters are invalid.", path);
        };
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error(400, "Request parameters are invalid.", path);
        };
        if site.is_some_and(|uid| self.account.site(uid).is_none()) {
            return error(404, "Site was not found.", path);
        }
        let Some(variable) = self.variables_mut(site).iter_mut().find(|v| v.id == id) else {
            return error(404, "Variable was not found.", path);
        };
        if let Some(name) = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        {
            variable.name = name.to_owned();
        }
        if let Some(value) = body.get("value").and_then(Value::as_str) {
            variable.value = value.to_owned();
        }
        no_body()
    }

    fn delete_variable(
        &mut self,
        request: &Request,
        site: Option<&str>,
        id: &str,
    ) -> ResponseTemplate {
        let path = request.url.path();
        let Ok(id) = id.parse::<i64>() else {
            return error(400, "Request parameters are invalid.", path);
        };
        if site.is_some_and(|uid| self.account.site(uid).is_none()) {
            return error(404, "Site was not found.", path);
        }
        let variables = self.variables_mut(site);
        let before = variables.len();
        variables.retain(|v| v.id != id);
        if variables.len() == before {
            return error(404, "Variable was not found.", path);
        }
        no_body()
    }
}

fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_recognised_by_method_and_path() {
        assert_eq!(
            Route::parse("GET", "account/sites"),
            Some(Route::AccountSites)
        );
        assert_eq!(
            Route::parse("GET", "site/abc/devices/network-interface"),
            Some(Route::SiteNetworkInterfaces("abc"))
        );
        assert_eq!(
            Route::parse("POST", "site/abc/variable/7"),
            Some(Route::SiteVariableUpdate("abc", "7"))
        );
        assert_eq!(
            Route::parse("GET", "device/id/7"),
            Some(Route::DeviceById("7"))
        );
        assert_eq!(
            Route::parse("GET", "device/abc"),
            Some(Route::Device("abc"))
        );
        assert_eq!(Route::parse("DELETE", "account/sites"), None);
        assert_eq!(Route::parse("GET", "devices"), None);
    }

    #[test]
    fn writes_name_their_rate_limit_operation() {
        assert_eq!(Route::SiteCreate.write_operation(), Some("site-create"));
        assert_eq!(
            Route::SiteVariableCreate("x").write_operation(),
            Some("site-variable-create")
        );
        assert_eq!(Route::AccountSites.write_operation(), None);
    }

    #[test]
    fn like_filters_match_case_insensitive_substrings() {
        assert!(contains_ignore_case("Northwind Logistics", "wind log"));
        assert!(contains_ignore_case("Northwind Logistics", "%north%"));
        assert!(!contains_ignore_case("Northwind", "south"));
    }
}
