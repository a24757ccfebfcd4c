//! `licensing`: getLicenseInfo.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, target};
use crate::gravityzone::state::Instance;
use crate::gravityzone::wire::{Params, RpcFault};

pub(super) fn handle(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    Some(match method {
        "getLicenseInfo" => license_info(instance, ctx, params),
        _ => return None,
    })
}

/// One object (as live tenants answer); an array when `returnAllProducts` is true (as the
/// documentation describes the result).
fn license_info(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    let p = Params::new(params, &["companyId", "returnAllProducts"])?;
    let id = target(instance, ctx, p.opt_str("companyId")?, "companyId")?;
    let all_products = p.opt_bool("returnAllProducts")?.unwrap_or(false);
    let company = instance
        .company(&id)
        .ok_or_else(|| RpcFault::invalid_value("companyId"))?;
    let used = instance
        .endpoints_of(&id)
        .iter()
        .filter(|e| e.is_managed)
        .count();
    let mut info = json!({
        "subscriptionType": company.subscription_type,
        "isAddon": false,
        "expiryDate": "2030-12-31T00:00:00",
        "usedSlots": used,
        "totalSlots": company.reserved_slots,
        "endSubscription": "2030-12-31T00:00:00",
        "autoRenewPeriod": 12,
        "manageExchange": false,
        "manageEncryption": false,
        "manageRemoteEnginesScanning": true,
        "manageHyperDetect": false,
        "manageSandboxAnalyzer": false,
    });
    if company.subscription_type == 2
        && let Some(obj) = info.as_object_mut()
    {
        obj.insert(
            "licenseKey".into(),
            json!(format!("FAKE-{}", company.id.get(16..).unwrap_or_default())),
        );
    }
    Ok(if all_products {
        json!([info, {"subscriptionType": company.subscription_type, "isAddon": true,
                      "usedSlots": 0, "totalSlots": null, "productType": 3}])
    } else {
        info
    })
}
