//! Companies: details, search results, tree nodes, and the parameters of the writes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::enums::{CompanyType, SubscriptionType};
use super::lenient;
use crate::ids::CompanyId;

/// The longest company name GravityZone accepts, in characters (`createCompany` docs).
pub const MAX_COMPANY_NAME_CHARS: usize = 64;
/// The longest address GravityZone accepts, in characters.
pub const MAX_ADDRESS_CHARS: usize = 128;
/// The longest phone number GravityZone accepts, in characters.
pub const MAX_PHONE_CHARS: usize = 32;
/// The values `skip2FAPeriod` may take (days).
pub const SKIP_2FA_PERIODS: [u32; 7] = [0, 1, 3, 7, 14, 30, 90];

/// A company's industry: an integer code in current docs and recorded replies, a string in
/// older docs. Both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Industry {
    /// The documented integer code (0 undefined … 34 wholesale, with sub-codes like 101).
    Code(i64),
    /// A textual value, as older documentation described it.
    Name(String),
}

/// The contact person of a company (`contactPerson`; reported for partner-type companies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContactPerson {
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Role in the company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_role: Option<String>,
}

impl ContactPerson {
    /// A contact person with just a full name.
    pub fn new(full_name: impl Into<String>) -> Self {
        Self {
            full_name: Some(full_name.into()),
            ..Self::default()
        }
    }
}

/// The company risk score (`riskScore`): percentages as the API prints them (`"18%"`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RiskScore {
    /// Overall score, e.g. `"18%"`.
    #[serde(default)]
    pub value: Option<String>,
    /// Impact, e.g. `"Low"`.
    #[serde(default)]
    pub impact: Option<String>,
    /// Share from misconfigurations.
    #[serde(default)]
    pub misconfigurations: Option<String>,
    /// Share from application vulnerabilities.
    #[serde(default)]
    pub app_vulnerabilities: Option<String>,
    /// Share from human risks.
    #[serde(default)]
    pub human_risks: Option<String>,
    /// Industry modifier.
    #[serde(default)]
    pub industry_modifier: Option<String>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `getCompanyDetails`.
///
/// Everything but `id` and `name` is optional: partner and customer companies report different
/// members, and the vendor adds members over time (kept in `extra`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompanyDetails {
    /// Company id (24 hex digits on the real service).
    pub id: CompanyId,
    /// Company name (unique across the whole GravityZone instance).
    pub name: String,
    /// Partner or customer.
    #[serde(default, rename = "type")]
    pub company_type: Option<CompanyType>,
    /// The id of the partner company directly above (live extra, not in the docs).
    #[serde(default)]
    pub parent_company_id: Option<CompanyId>,
    /// The company's position in the tree (live extra; its shape is not documented, so it is
    /// kept as sent).
    #[serde(default)]
    pub company_path: Option<Value>,
    /// Postal address (free text).
    #[serde(default)]
    pub address: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// ISO 3166 country code, `"N/A"` when unset.
    #[serde(default)]
    pub country: Option<String>,
    /// State code, `"N/A"` when unset.
    #[serde(default)]
    pub state: Option<String>,
    /// Industry.
    #[serde(default)]
    pub industry: Option<Industry>,
    /// Whether the partner above may manage this company's security.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub can_be_managed_by_above: Option<bool>,
    /// Whether two-factor authentication is enforced.
    #[serde(default, rename = "enforce2FA", deserialize_with = "lenient::opt_flag")]
    pub enforce_2fa: Option<bool>,
    /// Days a user may postpone setting up 2FA.
    #[serde(
        default,
        rename = "skip2FAPeriod",
        deserialize_with = "lenient::opt_int"
    )]
    pub skip_2fa_period: Option<i64>,
    /// Whether the company is suspended.
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub is_suspended: Option<bool>,
    /// Creation time (sent without a zone; UTC).
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    /// Contact person (partner companies).
    #[serde(default)]
    pub contact_person: Option<ContactPerson>,
    /// Risk score.
    #[serde(default)]
    pub risk_score: Option<RiskScore>,
    /// Subscribed services (`subscribedServices`; single public source, kept as sent).
    #[serde(default)]
    pub subscribed_services: Option<Value>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CompanyDetails {
    /// True when the company is a partner (may hold sub-companies).
    pub fn is_partner(&self) -> bool {
        self.company_type == Some(CompanyType::Partner)
    }
}

/// One company as `findCompaniesByName` or `getCompaniesList` lists it.
///
/// Both are documented to carry `id` and `name`; anything else is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompanySummary {
    /// Company id.
    pub id: CompanyId,
    /// Company name.
    pub name: String,
    /// Partner or customer, when the reply says.
    #[serde(default, rename = "type")]
    pub company_type: Option<CompanyType>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One company found by walking the partner tree with `getCompaniesList`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompanyNode {
    /// Company id.
    pub id: CompanyId,
    /// Company name.
    pub name: String,
    /// Partner or customer, as the walk established it (partners are the children listed by
    /// the `companyType: 0` filter).
    pub company_type: CompanyType,
    /// The id of the company this one was listed under; `None` for the key's own company
    /// (when the walk started there without naming it).
    pub parent_id: Option<CompanyId>,
    /// Depth below the walk's root: its direct children are at depth 1.
    pub depth: usize,
}

/// The licence subscription of a new company (`licenseSubscription` of `createCompany`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LicenseSubscription {
    /// Subscription type.
    #[serde(rename = "type")]
    pub subscription_type: SubscriptionType,
    /// Licence key (type 2 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_key: Option<String>,
    /// Reserved seats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_slots: Option<u32>,
    /// End of the subscription (UTC date); an empty string clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_subscription: Option<String>,
    /// Months of automatic renewal (0 = none; vendor default 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_renew_period: Option<u32>,
    /// Whether the company may manage Exchange protection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_exchange: Option<bool>,
    /// Further members, sent as given (e.g. `minimumUsage`, `assignedProductType`, `ownUse`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl LicenseSubscription {
    /// A subscription of `subscription_type` with nothing else set.
    pub fn new(subscription_type: SubscriptionType) -> Self {
        Self {
            subscription_type,
            license_key: None,
            reserved_slots: None,
            end_subscription: None,
            auto_renew_period: None,
            manage_exchange: None,
            extra: Map::new(),
        }
    }
}

/// The parameters of `createCompany`.
///
/// ```
/// use gravityzone_client::{CompanyId, CompanyType, NewCompany};
/// let mut company = NewCompany::new(CompanyType::Customer, "Contoso");
/// company.parent_id = Some(CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"));
/// assert!(company.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewCompany {
    /// Partner or customer.
    #[serde(rename = "type")]
    pub company_type: CompanyType,
    /// Name, unique across the whole instance, at most 64 characters.
    pub name: String,
    /// The partner company that will manage it (default: the key's company).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<CompanyId>,
    /// Address (≤ 128 characters, no HTML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// ISO 3166 country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// State code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Phone (≤ 32 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Industry code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    /// Whether the partner may manage the company's security (must be true for MDR).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_be_managed_by_above: Option<bool>,
    /// Whether two-factor authentication is enforced.
    #[serde(rename = "enforce2FA", skip_serializing_if = "Option::is_none")]
    pub enforce_2fa: Option<bool>,
    /// Days a user may postpone 2FA: one of [`SKIP_2FA_PERIODS`].
    #[serde(rename = "skip2FAPeriod", skip_serializing_if = "Option::is_none")]
    pub skip_2fa_period: Option<u32>,
    /// E-mail of the company's first user account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_email: Option<String>,
    /// Full name of that user (required when `account_email` is set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_full_name: Option<String>,
    /// UI language of that user, e.g. `en_US`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_language: Option<String>,
    /// Contact person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<ContactPerson>,
    /// Licence subscription.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_subscription: Option<LicenseSubscription>,
}

impl NewCompany {
    /// A company of `company_type` named `name`, everything else left to the vendor's defaults.
    pub fn new(company_type: CompanyType, name: impl Into<String>) -> Self {
        Self {
            company_type,
            name: name.into(),
            parent_id: None,
            address: None,
            country: None,
            state: None,
            phone: None,
            industry: None,
            can_be_managed_by_above: None,
            enforce_2fa: None,
            skip_2fa_period: None,
            account_email: None,
            account_full_name: None,
            account_language: None,
            contact_person: None,
            license_subscription: None,
        }
    }

    /// Checks the documented limits before anything is sent.
    pub fn validate(&self) -> Result<(), String> {
        validate_name(&self.name)?;
        validate_optional_fields(
            self.address.as_deref(),
            self.phone.as_deref(),
            self.skip_2fa_period,
        )?;
        if self.account_email.is_some() && self.account_full_name.is_none() {
            return Err("accountFullName is required when accountEmail is given".into());
        }
        Ok(())
    }
}

/// The changes of `updateCompanyDetails`: only members that are `Some` are sent and changed.
///
/// ```
/// use gravityzone_client::CompanyUpdate;
/// let mut update = CompanyUpdate::default();
/// update.name = Some("Contoso Ltd".into());
/// assert!(update.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompanyUpdate {
    /// New type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub company_type: Option<CompanyType>,
    /// New name (unique, ≤ 64 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// New phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// New industry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    /// New country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// New state code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// New contact person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<ContactPerson>,
    /// Enforce 2FA.
    #[serde(rename = "enforce2FA", skip_serializing_if = "Option::is_none")]
    pub enforce_2fa: Option<bool>,
    /// 2FA grace period.
    #[serde(rename = "skip2FAPeriod", skip_serializing_if = "Option::is_none")]
    pub skip_2fa_period: Option<u32>,
}

impl CompanyUpdate {
    /// Checks the documented limits before anything is sent.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(name) = &self.name {
            validate_name(name)?;
        }
        validate_optional_fields(
            self.address.as_deref(),
            self.phone.as_deref(),
            self.skip_2fa_period,
        )
    }
}

fn validate_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("company name must not be empty".into());
    }
    let chars = name.chars().count();
    if chars > MAX_COMPANY_NAME_CHARS {
        return Err(format!(
            "company name has {chars} characters; GravityZone allows at most {MAX_COMPANY_NAME_CHARS}"
        ));
    }
    Ok(())
}

fn validate_optional_fields(
    address: Option<&str>,
    phone: Option<&str>,
    skip_2fa_period: Option<u32>,
) -> Result<(), String> {
    if address.is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS) {
        return Err(format!(
            "address is longer than {MAX_ADDRESS_CHARS} characters"
        ));
    }
    if phone.is_some_and(|p| p.chars().count() > MAX_PHONE_CHARS) {
        return Err(format!("phone is longer than {MAX_PHONE_CHARS} characters"));
    }
    if let Some(days) = skip_2fa_period
        && !SKIP_2FA_PERIODS.contains(&days)
    {
        return Err(format!(
            "skip2FAPeriod must be one of {SKIP_2FA_PERIODS:?}, not {days}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_longer_than_64_characters_are_refused() {
        let ok = NewCompany::new(CompanyType::Customer, "é".repeat(64));
        assert!(ok.validate().is_ok());
        let long = NewCompany::new(CompanyType::Customer, "a".repeat(65));
        assert!(long.validate().unwrap_err().contains("65"));
        assert!(
            NewCompany::new(CompanyType::Customer, "  ")
                .validate()
                .is_err()
        );
    }

    #[test]
    fn new_company_sends_only_what_is_set_with_the_vendors_names() {
        let mut c = NewCompany::new(CompanyType::Customer, "Contoso");
        c.parent_id = Some("p1".into());
        c.enforce_2fa = Some(true);
        c.license_subscription = Some(LicenseSubscription::new(
            SubscriptionType::MonthlySubscription,
        ));
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"type": 1, "name": "Contoso", "parentId": "p1", "enforce2FA": true,
                   "licenseSubscription": {"type": 3}})
        );
    }

    #[test]
    fn skip_2fa_period_must_be_a_documented_value() {
        let mut u = CompanyUpdate {
            skip_2fa_period: Some(5),
            ..CompanyUpdate::default()
        };
        assert!(u.validate().is_err());
        u.skip_2fa_period = Some(14);
        assert!(u.validate().is_ok());
    }

    #[test]
    fn industry_accepts_codes_and_names() {
        let d: CompanyDetails =
            serde_json::from_value(json!({"id": "a", "name": "n", "industry": "Retail"})).unwrap();
        assert_eq!(d.industry, Some(Industry::Name("Retail".into())));
    }
}
