//! Seeding the fake with companies from lists of names.

use super::GravityZoneFake;

/// What a seeding call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedReport {
    /// `(name, id)` of every company created, in order.
    pub created: Vec<(String, String)>,
    /// Names not created, with the reason (taken, too long, empty).
    pub skipped: Vec<(String, String)>,
}

impl SeedReport {
    /// The id created for `name`, if it was.
    pub fn id_of(&self, name: &str) -> Option<&str> {
        self.created
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.as_str())
    }
}

impl GravityZoneFake {
    /// Creates a customer company under `parent_id` for every name, skipping (and reporting)
    /// names the instance refuses.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig};
    /// let fake = GravityZoneFake::start(GravityZoneFakeConfig::default()).await;
    /// let report = fake.seed_customers(&fake.root_id(), ["Contoso", "Fabrikam", "contoso"]);
    /// assert_eq!(report.created.len(), 2);
    /// assert_eq!(report.skipped.len(), 1); // names are unique case-insensitively
    /// # }
    /// ```
    pub fn seed_customers<I, S>(&self, parent_id: &str, names: I) -> SeedReport
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut report = SeedReport::default();
        for name in names {
            let name = name.as_ref();
            match self.add_customer(parent_id, name) {
                Ok(id) => report.created.push((name.to_owned(), id)),
                Err(reason) => report.skipped.push((name.to_owned(), reason)),
            }
        }
        report
    }
}
