//! The filters and sort fields of `GET /configurations`.

use super::{ListFilter, PsaIntegrationType, RmmIntegrationType, Sort, SortField};
use crate::ids::{
    ConfigurationId, ConfigurationStatusId, ConfigurationTypeId, ContactId, OrganizationId,
};

/// The fields configurations can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigurationSortField {
    /// `name`
    Name,
    /// `id`
    Id,
    /// `created_at`
    CreatedAt,
    /// `updated_at`
    UpdatedAt,
}

impl SortField for ConfigurationSortField {
    const DEFAULT_SORT: Option<Sort<Self>> = Some(Sort {
        field: Self::Id,
        descending: false,
    });

    fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Id => "id",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// The filters of `GET /configurations`, all optional (default sort: ascending by id, which
/// keeps paging stable). Several values of one filter mean "any of them"; commas inside a value
/// are escaped; text filters match exactly.
///
/// ```
/// use itglue_client::{ConfigurationFilter, OrganizationId, RmmIntegrationType};
///
/// let filter = ConfigurationFilter::new()
///     .organization_id(OrganizationId::new(2))
///     .rmm(&RmmIntegrationType::Aem, "6f1c-device-uid");
/// assert!(filter.to_query().contains(&(
///     "filter[rmm_integration_type]".to_owned(),
///     "aem".to_owned()
/// )));
/// ```
pub type ConfigurationFilter = ListFilter<ConfigurationSortField>;

impl ListFilter<ConfigurationSortField> {
    /// Only this configuration.
    pub fn id(self, id: ConfigurationId) -> Self {
        self.ids([id])
    }

    /// Only these configurations.
    pub fn ids(self, ids: impl IntoIterator<Item = ConfigurationId>) -> Self {
        self.id_list("id", ids)
    }

    /// Only configurations of this organization.
    pub fn organization_id(self, id: OrganizationId) -> Self {
        self.one("organization_id", &id.to_string())
    }

    /// Only configurations with exactly this name.
    pub fn name(self, name: &str) -> Self {
        self.one("name", name)
    }

    /// Only configurations with exactly this serial number.
    pub fn serial_number(self, serial_number: &str) -> Self {
        self.one("serial_number", serial_number)
    }

    /// Only configurations with exactly this primary MAC address.
    pub fn mac_address(self, mac_address: &str) -> Self {
        self.one("mac_address", mac_address)
    }

    /// Only configurations with exactly this asset tag.
    pub fn asset_tag(self, asset_tag: &str) -> Self {
        self.one("asset_tag", asset_tag)
    }

    /// Only configurations of this type.
    pub fn configuration_type_id(self, id: ConfigurationTypeId) -> Self {
        self.one("configuration_type_id", &id.to_string())
    }

    /// Only configurations with this status.
    pub fn configuration_status_id(self, id: ConfigurationStatusId) -> Self {
        self.one("configuration_status_id", &id.to_string())
    }

    /// Only configurations of this contact.
    pub fn contact_id(self, id: ContactId) -> Self {
        self.one("contact_id", &id.to_string())
    }

    /// Only the configuration linked to this RMM record (IT Glue requires the integration type
    /// with the RMM id; this method sends both).
    pub fn rmm(self, integration: &RmmIntegrationType, rmm_id: &str) -> Self {
        self.one("rmm_id", rmm_id)
            .one("rmm_integration_type", integration.as_str())
    }

    /// Only configurations linked to this kind of RMM.
    pub fn rmm_integration_type(self, integration: &RmmIntegrationType) -> Self {
        self.one("rmm_integration_type", integration.as_str())
    }

    /// Only the configuration synced from this PSA record (sent with its integration type).
    pub fn psa(self, integration: &PsaIntegrationType, psa_id: &str) -> Self {
        self.one("psa_id", psa_id)
            .one("psa_integration_type", integration.as_str())
    }

    /// Only archived configurations, or only the others.
    pub fn archived(self, archived: bool) -> Self {
        self.flag("archived", archived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_configuration_filter_uses_its_documented_key() {
        let query = ConfigurationFilter::new()
            .organization_id(OrganizationId::new(2))
            .name("HF, SF")
            .serial_number("C03R3LT7THV8")
            .mac_address("C4:7A:92:14:3D:78")
            .asset_tag("BP6549")
            .configuration_type_id(ConfigurationTypeId::new(65))
            .configuration_status_id(ConfigurationStatusId::new(29))
            .contact_id(ContactId::new(5))
            .archived(false)
            .to_query();
        let expected = [
            ("filter[organization_id]", "2"),
            ("filter[name]", r"HF\, SF"),
            ("filter[serial_number]", "C03R3LT7THV8"),
            ("filter[mac_address]", "C4:7A:92:14:3D:78"),
            ("filter[asset_tag]", "BP6549"),
            ("filter[configuration_type_id]", "65"),
            ("filter[configuration_status_id]", "29"),
            ("filter[contact_id]", "5"),
            ("filter[archived]", "false"),
            ("sort", "id"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(query, expected.to_vec());
    }

    #[test]
    fn an_rmm_id_is_always_sent_with_its_integration_type() {
        let query = ConfigurationFilter::new()
            .rmm(&RmmIntegrationType::Aem, "uid-1")
            .to_query();
        assert_eq!(query[0], ("filter[rmm_id]".to_owned(), "uid-1".to_owned()));
        assert_eq!(
            query[1],
            ("filter[rmm_integration_type]".to_owned(), "aem".to_owned())
        );
    }

    #[test]
    fn integration_type_filters_can_stand_alone() {
        let query = ConfigurationFilter::new()
            .rmm_integration_type(&RmmIntegrationType::Other("future-rmm".to_owned()))
            .psa(&PsaIntegrationType::PulsewayPsa, "p-1")
            .ids([ConfigurationId::new(1), ConfigurationId::new(2)])
            .to_query();
        assert_eq!(
            query[..4],
            [
                (
                    "filter[rmm_integration_type]".to_owned(),
                    "future-rmm".to_owned()
                ),
                ("filter[psa_id]".to_owned(), "p-1".to_owned()),
                (
                    "filter[psa_integration_type]".to_owned(),
                    "pulseway-psa".to_owned()
                ),
                ("filter[id]".to_owned(), "1,2".to_owned()),
            ]
        );
    }
}
