//! The JSON-RPC methods, one module per API area.

mod companies;
mod general;
mod licensing;
mod network;
mod packages;

use serde_json::{Map, Value};

use super::Settings;
use super::state::{FakeCompany, Instance};
use super::wire::RpcFault;

/// Who is calling: the key and the company whose tree it sees.
pub(crate) struct Ctx<'a> {
    pub key: &'a str,
    pub scope: &'a str,
    pub settings: &'a Settings,
}

/// A method's answer: the `result`, or the error to send with HTTP 200.
pub(crate) type Outcome = Result<Value, RpcFault>;

/// Runs `method` of `area` on `version`; `None` when the method does not exist there.
pub(crate) fn dispatch(
    instance: &mut Instance,
    ctx: &Ctx<'_>,
    version: &str,
    area: &str,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    if version == "v1.1" && !(area == "network" && network::ON_V1_1.contains(&method)) {
        return None;
    }
    match area {
        "companies" => companies::handle(instance, ctx, method, params),
        "general" => general::handle(instance, ctx, method, params),
        "licensing" => licensing::handle(instance, ctx, method, params),
        "network" => network::handle(instance, ctx, version, method, params),
        "packages" => packages::handle(instance, ctx, method, params),
        _ => None,
    }
}

/// The company `id` names, if the caller may see it (its own company or one below);
/// otherwise "Invalid value for '`param`' parameter."
pub(crate) fn visible<'i>(
    instance: &'i Instance,
    ctx: &Ctx<'_>,
    id: &str,
    param: &str,
) -> Result<&'i FakeCompany, RpcFault> {
    match instance.company(id) {
        Some(c) if instance.is_within(&c.id, ctx.scope) => Ok(c),
        _ => Err(RpcFault::invalid_value(param)),
    }
}

/// The id in `param` when given (and visible), else the caller's own company.
pub(crate) fn target(
    instance: &Instance,
    ctx: &Ctx<'_>,
    given: Option<&str>,
    param: &str,
) -> Result<String, RpcFault> {
    match given {
        Some(id) => visible(instance, ctx, id, param).map(|c| c.id.clone()),
        None => Ok(ctx.scope.to_owned()),
    }
}

/// A `{page, pagesCount, perPage, total, items}` page of `items`; with `quirk` (reported for
/// v1.1), pages after the first carry `hasMoreRecords` instead of `pagesCount`/`total`.
pub(crate) fn page_of(items: Vec<Value>, page: i64, per_page: i64, quirk: bool) -> Value {
    let total = items.len() as i64;
    let pages_count = (total + per_page - 1) / per_page;
    let start = ((page - 1) * per_page).min(total) as usize;
    let end = (page * per_page).min(total) as usize;
    let slice: Vec<Value> = items.into_iter().skip(start).take(end - start).collect();
    let mut out = Map::new();
    out.insert("page".into(), page.into());
    out.insert("perPage".into(), per_page.into());
    if quirk && page > 1 {
        out.insert("hasMoreRecords".into(), (page < pages_count).into());
    } else {
        out.insert("pagesCount".into(), pages_count.into());
        out.insert("total".into(), total.into());
    }
    out.insert("items".into(), Value::Array(slice));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_slice_and_count() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let p2 = page_of(items.clone(), 2, 2, false);
        assert_eq!(
            p2,
            json!({"page": 2, "perPage": 2, "pagesCount": 3, "total": 5, "items": [2, 3]})
        );
        let p3 = page_of(items.clone(), 3, 2, true);
        assert_eq!(
            p3,
            json!({"page": 3, "perPage": 2, "hasMoreRecords": false, "items": [4]})
        );
        let beyond = page_of(items, 9, 2, false);
        assert_eq!(beyond["items"], json!([]));
        assert_eq!(page_of(Vec::new(), 1, 30, false)["pagesCount"], json!(0));
    }
}
