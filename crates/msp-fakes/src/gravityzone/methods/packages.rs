//! `packages`: createPackage, getPackagesList, getPackageDetails, deletePackage,
//! getInstallationLinks.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, page_of, target, visible};
use crate::gravityzone::CreatePackageResult;
use crate::gravityzone::state::{FakeCompanyType, FakePackage, Instance};
use crate::gravityzone::wire::{Params, RpcFault};

/// The module keys `createPackage` documents (current partner docs).
pub(crate) const MODULE_KEYS: [&str; 15] = [
    "advancedThreatControl",
    "firewall",
    "contentControl",
    "userControl",
    "antiphishing",
    "trafficScan",
    "deviceControl",
    "powerUser",
    "edrSensor",
    "advancedAntiExploit",
    "containerProtection",
    "encryption",
    "patchManagement",
    "networkAttackDefense",
    "integrityMonitoring",
];

/// The modules `contentControl` copies its value to.
const CONTENT_CONTROL_COPIES: [&str; 3] = ["userControl", "antiphishing", "trafficScan"];

/// The modules an EDR (report only) package must have on.
const EDR_MODULES: [&str; 4] = [
    "edrSensor",
    "contentControl",
    "networkAttackDefense",
    "advancedThreatControl",
];

const LANGUAGES: [&str; 9] = [
    "en_US", "es_ES", "de_DE", "fr_FR", "ro_RO", "pl_PL", "pt_BR", "it_IT", "ru_RU",
];

/// Where the fake's download links point (not an API host).
const DOWNLOAD_HOST: &str = "https://download.gravityzone.invalid";

pub(super) fn handle(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    Some(match method {
        "createPackage" => create(instance, ctx, params),
        "getPackagesList" => list(instance, ctx, params),
        "getPackageDetails" => details(instance, ctx, params),
        "deletePackage" => delete(instance, ctx, params),
        "getInstallationLinks" => links(instance, ctx, params),
        _ => return None,
    })
}

/// Module switches are the integers 0 and 1 (a key not sent is off); `atc` is the deprecated
/// alias of `advancedThreatControl`; `contentControl` copies itself to three modules and a
/// different value for one of those is an error.
fn modules_from(sent: Option<&Map<String, Value>>) -> Result<BTreeMap<String, i64>, RpcFault> {
    let mut modules: BTreeMap<String, i64> =
        MODULE_KEYS.iter().map(|k| ((*k).to_owned(), 0)).collect();
    let Some(sent) = sent else {
        return Ok(modules);
    };
    let bad = || RpcFault::invalid_value("modules");
    for (key, value) in sent {
        let key = if key == "atc" {
            "advancedThreatControl"
        } else {
            key.as_str()
        };
        if !MODULE_KEYS.contains(&key) {
            return Err(RpcFault::invalid_params(format!("Unknown module '{key}'.")));
        }
        let on = value
            .as_i64()
            .filter(|v| *v == 0 || *v == 1)
            .ok_or_else(bad)?;
        modules.insert(key.to_owned(), on);
    }
    if let Some(content) = sent.get("contentControl").and_then(Value::as_i64) {
        for copy in CONTENT_CONTROL_COPIES {
            if sent
                .get(copy)
                .and_then(Value::as_i64)
                .is_some_and(|v| v != content)
            {
                return Err(RpcFault::invalid_params(format!(
                    "'{copy}' cannot differ from the deprecated 'contentControl'."
                )));
            }
            modules.insert(copy.to_owned(), content);
        }
    }
    Ok(modules)
}

/// A flag that may be sent as a boolean or as 0/1 (both are seen in the wild).
fn is_flag(v: &Value) -> bool {
    v.is_boolean() || v.as_i64().is_some_and(|n| n == 0 || n == 1)
}

fn check_config(p: &Params<'_>) -> Result<(), RpcFault> {
    if p.opt_str("language")?
        .is_some_and(|l| !LANGUAGES.contains(&l))
    {
        return Err(RpcFault::invalid_value("language"));
    }
    p.opt_str("description")?;
    if let Some(scan) = p.opt_object("scanMode")? {
        let kind = scan.get("type").and_then(Value::as_i64);
        let engines_ok = |k: &str| match scan.get(k) {
            None => true,
            Some(Value::Object(e)) => {
                e.get("main")
                    .and_then(Value::as_i64)
                    .is_some_and(|m| (1..=3).contains(&m))
                    && e.get("fallback")
                        .is_none_or(|f| f.as_i64().is_some_and(|m| (1..=3).contains(&m)))
            }
            Some(_) => false,
        };
        let valid = match kind {
            Some(1) => true,
            Some(2) => {
                scan.contains_key("computers")
                    && ["computers", "vms", "ec2"].iter().all(|k| engines_ok(k))
            }
            _ => false,
        };
        if !valid {
            return Err(RpcFault::invalid_value("scanMode"));
        }
    }
    if let Some(settings) = p.opt_object("settings")? {
        for flag in ["scanBeforeInstall", "removeCompetitors"] {
            if settings.get(flag).is_some_and(|v| !is_flag(v)) {
                return Err(RpcFault::invalid_value("settings"));
            }
        }
    }
    if let Some(roles) = p.opt_object("roles")?
        && (roles.keys().any(|k| k != "relay" && k != "exchange")
            || roles.values().any(|v| !is_flag(v)))
    {
        return Err(RpcFault::invalid_value("roles"));
    }
    p.opt_object("deploymentOptions")?;
    Ok(())
}

fn create(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(
        params,
        &[
            "packageName",
            "companyId",
            "description",
            "language",
            "modules",
            "scanMode",
            "settings",
            "roles",
            "deploymentOptions",
            "productType",
        ],
    )?;
    let name = p.req_str("packageName")?.trim();
    if name.is_empty() {
        return Err(RpcFault::invalid_value("packageName"));
    }
    // companyId is a partner-only parameter.
    let caller_is_partner =
        instance.company(ctx.scope).map(|c| c.company_type) == Some(FakeCompanyType::Partner);
    if p.has("companyId") && !caller_is_partner {
        return Err(RpcFault::invalid_value("companyId"));
    }
    let company = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    let modules = modules_from(p.opt_object("modules")?)?;
    check_config(&p)?;
    let product_type = p.opt_int("productType")?.unwrap_or(0);
    if ![0, 3, 5].contains(&product_type) {
        return Err(RpcFault::invalid_value("productType"));
    }
    if product_type == 3 {
        let edr_ok = modules.iter().all(|(k, v)| {
            let required =
                EDR_MODULES.contains(&k.as_str()) || CONTENT_CONTROL_COPIES.contains(&k.as_str());
            *v == i64::from(required)
        });
        if !edr_ok {
            return Err(RpcFault::invalid_value("modules"));
        }
    }
    if instance
        .packages_of(&company)
        .iter()
        .any(|p| p.name == name)
    {
        return Err(RpcFault::invalid_params(format!(
            "A package with the name '{name}' already exists."
        )));
    }
    let mut config = Map::new();
    config.insert(
        "description".into(),
        p.raw("description").cloned().unwrap_or(json!("")),
    );
    config.insert(
        "language".into(),
        p.raw("language").cloned().unwrap_or(json!("en_US")),
    );
    config.insert(
        "scanMode".into(),
        p.raw("scanMode").cloned().unwrap_or(json!({"type": 1})),
    );
    config.insert(
        "settings".into(),
        p.raw("settings").cloned().unwrap_or(json!({})),
    );
    config.insert(
        "roles".into(),
        p.raw("roles")
            .cloned()
            .unwrap_or(json!({"relay": 0, "exchange": 0})),
    );
    config.insert(
        "deploymentOptions".into(),
        p.raw("deploymentOptions")
            .cloned()
            .unwrap_or(json!({"type": 1})),
    );
    config.insert("productType".into(), json!(product_type));
    let id = instance.new_id();
    let ready = if ctx.settings.new_kits_ready { 2 } else { 1 };
    let package = FakePackage {
        id: id.clone(),
        name: name.to_owned(),
        company_id: company,
        package_type: 4,
        modules,
        config,
        deployment_id: format!("{id}{:04x}", id.len()),
        kit_status: ["windows", "mac", "linux"]
            .iter()
            .map(|k| ((*k).to_owned(), ready))
            .collect(),
    };
    instance.insert_package(package);
    Ok(match ctx.settings.create_package_result {
        CreatePackageResult::Records => json!([{"success": true, "records": [id]}]),
        CreatePackageResult::Id => json!(id),
        CreatePackageResult::Null => Value::Null,
    })
}

fn list(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["companyId", "page", "perPage"])?;
    let company = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    let (page, per_page) = p.paging(100)?;
    let items: Vec<Value> = instance
        .packages_of(&company)
        .iter()
        .map(|p| json!({"id": p.id, "name": p.name, "type": p.package_type}))
        .collect();
    Ok(page_of(items, page, per_page, false))
}

/// The package `id` names, if the caller may see its company.
fn visible_package<'i>(
    instance: &'i Instance,
    ctx: &Ctx<'_>,
    id: &str,
) -> Result<&'i FakePackage, RpcFault> {
    let package = instance
        .packages
        .get(id)
        .ok_or_else(|| RpcFault::invalid_value("packageId"))?;
    visible(instance, ctx, &package.company_id, "packageId")?;
    Ok(package)
}

fn details(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["packageId"])?;
    let package = visible_package(instance, ctx, p.req_str("packageId")?)?;
    let mut modules: Map<String, Value> = package
        .modules
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    // getPackageDetails also reports the always-on antimalware module.
    modules.entry("antimalware").or_insert(json!(1));
    let mut out = package.config.clone();
    out.insert("packageName".into(), json!(package.name));
    out.insert("modules".into(), Value::Object(modules));
    Ok(Value::Object(out))
}

fn delete(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["packageId"])?;
    let id = visible_package(instance, ctx, p.req_str("packageId")?)?
        .id
        .clone();
    instance.packages.remove(&id);
    instance.package_order.retain(|x| *x != id);
    Ok(Value::Null)
}

/// One array entry per package; `packageName` matches case-insensitively as a substring
/// (name lookups on the real service are fuzzy).
fn links(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["packageName", "companyId"])?;
    let company_id = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    let company_name = instance
        .company(&company_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let wanted = p.opt_str("packageName")?.map(str::to_lowercase);
    let out: Vec<Value> = instance
        .packages_of(&company_id)
        .into_iter()
        .filter(|pk| wanted.as_deref().is_none_or(|w| pk.name.to_lowercase().contains(w)))
        .map(|pk| {
            let d = &pk.deployment_id;
            let mut entry = json!({
                "packageName": pk.name,
                "companyName": company_name,
                "companyId": company_id,
                "installLinkWindows": format!("{DOWNLOAD_HOST}/Packages/BSTWIN/0/setupdownloader_[{d}].exe"),
                "installLinkMac": format!("{DOWNLOAD_HOST}/Packages/MAC/0/{d}/antivirus_for_mac.pkg"),
                "installLinkMacArm": format!("{DOWNLOAD_HOST}/Packages/MAC/0/{d}/antivirus_for_mac_arm.pkg"),
                "installLinkMacDownloader": format!("{DOWNLOAD_HOST}/Packages/MAC/0/{d}/downloader.dmg"),
                "installLinkLinux": format!("{DOWNLOAD_HOST}/Packages/BSTNIX/0/{d}/installer"),
                "fullKitWindowsX32": format!("{DOWNLOAD_HOST}/Packages/BSTWIN/0/{d}/full_kit_x86.exe"),
                "fullKitWindowsX64": format!("{DOWNLOAD_HOST}/Packages/BSTWIN/0/{d}/full_kit_x64.exe"),
                "fullKitWindowsArm64": format!("{DOWNLOAD_HOST}/Packages/BSTWIN/0/{d}/full_kit_arm64.exe"),
                "fullKitLinuxX32": format!("{DOWNLOAD_HOST}/Packages/BSTNIX/0/{d}/full_kit_x86.tar"),
                "fullKitLinuxX64": format!("{DOWNLOAD_HOST}/Packages/BSTNIX/0/{d}/full_kit_x64.tar"),
                "fullKitLinuxArm64": format!("{DOWNLOAD_HOST}/Packages/BSTNIX/0/{d}/full_kit_arm64.tar"),
            });
            if ctx.settings.links_with_status
                && let Some(obj) = entry.as_object_mut()
            {
                obj.insert("status".into(), json!(pk.kit_status));
            }
            entry
        })
        .collect();
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modules(v: Value) -> Result<BTreeMap<String, i64>, RpcFault> {
        modules_from(v.as_object())
    }

    #[test]
    fn modules_not_sent_are_off_and_atc_is_an_alias() {
        let m = modules(json!({"atc": 1})).unwrap();
        assert_eq!(m["advancedThreatControl"], 1);
        assert_eq!(m["firewall"], 0);
        assert_eq!(m.len(), MODULE_KEYS.len());
    }

    #[test]
    fn modules_must_be_documented_integers() {
        assert!(modules(json!({"firewall": true})).is_err());
        assert!(modules(json!({"firewall": 2})).is_err());
        assert!(modules(json!({"quantumShield": 1})).is_err());
    }

    #[test]
    fn content_control_copies_itself_and_refuses_contradictions() {
        let m = modules(json!({"contentControl": 1})).unwrap();
        assert_eq!(
            (m["userControl"], m["antiphishing"], m["trafficScan"]),
            (1, 1, 1)
        );
        assert!(modules(json!({"contentControl": 1, "trafficScan": 0})).is_err());
    }
}
