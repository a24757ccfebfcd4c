//! `network`: getCompaniesList, moveCompanyOrCompanyFolder, getEndpointsList,
//! getNetworkInventoryItems.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, page_of, target, visible};
use crate::gravityzone::state::{FakeCompanyType, FakeEndpoint, Instance};
use crate::gravityzone::wire::{Params, RpcFault};

/// The network methods that also exist on v1.1 (with pages of up to 1000).
pub(super) const ON_V1_1: &[&str] = &["getEndpointsList", "getNetworkInventoryItems"];

pub(super) fn handle(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    version: &str,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    let max_per_page = if version == "v1.1" { 1000 } else { 100 };
    Some(match method {
        "getCompaniesList" => companies_list(instance, ctx, params),
        "moveCompanyOrCompanyFolder" => move_company(instance, ctx, params),
        "getEndpointsList" => endpoints(instance, ctx, params, max_per_page),
        "getNetworkInventoryItems" => inventory(instance, ctx, params, max_per_page),
        _ => return None,
    })
}

/// One level, unpaged, a bare array of `{id, name}`; `page`/`perPage` are refused; a
/// customer as parent is "Invalid value for 'parentId' parameter."
fn companies_list(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["parentId", "filters"])?;
    let parent = target(instance, ctx, p.opt_str("parentId")?, "parentId")?;
    if instance.company(&parent).map(|c| c.company_type) != Some(FakeCompanyType::Partner) {
        return Err(RpcFault::invalid_value("parentId"));
    }
    let (mut company_type, mut license_type) = (None, None);
    if let Some(filters) = p.opt_object("filters")? {
        let f = Params::new(filters, &["companyType", "licenseType"])
            .map_err(|_| RpcFault::invalid_value("filters"))?;
        company_type = match f
            .opt_int("companyType")
            .map_err(|_| RpcFault::invalid_value("filters"))?
        {
            None => None,
            Some(code) => Some(
                FakeCompanyType::from_code(code)
                    .ok_or_else(|| RpcFault::invalid_value("filters"))?,
            ),
        };
        license_type = f
            .opt_int("licenseType")
            .map_err(|_| RpcFault::invalid_value("filters"))?;
        if license_type.is_some_and(|l| !(1..=3).contains(&l)) {
            return Err(RpcFault::invalid_value("filters"));
        }
    }
    let list: Vec<Value> = instance
        .children(&parent)
        .into_iter()
        .filter(|c| company_type.is_none_or(|t| c.company_type == t))
        .filter(|c| license_type.is_none_or(|l| licence_class(c.subscription_type) == l))
        .map(|c| json!({"id": c.id, "name": c.name}))
        .collect();
    Ok(Value::Array(list))
}

/// The `licenseType` filter's classes: 1 trial, 2 yearly (licence key), 3 monthly.
fn licence_class(subscription_type: i64) -> i64 {
    match subscription_type {
        1 | 6 => 1,
        2 => 2,
        _ => 3,
    }
}

/// The move. Its parameters are not documented publicly; the fake accepts the same guess the
/// client makes (`companyId`, `parentId`), so it cannot confirm it.
fn move_company(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["companyId", "parentId"])?;
    let id = p.req_str("companyId")?;
    let destination = p.req_str("parentId")?;
    let company = visible(instance, ctx, id, "companyId")?;
    if company.id == ctx.scope {
        return Err(RpcFault::invalid_value("companyId"));
    }
    let parent = visible(instance, ctx, destination, "parentId")?;
    if parent.company_type != FakeCompanyType::Partner || instance.is_within(destination, id) {
        return Err(RpcFault::invalid_value("parentId"));
    }
    if let Some(c) = instance.companies.get_mut(id) {
        c.parent_id = Some(destination.to_owned());
    }
    Ok(Value::Null)
}

/// The companies whose endpoints a list under `parent` covers.
fn covered_companies(instance: &Instance, parent: &str, recursive: bool) -> Vec<String> {
    let mut ids = vec![parent.to_owned()];
    if recursive {
        ids.extend(instance.descendants(parent).iter().map(|c| c.id.clone()));
    }
    ids
}

fn endpoint_json(e: &FakeEndpoint) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "label": e.name,
        "fqdn": format!("{}.corp.local", e.name.to_lowercase()),
        "groupId": e.company_id,
        "isManaged": e.is_managed,
        "machineType": e.machine_type,
        "operatingSystemVersion": e.operating_system_version,
        "ip": e.ip,
        "macs": e.macs,
        "ssid": "",
        "managedWithBest": e.is_managed,
        "policy": {"id": "000000000000000000000001", "name": "Default policy", "applied": true},
    })
}

/// `details.name`: prefix match, `*x` contains.
fn name_matches(name: &str, filter: &str) -> bool {
    let name = name.to_lowercase();
    match filter.strip_prefix('*') {
        Some(inner) => name.contains(&inner.to_lowercase()),
        None => name.starts_with(&filter.to_lowercase()),
    }
}

fn endpoints(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    params: &Map<String, Value>,
    max: i64,
) -> Outcome {
    let p = Params::new(
        params,
        &[
            "parentId",
            "isManaged",
            "page",
            "perPage",
            "filters",
            "options",
        ],
    )?;
    let parent = target(instance, ctx, p.opt_str("parentId")?, "parentId")?;
    let managed_only = p.opt_bool("isManaged")?;
    let (page, per_page) = p.paging(max)?;
    let filters = p.opt_object("filters")?;
    let pointer =
        |path: &str| filters.and_then(|f| Value::Object(f.clone()).pointer(path).cloned());
    let recursive = pointer("/depth/allItemsRecursively")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let name_filter = pointer("/details/name").and_then(|v| v.as_str().map(str::to_owned));
    let items: Vec<Value> = covered_companies(instance, &parent, recursive)
        .iter()
        .flat_map(|c| instance.endpoints_of(c))
        .filter(|e| managed_only != Some(true) || e.is_managed)
        .filter(|e| {
            name_filter
                .as_deref()
                .is_none_or(|f| name_matches(&e.name, f))
        })
        .map(endpoint_json)
        .collect();
    Ok(page_of(
        items,
        page,
        per_page,
        ctx.settings.v1_1_paging_quirk,
    ))
}

/// Inventory node types: 1 company, 5 computer, 6 virtual machine, 7 EC2 instance.
fn inventory(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    params: &Map<String, Value>,
    max: i64,
) -> Outcome {
    let p = Params::new(
        params,
        &["parentId", "filters", "page", "perPage", "options"],
    )?;
    let parent = target(instance, ctx, p.opt_str("parentId")?, "parentId")?;
    let (page, per_page) = p.paging(max)?;
    p.opt_object("filters")?;
    p.opt_object("options")?;
    let mut items: Vec<Value> = instance
        .children(&parent)
        .into_iter()
        .map(|c| {
            json!({"id": c.id, "name": c.name, "type": 1, "parentId": parent, "companyId": c.id,
                   "details": {"companyType": c.company_type.code(), "isSuspended": c.suspended}})
        })
        .collect();
    items.extend(instance.endpoints_of(&parent).into_iter().map(|e| {
        let node_type = match e.machine_type {
            2 => 6,
            3 => 7,
            _ => 5,
        };
        json!({"id": e.id, "name": e.name, "type": node_type, "parentId": parent, "companyId": e.company_id,
               "details": {"label": e.name, "ip": e.ip, "macs": e.macs, "isManaged": e.is_managed,
                           "machineType": e.machine_type,
                           "operatingSystemVersion": e.operating_system_version,
                           "modules": {"antimalware": e.is_managed}}})
    }));
    Ok(page_of(
        items,
        page,
        per_page,
        ctx.settings.v1_1_paging_quirk,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_names_match_by_prefix_or_star_contains() {
        assert!(name_matches("WEB-01", "web"));
        assert!(!name_matches("SRV-WEB", "web"));
        assert!(name_matches("SRV-WEB", "*web"));
    }
}
