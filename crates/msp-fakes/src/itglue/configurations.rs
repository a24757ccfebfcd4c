//! `/configurations` and `/organizations/:id/relationships/configurations`: list (documented
//! filters, `include=configuration_interfaces`), show, create one, bulk create on the nested
//! route, update and archive.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::{Value, json};
use url::Url;
use wiremock::ResponseTemplate;

use super::body::{self, Attributes, BodyData, Field, ResourceIn};
use super::errors::{ApiError, errors_response, json_api, record_not_found};
use super::interfaces;
use super::query::{self, ListQuery, ListRules, id_matches, text_matches};
use super::render;
use super::state::{Account, FakeConfiguration, FakeInterface, NamedKind};

const INDEX_INCLUDES: &[&str] = &[
    "adapters_resources",
    "configuration_interfaces",
    "rmm_records",
    "passwords",
    "attachments",
    "tickets",
    "dnet_fa_remote_assets",
    "user_resource_accesses",
    "group_resource_accesses",
];

pub(crate) const RULES: ListRules = ListRules {
    filters: &[
        "id",
        "name",
        "organization_id",
        "configuration_type_id",
        "configuration_status_id",
        "contact_id",
        "serial_number",
        "mac_address",
        "asset_tag",
        "psa_id",
        "psa_integration_type",
        "rmm_id",
        "rmm_integration_type",
        "archived",
    ],
    sorts: &["name", "id", "created_at", "updated_at"],
    includes: INDEX_INCLUDES,
};

const SHOW_RULES: ListRules = ListRules {
    filters: &[],
    sorts: &[],
    includes: &[
        "adapters_resources",
        "configuration_interfaces",
        "rmm_records",
        "passwords",
        "attachments",
        "tickets",
        "dnet_fa_remote_assets",
        "user_resource_accesses",
        "group_resource_accesses",
        "rmm_adapters_resources",
        "adapters_resources_errors",
        "rmm_adapters_resources_errors",
        "active_network_glue_network_devices",
        "to_configuration_connections",
        "from_configuration_connections",
        "recent_versions",
        "related_items",
        "authorized_users",
    ],
};

/// Attributes a PSA-synced configuration still accepts.
const PSA_WRITABLE: &[&str] = &[
    "archived",
    "asset-tag",
    "notes",
    "purchased-at",
    "restricted",
    "serial-number",
    "warranty-expires-at",
    "mitp-device-expiration-date",
    "mitp-end-of-life-date",
];

fn selected(configuration: &FakeConfiguration, query: &ListQuery) -> Result<bool, ApiError> {
    for (id, kind) in [
        ("rmm_id", "rmm_integration_type"),
        ("psa_id", "psa_integration_type"),
    ] {
        if query.filters.contains_key(id) && !query.filters.contains_key(kind) {
            return Err(ApiError::bad_parameter(
                &format!("filter[{id}]"),
                format!("filter[{id}] must be accompanied by filter[{kind}]"),
            ));
        }
    }
    let archived = match query.filters.get("archived") {
        Some(raw) => match query::parse_bool(raw) {
            Some(archived) => Some(archived),
            None => {
                return Err(ApiError::bad_parameter(
                    "filter[archived]",
                    "filter[archived] is one of true, false, 1, 0",
                ));
            }
        },
        None => None,
    };
    let rmm_selected = match (query.values("rmm_integration_type"), query.values("rmm_id")) {
        (None, _) => true,
        (Some(types), None) => configuration
            .rmm_links
            .iter()
            .any(|(kind, _)| text_matches(Some(kind), &types)),
        (Some(types), Some(ids)) => configuration
            .rmm_links
            .iter()
            .any(|(kind, id)| text_matches(Some(kind), &types) && text_matches(Some(id), &ids)),
    };
    let psa_selected = match (query.values("psa_integration_type"), query.values("psa_id")) {
        (None, _) => true,
        (Some(types), ids) => configuration.psa.as_ref().is_some_and(|(kind, id)| {
            text_matches(Some(kind), &types)
                && ids.as_ref().is_none_or(|ids| text_matches(Some(id), ids))
        }),
    };
    let checks = [
        query
            .values("id")
            .is_none_or(|ids| id_matches(Some(configuration.id), &ids)),
        query
            .values("name")
            .is_none_or(|names| text_matches(Some(&configuration.name), &names)),
        query
            .values("organization_id")
            .is_none_or(|ids| id_matches(Some(configuration.organization_id), &ids)),
        query
            .values("configuration_type_id")
            .is_none_or(|ids| id_matches(Some(configuration.configuration_type_id), &ids)),
        query
            .values("configuration_status_id")
            .is_none_or(|ids| id_matches(configuration.configuration_status_id, &ids)),
        query
            .values("contact_id")
            .is_none_or(|ids| id_matches(configuration.contact_id, &ids)),
        query
            .values("serial_number")
            .is_none_or(|serials| text_matches(configuration.serial_number.as_deref(), &serials)),
        query
            .values("mac_address")
            .is_none_or(|macs| text_matches(configuration.mac_address.as_deref(), &macs)),
        query
            .values("asset_tag")
            .is_none_or(|tags| text_matches(configuration.asset_tag.as_deref(), &tags)),
        archived.is_none_or(|archived| configuration.archived == archived),
        rmm_selected,
        psa_selected,
    ];
    Ok(checks.iter().all(|passed| *passed))
}

fn compare(field: &str, a: &FakeConfiguration, b: &FakeConfiguration) -> Ordering {
    let by = match field {
        "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        "created_at" => a.created_at.cmp(&b.created_at),
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        _ => Ordering::Equal,
    };
    by.then(a.id.cmp(&b.id))
}

/// The interfaces of every configuration, by configuration id (one pass over the interfaces).
fn interfaces_by_configuration(account: &Account) -> HashMap<u64, Vec<&FakeInterface>> {
    let mut by_configuration: HashMap<u64, Vec<&FakeInterface>> = HashMap::new();
    for interface in account.interfaces.values() {
        by_configuration
            .entry(interface.configuration_id)
            .or_default()
            .push(interface);
    }
    by_configuration
}

/// A configuration with what `include=configuration_interfaces` brings (`interfaces` is
/// `None` when it was not asked for).
fn with_included(
    account: &Account,
    configuration: &FakeConfiguration,
    interfaces: Option<&HashMap<u64, Vec<&FakeInterface>>>,
) -> (Value, Vec<Value>) {
    let Some(by_configuration) = interfaces else {
        return (
            render::configuration(account, configuration, None),
            Vec::new(),
        );
    };
    let own: &[&FakeInterface] = by_configuration
        .get(&configuration.id)
        .map_or(&[], Vec::as_slice);
    (
        render::configuration(account, configuration, Some(own)),
        own.iter()
            .map(|interface| render::interface(interface))
            .collect(),
    )
}

/// `GET /configurations`, or the nested list of one organization (`nested_in`), where IT
/// Glue does not honour filters.
pub(crate) fn list(account: &Account, url: &Url, nested_in: Option<u64>) -> ResponseTemplate {
    let mut query = match query::parse(url, RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    if let Some(organization_id) = nested_in {
        if !account.organizations.contains_key(&organization_id) {
            return record_not_found();
        }
        query.filters.clear();
    }
    let mut selected_configurations = Vec::new();
    for configuration in account.configurations.values() {
        if nested_in.is_some_and(|org| configuration.organization_id != org) {
            continue;
        }
        match selected(configuration, &query) {
            Ok(true) => selected_configurations.push(configuration),
            Ok(false) => {}
            Err(error) => return error.into_response(),
        }
    }
    if let Some((field, descending)) = &query.sort {
        selected_configurations.sort_by(|a, b| {
            let order = compare(field, a, b);
            if *descending { order.reverse() } else { order }
        });
    }
    let interfaces = query
        .includes("configuration_interfaces")
        .then(|| interfaces_by_configuration(account));
    let document = render::list_page(
        &selected_configurations,
        !query.include.is_empty(),
        &query,
        url,
        |configuration| with_included(account, configuration, interfaces.as_ref()),
    );
    json_api(200, &document)
}

/// `GET /configurations/:id`.
pub(crate) fn show(account: &Account, id: u64, url: &Url) -> ResponseTemplate {
    let query = match query::parse(url, SHOW_RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let Some(configuration) = account.configurations.get(&id) else {
        return record_not_found();
    };
    let interfaces = query
        .includes("configuration_interfaces")
        .then(|| interfaces_by_configuration(account));
    let (data, included) = with_included(account, configuration, interfaces.as_ref());
    let mut document = json!({ "data": data });
    if !query.include.is_empty() {
        document["included"] = Value::Array(included);
    }
    json_api(200, &document)
}

/// Reads the writable attributes onto `configuration`, recording 422s in `attributes`.
fn apply_attributes(
    account: &Account,
    configuration: &mut FakeConfiguration,
    attributes: &mut Attributes,
    creating: bool,
) {
    match attributes.text("name") {
        Field::Value(name) if !name.trim().is_empty() => configuration.name = name,
        Field::Absent if !creating => {}
        _ => attributes.invalid("name", "can't be blank"),
    }
    match attributes.id("configuration-type-id") {
        Field::Value(id)
            if account
                .named_get(NamedKind::ConfigurationType, id)
                .is_some() =>
        {
            configuration.configuration_type_id = id;
        }
        Field::Absent if !creating => {}
        _ => attributes.invalid("configuration-type", "must exist"),
    }
    match attributes.id("configuration-status-id") {
        Field::Value(id)
            if account
                .named_get(NamedKind::ConfigurationStatus, id)
                .is_none() =>
        {
            attributes.invalid("configuration-status", "must exist");
        }
        field => field.apply(&mut configuration.configuration_status_id),
    }
    if !creating {
        match attributes.id("organization-id") {
            Field::Value(id) if account.organizations.contains_key(&id) => {
                configuration.organization_id = id;
            }
            Field::Absent => {}
            _ => attributes.invalid("organization", "must exist"),
        }
    }
    match attributes.text("mac-address") {
        Field::Value(mac) if mac.chars().count() > 17 => {
            attributes.invalid("mac-address", "is too long (maximum is 17 characters)");
        }
        field => field.apply(&mut configuration.mac_address),
    }
    attributes
        .ip("primary-ip")
        .apply(&mut configuration.primary_ip);
    for (key, slot) in [
        ("hostname", &mut configuration.hostname),
        ("default-gateway", &mut configuration.default_gateway),
        ("serial-number", &mut configuration.serial_number),
        ("asset-tag", &mut configuration.asset_tag),
        ("position", &mut configuration.position),
        ("installed-by", &mut configuration.installed_by),
        ("purchased-by", &mut configuration.purchased_by),
        ("notes", &mut configuration.notes),
        (
            "operating-system-notes",
            &mut configuration.operating_system_notes,
        ),
    ] {
        attributes.text(key).apply(slot);
    }
    for (key, slot) in [
        ("manufacturer-id", &mut configuration.manufacturer_id),
        ("model-id", &mut configuration.model_id),
        (
            "operating-system-id",
            &mut configuration.operating_system_id,
        ),
        ("location-id", &mut configuration.location_id),
        ("contact-id", &mut configuration.contact_id),
    ] {
        attributes.id(key).apply(slot);
    }
    for (key, slot) in [
        (
            "warranty-expires-at",
            &mut configuration.warranty_expires_at,
        ),
        ("installed-at", &mut configuration.installed_at),
        ("purchased-at", &mut configuration.purchased_at),
    ] {
        attributes.date(key).apply(slot);
    }
    if let Some(archived) = attributes.flag("archived").value() {
        configuration.archived = archived;
    }
    if let Some(restricted) = attributes.flag("restricted").value() {
        configuration.restricted = restricted;
    }
}

/// A validated new configuration and the interfaces to create with it.
struct Draft {
    configuration: FakeConfiguration,
    interfaces: Vec<FakeInterface>,
}

/// Validates one new configuration of `organization` (from the route, or `None` to read
/// `organization_id` from the attributes).
fn draft(
    account: &mut Account,
    resource: &mut ResourceIn,
    organization: Option<u64>,
) -> Result<Draft, Vec<ApiError>> {
    if let Err(error) = resource.expect_type("configurations") {
        return Err(vec![error]);
    }
    let organization_id = match organization {
        Some(id) => id,
        None => match resource.attributes.id("organization-id") {
            Field::Value(id) if account.organizations.contains_key(&id) => id,
            _ => {
                // As IT Glue answers it: a title, no detail, a snake_case pointer without
                // the leading slash.
                return Err(vec![
                    ApiError::new(422, "Valid organization_id is required")
                        .pointer("data/attributes/organization_id"),
                ]);
            }
        },
    };
    let mut configuration = account.new_configuration(organization_id, "", 0);
    apply_attributes(account, &mut configuration, &mut resource.attributes, true);
    let mut errors = resource.attributes.take_errors();
    let mut interfaces = Vec::new();
    let related = resource.relationships.as_ref().and_then(|relationships| {
        relationships
            .get("configuration-interfaces")
            .and_then(|relationship| relationship.get("data"))
            .cloned()
    });
    if let Some(Value::Array(items)) = related {
        for (index, item) in items.iter().enumerate() {
            let pointer = format!(
                "{}/relationships/configuration_interfaces/data/{index}",
                resource.pointer
            );
            match interfaces::draft_from_value(account, configuration.id, item, &pointer) {
                Ok(interface) => interfaces.push(interface),
                Err(mut found) => errors.append(&mut found),
            }
        }
    }
    if errors.is_empty() {
        Ok(Draft {
            configuration,
            interfaces,
        })
    } else {
        Err(errors)
    }
}

/// Stores a validated configuration with its interfaces.
fn commit(account: &mut Account, draft: Draft) -> Value {
    let id = draft.configuration.id;
    account.configurations.insert(id, draft.configuration);
    for interface in draft.interfaces {
        account.store_interface(interface);
    }
    account.sync_primary_interface(id);
    match account.configurations.get(&id) {
        Some(configuration) => render::configuration(account, configuration, None),
        None => Value::Null,
    }
}

/// `POST /configurations` (one configuration, with `organization_id`), or
/// `POST /organizations/:id/relationships/configurations` (`nested_in`; one or a list).
pub(crate) fn create(
    account: &mut Account,
    body: &[u8],
    nested_in: Option<u64>,
) -> ResponseTemplate {
    if let Some(organization_id) = nested_in
        && !account.organizations.contains_key(&organization_id)
    {
        return record_not_found();
    }
    let data = match body::parse(body) {
        Ok(data) => data,
        Err(error) => return error.into_response(),
    };
    match data {
        BodyData::One(mut resource) => match draft(account, &mut resource, nested_in) {
            Ok(draft) => {
                let value = commit(account, draft);
                json_api(201, &json!({ "data": value }))
            }
            Err(errors) => errors_response(status_of(&errors), &errors),
        },
        BodyData::Many(_) if nested_in.is_none() => ApiError::new(400, "Bad Request")
            .detail("bulk create takes the organization's nested route")
            .into_response(),
        BodyData::Many(mut resources) => {
            let mut drafts = Vec::new();
            let mut errors = Vec::new();
            for resource in &mut resources {
                match draft(account, resource, nested_in) {
                    Ok(draft) => drafts.push(draft),
                    Err(mut found) => errors.append(&mut found),
                }
            }
            if !errors.is_empty() {
                return errors_response(status_of(&errors), &errors);
            }
            let created: Vec<Value> = drafts
                .into_iter()
                .map(|draft| commit(account, draft))
                .collect();
            json_api(201, &json!({ "data": created }))
        }
    }
}

fn status_of(errors: &[ApiError]) -> u16 {
    errors.first().map_or(422, |error| error.status)
}

/// `PATCH /configurations/:id`.
pub(crate) fn update(account: &mut Account, id: u64, body: &[u8]) -> ResponseTemplate {
    let Some(configuration) = account.configurations.get(&id).cloned() else {
        return record_not_found();
    };
    let mut resource = match body::parse(body) {
        Ok(BodyData::One(resource)) => resource,
        Ok(BodyData::Many(_)) => {
            return ApiError::new(400, "Bad Request")
                .detail("a single update takes one object")
                .into_response();
        }
        Err(error) => return error.into_response(),
    };
    match updated(account, configuration, &mut resource) {
        Ok(change) => {
            commit_update(account, change);
            match account.configurations.get(&id) {
                Some(configuration) => json_api(
                    200,
                    &json!({ "data": render::configuration(account, configuration, None) }),
                ),
                None => record_not_found(),
            }
        }
        Err(errors) => errors_response(status_of(&errors), &errors),
    }
}

/// `PATCH /configurations` with an array: IT Glue's bulk update, each item naming its
/// configuration by `id` inside its attributes. All or nothing: one refused item (a missing
/// configuration, an attribute a PSA-synced configuration does not take) refuses the call.
pub(crate) fn bulk_update(account: &mut Account, body: &[u8]) -> ResponseTemplate {
    let mut resources = match body::parse(body) {
        Ok(BodyData::Many(resources)) => resources,
        Ok(BodyData::One(_)) => {
            return ApiError::new(400, "Bad Request")
                .detail("a bulk update takes an array of objects")
                .into_response();
        }
        Err(error) => return error.into_response(),
    };
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for resource in &mut resources {
        let configuration = match resource.attributes.id("id") {
            Field::Value(id) => account.configurations.get(&id).cloned(),
            _ => None,
        };
        let Some(configuration) = configuration else {
            errors.push(
                ApiError::new(404, "Not Found")
                    .pointer(resource.attributes.pointer_of("id"))
                    .detail("Record not found"),
            );
            continue;
        };
        match updated(account, configuration, resource) {
            Ok(change) => changes.push(change),
            Err(mut refused) => errors.append(&mut refused),
        }
    }
    if !errors.is_empty() {
        return errors_response(status_of(&errors), &errors);
    }
    let ids: Vec<u64> = changes.iter().map(|(c, _)| c.id).collect();
    for change in changes {
        commit_update(account, change);
    }
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|id| account.configurations.get(id))
        .map(|configuration| render::configuration(account, configuration, None))
        .collect();
    json_api(200, &json!({ "data": data }))
}

/// The configuration as `resource` changes it, and whether its primary IP or MAC changed; or
/// the errors IT Glue answers.
fn updated(
    account: &mut Account,
    mut configuration: FakeConfiguration,
    resource: &mut ResourceIn,
) -> Result<(FakeConfiguration, bool), Vec<ApiError>> {
    resource
        .expect_type("configurations")
        .map_err(|error| vec![error])?;
    if resource.relationships.is_some() {
        return Err(vec![ApiError::invalid(
            format!("{}/relationships", resource.pointer),
            "relationships cannot be updated here; use the configuration interface endpoints",
        )]);
    }
    if configuration.psa.is_some() {
        let refused: Vec<ApiError> = resource
            .attributes
            .keys()
            .filter(|key| !PSA_WRITABLE.contains(key) && *key != "id")
            .map(|key| {
                ApiError::invalid(
                    resource.attributes.pointer_of(key),
                    "cannot be changed on a configuration synced from a PSA",
                )
            })
            .collect();
        if !refused.is_empty() {
            return Err(refused);
        }
    }
    let addresses_before = (
        configuration.primary_ip.clone(),
        configuration.mac_address.clone(),
    );
    apply_attributes(account, &mut configuration, &mut resource.attributes, false);
    let errors = resource.attributes.take_errors();
    if !errors.is_empty() {
        return Err(errors);
    }
    configuration.updated_at = account.tick();
    let addresses_changed = addresses_before
        != (
            configuration.primary_ip.clone(),
            configuration.mac_address.clone(),
        );
    Ok((configuration, addresses_changed))
}

fn commit_update(
    account: &mut Account,
    (configuration, addresses_changed): (FakeConfiguration, bool),
) {
    let id = configuration.id;
    account.configurations.insert(id, configuration);
    if addresses_changed {
        account.sync_primary_interface(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(account: &mut Account) -> FakeConfiguration {
        let org = account.new_organization("Org");
        let type_id = account
            .named_id(NamedKind::ConfigurationType, "Laptop")
            .unwrap();
        account.new_configuration(org.id, "PC", type_id)
    }

    fn query(text: &str) -> ListQuery {
        let url = Url::parse(&format!("http://127.0.0.1/configurations?{text}")).unwrap();
        query::parse(&url, RULES).unwrap()
    }

    #[test]
    fn an_rmm_id_without_its_integration_type_is_refused() {
        let mut account = Account::default();
        let configuration = config(&mut account);
        assert!(selected(&configuration, &query("filter[rmm_id]=x")).is_err());
    }

    #[test]
    fn rmm_filters_match_the_linked_record() {
        let mut account = Account::default();
        let mut configuration = config(&mut account);
        configuration
            .rmm_links
            .push(("aem".to_owned(), "uid-1".to_owned()));
        let hit = query("filter[rmm_id]=uid-1&filter[rmm_integration_type]=aem");
        let miss = query("filter[rmm_id]=uid-1&filter[rmm_integration_type]=atera");
        assert_eq!(selected(&configuration, &hit), Ok(true));
        assert_eq!(selected(&configuration, &miss), Ok(false));
    }
}
