//! Identifiers of the two inventories' entities.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A Datto RMM site's `uid` (a UUID in practice; kept as the opaque string Datto sends).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SiteUid(pub String);

/// A GravityZone company's `id` (24 hex digits in practice; kept as the opaque string GravityZone
/// sends).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CompanyId(pub String);

impl SiteUid {
    /// Wraps a site uid.
    pub fn new(uid: impl Into<String>) -> Self {
        Self(uid.into())
    }

    /// The uid as sent by Datto RMM.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CompanyId {
    /// Wraps a company id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as sent by GravityZone.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stand-in id that [`apply`](super::apply::apply) gives a company it creates, since the
    /// real id is only known once GravityZone has created it. Company names are unique across
    /// the GravityZone tree, so the name identifies the company within one simulation.
    pub fn provisional(name: &str) -> Self {
        Self(format!("provisional:{name}"))
    }
}

impl fmt::Display for SiteUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for CompanyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
