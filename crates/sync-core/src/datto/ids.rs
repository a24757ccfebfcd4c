//! The ids Datto RMM hands out, kept as the opaque strings it sends. All of them serialise as
//! their bare value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A Datto RMM site's `uid` (a UUID in practice; kept as the opaque string Datto sends).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SiteUid(pub String);

/// A Datto RMM device's `uid` (kept as the opaque string Datto sends).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceUid(pub String);

/// The id of the Autotask company a Datto RMM site points to (`autotaskCompanyId`, a string).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AutotaskCompanyId(pub String);

macro_rules! opaque_id {
    ($name:ident, $what:literal) => {
        impl $name {
            #[doc = concat!("Wraps ", $what, ".")]
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as sent by Datto RMM.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

opaque_id!(SiteUid, "a site uid");
opaque_id!(DeviceUid, "a device uid");
opaque_id!(AutotaskCompanyId, "an Autotask company id");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_and_print_as_bare_values() {
        assert_eq!(
            serde_json::to_string(&DeviceUid::new("d-1")).unwrap(),
            "\"d-1\""
        );
        assert_eq!(SiteUid::new("s-1").to_string(), "s-1");
        assert_eq!(AutotaskCompanyId::new("7").as_str(), "7");
    }
}
