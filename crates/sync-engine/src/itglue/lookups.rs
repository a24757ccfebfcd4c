//! IT Glue's manufacturers, models and operating systems, read at most once per run (and only
//! when a write needs them), with the manufacturers and models the run is missing created on
//! the way.

use std::collections::BTreeMap;

use super::ports::{ItGluePort, ModelRecord, NamedId, PortError};

/// Names compared case and surrounding blanks aside.
fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// What a name resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The account has it (or the run just created it).
    Id(u64),
    /// A dry run: it would be created.
    WouldCreate,
    /// The account has none and none is created (operating systems are IT Glue's own list).
    Missing,
}

impl Resolved {
    pub(crate) fn id(self) -> Option<u64> {
        match self {
            Self::Id(id) => Some(id),
            _ => None,
        }
    }
}

/// The lookups of one run.
#[derive(Default)]
pub(crate) struct Lookups {
    manufacturers: Option<BTreeMap<String, u64>>,
    models: Option<BTreeMap<(u64, String), u64>>,
    operating_systems: Option<BTreeMap<String, u64>>,
    /// Manufacturers and models created by this run.
    pub(crate) created: u64,
    /// A lookup failed in this run (not for refused credentials): the update phase leaves the
    /// lookup fields to the next run.
    pub(crate) unavailable: bool,
}

impl Lookups {
    /// The manufacturer of this name, created when missing (unless `dry_run`).
    pub(crate) async fn manufacturer(
        &mut self,
        docs: &dyn ItGluePort,
        name: &str,
        dry_run: bool,
    ) -> Result<Resolved, PortError> {
        if self.manufacturers.is_none() {
            let listed = docs.manufacturers().await?;
            self.manufacturers = Some(index(&listed));
        }
        let known = self.manufacturers.get_or_insert_with(BTreeMap::new);
        if let Some(id) = known.get(&key(name)) {
            return Ok(Resolved::Id(*id));
        }
        if dry_run {
            return Ok(Resolved::WouldCreate);
        }
        let created = docs.create_manufacturer(name.trim()).await?;
        known.insert(key(name), created.id);
        self.created += 1;
        tracing::info!(manufacturer = %name, id = created.id, "IT Glue manufacturer created");
        Ok(Resolved::Id(created.id))
    }

    /// The model of this name under a manufacturer, created when missing (unless `dry_run`).
    pub(crate) async fn model(
        &mut self,
        docs: &dyn ItGluePort,
        manufacturer: Resolved,
        name: &str,
        dry_run: bool,
    ) -> Result<Resolved, PortError> {
        let manufacturer = match manufacturer {
            Resolved::Id(id) => id,
            other => return Ok(other),
        };
        if self.models.is_none() {
            let listed = docs.models().await?;
            self.models = Some(model_index(&listed));
        }
        let known = self.models.get_or_insert_with(BTreeMap::new);
        if let Some(id) = known.get(&(manufacturer, key(name))) {
            return Ok(Resolved::Id(*id));
        }
        if dry_run {
            return Ok(Resolved::WouldCreate);
        }
        let created = docs.create_model(manufacturer, name.trim()).await?;
        known.insert((manufacturer, key(name)), created.id);
        self.created += 1;
        tracing::info!(model = %name, id = created.id, "IT Glue model created");
        Ok(Resolved::Id(created.id))
    }

    /// IT Glue's operating system of this name, if it has one.
    pub(crate) async fn operating_system(
        &mut self,
        docs: &dyn ItGluePort,
        name: &str,
    ) -> Result<Resolved, PortError> {
        if self.operating_systems.is_none() {
            let listed = docs.operating_systems().await?;
            self.operating_systems = Some(index(&listed));
        }
        Ok(self
            .operating_systems
            .as_ref()
            .and_then(|known| known.get(&key(name)))
            .map_or(Resolved::Missing, |id| Resolved::Id(*id)))
    }
}

fn index(listed: &[NamedId]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for named in listed {
        // The lowest id wins when IT Glue holds two records differing only in case.
        out.entry(key(&named.name)).or_insert(named.id);
    }
    out
}

fn model_index(listed: &[ModelRecord]) -> BTreeMap<(u64, String), u64> {
    let mut out = BTreeMap::new();
    for model in listed {
        if let Some(manufacturer) = model.manufacturer {
            out.entry((manufacturer, key(&model.name)))
                .or_insert(model.id);
        }
    }
    out
}
