//! The fake's records written as IT Glue writes them: resource objects with a string `id`, a
//! kebab-case `type` and kebab-case attributes (foreign keys as numbers, timestamps with
//! milliseconds), and list documents with `meta` and `links`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use url::Url;

use super::query::ListQuery;
use super::state::{
    Account, FakeConfiguration, FakeInterface, FakeNamed, FakeOrganization, NamedKind,
};

/// How many characters of quick notes a list shows.
const QUICK_NOTES_IN_LISTS: usize = 250;

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An organization; `in_list` truncates the quick notes as IT Glue's index does.
pub(crate) fn organization(account: &Account, org: &FakeOrganization, in_list: bool) -> Value {
    let quick_notes = org.quick_notes.as_ref().map(|notes| {
        if in_list {
            notes.chars().take(QUICK_NOTES_IN_LISTS).collect()
        } else {
            notes.clone()
        }
    });
    json!({
        "id": org.id.to_string(),
        "type": "organizations",
        "attributes": {
            "name": org.name,
            "alert": org.alert,
            "description": org.description,
            "organization-type-id": org.organization_type_id,
            "organization-type-name": account.named_name(NamedKind::OrganizationType, org.organization_type_id),
            "organization-status-id": org.organization_status_id,
            "organization-status-name": account.named_name(NamedKind::OrganizationStatus, org.organization_status_id),
            "primary": org.primary,
            "logo": "",
            "quick-notes": quick_notes,
            "short-name": org.short_name,
            "psa-integration": org.psa.as_ref().map(|_| "enabled"),
            "my-glue-account-id": null,
            "created-at": timestamp(org.created_at),
            "updated-at": timestamp(org.updated_at),
            "parent-id": null,
            "ancestor-ids": "[]",
        }
    })
}

/// The kind IT Glue derives from a configuration type's name (`server`, `switch`, …).
fn type_kind(name: Option<&str>) -> Option<&'static str> {
    let name = name?.to_ascii_lowercase();
    let kind = if name.contains("server") {
        "server"
    } else if name.contains("switch") {
        "switch"
    } else if name.contains("firewall") {
        "firewall"
    } else if name.contains("printer") {
        "printer"
    } else if name.contains("laptop") || name.contains("workstation") || name.contains("desktop") {
        "workstation"
    } else {
        "other"
    };
    Some(kind)
}

/// A configuration; with `interfaces`, its `configuration-interfaces` relationship.
pub(crate) fn configuration(
    account: &Account,
    configuration: &FakeConfiguration,
    interfaces: Option<&[&FakeInterface]>,
) -> Value {
    let organization = account.organizations.get(&configuration.organization_id);
    let type_name = account.named_name(
        NamedKind::ConfigurationType,
        Some(configuration.configuration_type_id),
    );
    let mut attributes = json!({
        "organization-id": configuration.organization_id,
        "organization-name": organization.map(|o| o.name.clone()),
        "organization-short-name": organization.and_then(|o| o.short_name.clone()),
        "resource-url": format!(
            "https://fake.itglue.com/{}/configurations/{}",
            configuration.organization_id, configuration.id
        ),
        "name": configuration.name,
        "hostname": configuration.hostname,
        "primary-ip": configuration.primary_ip,
        "mac-address": configuration.mac_address,
        "default-gateway": configuration.default_gateway,
        "serial-number": configuration.serial_number,
        "asset-tag": configuration.asset_tag,
        "position": configuration.position,
        "installed-by": configuration.installed_by,
        "purchased-by": configuration.purchased_by,
        "notes": configuration.notes,
        "operating-system-notes": configuration.operating_system_notes,
        "warranty-expires-at": configuration.warranty_expires_at,
        "installed-at": configuration.installed_at,
        "purchased-at": configuration.purchased_at,
        "created-at": timestamp(configuration.created_at),
        "updated-at": timestamp(configuration.updated_at),
    });
    let related = json!({
        "configuration-type-id": configuration.configuration_type_id,
        "configuration-type-name": type_name,
        "configuration-type-kind": type_kind(type_name.as_deref()),
        "configuration-status-id": configuration.configuration_status_id,
        "configuration-status-name": account.named_name(NamedKind::ConfigurationStatus, configuration.configuration_status_id),
        "manufacturer-id": configuration.manufacturer_id,
        "manufacturer-name": account.named_name(NamedKind::Manufacturer, configuration.manufacturer_id),
        "model-id": configuration.model_id,
        "model-name": configuration.model_id.and_then(|id| account.models.get(&id)).map(|m| m.name.clone()),
        "operating-system-id": configuration.operating_system_id,
        "operating-system-name": account.named_name(NamedKind::OperatingSystem, configuration.operating_system_id),
        "location-id": configuration.location_id,
        "location-name": null,
        "contact-id": configuration.contact_id,
        "contact-name": null,
        "restricted": configuration.restricted,
        "psa-integration": configuration.psa.as_ref().map(|_| "enabled"),
        "archived": configuration.archived,
    });
    if let (Some(attributes), Value::Object(related)) = (attributes.as_object_mut(), related) {
        attributes.extend(related);
    }
    let mut value = json!({
        "id": configuration.id.to_string(),
        "type": "configurations",
        "attributes": attributes,
    });
    if let Some(interfaces) = interfaces {
        let data: Vec<Value> = interfaces
            .iter()
            .map(|interface| json!({"id": interface.id.to_string(), "type": "configuration-interfaces"}))
            .collect();
        value["relationships"] = json!({ "configuration-interfaces": { "data": data } });
    }
    value
}

/// A configuration interface.
pub(crate) fn interface(interface: &FakeInterface) -> Value {
    json!({
        "id": interface.id.to_string(),
        "type": "configuration-interfaces",
        "attributes": {
            "primary": interface.primary,
            "name": interface.name,
            "ip-address": interface.ip_address,
            "mac-address": interface.mac_address,
            "notes": interface.notes,
            "created-at": timestamp(interface.created_at),
            "updated-at": timestamp(interface.updated_at),
        }
    })
}

/// A type or status.
pub(crate) fn named(account: &Account, kind: NamedKind, named: &FakeNamed) -> Value {
    let mut value = json!({
        "id": named.id.to_string(),
        "type": kind.json_type(),
        "attributes": {
            "name": named.name,
            "synced": named.synced,
            "created-at": timestamp(named.created_at),
            "updated-at": timestamp(named.updated_at),
        }
    });
    if kind == NamedKind::ConfigurationType {
        let count = account
            .configurations
            .values()
            .filter(|c| c.configuration_type_id == named.id)
            .count();
        value["attributes"]["configurations-count"] = json!(count);
    }
    value
}

/// A model.
pub(crate) fn model(model: &super::state::FakeModel) -> Value {
    json!({
        "id": model.id.to_string(),
        "type": "models",
        "attributes": {
            "name": model.name,
            "manufacturer-id": model.manufacturer_id,
            "created-at": timestamp(model.created_at),
            "updated-at": timestamp(model.updated_at),
        }
    })
}

/// One page of `items` as a list document, with `meta` (echoing the filters) and `links`.
/// Only the page's items are rendered, each by `render` into its resource and the resources it
/// brings into `included` (written when `with_included`).
pub(crate) fn list_page<T>(
    items: &[T],
    with_included: bool,
    query: &ListQuery,
    url: &Url,
    render: impl Fn(&T) -> (Value, Vec<Value>),
) -> Value {
    let total = items.len() as u64;
    let size = query.page_size.max(1);
    let total_pages = total.div_ceil(size).max(1);
    let number = query.page_number;
    let start = usize::try_from((number - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let (page, included): (Vec<Value>, Vec<Vec<Value>>) = items
        .iter()
        .skip(start)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .map(render)
        .unzip();
    let next = (number < total_pages).then_some(number + 1);
    let prev = (number > 1).then(|| (number - 1).min(total_pages));
    let filters: serde_json::Map<String, Value> = query
        .filters
        .iter()
        .map(|(name, raw)| (name.replace("][", "."), json!(raw)))
        .collect();
    let link = |page: u64| page_link(url, page, size);
    let mut links = json!({ "self": link(number), "first": link(1), "last": link(total_pages) });
    if let Some(next) = next {
        links["next"] = json!(link(next));
    }
    if let Some(prev) = prev {
        links["prev"] = json!(link(prev));
    }
    let mut document = json!({
        "data": page,
        "meta": {
            "current-page": number,
            "next-page": next,
            "prev-page": prev,
            "total-pages": total_pages,
            "total-count": total,
            "filters": filters,
        },
        "links": links,
    });
    if with_included {
        document["included"] = Value::Array(included.into_iter().flatten().collect());
    }
    document
}

fn page_link(url: &Url, page: u64, size: u64) -> String {
    let mut link = url.clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "page[number]" && key != "page[size]")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    {
        let mut pairs = link.query_pairs_mut();
        pairs.clear();
        for (key, value) in &kept {
            pairs.append_pair(key, value);
        }
        pairs.append_pair("page[number]", &page.to_string());
        pairs.append_pair("page[size]", &size.to_string());
    }
    link.to_string()
}
