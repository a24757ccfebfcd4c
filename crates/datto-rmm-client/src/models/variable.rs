//! Site and account variables (OpenAPI `Variable`).

use serde::{Deserialize, Serialize};

use super::lenient;
use crate::ids::VariableId;

/// A site or account variable. A masked variable's `value` comes back masked, not as the value
/// that was written.
///
/// `Debug` leaves out the value of masked variables.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Variable {
    /// Variable id (the update and delete paths take it).
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<VariableId>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Value (masked for masked variables).
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub value: Option<String>,
    /// Whether the value is hidden in Datto's UI and API answers.
    #[serde(default)]
    pub masked: Option<bool>,
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value: &dyn std::fmt::Debug = if self.masked == Some(true) {
            &msp_transport::REDACTED
        } else {
            &self.value
        };
        f.debug_struct("Variable")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("value", value)
            .field("masked", &self.masked)
            .finish()
    }
}

/// The body of a variable create (OpenAPI `Variable Creation Request`).
#[derive(Serialize)]
pub(crate) struct CreateVariable<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub masked: bool,
}

/// The body of a variable update (OpenAPI `Variable Update Request`): `masked` cannot change.
#[derive(Serialize)]
pub(crate) struct UpdateVariable<'a> {
    pub name: &'a str,
    pub value: &'a str,
}
