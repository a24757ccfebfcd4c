//! Datto RMM as both flows see it: the site, the account's system sites, the ids Datto RMM
//! hands out and the facts of a device audit.
//!
//! Both flows start from the same Datto RMM account, so they share one [`Site`] and one rule for
//! which sites take part: a site takes part unless it is OnDemand or one of the account's
//! [system sites](SYSTEM_SITE_NAMES).
//!
//! ```
//! use sync_core::datto::{Site, SYSTEM_SITE_NAMES};
//!
//! assert!(Site::new("s1", "Acme", false).is_managed());
//! assert!(!Site::new("s2", "Walk-in", true).is_managed());
//! for name in SYSTEM_SITE_NAMES {
//!     assert!(!Site::new("s3", name, false).is_managed());
//! }
//! // Only the exact names are system sites: a customer may call a site "managed".
//! assert!(Site::new("s4", "managed", false).is_managed());
//! ```

mod audit;
mod ids;
mod site;

pub use audit::AuditFacts;
pub use ids::{AutotaskCompanyId, DeviceUid, SiteUid};
pub use site::{SYSTEM_SITE_NAMES, Site};
