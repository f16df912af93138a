//! The database's schema: numbered migrations (`server/migrations/*.sql`), applied in order
//! once each when the store opens, and recorded in `schema_migrations`. A database written by
//! a newer server (a migration unknown here) is refused rather than misread.
use rusqlite::Connection;

use crate::store::StoreError;

/// Numbered migrations, applied in order once each and recorded in `schema_migrations`.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "0001_meta",
        include_str!("../../../migrations/0001_meta.sql"),
    ),
    (
        2,
        "0002_sync",
        include_str!("../../../migrations/0002_sync.sql"),
    ),
    (
        3,
        "0003_structure_index",
        include_str!("../../../migrations/0003_structure_index.sql"),
    ),
    (
        4,
        "0004_invite_limits",
        include_str!("../../../migrations/0004_invite_limits.sql"),
    ),
    (
        5,
        "0005_files",
        include_str!("../../../migrations/0005_files.sql"),
    ),
    (
        6,
        "0006_board",
        include_str!("../../../migrations/0006_board.sql"),
    ),
];

/// Which migrations a database has had.
const SCHEMA_MIGRATIONS: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;";

/// Applies the migrations not yet recorded, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(SCHEMA_MIGRATIONS)?;
    let newest: Option<u32> =
        conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if let Some(newest) = newest.filter(|n| *n > known) {
        return Err(StoreError::TooNew(newest));
    }
    for &(version, name, sql) in MIGRATIONS {
        if newest.is_some_and(|n| version <= n) {
            continue;
        }
        let wrap = |source| StoreError::Migration {
            version,
            name,
            source,
        };
        let tx = conn.transaction().map_err(wrap)?;
        tx.execute_batch(sql).map_err(wrap)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
            rusqlite::params![version, name],
        )
        .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::{SqliteStore, Store};

    #[tokio::test]
    async fn opens_file_creates_dir_applies_migrations_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/data/thidua.sqlite3");
        let store = SqliteStore::open(&path).unwrap();
        store.health().await.unwrap();
        let (count, mode, fk): (u32, String, i64) = store
            .with_conn(|c| {
                let count =
                    c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))?;
                let mode = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let fk = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                Ok((count, mode, fk))
            })
            .await
            .unwrap();
        assert_eq!(count as usize, MIGRATIONS.len());
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        // Acknowledged means synced to disk (2 = FULL).
        let sync: i64 = store
            .with_conn(|c| Ok(c.query_row("PRAGMA synchronous", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(sync, 2);
        drop(store);
        // Reopening applies nothing twice.
        let store = SqliteStore::open(&path).unwrap();
        let count: u32 = store
            .with_conn(|c| {
                Ok(c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))?)
            })
            .await
            .unwrap();
        assert_eq!(count as usize, MIGRATIONS.len());
    }

    #[test]
    fn refuses_database_from_newer_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')",
            [],
        )
        .unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::TooNew(9999))));
    }

    /// Entries stored before migration 0005 already list files: it indexes them.
    #[test]
    fn files_of_entries_stored_before_0005_are_indexed() {
        // A database as migration 0004 left it.
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_MIGRATIONS).unwrap();
        for &(version, name, sql) in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                rusqlite::params![version, name],
            )
            .unwrap();
        }
        let hash = "ab".repeat(32);
        let state = serde_json::json!({
            "id": "e1", "kind": "entry", "created_at": "2024-05-01T08:00:00Z",
            "heads": [
                {"body": {"type": "entry", "files": [
                    {"hash": hash, "size": 250000, "type": "image/jpeg", "name": "anh.jpg"}
                ]}},
                {"body": null}
            ]
        });
        conn.execute_batch(
            "INSERT INTO clusters (id, name, created_at) VALUES ('c1', 'Cụm', '2024-01-01')",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO records (cluster_id, record_id, kind, state_json, seq)
             VALUES ('c1', 'e1', 'entry', ?1, 1), ('c1', 'u1', 'unit', '{\"heads\": []}', 2)",
            [state.to_string()],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let rows: Vec<(String, String, String, i64, String, String)> = conn
            .prepare("SELECT cluster_id, hash, record_id, size, type, name FROM file_refs")
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![(
                "c1".into(),
                hash,
                "e1".into(),
                250_000,
                "image/jpeg".into(),
                "anh.jpg".into()
            )]
        );
    }

    /// The revision log keeps what it got: rows can be added, never changed or removed.
    #[test]
    fn the_revision_log_is_append_only() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO revisions (cluster_id, record_id, device_id, device_name, unit_id,
                                    received_at, revision_json)
             VALUES ('c', 'r', 'd', 'Máy', 'u', '2024-05-01T00:00:00.000Z', '{}')",
            [],
        )
        .unwrap();
        for sql in [
            "UPDATE revisions SET device_name = 'khác'",
            "DELETE FROM revisions",
        ] {
            let err = conn.execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM revisions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, (version, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
            assert!(name.starts_with(&format!("{version:04}_")));
        }
    }
}
