//! Enums whose set of values the vendor may grow: an unknown value is kept, not rejected.
//!
//! `deviceClass: "rmmnetworkdevice"` made one client reject every network device because its
//! enum did not know the value; here every vendor enum has an `Other(String)` variant.

/// Declares an open, string-valued vendor enum: known variants, `Other(String)` for the rest,
/// serde as the wire string, `as_str`, `Display` and `From<&str>`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this client does not know (yet), kept verbatim.
            Other(String),
        }

        impl $name {
            /// The value as Datto sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = $crate::models::lenient::Text::deserialize(deserializer)?;
                Ok($name::from(text.0.as_str()))
            }
        }
    };
}

pub(crate) use open_enum;
