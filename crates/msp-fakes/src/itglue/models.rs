//! `/models`: list (`filter[id]`, sort by name, id or manufacturer) and create (a name and an
//! existing `manufacturer-id` required).

use serde_json::json;
use url::Url;
use wiremock::ResponseTemplate;

use super::body::{self, BodyData, Field};
use super::errors::{ApiError, json_api};
use super::query::{self, ListRules, id_matches};
use super::render;
use super::state::{Account, FakeModel, NamedKind};

const RULES: ListRules = ListRules {
    filters: &["id"],
    sorts: &["name", "id", "manufacturer_id", "created_at", "updated_at"],
    includes: &[],
};

/// `GET /models`.
pub(crate) fn list(account: &Account, url: &Url) -> ResponseTemplate {
    let query = match query::parse(url, RULES) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let mut selected: Vec<&FakeModel> = account
        .models
        .values()
        .filter(|model| {
            query
                .values("id")
                .is_none_or(|ids| id_matches(Some(model.id), &ids))
        })
        .collect();
    if let Some((field, descending)) = &query.sort {
        selected.sort_by(|a, b| {
            let order = match field.as_str() {
                "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                "manufacturer_id" => a.manufacturer_id.cmp(&b.manufacturer_id),
                "created_at" => a.created_at.cmp(&b.created_at),
                "updated_at" => a.updated_at.cmp(&b.updated_at),
                _ => std::cmp::Ordering::Equal,
            }
            .then(a.id.cmp(&b.id));
            if *descending { order.reverse() } else { order }
        });
    }
    let document = render::list_page(&selected, false, &query, url, |model| {
        (render::model(model), Vec::new())
    });
    json_api(200, &document)
}

/// `POST /models`.
pub(crate) fn create(account: &mut Account, body: &[u8]) -> ResponseTemplate {
    let mut resource = match body::parse(body) {
        Ok(BodyData::One(resource)) => resource,
        Ok(BodyData::Many(_)) => {
            return ApiError::new(400, "Bad Request")
                .detail("one object at a time")
                .into_response();
        }
        Err(error) => return error.into_response(),
    };
    if let Err(error) = resource.expect_type("models") {
        return error.into_response();
    }
    let name = match resource.attributes.text("name") {
        Field::Value(name) if !name.trim().is_empty() => name,
        _ => return ApiError::invalid("/data/attributes/name", "can't be blank").into_response(),
    };
    let manufacturer = match resource.attributes.id("manufacturer-id") {
        Field::Value(id) if account.named_get(NamedKind::Manufacturer, id).is_some() => id,
        _ => {
            return ApiError::invalid("/data/attributes/manufacturer", "must exist")
                .into_response();
        }
    };
    let taken = account
        .models
        .values()
        .any(|m| m.manufacturer_id == manufacturer && m.name.eq_ignore_ascii_case(&name));
    if taken {
        return ApiError::invalid("/data/attributes/name", "has already been taken")
            .into_response();
    }
    let id = account.add_model(manufacturer, &name);
    match account.models.get(&id) {
        Some(model) => json_api(201, &json!({ "data": render::model(model) })),
        None => ApiError::new(500, "Internal Server Error").into_response(),
    }
}
