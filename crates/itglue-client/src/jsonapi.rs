//! The JSON:API envelope, done once for every resource.
//!
//! IT Glue wraps every answer in `{"data": …, "meta": …, "links": …, "included": […]}`. A
//! resource object carries its `id` as a string, its `type` in kebab-case plural and its
//! `attributes` with kebab-case keys; [`Resource`] turns that into a typed id and a typed
//! attribute struct. The official documentation's interface example puts the id inside
//! `attributes` and has no top-level id; [`ResourceAttributes::embedded_id`] lets such a
//! resource still be read.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::lenient;

/// The attributes of one kind of IT Glue resource.
///
/// Implemented by every `…Attributes` struct of this crate; it names the resource's JSON:API
/// `type` and its id type.
pub trait ResourceAttributes: DeserializeOwned {
    /// The JSON:API `type` in kebab-case, e.g. `organizations`.
    const TYPE: &'static str;

    /// The typed id of this kind of resource.
    type Id: Copy
        + Eq
        + Ord
        + Hash
        + fmt::Debug
        + fmt::Display
        + FromStr
        + DeserializeOwned
        + Serialize
        + Send
        + Sync
        + 'static;

    /// An id found inside the attributes, used when the resource has no top-level `id`.
    fn embedded_id(&self) -> Option<Self::Id> {
        None
    }
}

/// One resource object: its typed id, its attributes and its relationships.
///
/// ```
/// use itglue_client::{Organization, OrganizationId};
///
/// let json = r#"{"id": "2", "type": "organizations", "attributes": {"name": "Happy Frog"}}"#;
/// let organization: Organization = serde_json::from_str(json).unwrap();
/// assert_eq!(organization.id, OrganizationId::new(2));
/// assert_eq!(organization.attributes.name, "Happy Frog");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resource<A: ResourceAttributes> {
    /// The resource's id.
    pub id: A::Id,
    /// The resource's attributes.
    pub attributes: A,
    /// The resource's relationships by name (kebab-case, e.g. `configuration-interfaces`).
    pub relationships: BTreeMap<String, Relationship>,
}

impl<A: ResourceAttributes> Resource<A> {
    /// Wraps attributes under an id, with no relationships.
    pub fn new(id: A::Id, attributes: A) -> Self {
        Self {
            id,
            attributes,
            relationships: BTreeMap::new(),
        }
    }

    /// The identifiers listed under a relationship name, written in either case style
    /// (`configuration-interfaces` or `configuration_interfaces`); empty when absent.
    pub fn related(&self, name: &str) -> &[ResourceIdentifier] {
        let wanted = normalise_name(name);
        self.relationships
            .iter()
            .find(|(key, _)| normalise_name(key) == wanted)
            .map(|(_, relationship)| relationship.data.as_slice())
            .unwrap_or(&[])
    }
}

/// The wire form of a resource, before its id is settled.
#[derive(Deserialize)]
#[serde(bound(deserialize = "A: ResourceAttributes"))]
struct RawResource<A: ResourceAttributes> {
    #[serde(default)]
    id: Option<A::Id>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    attributes: A,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    relationships: BTreeMap<String, Relationship>,
}

impl<'de, A: ResourceAttributes> Deserialize<'de> for Resource<A> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawResource::<A>::deserialize(deserializer)?;
        if let Some(kind) = &raw.kind
            && normalise_name(kind) != A::TYPE
        {
            return Err(de::Error::custom(format_args!(
                "expected a resource of type `{}`, got `{kind}`",
                A::TYPE
            )));
        }
        let id = raw
            .id
            .or_else(|| raw.attributes.embedded_id())
            .ok_or_else(|| {
                de::Error::custom(format_args!(
                    "`{}` resource has neither a top-level id nor an id in its attributes",
                    A::TYPE
                ))
            })?;
        Ok(Self {
            id,
            attributes: raw.attributes,
            relationships: raw.relationships,
        })
    }
}

/// IT Glue writes types and relationship names in kebab-case but documents snake_case in
/// places; compare them with `_` read as `-`.
pub(crate) fn normalise_name(name: &str) -> String {
    name.trim().replace('_', "-").to_ascii_lowercase()
}

/// A relationship of a resource: the identifiers it points to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Relationship {
    /// The related resources' identifiers (empty for a `null` to-one relationship).
    pub data: Vec<ResourceIdentifier>,
}

impl<'de> Deserialize<'de> for Relationship {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default)]
            data: Option<OneOrMany<ResourceIdentifier>>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(Self {
            data: wire.data.map(OneOrMany::into_vec).unwrap_or_default(),
        })
    }
}

/// A `{ "id": …, "type": … }` pointer to another resource.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ResourceIdentifier {
    /// The related resource's id, as sent (a string of digits).
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub id: String,
    /// The related resource's type, as sent.
    #[serde(rename = "type")]
    pub kind: String,
}

impl ResourceIdentifier {
    /// The id parsed as a typed id, when it is one.
    pub fn parse_id<I: FromStr>(&self) -> Option<I> {
        self.id.parse().ok()
    }
}

/// A resource from the `included` array, kept untyped until asked for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct IncludedResource {
    /// The resource's id as sent, when present.
    #[serde(default, deserialize_with = "lenient::optional_string_or_number")]
    pub id: Option<String>,
    /// The resource's type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The whole object as received.
    #[serde(skip)]
    pub raw: serde_json::Value,
}

/// Pagination facts IT Glue sends with every list (`meta`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ListMeta {
    /// The page this answer holds (1-based).
    #[serde(default, deserialize_with = "lenient::optional_u64")]
    pub current_page: Option<u64>,
    /// The next page's number; `None` on the last page.
    #[serde(default, deserialize_with = "lenient::optional_u64")]
    pub next_page: Option<u64>,
    /// The previous page's number; `None` on the first page.
    #[serde(default, deserialize_with = "lenient::optional_u64")]
    pub prev_page: Option<u64>,
    /// How many pages the list has at this page size.
    #[serde(default, deserialize_with = "lenient::optional_u64")]
    pub total_pages: Option<u64>,
    /// How many records the whole list has.
    #[serde(default, deserialize_with = "lenient::optional_u64")]
    pub total_count: Option<u64>,
    /// The filters the server applied, as it echoes them.
    #[serde(default)]
    pub filters: Option<serde_json::Value>,
}

/// Links IT Glue sends with lists (`links`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Links {
    /// This page.
    #[serde(default, rename = "self")]
    pub this: Option<String>,
    /// The first page.
    #[serde(default)]
    pub first: Option<String>,
    /// The previous page.
    #[serde(default)]
    pub prev: Option<String>,
    /// The next page.
    #[serde(default)]
    pub next: Option<String>,
    /// The last page.
    #[serde(default)]
    pub last: Option<String>,
}

/// A whole JSON:API answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound(deserialize = "D: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Document<D> {
    /// The primary data: one resource or a list.
    pub data: D,
    /// List meta (pagination); absent on single resources.
    #[serde(default)]
    pub meta: Option<ListMeta>,
    /// List links; absent on single resources.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub links: Links,
    /// Resources named by `include=`.
    #[serde(default, deserialize_with = "deserialize_included")]
    pub included: Vec<IncludedResource>,
}

impl<D> Document<D> {
    /// The included resources of attribute type `A`, decoded. An included resource that does
    /// not decode is an error naming its position, never silently dropped.
    pub fn included_of<A: ResourceAttributes>(&self) -> Result<Vec<Resource<A>>, IncludedError> {
        self.included
            .iter()
            .enumerate()
            .filter(|(_, included)| normalise_name(&included.kind) == A::TYPE)
            .map(|(index, included)| {
                serde_path_to_error::deserialize::<_, Resource<A>>(&included.raw).map_err(|err| {
                    IncludedError {
                        path: format!("included[{index}].{}", err.path()),
                        message: err.into_inner().to_string(),
                    }
                })
            })
            .collect()
    }
}

/// An included resource that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
#[non_exhaustive]
pub struct IncludedError {
    /// Where in the answer the bad value is.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

fn deserialize_included<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<IncludedResource>, D::Error> {
    let values: Option<Vec<serde_json::Value>> = Option::deserialize(deserializer)?;
    values
        .unwrap_or_default()
        .into_iter()
        .map(|value| {
            let mut included: IncludedResource =
                IncludedResource::deserialize(&value).map_err(de::Error::custom)?;
            included.raw = value;
            Ok(included)
        })
        .collect()
}

/// `data` that may be a single object or an array (IT Glue answers a single create on a nested
/// route either way).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OneOrMany<T> {
    /// A single object.
    One(T),
    /// An array.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// All items, in order.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(item) => vec![item],
            Self::Many(items) => items,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an array of objects")
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }

            fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
                Vec::<T>::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

/// The body of a create or update: `{"data": {"type": …, "attributes": …}}`.
#[derive(Debug, Serialize)]
pub(crate) struct WriteDocument<D> {
    pub(crate) data: D,
}

/// One resource object in a request body.
#[derive(Debug, Serialize)]
pub(crate) struct WriteResource<'a, A: Serialize, R: Serialize> {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) attributes: &'a A,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) relationships: Option<R>,
}

/// The relationships of a write that has none.
pub(crate) type NoRelationships = ();

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Configuration, ConfigurationInterface, ConfigurationInterfaceId};

    #[test]
    fn a_resource_of_another_type_is_rejected() {
        let json = r#"{"id": "1", "type": "organizations", "attributes": {"name": "x"}}"#;
        let err = serde_json::from_str::<Configuration>(json).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected a resource of type `configurations`")
        );
    }

    #[test]
    fn snake_case_types_are_accepted() {
        let json = r#"{"id": "7", "type": "configuration_interfaces", "attributes": {}}"#;
        let interface: ConfigurationInterface = serde_json::from_str(json).unwrap();
        assert_eq!(interface.id, ConfigurationInterfaceId::new(7));
    }

    #[test]
    fn a_resource_without_any_id_is_rejected() {
        let json = r#"{"type": "configurations", "attributes": {"name": "x"}}"#;
        let err = serde_json::from_str::<Configuration>(json).unwrap_err();
        assert!(err.to_string().contains("neither a top-level id"));
    }

    #[test]
    fn one_or_many_reads_both_shapes() {
        let one: OneOrMany<u8> = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(one.into_vec(), vec![1, 2]);
        let json = r#"{"id": "1", "type": "configurations", "attributes": {"name": "x"}}"#;
        let many: OneOrMany<Configuration> = serde_json::from_str(json).unwrap();
        assert_eq!(many.into_vec().len(), 1);
    }

    #[test]
    fn a_null_relationship_is_empty() {
        let json = r#"{"id": "1", "type": "configurations", "attributes": {"name": "x"},
            "relationships": {"location": {"data": null}, "configuration-interfaces": {"data": [{"id": 3, "type": "configuration-interfaces"}]}}}"#;
        let configuration: Configuration = serde_json::from_str(json).unwrap();
        assert!(configuration.related("location").is_empty());
        let interfaces = configuration.related("configuration_interfaces");
        assert_eq!(interfaces.len(), 1);
        assert_eq!(interfaces[0].parse_id::<u64>(), Some(3));
    }
}
