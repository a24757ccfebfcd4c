//! What only the SQLite store has: a file, its pragmas, its schema version, other processes.

use rusqlite::Connection;
use sync_store::conformance::{at, fill_every_kind, tenant_a, tenant_b};
use sync_store::{SqliteStore, Store, StoreError, Version};

async fn fresh() -> (tempfile::TempDir, std::path::PathBuf, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let store = SqliteStore::open(&path).await.unwrap();
    (dir, path, store)
}

/// Rows per table with a `tenant_id` column, for the tenant with row id `tenant_id`.
fn rows_of(path: &std::path::Path, tenant_id: i64) -> Vec<(String, i64)> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT m.name FROM sqlite_schema m
             WHERE m.type = 'table'
               AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'tenant_id')
             ORDER BY m.name",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM {table} WHERE tenant_id = ?1"),
                    [tenant_id],
                    |row| row.get(0),
                )
                .unwrap();
            (table, n)
        })
        .collect()
}

#[tokio::test]
async fn store_file_is_in_wal_mode_at_the_latest_schema() {
    let (_dir, path, store) = fresh().await;
    assert_eq!(
        store.schema_version().await.unwrap(),
        SqliteStore::latest_schema_version()
    );
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn data_survives_closing_and_reopening_the_file() {
    let (_dir, path, store) = fresh().await;
    fill_every_kind(&store, &tenant_a(), "a").await;
    let state = store.state(&tenant_a()).await.unwrap();
    let journal = store.journal(&tenant_a()).await.unwrap();
    drop(store);
    let reopened = SqliteStore::open(&path).await.unwrap();
    assert_eq!(reopened.state(&tenant_a()).await.unwrap(), state);
    assert_eq!(reopened.journal(&tenant_a()).await.unwrap(), journal);
    reopened.check_integrity().await.unwrap();
}

#[tokio::test]
async fn reset_tenant_leaves_no_row_of_it_in_any_table() {
    let (_dir, path, store) = fresh().await;
    fill_every_kind(&store, &tenant_a(), "a").await;
    fill_every_kind(&store, &tenant_b(), "b").await;
    let (a_id, b_id) = (1, 2);
    let a_rows = rows_of(&path, a_id);
    assert!(
        a_rows.iter().all(|(_, n)| *n > 0),
        "the fill writes every table: {a_rows:?}"
    );
    let b_rows = rows_of(&path, b_id);

    store.reset_tenant(&tenant_a()).await.unwrap();

    assert!(rows_of(&path, a_id).iter().all(|(_, n)| *n == 0));
    assert_eq!(rows_of(&path, b_id), b_rows);
    store.check_integrity().await.unwrap();
}

#[tokio::test]
async fn file_from_a_newer_build_is_refused() {
    let (_dir, path, store) = fresh().await;
    drop(store);
    let newer = SqliteStore::latest_schema_version() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    match SqliteStore::open(&path).await {
        Err(
            error @ StoreError::SchemaTooNew {
                found, supported, ..
            },
        ) => {
            assert_eq!(found, newer);
            assert_eq!(supported, SqliteStore::latest_schema_version());
            assert_eq!(
                error.to_string(),
                format!(
                    "the store file has schema version {newer}; this build knows up to {supported}"
                )
            );
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[tokio::test]
async fn two_handles_on_one_file_see_each_others_versions() {
    // Two opens of one file are two connections, as two processes would have.
    let (_dir, path, first) = fresh().await;
    let second = SqliteStore::open(&path).await.unwrap();
    let batch = [sync_store::IntegrationChange::Remove {
        vendor: sync_store::Vendor::ItGlue,
    }
    .into()];
    assert!(
        first
            .apply(&tenant_a(), Version::EMPTY, &batch)
            .await
            .is_err()
    );
    fill_every_kind(&first, &tenant_a(), "a").await;
    let read = second.version(&tenant_a()).await.unwrap();
    assert_ne!(read, Version::EMPTY);
    assert!(matches!(
        first.apply(&tenant_a(), Version::EMPTY, &[]).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(
        !second
            .acquire_lease(
                &tenant_a(),
                sync_store::Flow::GravityZone,
                &"other".into(),
                std::time::Duration::from_secs(1),
                at(9)
            )
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn integrity_check_reports_rows_without_their_tenant() {
    let (_dir, path, store) = fresh().await;
    store.check_integrity().await.unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute(
        "INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at)
         VALUES (77, 'itglue', 'w', 0, 1)",
        [],
    )
    .unwrap();
    match store.check_integrity().await {
        Err(StoreError::Corrupt(what)) => assert!(what.contains("leases"), "{what}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

/// The schema a fresh file gets, as SQLite keeps it: every `CREATE` statement in order.
async fn current_schema() -> String {
    let (_dir, path, _store) = fresh().await;
    let conn = Connection::open(&path).unwrap();
    let statements: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_schema
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
             ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    statements
        .iter()
        .map(|sql| format!("{sql};\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn docs_storage_md_shows_the_current_schema() {
    let doc_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/storage.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let begin = "<!-- schema:begin -->\n```sql\n";
    let end = "```\n<!-- schema:end -->";
    let start = doc.find(begin).expect("docs/storage.md has a schema block") + begin.len();
    let stop = doc[start..].find(end).expect("the schema block ends") + start;
    let schema = current_schema().await;
    assert!(
        doc[start..stop] == schema,
        "docs/storage.md shows an old schema; the current one is:\n{schema}"
    );
    let version = format!("schema version {}", SqliteStore::latest_schema_version());
    assert!(doc.contains(&version), "docs/storage.md names {version}");
}
