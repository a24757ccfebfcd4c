//! `/organization_types`, `/organization_statuses`, `/configuration_types`,
//! `/configuration_statuses`: list (`filter[name]`, exact), show, create, update (refused for a
//! PSA-synced entry).

use serde_json::json;
use url::Url;
use wiremock::ResponseTemplate;

use super::body::{self, BodyData, Field};
use super::errors::{ApiError, json_api, record_not_found};
use super::query::{self, ListRules, text_matches};
use super::render;
use super::state::{Account, FakeNamed, NamedKind};

pub(crate) const RULES: ListRules = ListRules {
    filters: &["name"],
    sorts: &["name", "id", "created_at", "updated_at"],
    includes: &[],
};

/// `GET /<kind>`.
pub(crate) fn list(account: &Account, kind: NamedKind, url: &Url) -> ResponseTemplate {
    let query = match query::parse(url, RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let mut selected: Vec<&FakeNamed> = account
        .named_of(kind)
        .filter(|named| {
            query
                .values("name")
                .is_none_or(|names| text_matches(Some(&named.name), &names))
        })
        .collect();
    if let Some((field, descending)) = &query.sort {
        selected.sort_by(|a, b| {
            let order = match field.as_str() {
                "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                "created_at" => a.created_at.cmp(&b.created_at),
                "updated_at" => a.updated_at.cmp(&b.updated_at),
                _ => std::cmp::Ordering::Equal,
            }
            .then(a.id.cmp(&b.id));
            if *descending { order.reverse() } else { order }
        });
    }
    let document = render::list_page(&selected, false, &query, url, |named| {
        (render::named(account, kind, named), Vec::new())
    });
    json_api(200, &document)
}

/// `GET /<kind>/:id`.
pub(crate) fn show(account: &Account, kind: NamedKind, id: u64) -> ResponseTemplate {
    match account.named_get(kind, id) {
        Some(named) => json_api(200, &json!({ "data": render::named(account, kind, named) })),
        None => record_not_found(),
    }
}

/// Reads and checks the name of a create or update.
fn read_name(
    account: &Account,
    kind: NamedKind,
    body: &[u8],
    except: Option<u64>,
    creating: bool,
) -> Result<Option<String>, ApiError> {
    let mut resource = match body::parse(body)? {
        BodyData::One(resource) => resource,
        BodyData::Many(_) => {
            return Err(ApiError::new(400, "Bad Request").detail("one object at a time"));
        }
    };
    resource.expect_type(kind.json_type())?;
    let name = match resource.attributes.text("name") {
        Field::Value(name) if !name.trim().is_empty() => Some(name),
        Field::Absent if !creating => None,
        _ => {
            return Err(ApiError::invalid("/data/attributes/name", "can't be blank"));
        }
    };
    if let Some(name) = &name {
        let taken = account
            .named_of(kind)
            .any(|named| Some(named.id) != except && named.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(ApiError::invalid(
                "/data/attributes/name",
                "has already been taken",
            ));
        }
    }
    Ok(name)
}

/// `POST /<kind>`.
pub(crate) fn create(account: &mut Account, kind: NamedKind, body: &[u8]) -> ResponseTemplate {
    let name = match read_name(account, kind, body, None, true) {
        Ok(Some(name)) => name,
        Ok(None) => {
            return ApiError::invalid("/data/attributes/name", "can't be blank").into_response();
        }
        Err(error) => return error.into_response(),
    };
    let id = account.add_named(kind, &name, false);
    show_with_status(account, kind, id, 201)
}

/// `PATCH /<kind>/:id`.
pub(crate) fn update(
    account: &mut Account,
    kind: NamedKind,
    id: u64,
    body: &[u8],
) -> ResponseTemplate {
    let Some(existing) = account.named_get(kind, id) else {
        return record_not_found();
    };
    if existing.synced {
        return ApiError::invalid(
            "/data/attributes/name",
            "cannot be changed: it is synced from a PSA",
        )
        .into_response();
    }
    let name = match read_name(account, kind, body, Some(id), false) {
        Ok(name) => name,
        Err(error) => return error.into_response(),
    };
    let now = account.tick();
    if let Some(named) = account
        .named
        .get_mut(&kind)
        .and_then(|list| list.get_mut(&id))
    {
        if let Some(name) = name {
            named.name = name;
        }
        named.updated_at = now;
    }
    show_with_status(account, kind, id, 200)
}

fn show_with_status(account: &Account, kind: NamedKind, id: u64, status: u16) -> ResponseTemplate {
    match account.named_get(kind, id) {
        Some(named) => json_api(
            status,
            &json!({ "data": render::named(account, kind, named) }),
        ),
        None => record_not_found(),
    }
}
