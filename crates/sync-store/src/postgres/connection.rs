//! Connecting: the options, the pool, TLS, and the schema brought up to date.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};

use super::schema;
use crate::StoreError;

/// The PostgreSQL schema (namespace) the store's tables live in unless told otherwise.
pub const DEFAULT_SCHEMA: &str = "msp_sync";

/// How a [`PostgresStore`] connects.
///
/// ```
/// use sync_store::PostgresOptions;
///
/// let options = PostgresOptions::default().with_pool_size(32).with_schema("tenant_pool_b");
/// assert_eq!(options.pool_size(), 32);
/// assert_eq!(options.schema(), "tenant_pool_b");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresOptions {
    pool_size: usize,
    schema: String,
    wait_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self {
            pool_size: 8,
            schema: DEFAULT_SCHEMA.to_owned(),
            wait_timeout: Duration::from_secs(30),
        }
    }
}

impl PostgresOptions {
    /// At most `size` connections at once (default 8; at least 1).
    pub fn with_pool_size(mut self, size: usize) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// Keeps the tables in the PostgreSQL schema `schema` (default [`DEFAULT_SCHEMA`]), created
    /// when missing. Lowercase ASCII letters, digits and `_`, starting with a letter or `_`, at
    /// most 63 characters: several stores can share one database, one schema each.
    pub fn with_schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// How long an operation waits for a free connection before failing (default 30 s).
    pub fn with_wait_timeout(mut self, timeout: Duration) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// The most connections the pool opens.
    pub fn pool_size(&self) -> usize {
        self.pool_size
    }

    /// The PostgreSQL schema of the tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

/// The store in a PostgreSQL database (version 15 or later), for several workers sharing one
/// database.
///
/// - **A connection pool** (deadpool) of [`PostgresOptions::pool_size`] connections; clones
///   share it.
/// - **TLS through rustls** when the URL asks for it (`sslmode=require`; with the default
///   `sslmode=prefer` TLS is used when the server offers it), verified against the public web
///   roots (webpki-roots).
/// - **Migrations on connect**, in one transaction under an advisory lock: a database written by
///   an older build is brought up to the current schema; one from a newer build is refused with
///   [`StoreError::SchemaTooNew`].
/// - **One transaction per call.** Every write first takes the tenant's transaction-scoped
///   advisory lock, so the writers of one tenant (in any process) run one after the other — the
///   version check and the write of [`Store::apply`](crate::Store::apply) are atomic, as SQLite's `BEGIN IMMEDIATE`
///   makes them; writers of different tenants do not wait for each other. Reads run in a
///   read-only `REPEATABLE READ` transaction, one consistent snapshot.
/// - **Leases** are rows of the `leases` table read `FOR UPDATE` under the tenant's lock: two
///   workers can never both hold one tenant.
///
/// ```no_run
/// use sync_store::{PostgresOptions, PostgresStore, Store, TenantId};
///
/// # async fn demo() -> Result<(), sync_store::StoreError> {
/// let store = PostgresStore::connect_with(
///     "postgres://msp@db.internal/msp?sslmode=require",
///     PostgresOptions::default().with_pool_size(16),
/// )
/// .await?;
/// let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
/// println!("{tenant} is at {}", store.version(&tenant).await?);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    schema: Arc<str>,
    server: Arc<str>,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("server", &self.server)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database?…`)
    /// with the default options and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, PostgresOptions::default()).await
    }

    /// Connects with `options`.
    pub async fn connect_with(url: &str, options: PostgresOptions) -> Result<Self, StoreError> {
        Self::connect_at_schema(url, options, schema::latest()).await
    }

    pub(super) async fn connect_at_schema(
        url: &str,
        options: PostgresOptions,
        version: i64,
    ) -> Result<Self, StoreError> {
        check_schema_name(&options.schema)?;
        let mut config: tokio_postgres::Config = url.parse()?;
        let search_path = format!("-c search_path={}", options.schema);
        let extra = match config.get_options() {
            Some(given) if !given.trim().is_empty() => format!("{given} {search_path}"),
            _ => search_path,
        };
        config.options(extra);
        if config.get_application_name().is_none() {
            config.application_name("msp-sync");
        }
        let server = describe(&config);
        let manager = Manager::from_config(
            config,
            tls()?,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.wait_timeout))
            .create_timeout(Some(options.wait_timeout))
            .build()
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        let store = Self {
            pool,
            schema: Arc::from(options.schema.as_str()),
            server: Arc::from(server.as_str()),
        };
        let mut client = store.client().await?;
        let before = schema::migrate_to(&mut client, &store.server, &store.schema, version).await?;
        if before < version {
            tracing::info!(server = %store.server, schema = %store.schema, from = before, to = version, "migrated store schema");
        }
        Ok(store)
    }

    /// The PostgreSQL schema the tables live in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The schema version of the database (how many migrations it has).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let client = self.client().await?;
        Ok(client
            .query_one("SELECT version FROM store_schema", &[])
            .await?
            .try_get(0)?)
    }

    /// The schema version this build writes.
    pub fn latest_schema_version() -> i64 {
        schema::latest()
    }

    /// Drops the store's PostgreSQL schema with every table in it — every tenant's data. For
    /// tests and for removing a store for good.
    pub async fn drop_schema(self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                self.schema
            ))
            .await?;
        Ok(())
    }

    pub(super) async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => StoreError::from(e),
            other => StoreError::Postgres(format!("{other} ({})", self.server)),
        })
    }
}

/// Host, port and database of the configuration: what a log line or `Debug` may show (never
/// the user's password).
pub(super) fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config.get_dbname().unwrap_or_default();
    format!("{host}:{port}/{database}")
}

pub(super) fn check_schema_name(name: &str) -> Result<(), StoreError> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if valid {
        Ok(())
    } else {
        Err(StoreError::Postgres(format!(
            "invalid schema name {name:?}: lowercase ASCII letters, digits and _ only"
        )))
    }
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Postgres(format!("TLS set-up: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}
