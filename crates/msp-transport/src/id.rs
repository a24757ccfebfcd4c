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

/// Defines a numeric id of a vendor: a `Copy` newtype over an integer type (`i64`, `u64`, …)
/// that is written as a JSON number and read from a JSON number, a whole number written as a
/// float (`12.0`) or a string of digits (`"12"`, as vendors send ids in JSON:API documents), so
/// one vendor's two spellings of the same id read alike; anything else — a fraction, a negative
/// number for an unsigned id, a number out of range, blank or other text, `null`, an array —
/// is a decode error naming the kind of id. It prints as the number, parses from text typed by
/// a person (blanks around it dropped), converts from and into the integer, and compares with
/// it.
///
/// The crate that uses it needs `serde` among its dependencies.
///
/// ```
/// msp_transport::numeric_id!(
///     /// A gadget's id.
///     GadgetId, u64, "Acme", "gadget id"
/// );
/// let from_number: GadgetId = serde_json::from_str("1694461951918297").unwrap();
/// let from_text: GadgetId = serde_json::from_str("\"1694461951918297\"").unwrap();
/// assert_eq!(from_number, from_text);
/// assert_eq!(from_number.get(), 1_694_461_951_918_297);
/// assert_eq!(serde_json::to_string(&GadgetId::new(42)).unwrap(), "42");
/// assert!(serde_json::from_str::<GadgetId>("-3").is_err());
/// assert_eq!(" 42 ".parse::<GadgetId>().unwrap(), 42);
/// assert_eq!(
///     "forty-two".parse::<GadgetId>().unwrap_err().to_string(),
///     "not a valid Acme gadget id: \"forty-two\""
/// );
/// ```
#[macro_export]
macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident, $int:ty, $vendor:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($int);

        impl $name {
            #[doc = concat!("Wraps a raw ", $kind, ".")]
            pub const fn new(raw: $int) -> Self {
                Self(raw)
            }

            #[doc = concat!("The raw ", $kind, ".")]
            pub const fn get(self) -> $int {
                self.0
            }
        }

        impl ::std::convert::From<$int> for $name {
            fn from(raw: $int) -> Self {
                Self(raw)
            }
        }

        impl ::std::convert::From<$name> for $int {
            fn from(id: $name) -> $int {
                id.0
            }
        }

        /// Compares with the raw number.
        impl ::std::cmp::PartialEq<$int> for $name {
            fn eq(&self, other: &$int) -> bool {
                self.0 == *other
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        /// Reads an id typed by a person: blanks around it are dropped; anything but an
        /// integer of the id's range is an error.
        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim()
                    .parse::<$int>()
                    .map(Self)
                    .map_err(|_| $crate::ParseIdError::new($vendor, $kind, s))
            }
        }

        /// Written as a JSON number.
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        /// Read from a JSON number, a whole float or a string of digits.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::__private::deserialize_numeric_id::<D, $int>(deserializer, $kind).map(Self)
            }
        }
    };
}

/// What the id macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    use std::fmt;
    use std::marker::PhantomData;
    use std::str::FromStr;

    use serde::Deserializer;
    use serde::de::{self, Unexpected, Visitor};

    /// Reads a numeric id of type `T` from a JSON number, a whole float or a string of digits.
    pub fn deserialize_numeric_id<'de, D, T>(
        deserializer: D,
        kind: &'static str,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i64> + TryFrom<u64> + FromStr,
    {
        deserializer.deserialize_any(NumericIdVisitor {
            kind,
            id: PhantomData,
        })
    }

    struct NumericIdVisitor<T> {
        kind: &'static str,
        id: PhantomData<T>,
    }

    impl<T> Visitor<'_> for NumericIdVisitor<T>
    where
        T: TryFrom<i64> + TryFrom<u64> + FromStr,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "a {}: an integer, as a number or a string of digits",
                self.kind
            )
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            // A whole number a float holds exactly (below 2^53) is the integer it spells.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if v.fract() == 0.0 && v.abs() < EXACT {
                // Exact: `v` is whole and within ±2^53.
                let whole = v as i64;
                self.visit_i64(whole)
            } else {
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.trim()
                .parse()
                .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
        }
    }
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

    crate::numeric_id!(
        /// A signed test id.
        SignedId,
        i64,
        "Acme",
        "signed id"
    );
    crate::numeric_id!(
        /// An unsigned test id.
        UnsignedId,
        u64,
        "Acme",
        "unsigned id"
    );

    #[test]
    fn numeric_ids_read_numbers_whole_floats_and_digit_strings_and_write_numbers() {
        for json in ["218140", "\" 218140 \"", "218140.0"] {
            let id: SignedId = serde_json::from_str(json).unwrap();
            assert_eq!(id, SignedId::new(218_140), "{json}");
            assert_eq!(serde_json::to_string(&id).unwrap(), "218140");
        }
        let big: UnsignedId = serde_json::from_str("\"1694461951918297\"").unwrap();
        assert_eq!(big.get(), 1_694_461_951_918_297);
        assert_eq!(serde_json::to_string(&big).unwrap(), "1694461951918297");
        assert_eq!(serde_json::from_str::<SignedId>("-7").unwrap(), -7);
    }

    #[test]
    fn numeric_ids_refuse_other_json_naming_the_kind() {
        for json in [
            "\"abc\"", "1.5", "true", "null", "\"\"", "[1]", "{}", "1e300", "\"1.0\"",
        ] {
            let error = serde_json::from_str::<SignedId>(json).unwrap_err();
            assert!(error.to_string().contains("signed id"), "{json}: {error}");
        }
        for json in ["-3", "\"-3\"", "18446744073709551616"] {
            assert!(serde_json::from_str::<UnsignedId>(json).is_err(), "{json}");
        }
        assert!(serde_json::from_str::<SignedId>("9223372036854775808").is_err());
    }

    #[test]
    fn numeric_ids_parse_typed_text_naming_the_vendor_and_kind() {
        assert_eq!(" 5 ".parse::<UnsignedId>().unwrap(), UnsignedId::new(5));
        assert_eq!(
            "-5".parse::<UnsignedId>().unwrap_err().to_string(),
            "not a valid Acme unsigned id: \"-5\""
        );
        assert_eq!(u64::from(UnsignedId::from(9)), 9);
        assert_eq!(SignedId::new(-2).to_string(), "-2");
    }
}
