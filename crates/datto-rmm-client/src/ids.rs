//! Typed identifiers of Datto RMM records.
//!
//! Datto names a record two ways: a `uid` (a string: a UUID for sites and devices, a short code
//! like `ab1c0002` for the account) that the API's paths take, and a numeric `id` (an int64)
//! that some paths take (variables) and most records carry. Each has its own type here, so a
//! device uid can never be passed where a site uid is expected.
//!
//! On the wire every uid is a JSON string and every numeric id a JSON number (a number written
//! as a string, `"218140"`, is read too, as Datto sometimes sends it). Any other JSON type is a
//! decode error that names the field, never a panic:
//!
//! ```
//! use datto_rmm_client::models::Site;
//! let error = serde_json::from_str::<Site>(r#"{"uid": 42}"#).unwrap_err();
//! assert!(error.to_string().contains("invalid type"), "{error}");
//! ```

/// The error returned when text is not a valid Datto RMM id: a blank uid, or a numeric id that
/// is not an integer.
///
/// ```
/// use datto_rmm_client::{ParseIdError, SiteUid, VariableId};
/// assert!("  ".parse::<SiteUid>().is_err());
/// let error: ParseIdError = "twelve".parse::<VariableId>().unwrap_err();
/// assert_eq!(error.to_string(), "not a valid Datto RMM variable id: \"twelve\"");
/// ```
pub use msp_transport::ParseIdError;

/// A uid: one of `msp-transport`'s opaque string ids.
macro_rules! uid_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        msp_transport::string_id!($(#[$doc])* $name, "Datto RMM", $what);
    };
}

/// A numeric id: one of `msp-transport`'s numeric ids, over Datto's int64.
macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        msp_transport::numeric_id!($(#[$doc])* $name, i64, "Datto RMM", $what);
    };
}

uid_type!(
    /// The uid of the Datto RMM account (a short code like `ab1c0002`;
    /// [`Account::uid`](crate::models::Account::uid)).
    ///
    /// ```
    /// use datto_rmm_client::AccountUid;
    /// let uid: AccountUid = serde_json::from_str("\"ab1c0002\"").unwrap();
    /// assert_eq!(uid, AccountUid::new("ab1c0002"));
    /// assert_eq!(uid.to_string(), "ab1c0002");
    /// ```
    AccountUid,
    "account uid"
);
uid_type!(
    /// The uid of a site (a UUID in practice): what `GET /v2/site/{siteUid}` and the site's
    /// device and variable paths take.
    ///
    /// ```
    /// use datto_rmm_client::SiteUid;
    /// let uid: SiteUid = " 11111111-2222-3333-4444-555555555555 ".parse().unwrap();
    /// assert_eq!(uid.as_str(), "11111111-2222-3333-4444-555555555555");
    /// assert_eq!(
    ///     serde_json::to_string(&uid).unwrap(),
    ///     "\"11111111-2222-3333-4444-555555555555\""
    /// );
    /// ```
    SiteUid,
    "site uid"
);
uid_type!(
    /// The uid of a device: what `GET /v2/device/{deviceUid}` and the audit path take.
    ///
    /// ```
    /// use datto_rmm_client::DeviceUid;
    /// let uid = DeviceUid::from("device-uid-1");
    /// assert_eq!(serde_json::from_str::<DeviceUid>("\"device-uid-1\"").unwrap(), uid);
    /// assert!(serde_json::from_str::<DeviceUid>("17").is_err(), "a uid is a string");
    /// ```
    DeviceUid,
    "device uid"
);
uid_type!(
    /// The uid of an alert ([`Alert::alert_uid`](crate::models::Alert::alert_uid)).
    ///
    /// ```
    /// use datto_rmm_client::AlertUid;
    /// assert_eq!(AlertUid::new("a-1").as_str(), "a-1");
    /// ```
    AlertUid,
    "alert uid"
);
uid_type!(
    /// The id of the Autotask company a site is linked to. Datto documents it as a string
    /// (`"1234"`); [`Site::autotask_company_id`](crate::models::Site::autotask_company_id)
    /// also reads a JSON number, kept as its decimal text.
    ///
    /// ```
    /// use datto_rmm_client::AutotaskCompanyId;
    /// let id: AutotaskCompanyId = serde_json::from_str("\"1234\"").unwrap();
    /// assert_eq!(id.as_str(), "1234");
    /// ```
    AutotaskCompanyId,
    "Autotask company id"
);

numeric_id!(
    /// The numeric id of the account ([`Account::id`](crate::models::Account::id)).
    ///
    /// ```
    /// use datto_rmm_client::AccountId;
    /// assert_eq!(serde_json::from_str::<AccountId>("7").unwrap(), AccountId::new(7));
    /// ```
    AccountId,
    "account id"
);
numeric_id!(
    /// The numeric id of a site (Datto also sends it as `siteId` on devices).
    ///
    /// ```
    /// use datto_rmm_client::SiteId;
    /// let id: SiteId = serde_json::from_str("\"218140\"").unwrap();
    /// assert_eq!(id.get(), 218_140);
    /// assert_eq!(serde_json::to_string(&id).unwrap(), "218140");
    /// ```
    SiteId,
    "site id"
);
numeric_id!(
    /// The numeric id of a device (`GET /v2/device/id/{deviceId}` takes it).
    ///
    /// ```
    /// use datto_rmm_client::DeviceId;
    /// assert_eq!("42".parse::<DeviceId>().unwrap(), DeviceId::new(42));
    /// assert!(serde_json::from_str::<DeviceId>("\"pc-42\"").is_err());
    /// ```
    DeviceId,
    "device id"
);
numeric_id!(
    /// The id of a site or account variable: what the variable update and delete paths take.
    ///
    /// ```
    /// use datto_rmm_client::VariableId;
    /// let id = VariableId::new(12);
    /// assert_eq!(id.to_string(), "12");
    /// assert_eq!(i64::from(id), 12);
    /// ```
    VariableId,
    "variable id"
);
numeric_id!(
    /// The id of a device filter ([`DeviceFilter::filter_id`](crate::DeviceFilter::filter_id)).
    ///
    /// ```
    /// use datto_rmm_client::{DeviceFilter, FilterId};
    /// let filter = DeviceFilter::default().filter_id(FilterId::new(7));
    /// assert_eq!(filter.filter_id, Some(FilterId::new(7)));
    /// ```
    FilterId,
    "filter id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ids_read_numbers_and_digit_strings_and_write_numbers() {
        let from_number: VariableId = serde_json::from_str("218140").unwrap();
        let from_text: VariableId = serde_json::from_str("\" 218140 \"").unwrap();
        assert_eq!(from_number, from_text);
        assert_eq!(serde_json::to_string(&from_text).unwrap(), "218140");
    }

    #[test]
    fn numeric_ids_refuse_other_json() {
        for json in ["\"abc\"", "1.5", "true", "null", "\"\"", "[1]", "{}"] {
            assert!(
                serde_json::from_str::<SiteId>(json).is_err(),
                "{json} is no site id"
            );
        }
    }

    #[test]
    fn uids_refuse_other_json_than_strings() {
        for json in ["1", "true", "null", "[\"a\"]", "{}"] {
            assert!(serde_json::from_str::<SiteUid>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn parsing_names_the_kind_of_id_and_trims_blanks() {
        assert_eq!(
            "".parse::<DeviceUid>().unwrap_err().to_string(),
            "not a valid Datto RMM device uid: \"\""
        );
        assert_eq!(" 5 ".parse::<DeviceId>().unwrap(), DeviceId::new(5));
        assert_eq!(" d-1 ".parse::<DeviceUid>().unwrap().as_str(), "d-1");
    }
}
