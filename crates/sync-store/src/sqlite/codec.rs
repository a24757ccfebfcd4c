//! Turning stored columns back into values, and rows into records by column name.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Params, Row};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::time::from_millis;
use crate::{ChangedBy, RecordKind, StoreError};

/// A record read from one SQLite row, by column name (never by position, so a column added to
/// a table or to a `SELECT` cannot shift the others).
pub(super) trait FromRow: Sized {
    /// The columns to select, comma-separated.
    const COLUMNS: &'static str;

    /// The record in `row`.
    fn from_row(row: &Row<'_>) -> Result<Self, StoreError>;
}

/// Every record `SELECT {R::COLUMNS} {rest}` finds, in the order of the query.
pub(super) fn select_all<R: FromRow>(
    conn: &Connection,
    rest: &str,
    params: impl Params,
) -> Result<Vec<R>, StoreError> {
    let mut statement = conn.prepare(&format!("SELECT {} {rest}", R::COLUMNS))?;
    let mut rows = statement.query(params)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        records.push(R::from_row(row)?);
    }
    Ok(records)
}

/// The first record `SELECT {R::COLUMNS} {rest}` finds.
pub(super) fn select_one<R: FromRow>(
    conn: &Connection,
    rest: &str,
    params: impl Params,
) -> Result<Option<R>, StoreError> {
    let mut statement = conn.prepare(&format!("SELECT {} {rest}", R::COLUMNS))?;
    let mut rows = statement.query(params)?;
    rows.next()?.map(R::from_row).transpose()
}

/// Who made a change, from its tag column (`by`) and its user-name column (`user`).
pub(super) fn changed_by(row: &Row<'_>, by: &str, user: &str) -> Result<ChangedBy, StoreError> {
    let tag: String = row.get(by)?;
    ChangedBy::from_columns(&tag, row.get(user)?)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown author {tag:?}")))
}

/// A stored time.
pub(super) fn time(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    from_millis(ms)
}

/// A stored optional time.
pub(super) fn opt_time(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(from_millis).transpose()
}

/// A stored enum value, by its name.
pub(super) fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown {what} {text:?}")))
}

/// A value as stored JSON text.
pub(super) fn to_json<T: Serialize + ?Sized>(
    kind: RecordKind,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::json(kind))
}

/// A value from stored JSON text.
pub(super) fn from_json<T: DeserializeOwned>(
    kind: RecordKind,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(StoreError::json(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Pair {
        name: String,
        at: DateTime<Utc>,
    }

    impl FromRow for Pair {
        // Not the table's column order: rows are read by name.
        const COLUMNS: &'static str = "at_ms, name";

        fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
            Ok(Pair {
                name: row.get("name")?,
                at: time(row.get("at_ms")?)?,
            })
        }
    }

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE pairs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at_ms INTEGER NOT NULL);
             INSERT INTO pairs (name, at_ms) VALUES ('a', 1000), ('b', 2000);",
        )
        .unwrap();
        conn
    }

    #[test]
    fn rows_are_read_by_column_name_in_query_order() {
        let conn = table();
        let pairs: Vec<Pair> = select_all(&conn, "FROM pairs ORDER BY id DESC", []).unwrap();
        let names: Vec<_> = pairs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(pairs[0].at, time(2000).unwrap());
    }

    #[test]
    fn select_one_finds_the_first_row_or_none() {
        let conn = table();
        let found: Option<Pair> = select_one(&conn, "FROM pairs WHERE name = ?1", ["a"]).unwrap();
        assert_eq!(found.map(|p| p.name), Some("a".to_owned()));
        let missing: Option<Pair> = select_one(&conn, "FROM pairs WHERE name = ?1", ["z"]).unwrap();
        assert_eq!(missing, None);
    }

    #[test]
    fn an_unknown_author_tag_is_corrupt_data() {
        let conn = Connection::open_in_memory().unwrap();
        let error = conn
            .query_row("SELECT 'martian' AS by, NULL AS user", [], |row| {
                Ok(changed_by(row, "by", "user"))
            })
            .unwrap()
            .unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    }
}
