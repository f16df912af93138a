//! SQLite backend: one connection behind a mutex, used on the blocking pool.
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Transaction};
use thidua_core::{DeviceId, Document, Record, RecordId, Role, SCHEMA_VERSION};

use super::{
    timestamp, DeviceAuth, DeviceInfo, InviteInfo, JoinOutcome, NewCluster, NewDevice, NewInvite,
    PullPage, PushInput, PushOutcome, Store, StoreError,
};
use crate::sync::{plan_push, PushResponse};

/// Numbered migrations, applied in order once each and recorded in `schema_migrations`.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "0001_meta",
        include_str!("../../migrations/0001_meta.sql"),
    ),
    (
        2,
        "0002_sync",
        include_str!("../../migrations/0002_sync.sql"),
    ),
];

/// Documents kept in memory (a push checks against the whole document of its cluster).
const CACHED_DOCUMENTS: usize = 32;

struct Inner {
    conn: Connection,
    /// Each cluster's document as committed; updated only after a commit succeeds.
    docs: HashMap<RecordId, Document>,
}

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating folder and file if missing) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        Self::setup(conn, true)
    }

    /// A private in-memory database (for tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Self, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "SQLite did not switch to WAL mode");
            }
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn)?;
        Ok(Self {
            inner: Arc::new(Mutex::new(Inner {
                conn,
                docs: HashMap::new(),
            })),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.with_inner(|inner| f(&mut inner.conn)).await
    }

    async fn with_inner<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Inner) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            // A panic elsewhere cannot leave a transaction open (it rolls back on drop),
            // so a poisoned lock still guards a usable connection. The document cache
            // could be stale after such a panic, so it is dropped.
            let mut guard = inner.lock().unwrap_or_else(|poisoned| {
                let mut guard = poisoned.into_inner();
                guard.docs.clear();
                guard
            });
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
        .map_err(busy)
    }
}

fn busy(err: StoreError) -> StoreError {
    match err {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) =>
        {
            StoreError::Busy
        }
        other => other,
    }
}

/// Applies the migrations not yet recorded, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY NOT NULL,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT;",
    )?;
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

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Head => "head",
        Role::Deputy => "deputy",
        Role::Officer => "officer",
    }
}

fn parse_role(s: &str) -> Result<Role, StoreError> {
    match s {
        "head" => Ok(Role::Head),
        "deputy" => Ok(Role::Deputy),
        "officer" => Ok(Role::Officer),
        other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    }
}

fn corrupt<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> StoreError + '_ {
    move |e| StoreError::Corrupt(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(corrupt("cannot serialize"))
}

fn parse_record(json: &str) -> Result<Record, StoreError> {
    serde_json::from_str(json).map_err(corrupt("stored record"))
}

fn insert_invite(tx: &Transaction<'_>, invite: &NewInvite) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO invites (id, code_hash, cluster_id, unit_id, role, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            invite.id,
            invite.code_hash,
            invite.cluster_id.as_str(),
            invite.unit_id.as_str(),
            role_str(invite.role),
            invite.created_by.as_ref().map(DeviceId::as_str),
            timestamp(invite.created_at),
            invite.expires_at.map(timestamp),
        ],
    )?;
    Ok(())
}

/// Writes changed records, each with the cluster's next sequence number; returns the cursor.
fn write_records(
    tx: &Transaction<'_>,
    cluster: &RecordId,
    records: &[Record],
) -> Result<u64, StoreError> {
    let mut bump =
        tx.prepare_cached("UPDATE clusters SET seq = seq + 1 WHERE id = ?1 RETURNING seq")?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO records (cluster_id, record_id, kind, owner_unit, state_json, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (cluster_id, record_id) DO UPDATE SET
             kind = excluded.kind, owner_unit = excluded.owner_unit,
             state_json = excluded.state_json, seq = excluded.seq",
    )?;
    for rec in records {
        let seq: i64 = bump
            .query_row([cluster.as_str()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
        upsert.execute(params![
            cluster.as_str(),
            rec.id.as_str(),
            rec.kind.to_string(),
            rec.owner_unit().map(RecordId::as_str),
            to_json(rec)?,
            seq,
        ])?;
    }
    cluster_seq(tx, cluster)
}

fn cluster_seq(conn: &Connection, cluster: &RecordId) -> Result<u64, StoreError> {
    let seq: Option<i64> = conn
        .query_row(
            "SELECT seq FROM clusters WHERE id = ?1",
            [cluster.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    let seq = seq.ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
    u64::try_from(seq).map_err(corrupt("negative seq"))
}

fn load_document(conn: &Connection, cluster: &RecordId) -> Result<Document, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT state_json FROM records WHERE cluster_id = ?1")?;
    let mut rows = stmt.query([cluster.as_str()])?;
    let mut records = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        let rec = parse_record(&json)?;
        records.insert(rec.id.clone(), rec);
    }
    Ok(Document {
        schema: SCHEMA_VERSION,
        cluster: cluster.clone(),
        records,
    })
}

/// The cluster's document from the cache, loading it on first use.
fn cached_document<'a>(
    docs: &'a mut HashMap<RecordId, Document>,
    conn: &Connection,
    cluster: &RecordId,
) -> Result<&'a mut Document, StoreError> {
    if !docs.contains_key(cluster) {
        if docs.len() >= CACHED_DOCUMENTS {
            docs.clear();
        }
        let doc = load_document(conn, cluster)?;
        docs.insert(cluster.clone(), doc);
    }
    docs.get_mut(cluster)
        .ok_or_else(|| StoreError::Corrupt("document cache".into()))
}

fn doc_insert(docs: &mut HashMap<RecordId, Document>, cluster: &RecordId, rec: Record) {
    if let Some(doc) = docs.get_mut(cluster) {
        doc.records.insert(rec.id.clone(), rec);
    }
}

fn invite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(InviteInfo, String)> {
    Ok((
        InviteInfo {
            id: row.get(0)?,
            unit_id: row.get(1)?,
            role: Role::Officer,
            created_by: row.get(3)?,
            created_at: row.get(4)?,
            expires_at: row.get(5)?,
            revoked_at: row.get(6)?,
            uses: row.get(7)?,
        },
        row.get(2)?,
    ))
}

const INVITE_COLUMNS: &str =
    "id, unit_id, role, created_by, created_at, expires_at, revoked_at, uses";

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(DeviceInfo, String)> {
    Ok((
        DeviceInfo {
            id: row.get(0)?,
            name: row.get(1)?,
            unit_id: row.get(2)?,
            role: Role::Officer,
            created_at: row.get(4)?,
            last_seen_at: row.get(5)?,
            revoked_at: row.get(6)?,
        },
        row.get(3)?,
    ))
}

const DEVICE_COLUMNS: &str = "id, name, unit_id, role, created_at, last_seen_at, revoked_at";

fn with_role<T>(
    rows: impl Iterator<Item = rusqlite::Result<(T, String)>>,
    set: impl Fn(&mut T, Role),
) -> Result<Vec<T>, StoreError> {
    rows.map(|r| {
        let (mut item, role) = r?;
        set(&mut item, parse_role(&role)?);
        Ok(item)
    })
    .collect()
}

/// Device last-seen times are written at most this often.
const SEEN_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// Push responses are kept this long for replays.
const PUSH_LOG_MS: i64 = 30 * 24 * 3600 * 1000;

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn health(&self) -> Result<(), StoreError> {
        self.with_conn(|c| {
            let one: i64 = c.query_row("SELECT 1", [], |r| r.get(0))?;
            if one == 1 {
                Ok(())
            } else {
                Err(StoreError::Corrupt("SELECT 1 did not return 1".into()))
            }
        })
        .await
    }

    async fn create_cluster(&self, cluster: NewCluster) -> Result<(), StoreError> {
        self.with_inner(move |inner| {
            inner.docs.remove(&cluster.id);
            let tx = inner.conn.transaction()?;
            tx.execute(
                "INSERT INTO clusters (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![
                    cluster.id.as_str(),
                    cluster.name,
                    timestamp(cluster.created_at)
                ],
            )?;
            write_records(&tx, &cluster.id, &cluster.records)?;
            insert_invite(&tx, &cluster.head_invite)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn authenticate(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<DeviceAuth>, StoreError> {
        self.with_conn(move |c| {
            let row = c
                .query_row(
                    "SELECT id, cluster_id, unit_id, role, name, last_seen_at FROM devices
                     WHERE token_hash = ?1 AND revoked_at IS NULL",
                    [&token_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, Option<String>>(5)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, cluster, unit, role, name, seen)) = row else {
                return Ok(None);
            };
            let stale = timestamp(now - SEEN_EVERY);
            if seen.is_none_or(|s| s < stale) {
                c.execute(
                    "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2",
                    params![timestamp(now), id],
                )?;
            }
            Ok(Some(DeviceAuth {
                device_id: DeviceId::new(id).map_err(corrupt("device id"))?,
                cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
                unit_id: RecordId::new(unit).map_err(corrupt("unit id"))?,
                role: parse_role(&role)?,
                name,
            }))
        })
        .await
    }

    async fn join_failures_since(&self, ip: String, since_ms: i64) -> Result<u32, StoreError> {
        self.with_conn(move |c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM join_attempts WHERE ip = ?1 AND at_ms >= ?2",
                params![ip, since_ms],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn record_join_failure(&self, ip: String, now_ms: i64) -> Result<(), StoreError> {
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO join_attempts (ip, at_ms) VALUES (?1, ?2)",
                params![ip, now_ms],
            )?;
            c.execute(
                "DELETE FROM join_attempts WHERE at_ms < ?1",
                [now_ms - 3_600_000],
            )?;
            Ok(())
        })
        .await
    }

    async fn join(&self, code_hash: String, device: NewDevice) -> Result<JoinOutcome, StoreError> {
        self.with_conn(move |c| {
            let tx = c.transaction()?;
            let invite = tx
                .query_row(
                    "SELECT i.id, i.cluster_id, i.unit_id, i.role, i.expires_at, i.revoked_at, c.name
                     FROM invites i JOIN clusters c ON c.id = i.cluster_id
                     WHERE i.code_hash = ?1",
                    [&code_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, Option<String>>(5)?,
                            r.get::<_, String>(6)?,
                        ))
                    },
                )
                .optional()?;
            let Some((invite_id, cluster, unit, role, expires, revoked, cluster_name)) = invite
            else {
                return Ok(JoinOutcome::UnknownCode);
            };
            if revoked.is_some() {
                return Ok(JoinOutcome::Revoked);
            }
            if expires.is_some_and(|e| e <= timestamp(device.created_at)) {
                return Ok(JoinOutcome::Expired);
            }
            tx.execute(
                "INSERT INTO devices (id, cluster_id, unit_id, role, name, token_hash, invite_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    device.id.as_str(),
                    cluster,
                    unit,
                    role,
                    device.name,
                    device.token_hash,
                    invite_id,
                    timestamp(device.created_at),
                ],
            )?;
            tx.execute(
                "UPDATE invites SET uses = uses + 1 WHERE id = ?1",
                [&invite_id],
            )?;
            tx.commit()?;
            Ok(JoinOutcome::Joined {
                device: DeviceAuth {
                    device_id: device.id,
                    cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
                    unit_id: RecordId::new(unit).map_err(corrupt("unit id"))?,
                    role: parse_role(&role)?,
                    name: device.name,
                },
                cluster_name,
            })
        })
        .await
    }

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError> {
        self.with_conn(move |c| {
            let tx = c.transaction()?;
            insert_invite(&tx, &invite)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn list_invites(&self, cluster: RecordId) -> Result<Vec<InviteInfo>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE cluster_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map([cluster.as_str()], invite_row)?;
            with_role(rows, |i, role| i.role = role)
        })
        .await
    }

    async fn invite(
        &self,
        cluster: RecordId,
        id: String,
    ) -> Result<Option<InviteInfo>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE cluster_id = ?1 AND id = ?2"
            ))?;
            let rows = stmt.query_map(params![cluster.as_str(), id], invite_row)?;
            Ok(with_role(rows, |i, role| i.role = role)?.pop())
        })
        .await
    }

    async fn revoke_invite(
        &self,
        cluster: RecordId,
        id: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.with_conn(move |c| {
            let n = c.execute(
                "UPDATE invites SET revoked_at = COALESCE(revoked_at, ?3)
                 WHERE cluster_id = ?1 AND id = ?2",
                params![cluster.as_str(), id, timestamp(now)],
            )?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_devices(&self, cluster: RecordId) -> Result<Vec<DeviceInfo>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE cluster_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map([cluster.as_str()], device_row)?;
            with_role(rows, |d, role| d.role = role)
        })
        .await
    }

    async fn device(
        &self,
        cluster: RecordId,
        id: String,
    ) -> Result<Option<DeviceInfo>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE cluster_id = ?1 AND id = ?2"
            ))?;
            let rows = stmt.query_map(params![cluster.as_str(), id], device_row)?;
            Ok(with_role(rows, |d, role| d.role = role)?.pop())
        })
        .await
    }

    async fn revoke_device(
        &self,
        cluster: RecordId,
        id: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.with_conn(move |c| {
            let n = c.execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?3)
                 WHERE cluster_id = ?1 AND id = ?2",
                params![cluster.as_str(), id, timestamp(now)],
            )?;
            Ok(n > 0)
        })
        .await
    }

    async fn record(&self, cluster: RecordId, id: RecordId) -> Result<Option<Record>, StoreError> {
        self.with_conn(move |c| {
            let json: Option<String> = c
                .query_row(
                    "SELECT state_json FROM records WHERE cluster_id = ?1 AND record_id = ?2",
                    params![cluster.as_str(), id.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            json.as_deref().map(parse_record).transpose()
        })
        .await
    }

    async fn push(&self, input: PushInput) -> Result<PushOutcome, StoreError> {
        self.with_inner(move |inner| {
            let PushInput {
                device,
                push_id,
                records,
                now,
            } = input;
            let cluster = &device.cluster_id;
            let Inner { conn, docs } = inner;
            let tx = conn.transaction()?;
            let stored: Option<String> = tx
                .query_row(
                    "SELECT response_json FROM push_log
                     WHERE cluster_id = ?1 AND device_id = ?2 AND push_id = ?3",
                    params![cluster.as_str(), device.device_id.as_str(), push_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(json) = stored {
                let response = serde_json::from_str(&json).map_err(corrupt("stored push"))?;
                return Ok(PushOutcome {
                    response,
                    replayed: true,
                });
            }
            let doc = cached_document(docs, &tx, cluster)?;
            let mut foreign = BTreeSet::new();
            {
                let mut elsewhere =
                    tx.prepare_cached("SELECT 1 FROM records WHERE record_id = ?1")?;
                for rec in records.iter().filter(|r| !doc.records.contains_key(&r.id)) {
                    if elsewhere.exists([rec.id.as_str()])? {
                        foreign.insert(rec.id.clone());
                    }
                }
            }
            let plan = plan_push(doc, &device, records, &foreign);
            let cursor = write_records(&tx, cluster, &plan.changed)?;
            let response = PushResponse::new(plan.accepted, plan.rejected, cursor);
            let now_ms = now.timestamp_millis();
            tx.execute(
                "INSERT INTO push_log (cluster_id, device_id, push_id, status, response_json, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    cluster.as_str(),
                    device.device_id.as_str(),
                    push_id,
                    response.status(),
                    to_json(&response)?,
                    now_ms,
                ],
            )?;
            tx.execute(
                "DELETE FROM push_log WHERE created_ms < ?1",
                [now_ms - PUSH_LOG_MS],
            )?;
            if let Err(err) = tx.commit() {
                docs.remove(cluster);
                return Err(err.into());
            }
            // The changed records are the merged states just written.
            for rec in plan.changed {
                doc_insert(docs, cluster, rec);
            }
            Ok(PushOutcome {
                response,
                replayed: false,
            })
        })
        .await
    }

    async fn pull(
        &self,
        cluster: RecordId,
        since: u64,
        limit: u32,
    ) -> Result<PullPage, StoreError> {
        self.with_conn(move |c| {
            let tx = c.transaction()?;
            let current = cluster_seq(&tx, &cluster)?;
            // A cursor from the future (the database was restored from a backup): start over.
            let since = if since > current { 0 } else { since };
            let mut stmt = tx.prepare_cached(
                "SELECT seq, state_json FROM records WHERE cluster_id = ?1 AND seq > ?2
                 ORDER BY seq LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![
                cluster.as_str(),
                i64::try_from(since).unwrap_or(i64::MAX),
                i64::from(limit) + 1
            ])?;
            let mut records = Vec::new();
            let mut cursor = since;
            let mut more = false;
            while let Some(row) = rows.next()? {
                if records.len() == limit as usize {
                    more = true;
                    break;
                }
                let seq: i64 = row.get(0)?;
                let json: String = row.get(1)?;
                records.push(parse_record(&json)?);
                cursor = u64::try_from(seq).map_err(corrupt("negative seq"))?;
            }
            if !more {
                cursor = current.max(cursor);
            }
            Ok(PullPage {
                records,
                cursor,
                more,
            })
        })
        .await
    }

    async fn snapshot(&self, cluster: RecordId) -> Result<(Document, u64), StoreError> {
        self.with_inner(move |inner| {
            let Inner { conn, docs } = inner;
            let cursor = cluster_seq(conn, &cluster)?;
            let doc = cached_document(docs, conn, &cluster)?;
            Ok((doc.clone(), cursor))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

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

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, (version, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
            assert!(name.starts_with(&format!("{version:04}_")));
        }
    }
}
