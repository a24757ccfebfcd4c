//! `/organizations`: list (documented filters), show, create, update.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde_json::json;
use url::Url;
use wiremock::ResponseTemplate;

use super::body::{self, BodyData, Field};
use super::errors::{ApiError, errors_response, json_api, record_not_found};
use super::query::{self, ListQuery, ListRules, id_matches, text_matches};
use super::render;
use super::state::{Account, FakeOrganization, NamedKind};

pub(crate) const RULES: ListRules = ListRules {
    filters: &[
        "id",
        "name",
        "organization_type_id",
        "organization_status_id",
        "created_at",
        "updated_at",
        "my_glue_account_id",
        "psa_id",
        "psa_integration_type",
        "group_id",
        "primary",
        "exclude][id",
        "exclude][name",
        "exclude][organization_type_id",
        "exclude][organization_status_id",
    ],
    sorts: &[
        "name",
        "id",
        "updated_at",
        "organization_status_name",
        "organization_type_name",
        "created_at",
        "short_name",
        "my_glue_account_id",
    ],
    includes: &["adapters_resources", "attachments", "rmm_companies"],
};

/// Attributes a PSA-synced organization still accepts.
const PSA_WRITABLE: &[&str] = &["alert", "description", "quick-notes"];

/// A time range: start and end, `None` for an open end.
type TimeRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Reads a `start,end` time range filter (`*` for an open end).
pub(crate) fn time_range(query: &ListQuery, name: &str) -> Result<Option<TimeRange>, ApiError> {
    let Some(values) = query.values(name) else {
        return Ok(None);
    };
    let parameter = format!("filter[{name}]");
    let [start, end] = values.as_slice() else {
        return Err(ApiError::bad_parameter(
            &parameter,
            "a range is two values separated by a comma",
        ));
    };
    let side = |text: &str| -> Result<Option<DateTime<Utc>>, ApiError> {
        let text = text.trim();
        if text == "*" {
            return Ok(None);
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| ApiError::bad_parameter(&parameter, format!("{text} is not a UTC time")))
    };
    Ok(Some((side(start)?, side(end)?)))
}

fn in_range(at: DateTime<Utc>, range: TimeRange) -> bool {
    range.0.is_none_or(|start| at >= start) && range.1.is_none_or(|end| at <= end)
}

/// Whether an organization passes every filter of `query`.
fn selected(org: &FakeOrganization, query: &ListQuery) -> Result<bool, ApiError> {
    let psa_id = query.values("psa_id");
    let psa_type = query.values("psa_integration_type");
    if psa_id.is_some() && psa_type.is_none() {
        return Err(ApiError::bad_parameter(
            "filter[psa_id]",
            "filter[psa_id] must be accompanied by filter[psa_integration_type]",
        ));
    }
    let checks = [
        query
            .values("id")
            .is_none_or(|ids| id_matches(Some(org.id), &ids)),
        query
            .values("name")
            .is_none_or(|names| text_matches(Some(&org.name), &names)),
        query
            .values("organization_type_id")
            .is_none_or(|ids| id_matches(org.organization_type_id, &ids)),
        query
            .values("organization_status_id")
            .is_none_or(|ids| id_matches(org.organization_status_id, &ids)),
        // Not modelled: no organization has a MyGlue account or a group.
        query.values("my_glue_account_id").is_none(),
        query.values("group_id").is_none(),
        psa_type.as_ref().is_none_or(|types| {
            text_matches(org.psa.as_ref().map(|(kind, _)| kind.as_str()), types)
        }),
        psa_id
            .as_ref()
            .is_none_or(|ids| text_matches(org.psa.as_ref().map(|(_, id)| id.as_str()), ids)),
        query
            .filters
            .get("primary")
            .is_none_or(|raw| query::parse_bool(raw) == Some(org.primary)),
        query
            .values("exclude][id")
            .is_none_or(|ids| !id_matches(Some(org.id), &ids)),
        query
            .values("exclude][name")
            .is_none_or(|names| !text_matches(Some(&org.name), &names)),
        query
            .values("exclude][organization_type_id")
            .is_none_or(|ids| !id_matches(org.organization_type_id, &ids)),
        query
            .values("exclude][organization_status_id")
            .is_none_or(|ids| !id_matches(org.organization_status_id, &ids)),
        time_range(query, "created_at")?.is_none_or(|range| in_range(org.created_at, range)),
        time_range(query, "updated_at")?.is_none_or(|range| in_range(org.updated_at, range)),
    ];
    Ok(checks.iter().all(|passed| *passed))
}

fn compare(account: &Account, field: &str, a: &FakeOrganization, b: &FakeOrganization) -> Ordering {
    let named = |kind, id| account.named_name(kind, id).unwrap_or_default();
    let by = match field {
        "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        "created_at" => a.created_at.cmp(&b.created_at),
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        "short_name" => a.short_name.cmp(&b.short_name),
        "organization_status_name" => {
            named(NamedKind::OrganizationStatus, a.organization_status_id).cmp(&named(
                NamedKind::OrganizationStatus,
                b.organization_status_id,
            ))
        }
        "organization_type_name" => named(NamedKind::OrganizationType, a.organization_type_id)
            .cmp(&named(NamedKind::OrganizationType, b.organization_type_id)),
        _ => Ordering::Equal,
    };
    by.then(a.id.cmp(&b.id))
}

/// `GET /organizations`.
pub(crate) fn list(account: &Account, url: &Url) -> ResponseTemplate {
    let query = match query::parse(url, RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let mut selected_orgs = Vec::new();
    for org in account.organizations.values() {
        match selected(org, &query) {
            Ok(true) => selected_orgs.push(org),
            Ok(false) => {}
            Err(error) => return error.into_response(),
        }
    }
    if let Some((field, descending)) = &query.sort {
        selected_orgs.sort_by(|a, b| {
            let order = compare(account, field, a, b);
            if *descending { order.reverse() } else { order }
        });
    }
    let document = render::list_page(
        &selected_orgs,
        !query.include.is_empty(),
        &query,
        url,
        |org| (render::organization(account, org, true), Vec::new()),
    );
    json_api(200, &document)
}

/// `GET /organizations/:id`.
pub(crate) fn show(account: &Account, id: u64) -> ResponseTemplate {
    match account.organizations.get(&id) {
        Some(org) => json_api(
            200,
            &json!({ "data": render::organization(account, org, false) }),
        ),
        None => record_not_found(),
    }
}

/// Reads the writable attributes onto `org`; the errors are the 422s found.
fn apply_attributes(
    account: &Account,
    org: &mut FakeOrganization,
    attributes: &mut body::Attributes,
    creating: bool,
) -> Vec<ApiError> {
    match attributes.text("name") {
        Field::Value(name) if !name.trim().is_empty() => org.name = name,
        Field::Absent if !creating => {}
        _ => attributes.invalid("name", "can't be blank"),
    }
    attributes.text("short-name").apply(&mut org.short_name);
    attributes.text("alert").apply(&mut org.alert);
    attributes.text("description").apply(&mut org.description);
    attributes.text("quick-notes").apply(&mut org.quick_notes);
    for (key, relation, kind, slot) in [
        (
            "organization-type-id",
            "organization-type",
            NamedKind::OrganizationType,
            &mut org.organization_type_id,
        ),
        (
            "organization-status-id",
            "organization-status",
            NamedKind::OrganizationStatus,
            &mut org.organization_status_id,
        ),
    ] {
        match attributes.id(key) {
            Field::Value(id) if account.named_get(kind, id).is_none() => {
                attributes.invalid(relation, "must exist");
            }
            field => field.apply(slot),
        }
    }
    attributes.take_errors()
}

/// `POST /organizations` (one organization; IT Glue documents no bulk create).
pub(crate) fn create(account: &mut Account, body: &[u8]) -> ResponseTemplate {
    let mut resource = match body::parse(body) {
        Ok(BodyData::One(resource)) => resource,
        Ok(BodyData::Many(_)) => {
            return ApiError::new(400, "Bad Request")
                .detail("organizations are created one at a time")
                .into_response();
        }
        Err(error) => return error.into_response(),
    };
    if let Err(error) = resource.expect_type("organizations") {
        return error.into_response();
    }
    let mut org = account.new_organization("");
    let errors = apply_attributes(account, &mut org, &mut resource.attributes, true);
    if !errors.is_empty() {
        return errors_response(422, &errors);
    }
    let value = render::organization(account, &org, false);
    account.organizations.insert(org.id, org);
    json_api(201, &json!({ "data": value }))
}

/// `PATCH /organizations/:id`.
pub(crate) fn update(account: &mut Account, id: u64, body: &[u8]) -> ResponseTemplate {
    let Some(mut org) = account.organizations.get(&id).cloned() else {
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
    if let Err(error) = resource.expect_type("organizations") {
        return error.into_response();
    }
    if org.psa.is_some() {
        let refused: Vec<ApiError> = resource
            .attributes
            .keys()
            .filter(|key| !PSA_WRITABLE.contains(key) && *key != "id")
            .map(|key| {
                ApiError::invalid(
                    resource.attributes.pointer_of(key),
                    "cannot be changed on an organization synced from a PSA",
                )
            })
            .collect();
        if !refused.is_empty() {
            return errors_response(422, &refused);
        }
    }
    let errors = apply_attributes(account, &mut org, &mut resource.attributes, false);
    if !errors.is_empty() {
        return errors_response(422, &errors);
    }
    org.updated_at = account.tick();
    let value = render::organization(account, &org, false);
    account.organizations.insert(id, org);
    json_api(200, &json!({ "data": value }))
}
