//! Licensing: the result of `getLicenseInfo`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::enums::SubscriptionType;
use super::lenient;

/// The licence of a company (one element of `getLicenseInfo`'s result).
///
/// Seat counts arrive as `usedSlots`/`totalSlots` on current tenants and as
/// `usedLicenses`/`additionalLicenses` in older documentation; both are read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LicenseInfo {
    /// Subscription type.
    #[serde(default)]
    pub subscription_type: Option<SubscriptionType>,
    /// Whether this entry is an add-on product.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub is_addon: Option<bool>,
    /// Expiry date.
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub expiry_date: Option<DateTime<Utc>>,
    /// Seats in use.
    #[serde(default, alias = "usedLicenses", deserialize_with = "lenient::opt_int")]
    pub used_slots: Option<i64>,
    /// Seats available (reserved seats for inherited monthly licences; `None` when the
    /// licence has no fixed count).
    #[serde(
        default,
        alias = "additionalLicenses",
        deserialize_with = "lenient::opt_int"
    )]
    pub total_slots: Option<i64>,
    /// End of the subscription.
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub end_subscription: Option<DateTime<Utc>>,
    /// Months of automatic renewal.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub auto_renew_period: Option<i64>,
    /// Whether Exchange protection may be managed.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub manage_exchange: Option<bool>,
    /// Whether encryption may be managed.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub manage_encryption: Option<bool>,
    /// Whether remote-engine scanning may be managed.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub manage_remote_engines_scanning: Option<bool>,
    /// Whether HyperDetect may be managed.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub manage_hyper_detect: Option<bool>,
    /// Whether Sandbox Analyzer may be managed.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub manage_sandbox_analyzer: Option<bool>,
    /// Members this client does not model (the licence key among them; not printed apart).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `getLicenseInfo` is documented to return an array but is seen returning one object; both
/// decode to a list.
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LicenseInfo>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<LicenseInfo>),
        One(Box<LicenseInfo>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::Many(list)) => list,
        Some(OneOrMany::One(one)) => vec![*one],
    })
}

/// The decoded result of `getLicenseInfo`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct LicenseInfoResult(
    #[serde(deserialize_with = "one_or_many")] pub Vec<LicenseInfo>,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_and_an_array_both_decode() {
        let one: LicenseInfoResult = serde_json::from_value(
            json!({"subscriptionType": 3, "usedSlots": 7, "totalSlots": null}),
        )
        .unwrap();
        assert_eq!(one.0.len(), 1);
        assert_eq!(one.0[0].used_slots, Some(7));
        assert_eq!(one.0[0].total_slots, None);
        let many: LicenseInfoResult =
            serde_json::from_value(json!([{"usedLicenses": 2}, {"isAddon": true}])).unwrap();
        assert_eq!(many.0.len(), 2);
        assert_eq!(many.0[0].used_slots, Some(2));
    }
}
