//! Configuration interfaces: `GET`/`POST /configurations/:id/relationships/configuration_interfaces`,
//! `POST /configuration_interfaces` (with `configuration_id`), `GET /configuration_interfaces/:id`.
//! There is no account-wide list: `GET /configuration_interfaces` is IT Glue's HTML 404.

use std::cmp::Ordering;

use serde_json::{Value, json};
use url::Url;
use wiremock::ResponseTemplate;

use super::body::{self, BodyData, Field, ResourceIn, is_mac};
use super::errors::{ApiError, errors_response, json_api, record_not_found};
use super::query::{self, ListRules, id_matches, text_matches};
use super::render;
use super::state::{Account, FakeInterface};

pub(crate) const RULES: ListRules = ListRules {
    filters: &["id", "ip_address"],
    sorts: &["created_at", "updated_at"],
    includes: &[],
};

/// `GET /configurations/:id/relationships/configuration_interfaces`.
pub(crate) fn list(account: &Account, configuration_id: u64, url: &Url) -> ResponseTemplate {
    let query = match query::parse(url, RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    if !account.configurations.contains_key(&configuration_id) {
        return record_not_found();
    }
    let mut selected: Vec<&FakeInterface> = account
        .interfaces_of(configuration_id)
        .into_iter()
        .filter(|interface| {
            query
                .values("id")
                .is_none_or(|ids| id_matches(Some(interface.id), &ids))
                && query
                    .values("ip_address")
                    .is_none_or(|ips| text_matches(interface.ip_address.as_deref(), &ips))
        })
        .collect();
    if let Some((field, descending)) = &query.sort {
        selected.sort_by(|a, b| {
            let order = match field.as_str() {
                "created_at" => a.created_at.cmp(&b.created_at),
                "updated_at" => a.updated_at.cmp(&b.updated_at),
                _ => Ordering::Equal,
            }
            .then(a.id.cmp(&b.id));
            if *descending { order.reverse() } else { order }
        });
    }
    let document = render::list_page(&selected, false, &query, url, |interface| {
        (render::interface(interface), Vec::new())
    });
    json_api(200, &document)
}

/// `GET /configuration_interfaces/:id`.
pub(crate) fn show(account: &Account, id: u64) -> ResponseTemplate {
    match account.interfaces.get(&id) {
        Some(interface) => json_api(200, &json!({ "data": render::interface(interface) })),
        None => record_not_found(),
    }
}

/// Validates one new interface of `configuration_id` from a resource object.
fn draft(
    account: &mut Account,
    configuration_id: u64,
    resource: &mut ResourceIn,
) -> Result<FakeInterface, Vec<ApiError>> {
    if let Err(error) = resource.expect_type("configuration-interfaces") {
        return Err(vec![error]);
    }
    let mut interface = account.new_interface(configuration_id);
    let attributes = &mut resource.attributes;
    attributes.text("name").apply(&mut interface.name);
    attributes.text("notes").apply(&mut interface.notes);
    attributes.ip("ip-address").apply(&mut interface.ip_address);
    match attributes.text("mac-address") {
        Field::Value(mac) if !is_mac(&mac) => {
            attributes.invalid("mac-address", "must be a valid MAC address");
        }
        field => field.apply(&mut interface.mac_address),
    }
    if let Some(primary) = attributes.flag("primary").value() {
        interface.primary = primary;
    }
    let errors = attributes.take_errors();
    if errors.is_empty() {
        Ok(interface)
    } else {
        Err(errors)
    }
}

/// Validates an interface embedded in a configuration create (`value` is one item of
/// `relationships.configuration_interfaces.data`, at `pointer`).
pub(crate) fn draft_from_value(
    account: &mut Account,
    configuration_id: u64,
    value: &Value,
    pointer: &str,
) -> Result<FakeInterface, Vec<ApiError>> {
    let document = json!({ "data": value });
    let mut resource = match body::parse(document.to_string().as_bytes()) {
        Ok(BodyData::One(resource)) => resource,
        _ => {
            return Err(vec![
                ApiError::new(400, "Bad Request")
                    .pointer(pointer)
                    .detail("an interface is an object with attributes"),
            ]);
        }
    };
    draft(account, configuration_id, &mut resource).map_err(|errors| {
        errors
            .into_iter()
            .map(|mut error| {
                error.pointer = error
                    .pointer
                    .map(|inner| inner.replacen("/data", pointer, 1));
                error
            })
            .collect()
    })
}

/// `POST /configurations/:id/relationships/configuration_interfaces` (one or a list), or
/// `POST /configuration_interfaces` with `configuration_id` in the attributes
/// (`configuration_id` is `None`).
pub(crate) fn create(
    account: &mut Account,
    configuration_id: Option<u64>,
    body: &[u8],
) -> ResponseTemplate {
    if let Some(id) = configuration_id
        && !account.configurations.contains_key(&id)
    {
        return record_not_found();
    }
    let data = match body::parse(body) {
        Ok(data) => data,
        Err(error) => return error.into_response(),
    };
    let (mut resources, many) = match data {
        BodyData::One(resource) => (vec![resource], false),
        BodyData::Many(_) if configuration_id.is_none() => {
            return ApiError::new(400, "Bad Request")
                .detail("bulk create takes the configuration's nested route")
                .into_response();
        }
        BodyData::Many(resources) => (resources, true),
    };
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for resource in &mut resources {
        let owner = match configuration_id {
            Some(id) => id,
            None => match resource.attributes.id("configuration-id") {
                Field::Value(id) if account.configurations.contains_key(&id) => id,
                _ => {
                    errors.push(ApiError::invalid(
                        resource.attributes.pointer_of("configuration"),
                        "must exist",
                    ));
                    continue;
                }
            },
        };
        match draft(account, owner, resource) {
            Ok(interface) => drafts.push(interface),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if !errors.is_empty() {
        return errors_response(422, &errors);
    }
    let ids: Vec<u64> = drafts.iter().map(|interface| interface.id).collect();
    for interface in drafts {
        account.store_interface(interface);
    }
    let created: Vec<Value> = ids
        .iter()
        .filter_map(|id| account.interfaces.get(id))
        .map(render::interface)
        .collect();
    let data = if many {
        Value::Array(created)
    } else {
        created.into_iter().next().unwrap_or(Value::Null)
    };
    json_api(201, &json!({ "data": data }))
}
