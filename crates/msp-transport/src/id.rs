//! The one shape of a vendor's opaque string id, shared by the clients so a Datto RMM uid and a
//! GravityZone id read, print, parse and compare alike.

/// The error returned when text is not a valid id: a blank text where an id was expected, or
/// (for numeric ids) text that is not an integer. Names the vendor and the kind of id.
///
/// ```
/// msp_transport::string_id!(
///     /// A widget's id.
///     WidgetId, "Acme", "widget id"
/// );
/// let error = "  ".parse::<WidgetId>().unwrap_err();
/// assert_eq!(error.to_string(), "not a valid Acme widget id: \"  \"");
/// assert_eq!(error.kind(), "widget id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {vendor} {kind}: {text:?}")]
pub struct ParseIdError {
    vendor: &'static str,
    kind: &'static str,
    text: String,
}

impl ParseIdError {
    /// The error for `text`, which is not a `kind` of `vendor` (the text is cut at 64
    /// characters, so a huge input does not make a huge message).
    pub fn new(vendor: &'static str, kind: &'static str, text: &str) -> Self {
        Self {
            vendor,
            kind,
            text: text.chars().take(64).collect(),
        }
    }

    /// The kind of id that was expected, e.g. `"site uid"`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

/// Defines an opaque string id of a vendor: a newtype over `String` that is written and read
/// as a plain JSON string (anything else on the wire is a decode error), prints as itself,
/// parses from text typed by a person (blanks around it dropped, a blank text a
/// [`ParseIdError`]), converts from and into `String`, and compares with text.
///
/// The crate that uses it needs `serde` (with `derive`) among its dependencies.
///
/// ```
/// msp_transport::string_id!(
///     /// A widget's id.
///     WidgetId, "Acme", "widget id"
/// );
/// let id: WidgetId = serde_json::from_str("\"w-1\"").unwrap();
/// assert_eq!(id, "w-1");
/// assert_eq!(id.to_string(), "w-1");
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"w-1\"");
/// assert!(serde_json::from_str::<WidgetId>("17").is_err());
/// assert_eq!(" w-1 ".parse::<WidgetId>().unwrap(), id);
/// ```
#[macro_export]
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $vendor:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Wraps a raw ", $kind, " (no check: ", $vendor, "'s ids are opaque).")]
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            #[doc = concat!("The id as ", $vendor, " sends it.")]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        /// Compares with text exactly (no trimming).
        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl ::std::cmp::PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Reads an id typed by a person: blanks around it are dropped, a blank text is an
        /// error.
        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let id = s.trim();
                if id.is_empty() {
                    Err($crate::ParseIdError::new($vendor, $kind, s))
                } else {
                    Ok(Self(id.to_owned()))
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    string_id!(
        /// A test id.
        TestId,
        "Acme",
        "test id"
    );

    #[test]
    fn ids_are_json_strings_and_nothing_else() {
        let id: TestId = serde_json::from_str("\"t-1\"").unwrap();
        assert_eq!(serde_json::to_value(&id).unwrap(), serde_json::json!("t-1"));
        for json in ["1", "true", "null", "[\"t\"]", "{}"] {
            assert!(serde_json::from_str::<TestId>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn parsing_trims_and_refuses_blank_text_naming_the_vendor_and_kind() {
        assert_eq!(" t-1 ".parse::<TestId>().unwrap(), "t-1");
        let error = "\t".parse::<TestId>().unwrap_err();
        assert_eq!(error.to_string(), "not a valid Acme test id: \"\\t\"");
        assert_eq!(error.kind(), "test id");
        let long = "x".repeat(200);
        assert!(
            crate::ParseIdError::new("Acme", "test id", &long)
                .to_string()
                .len()
                < 100
        );
    }

    #[test]
    fn ids_compare_with_text_and_convert_to_and_from_strings() {
        let id = TestId::from("t-1");
        let text = String::from("t-1");
        assert!(id == "t-1" && id == *"t-1" && id == text);
        assert_eq!(String::from(id.clone()), "t-1");
        assert_eq!(TestId::new(String::from("t-1")), id);
        assert_eq!(id.as_ref(), "t-1");
    }
}
