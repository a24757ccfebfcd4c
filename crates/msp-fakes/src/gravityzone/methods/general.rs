//! `general`: getApiKeyDetails.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome};
use crate::gravityzone::state::Instance;
use crate::gravityzone::wire::Params;

pub(super) fn handle(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    Some(match method {
        "getApiKeyDetails" => api_key_details(instance, ctx, params),
        _ => return None,
    })
}

/// The key's enabled API areas (lower-case names; the only member public material shows).
fn api_key_details(instance: &mut Instance, ctx: &Ctx<'_>, params: &Map<String, Value>) -> Outcome {
    Params::new(params, &[])?;
    let areas: Vec<&String> = instance
        .keys
        .get(ctx.key)
        .map(|k| k.enabled_apis.iter().collect())
        .unwrap_or_default();
    Ok(json!({ "enabledApis": areas }))
}
