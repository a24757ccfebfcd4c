//! `companies`: createCompany, getCompanyDetails, updateCompanyDetails, deleteCompany,
//! findCompaniesByName, suspendCompany, activateCompany.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, target, visible};
use crate::gravityzone::state::{FakeCompanyType, Instance, name_key};
use crate::gravityzone::wire::{Params, RpcFault};

/// The longest name, address and phone the API accepts.
const MAX_NAME: usize = 64;
const MAX_ADDRESS: usize = 128;
const MAX_PHONE: usize = 32;
const SKIP_2FA_PERIODS: [i64; 7] = [0, 1, 3, 7, 14, 30, 90];

/// Members stored as sent (beyond the ones with their own rules).
const STORED: &[&str] = &[
    "address",
    "country",
    "state",
    "phone",
    "industry",
    "canBeManagedByAbove",
    "enforce2FA",
    "skip2FAPeriod",
    "contactPerson",
    "customFields",
    "mdrContactInformation",
];

pub(super) fn handle(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    Some(match method {
        "createCompany" => create(instance, ctx, params),
        "getCompanyDetails" => details(instance, ctx, params),
        "updateCompanyDetails" => update(instance, ctx, params),
        "deleteCompany" => delete(instance, ctx, params),
        "findCompaniesByName" => find(instance, ctx, params),
        "suspendCompany" => set_suspended(instance, ctx, params, true),
        "activateCompany" => set_suspended(instance, ctx, params, false),
        _ => return None,
    })
}

/// The collision error. The vendor's wording is not public; this one says what happened.
pub(crate) fn name_taken(name: &str) -> RpcFault {
    RpcFault::invalid_params(format!(
        "A company with the name '{}' already exists.",
        name.trim()
    ))
}

fn check_name(instance: &Instance, name: &str, except: Option<&str>) -> Result<(), RpcFault> {
    let count = name.trim().chars().count();
    if count == 0 || count > MAX_NAME {
        return Err(RpcFault::invalid_value("name"));
    }
    match instance.company_named(name) {
        Some(other) if Some(other.id.as_str()) != except => Err(name_taken(name)),
        _ => Ok(()),
    }
}

fn check_common(p: &Params<'_>) -> Result<(), RpcFault> {
    if p.opt_str("address")?
        .is_some_and(|a| a.chars().count() > MAX_ADDRESS || a.contains('<'))
    {
        return Err(RpcFault::invalid_value("address"));
    }
    if p.opt_str("phone")?
        .is_some_and(|x| x.chars().count() > MAX_PHONE)
    {
        return Err(RpcFault::invalid_value("phone"));
    }
    if let Some(days) = p.opt_int("skip2FAPeriod")?
        && !SKIP_2FA_PERIODS.contains(&days)
    {
        return Err(RpcFault::invalid_value("skip2FAPeriod"));
    }
    p.opt_bool("enforce2FA")?;
    p.opt_bool("canBeManagedByAbove")?;
    p.opt_object("contactPerson")?;
    Ok(())
}

fn stored_members(p: &Params<'_>) -> Map<String, Value> {
    STORED
        .iter()
        .filter_map(|k| p.raw(k).map(|v| ((*k).to_owned(), v.clone())))
        .collect()
}

fn create(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let mut allowed = vec![
        "type",
        "name",
        "parentId",
        "accountEmail",
        "accountFullName",
        "accountLanguage",
        "accountTimezone",
        "licenseSubscription",
    ];
    allowed.extend_from_slice(STORED);
    let p = Params::new(params, &allowed)?;
    let company_type = p
        .opt_int("type")?
        .and_then(FakeCompanyType::from_code)
        .ok_or_else(|| RpcFault::invalid_value("type"))?;
    let name = p.req_str("name")?;
    check_common(&p)?;
    if p.opt_str("accountEmail")?.is_some() && p.opt_str("accountFullName")?.is_none() {
        return Err(RpcFault::invalid_value("accountFullName"));
    }
    let parent = target(instance, ctx, p.opt_str("parentId")?, "parentId")?;
    if instance.company(&parent).map(|c| c.company_type) != Some(FakeCompanyType::Partner) {
        return Err(RpcFault::invalid_value("parentId"));
    }
    let subscription = match p.opt_object("licenseSubscription")? {
        None => None,
        Some(sub) => {
            let kind = sub
                .get("type")
                .and_then(Value::as_i64)
                .filter(|t| (1..=6).contains(t));
            let kind = kind.ok_or_else(|| RpcFault::invalid_value("licenseSubscription"))?;
            Some((kind, sub.get("reservedSlots").and_then(Value::as_i64)))
        }
    };
    check_name(instance, name, None)?;
    let id = instance.insert_company(name, company_type, Some(&parent), stored_members(&p));
    if let Some(company) = instance.companies.get_mut(&id)
        && let Some((kind, reserved)) = subscription
    {
        company.subscription_type = kind;
        company.reserved_slots = reserved;
    }
    Ok(Value::String(id))
}

fn details(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["companyId"])?;
    let id = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    let company = visible(instance, ctx, &id, "companyId")?;
    let path: Vec<Value> = instance
        .path(ctx.scope, &id)
        .iter()
        .map(|c| json!({"id": c.id, "name": c.name}))
        .collect();
    let d = &company.details;
    let text = |k: &str, default: &str| d.get(k).cloned().unwrap_or_else(|| json!(default));
    let mut out = json!({
        "type": company.company_type.code(),
        "name": company.name,
        "id": company.id,
        "parentCompanyId": company.parent_id,
        "companyPath": path,
        "address": text("address", ""),
        "phone": text("phone", ""),
        "industry": d.get("industry").cloned().unwrap_or(json!(0)),
        "canBeManagedByAbove": d.get("canBeManagedByAbove").cloned().unwrap_or(json!(true)),
        "enforce2FA": d.get("enforce2FA").cloned().unwrap_or(json!(false)),
        "skip2FAPeriod": d.get("skip2FAPeriod").cloned().unwrap_or(json!(0)),
        "isSuspended": company.suspended,
        "createdAt": company.created_at,
        "country": text("country", "N/A"),
        "state": text("state", "N/A"),
        "riskScore": {"value": "0%", "impact": "Low", "misconfigurations": "0%",
                      "appVulnerabilities": "0%", "humanRisks": "0%", "industryModifier": "0%"},
    });
    if company.company_type == FakeCompanyType::Partner
        && let Some(obj) = out.as_object_mut()
    {
        let contact = d.get("contactPerson").cloned().unwrap_or_else(
            || json!({"fullName": company.name, "email": "", "phoneNumber": "", "companyRole": ""}),
        );
        obj.insert("contactPerson".into(), contact);
    }
    Ok(out)
}

fn update(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let mut allowed = vec!["companyId", "type", "name"];
    allowed.extend_from_slice(STORED);
    let p = Params::new(params, &allowed)?;
    let id = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    check_common(&p)?;
    let new_type = match p.opt_int("type")? {
        None => None,
        Some(code) => {
            Some(FakeCompanyType::from_code(code).ok_or_else(|| RpcFault::invalid_value("type"))?)
        }
    };
    if new_type == Some(FakeCompanyType::Customer) && !instance.children(&id).is_empty() {
        return Err(RpcFault::invalid_value("type"));
    }
    let new_name = p.opt_str("name")?;
    if let Some(name) = new_name {
        check_name(instance, name, Some(&id))?;
    }
    let members = stored_members(&p);
    let company = instance
        .companies
        .get_mut(&id)
        .ok_or_else(|| RpcFault::invalid_value("companyId"))?;
    if let Some(t) = new_type {
        company.company_type = t;
    }
    if let Some(name) = new_name {
        company.name = name.trim().to_owned();
    }
    company.details.extend(members);
    Ok(Value::Null)
}

fn delete(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["companyId"])?;
    let id = p.req_str("companyId")?;
    let company = visible(instance, ctx, id, "companyId")?;
    if company.id == ctx.scope {
        return Err(RpcFault::invalid_params("A company cannot delete itself."));
    }
    if !instance.children(id).is_empty() {
        return Err(RpcFault::invalid_params(
            "A partner company that manages other companies cannot be deleted.",
        ));
    }
    instance.remove_company(id);
    Ok(Value::Null)
}

/// Substring search, case-insensitive; `*` is a wildcard (ignored). The real matching rules
/// are undocumented, so the fake is deliberately fuzzy: callers must compare exactly.
fn find(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["nameFilter"])?;
    let filter = p.req_str("nameFilter")?;
    let needle = filter.replace('*', "").trim().to_lowercase();
    if needle.is_empty() && !filter.contains('*') {
        return Err(RpcFault::invalid_value("nameFilter"));
    }
    let found: Vec<Value> = instance
        .descendants(ctx.scope)
        .into_iter()
        .filter(|c| name_key(&c.name).contains(&needle))
        .map(|c| json!({"id": c.id, "name": c.name, "type": c.company_type.code()}))
        .collect();
    Ok(Value::Array(found))
}

fn set_suspended(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    params: &Map<String, Value>,
    suspended: bool,
) -> Outcome {
    let p = Params::new(params, &["companyId", "recursive"])?;
    let id = p.req_str("companyId")?;
    let recursive = p.opt_bool("recursive")?.unwrap_or(false);
    let company = visible(instance, ctx, id, "companyId")?;
    if company.id == ctx.scope {
        return Err(RpcFault::invalid_params(
            "A company cannot suspend or activate itself.",
        ));
    }
    let mut ids = vec![id.to_owned()];
    if recursive {
        ids.extend(instance.descendants(id).iter().map(|c| c.id.clone()));
    }
    for id in ids {
        if let Some(c) = instance.companies.get_mut(&id) {
            c.suspended = suspended;
        }
    }
    Ok(Value::Null)
}
