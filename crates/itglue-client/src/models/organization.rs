//! Organizations (IT Glue's company records): the record as IT Glue returns it, and the bodies
//! of a create and of an update.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, OrganizationStatusId, OrganizationTypeId};
use crate::jsonapi::{Resource, ResourceAttributes};
use crate::lenient;

/// An organization as IT Glue returns it.
pub type Organization = Resource<OrganizationAttributes>;

/// The attributes of an organization (response keys are kebab-case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct OrganizationAttributes {
    /// The organization's name.
    pub name: String,
    /// The short name.
    #[serde(default)]
    pub short_name: Option<String>,
    /// The alert text shown on the organization.
    #[serde(default)]
    pub alert: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Quick notes (lists return only the first 250 characters; the full text via `get`).
    #[serde(default)]
    pub quick_notes: Option<String>,
    /// The organization type's id.
    #[serde(default)]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// The organization type's name.
    #[serde(default)]
    pub organization_type_name: Option<String>,
    /// The organization status's id.
    #[serde(default)]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// The organization status's name.
    #[serde(default)]
    pub organization_status_name: Option<String>,
    /// Whether this is the account owner's own organization.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub primary: bool,
    /// The logo URL (`""` when none).
    #[serde(default)]
    pub logo: Option<String>,
    /// `"enabled"` when the organization is synced from a PSA.
    #[serde(default)]
    pub psa_integration: Option<String>,
    /// The parent organization (sent as a string).
    #[serde(default)]
    pub parent_id: Option<OrganizationId>,
    /// The ancestors' ids (sent as the text `"[1,6]"`).
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub ancestor_ids: Vec<OrganizationId>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for OrganizationAttributes {
    const TYPE: &'static str = "organizations";
    type Id = OrganizationId;
}

/// A new organization (`POST /organizations`). Only `name` is required.
///
/// ```
/// use itglue_client::{NewOrganization, OrganizationTypeId};
///
/// let mut new = NewOrganization::new("Happy Frog");
/// new.organization_type_id = Some(OrganizationTypeId::new(86));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewOrganization {
    /// The name (required).
    pub name: String,
    /// The short name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// The organization type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// The organization status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// The alert text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quick notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_notes: Option<String>,
}

impl NewOrganization {
    /// A new organization with only a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A partial update (`PATCH /organizations/:id`): only the fields that are `Some` are sent;
/// the others stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OrganizationUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new short name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// A new organization type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// A new organization status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// A new alert text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// A new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New quick notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_notes: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_organizations_are_written_in_kebab_case_without_empty_fields() {
        let mut new = NewOrganization::new("Happy Frog");
        new.organization_type_id = Some(OrganizationTypeId::new(86));
        let json = serde_json::to_value(&new).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "Happy Frog", "organization-type-id": 86})
        );
    }
}
