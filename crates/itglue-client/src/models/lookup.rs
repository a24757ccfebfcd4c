//! Manufacturers, models and operating systems: the account-wide lists a configuration's
//! `manufacturer-id`, `model-id` and `operating-system-id` point into.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ManufacturerId, ModelId, OperatingSystemId};
use crate::jsonapi::{Resource, ResourceAttributes};

/// A manufacturer as IT Glue returns it.
pub type Manufacturer = Resource<ManufacturerAttributes>;

/// The attributes of a manufacturer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ManufacturerAttributes {
    /// Its name.
    pub name: String,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ManufacturerAttributes {
    const TYPE: &'static str = "manufacturers";
    type Id = ManufacturerId;
}

/// A model as IT Glue returns it.
pub type Model = Resource<ModelAttributes>;

/// The attributes of a model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ModelAttributes {
    /// Its name.
    pub name: String,
    /// The manufacturer it belongs to.
    #[serde(default)]
    pub manufacturer_id: Option<ManufacturerId>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ModelAttributes {
    const TYPE: &'static str = "models";
    type Id = ModelId;
}

/// An operating system as IT Glue returns it (IT Glue's list is read-only).
pub type OperatingSystem = Resource<OperatingSystemAttributes>;

/// The attributes of an operating system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct OperatingSystemAttributes {
    /// Its name.
    pub name: String,
    /// The platform's id.
    #[serde(default)]
    pub platform_id: Option<u64>,
    /// The platform's name ("Windows", "macOS" …).
    #[serde(default)]
    pub platform_name: Option<String>,
}

impl ResourceAttributes for OperatingSystemAttributes {
    const TYPE: &'static str = "operating-systems";
    type Id = OperatingSystemId;
}

/// The body that creates a model under a manufacturer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct NewModel<'a> {
    pub(crate) name: &'a str,
    pub(crate) manufacturer_id: ManufacturerId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_reads_its_manufacturer_and_tolerates_unknown_attributes() {
        let json = r#"{"id": "12", "type": "models", "attributes": {"name": "EliteBook 840 G8",
            "manufacturer-id": 3, "anything-new": true}}"#;
        let model: Model = serde_json::from_str(json).unwrap();
        assert_eq!(
            model.attributes.manufacturer_id,
            Some(ManufacturerId::new(3))
        );
    }
}
