//! Identifiers of the two inventories' entities.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::datto::SiteUid;

/// A GravityZone company's `id` (24 hex digits in practice; kept as the opaque string GravityZone
/// sends).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CompanyId(pub String);

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

/// `site "Hamburg"` / `company "Northwind"`, or the id when the name is not known: how a
/// message names a site or a company.
pub(crate) fn label(what: &str, id: &dyn fmt::Display, name: &Option<String>) -> String {
    match name {
        Some(name) => format!("{what} {name:?}"),
        None => format!("{what} {id}"),
    }
}

impl fmt::Display for CompanyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
