//! SQLite backend.
//!
//! - **Writes** go to one writer thread that owns the write connection. Whatever has queued up
//!   runs in one transaction (group commit), each job inside its own savepoint so that a job
//!   that fails rolls back alone; answers are sent only after the commit, and with
//!   `synchronous = FULL` the commit syncs the WAL to disk, so an acknowledged write survives
//!   a power cut, not only a crashed process. Group commit shares that one sync among the
//!   batch.
//! - **Reads** (pulls, snapshots, lists, token look-ups) use a small pool of query-only
//!   connections, each read in its own read transaction; WAL lets them run while the writer
//!   writes. An in-memory database cannot have a second connection, so there reads also go
//!   through the writer.
//! - A push never loads a whole cluster: the writer keeps each cluster's few structural
//!   records in memory (see [`STRUCTURAL_KINDS`]) and reads the pushed records and what they
//!   refer to by id ([`ids_needed`]).
//! - Device tokens are cached for a minute; revoking a device drops its entries at once.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use thidua_core::{DeviceId, Document, Record, RecordId, Role, SCHEMA_VERSION};
use tokio::sync::{oneshot, Semaphore};

use super::recent::{Change, Recent};
use super::{
    timestamp, DeviceAuth, DeviceInfo, InviteInfo, InviteState, JoinAttempt, JoinOutcome,
    NewCluster, NewDevice, NewInvite, PullPage, PushInput, PushOutcome, RawRecords, RevokedDevice,
    SnapshotPage, Store, StoreError,
};
use crate::auth::{join_wait_ms, JOIN_WINDOW_MS};
use crate::sync::{plan_push, push_view, Found, PushResponse, STRUCTURAL_KINDS};

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
    (
        3,
        "0003_structure_index",
        include_str!("../../migrations/0003_structure_index.sql"),
    ),
    (
        4,
        "0004_invite_limits",
        include_str!("../../migrations/0004_invite_limits.sql"),
    ),
];

/// Clusters whose structural records are kept in memory.
const CACHED_CLUSTERS: usize = 32;
/// How often the checkpoint thread copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// The writer checkpoints by itself only if the WAL grows past this many pages (80 MB).
const BACKSTOP_CHECKPOINT_PAGES: u32 = 20_000;
/// A WAL file bigger than this is truncated back when it is restarted.
const WAL_SIZE_LIMIT: u64 = 64 * 1024 * 1024;
/// Most jobs committed together.
const MAX_BATCH: usize = 128;
/// Read connections of a file database.
const READERS: usize = 2;
/// SQLite page cache of the writer. (Readers keep the default 2 MB: a reader's cache is
/// dropped whenever the writer committed since its last read, so more would not help.)
const WRITER_CACHE_KB: u32 = 8 * 1024;
/// How long a device looked up by token is trusted without asking the database again
/// (revocations through this store take effect at once; this bounds any other path).
const AUTH_TTL: Duration = Duration::from_secs(60);
const AUTH_CACHE_MAX: usize = 10_000;
/// Old push answers are pruned at most this often.
const PRUNE_EVERY_MS: i64 = 60_000;
/// Device last-seen times are written at most this often.
const SEEN_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// Push responses are kept this long for replays.
const PUSH_LOG_MS: i64 = 30 * 24 * 3600 * 1000;

/// `SELECT` of the structural records; its `WHERE` must match the partial index of
/// migration 0003 for SQLite to use it (a test checks both).
const STRUCTURE_QUERY: &str = "SELECT state_json FROM records WHERE cluster_id = ?1 \
     AND kind IN ('cluster', 'unit', 'roles', 'campaign')";

/// `SELECT` of the records deciding roles (cluster and `Roles`): [`STRUCTURE_QUERY`] narrowed,
/// so that it still uses the partial index (a test checks it).
const ROLE_RECORDS_QUERY: &str = "SELECT state_json FROM records WHERE cluster_id = ?1 \
     AND kind IN ('cluster', 'unit', 'roles', 'campaign') AND kind IN ('cluster', 'roles')";

/// What the writer thread owns.
pub struct Writer {
    conn: Connection,
    /// Per cluster, its structural records as committed (or as written by the current
    /// batch; dropped if the batch fails to commit).
    structure: HashMap<RecordId, Document>,
    pruned_ms: i64,
}

/// Why a batch did not commit, handed to every job of the batch.
struct CommitFailed {
    busy: bool,
    message: String,
}

type Finish = Box<dyn FnOnce(Option<&CommitFailed>) + Send>;
type Job = Box<dyn FnOnce(&mut Writer) -> Finish + Send>;

struct Readers {
    conns: Vec<Mutex<Connection>>,
    permits: Arc<Semaphore>,
}

impl Readers {
    fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        for c in &self.conns {
            if let Ok(guard) = c.try_lock() {
                return f(&guard);
            }
        }
        // The semaphore admits no more readers than connections, so this rarely waits.
        let guard = match self.conns[0].lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&guard)
    }
}

struct CachedDevice {
    device: DeviceAuth,
    seen: Option<String>,
    loaded: Instant,
}

#[derive(Default)]
struct AuthCache {
    entries: Mutex<HashMap<String, CachedDevice>>,
    /// Bumped by every revocation, so that a look-up that read the database before the
    /// revocation committed does not cache the revoked device afterwards.
    generation: AtomicU64,
}

impl AuthCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedDevice>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn forget_device(&self, id: &str) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.lock().retain(|_, c| c.device.device_id.as_str() != id);
    }
}

#[derive(Clone)]
pub struct SqliteStore {
    jobs: mpsc::Sender<Job>,
    readers: Option<Arc<Readers>>,
    auth: Arc<AuthCache>,
    /// Dropping the last clone stops the checkpoint thread.
    _checkpointer: Option<Arc<mpsc::Sender<()>>>,
    recent: Arc<Mutex<Recent>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // FULL: every commit syncs the WAL (NORMAL could lose the last acknowledged pushes on a
    // power cut).
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(())
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
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        // Pushes touch index pages all over the records table: a bigger cache than the
        // default 2 MB saves re-reading them (memory stays bounded by these sizes).
        conn.execute_batch(&format!("PRAGMA cache_size = -{WRITER_CACHE_KB};"))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite did not switch to WAL mode");
        }
        migrate(&mut conn)?;
        let conns = (0..READERS)
            .map(|_| {
                let c = Connection::open(path)?;
                configure(&c)?;
                c.execute_batch("PRAGMA query_only = ON;")?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let readers = Readers {
            permits: Arc::new(Semaphore::new(conns.len())),
            conns,
        };
        // Checkpoints (copying the WAL into the database file, with its fsyncs) run on their
        // own connection, so the writer never waits for them; the writer's own automatic
        // checkpoint stays as a backstop far above what the checkpointer lets the WAL reach.
        conn.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = {BACKSTOP_CHECKPOINT_PAGES}; \
             PRAGMA journal_size_limit = {WAL_SIZE_LIMIT};"
        ))?;
        let checkpoints = Connection::open(path)?;
        configure(&checkpoints)?;
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("thidua-sqlite-checkpoint".into())
            .spawn(move || run_checkpoints(&checkpoints, &stopped))
            .map_err(|source| StoreError::Io {
                path: "checkpoint thread".into(),
                source,
            })?;
        let mut store = Self::start(conn, Some(readers))?;
        store._checkpointer = Some(Arc::new(stop));
        Ok(store)
    }

    /// A private in-memory database (for tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn)?;
        Self::start(conn, None)
    }

    fn start(conn: Connection, readers: Option<Readers>) -> Result<Self, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let writer = Writer {
            conn,
            structure: HashMap::new(),
            pruned_ms: 0,
        };
        std::thread::Builder::new()
            .name("thidua-sqlite-writer".into())
            .spawn(move || run_writer(writer, &queue))
            .map_err(|source| StoreError::Io {
                path: "writer thread".into(),
                source,
            })?;
        Ok(Self {
            jobs,
            readers: readers.map(Arc::new),
            auth: Arc::default(),
            _checkpointer: None,
            recent: Arc::default(),
        })
    }

    /// Runs `f` on the writer thread inside a savepoint of the current batch: `Err` rolls
    /// back what `f` wrote; the answer comes once the batch committed.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_then(f, |_| {}).await
    }

    /// Like [`SqliteStore::write`], and runs `committed` on the result once the batch
    /// committed, before the answer is sent.
    async fn write_then<T, F, C>(&self, f: F, committed: C) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> Result<T, StoreError> + Send + 'static,
        C: FnOnce(&mut T) + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |w: &mut Writer| {
            let result = in_savepoint(w, f);
            Box::new(move |failed: Option<&CommitFailed>| {
                let result = match (failed, result) {
                    (None, Ok(mut value)) => {
                        committed(&mut value);
                        Ok(value)
                    }
                    (None, Err(e)) => Err(e),
                    (Some(f), _) if f.busy => Err(StoreError::Busy),
                    (Some(f), _) => Err(StoreError::Task(format!("commit failed: {}", f.message))),
                };
                let _ = answer.send(result);
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Task("the database writer has stopped".into()))?;
        answered
            .await
            .map_err(|_| StoreError::Task("a database job failed unexpectedly".into()))?
            .map_err(busy)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let Some(readers) = &self.readers else {
            // In memory: inside the writer's transaction, which is consistent too.
            return self.write(move |w| f(&w.conn)).await;
        };
        let readers = Arc::clone(readers);
        let _permit = Arc::clone(&readers.permits)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Task("the database readers were closed".into()))?;
        tokio::task::spawn_blocking(move || {
            readers.with(|conn| {
                let tx = conn.unchecked_transaction()?;
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            })
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
        .map_err(busy)
    }

    /// A pull answered from the recent changes in memory, if they cover it.
    pub fn pull_recent(&self, cluster: &RecordId, since: u64, limit: u32) -> Option<PullPage> {
        lock(&self.recent).pull(cluster, since, limit)
    }

    /// A pull answered from the database (what [`Store::pull`] does when the changes are
    /// not all in memory).
    pub async fn pull_stored(
        &self,
        cluster: RecordId,
        since: u64,
        limit: u32,
    ) -> Result<PullPage, StoreError> {
        self.read(move |c| {
            let current = cluster_seq(c, &cluster)?;
            // A cursor from the future (the database was restored from a backup): start over.
            let since = if since > current { 0 } else { since };
            let mut stmt = c.prepare_cached(
                "SELECT seq, state_json FROM records WHERE cluster_id = ?1 AND seq > ?2
                 ORDER BY seq LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![
                cluster.as_str(),
                i64::try_from(since).unwrap_or(i64::MAX),
                i64::from(limit) + 1
            ])?;
            let mut records = RawRecords::new();
            let mut cursor = since;
            let mut more = false;
            while let Some(row) = rows.next()? {
                if records.len() == limit as usize {
                    more = true;
                    break;
                }
                let seq: i64 = row.get(0)?;
                records.push(
                    row.get_ref(1)?
                        .as_bytes()
                        .map_err(corrupt("stored record"))?,
                );
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

    /// Runs `f` with the write connection (for tests and maintenance).
    pub async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.write(move |w| f(&w.conn)).await
    }
}

fn in_savepoint<T>(
    w: &mut Writer,
    f: impl FnOnce(&mut Writer) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    w.conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    let result = f(w);
    let end = if result.is_ok() {
        w.conn
            .prepare_cached("RELEASE job")
            .and_then(|mut s| s.execute([]))
            .map(drop)
    } else {
        w.conn.execute_batch("ROLLBACK TO job; RELEASE job")
    };
    match (result, end) {
        (Ok(v), Ok(())) => Ok(v),
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => {
            // The job's writes are in an unknown state: so is the structural cache.
            w.structure.clear();
            Err(e.into())
        }
    }
}

fn run_writer(mut w: Writer, queue: &mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Without an outer transaction every job's savepoint commits on its own.
        let outer = match w.conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(%err, "cannot begin a batch; committing jobs one by one");
                false
            }
        };
        let mut finish = Vec::with_capacity(batch.len());
        for job in batch {
            match catch_unwind(AssertUnwindSafe(|| job(&mut w))) {
                Ok(f) => finish.push(f),
                Err(_) => {
                    // The job's answer channel is gone, so its caller gets an error.
                    tracing::error!("a database job panicked; its writes are rolled back");
                    let _ = w.conn.execute_batch("ROLLBACK TO job; RELEASE job");
                    w.structure.clear();
                }
            }
        }
        let failed = if outer {
            match w.conn.execute_batch("COMMIT") {
                Ok(()) => None,
                Err(err) => {
                    tracing::error!(%err, "a batch did not commit");
                    let _ = w.conn.execute_batch("ROLLBACK");
                    w.structure.clear();
                    Some(CommitFailed {
                        busy: matches!(busy(err.into()), StoreError::Busy),
                        message: "the database did not commit".into(),
                    })
                }
            }
        } else {
            None
        };
        for f in finish {
            // A panic here must not stop the writer (its caller then gets an error).
            if catch_unwind(AssertUnwindSafe(|| f(failed.as_ref()))).is_err() {
                tracing::error!("answering a database job panicked");
            }
        }
    }
}

/// Checkpoints the WAL every [`CHECKPOINT_EVERY`] until the store is dropped.
fn run_checkpoints(conn: &Connection, stop: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
        // PASSIVE: copies what no reader still needs, never blocks the writer or readers.
        let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        });
        match done {
            Ok((wal, copied)) => tracing::trace!(wal, copied, "checkpoint"),
            Err(err) => tracing::warn!(%err, "checkpoint failed"),
        }
    }
    // Leave a small WAL behind when shutting down.
    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
}

fn lock(recent: &Mutex<Recent>) -> std::sync::MutexGuard<'_, Recent> {
    recent.lock().unwrap_or_else(|p| p.into_inner())
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

/// A stored record as written: the server only stores records it normalised itself, so
/// reading one skips normalising its versions again (quadratic in their number).
#[derive(serde::Deserialize)]
struct StoredRecord {
    id: RecordId,
    kind: thidua_core::Kind,
    created_at: DateTime<Utc>,
    heads: Vec<thidua_core::Revision>,
}

fn parse_record(json: &str) -> Result<Record, StoreError> {
    let r: StoredRecord = serde_json::from_str(json).map_err(corrupt("stored record"))?;
    if r.heads.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "stored record {} has no versions",
            r.id
        )));
    }
    Ok(Record {
        id: r.id,
        kind: r.kind,
        created_at: r.created_at,
        heads: r.heads.into(),
    })
}

fn insert_invite(conn: &Connection, invite: &NewInvite) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO invites (id, code_hash, cluster_id, unit_id, role, created_by, created_at,
                              expires_at, max_uses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            invite.id,
            invite.code_hash,
            invite.cluster_id.as_str(),
            invite.unit_id.as_str(),
            role_str(invite.role),
            invite.created_by.as_ref().map(DeviceId::as_str),
            timestamp(invite.created_at),
            invite.expires_at.map(timestamp),
            invite.max_uses,
        ],
    )?;
    Ok(())
}

/// Writes changed records with the cluster's next sequence numbers; returns the cursor
/// and the changes as stored.
fn write_records(
    conn: &Connection,
    cluster: &RecordId,
    records: &[Record],
) -> Result<(u64, Vec<Change>), StoreError> {
    if records.is_empty() {
        return Ok((cluster_seq(conn, cluster)?, Vec::new()));
    }
    let count = i64::try_from(records.len()).map_err(corrupt("record count"))?;
    let last: i64 = conn
        .prepare_cached("UPDATE clusters SET seq = seq + ?2 WHERE id = ?1 RETURNING seq")?
        .query_row(params![cluster.as_str(), count], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO records (cluster_id, record_id, kind, owner_unit, state_json, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (cluster_id, record_id) DO UPDATE SET
             kind = excluded.kind, owner_unit = excluded.owner_unit,
             state_json = excluded.state_json, seq = excluded.seq",
    )?;
    let mut changes = Vec::with_capacity(records.len());
    for (seq, rec) in (last - count + 1..).zip(records) {
        let json = to_json(rec)?;
        upsert.execute(params![
            cluster.as_str(),
            rec.id.as_str(),
            rec.kind.to_string(),
            rec.owner_unit().map(RecordId::as_str),
            json,
            seq,
        ])?;
        changes.push(Change {
            seq: u64::try_from(seq).map_err(corrupt("negative seq"))?,
            id: rec.id.clone(),
            json: json.into(),
        });
    }
    Ok((
        u64::try_from(last).map_err(corrupt("negative seq"))?,
        changes,
    ))
}

fn cluster_seq(conn: &Connection, cluster: &RecordId) -> Result<u64, StoreError> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM clusters WHERE id = ?1")?
        .query_row([cluster.as_str()], |r| r.get(0))
        .optional()?;
    let seq = seq.ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
    u64::try_from(seq).map_err(corrupt("negative seq"))
}

fn load_records(conn: &Connection, sql: &str, cluster: &RecordId) -> Result<Document, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
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

/// The cluster's structural records, loaded on first use.
fn cached_structure<'a>(
    cache: &'a mut HashMap<RecordId, Document>,
    conn: &Connection,
    cluster: &RecordId,
) -> Result<&'a Document, StoreError> {
    if !cache.contains_key(cluster) {
        if cache.len() >= CACHED_CLUSTERS {
            cache.clear();
        }
        let doc = load_records(conn, STRUCTURE_QUERY, cluster)?;
        cache.insert(cluster.clone(), doc);
    }
    cache
        .get(cluster)
        .ok_or_else(|| StoreError::Corrupt("structure cache".into()))
}

/// Decides and applies one push (inside the writer's savepoint).
fn push_job(w: &mut Writer, input: PushInput) -> Result<(PushOutcome, Vec<Change>), StoreError> {
    let PushInput {
        device,
        push_id,
        records,
        refused,
        now,
    } = input;
    let cluster = device.cluster_id.clone();
    let Writer {
        conn,
        structure,
        pruned_ms,
    } = w;
    let stored: Option<String> = conn
        .prepare_cached(
            "SELECT response_json FROM push_log
             WHERE cluster_id = ?1 AND device_id = ?2 AND push_id = ?3",
        )?
        .query_row(
            params![cluster.as_str(), device.device_id.as_str(), push_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(json) = stored {
        let response = serde_json::from_str(&json).map_err(corrupt("stored push"))?;
        let outcome = PushOutcome {
            response,
            replayed: true,
        };
        return Ok((outcome, Vec::new()));
    }

    // The part of the document this push reads: structural records, the pushed records'
    // stored states and the records they refer to.
    let base = cached_structure(structure, conn, &cluster)?;
    let (doc, foreign) = {
        let mut by_id =
            conn.prepare_cached("SELECT cluster_id, state_json FROM records WHERE record_id = ?1")?;
        push_view(base, &records, |id| {
            let row: Option<(String, String)> = by_id
                .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok::<_, StoreError>(match row {
                Some((c, json)) if c == cluster.as_str() => Found::Here(parse_record(&json)?),
                Some(_) => Found::Elsewhere,
                None => Found::Missing,
            })
        })?
    };
    // The unit's other devices, whose ids a restored backup may carry; looked up only when a
    // record is not under the pusher's own ids.
    let mut kin = BTreeSet::new();
    if records
        .iter()
        .any(|r| !r.id.is_minted_by(&device.device_id))
    {
        let mut rows =
            conn.prepare_cached("SELECT id FROM devices WHERE cluster_id = ?1 AND unit_id = ?2")?;
        let ids = rows.query_map(params![cluster.as_str(), device.unit_id.as_str()], |r| {
            r.get::<_, String>(0)
        })?;
        for id in ids {
            if let Ok(id) = DeviceId::new(id?) {
                kin.insert(id);
            }
        }
    }
    let mut plan = plan_push(&doc, &device, records, &foreign, &kin, now);
    let (cursor, changes) = write_records(conn, &cluster, &plan.changed)?;
    plan.rejected.extend(refused);
    plan.rejected.sort_by(|a, b| a.id.cmp(&b.id));
    let response = PushResponse::new(plan.accepted, plan.rejected, cursor);
    let now_ms = now.timestamp_millis();
    conn.prepare_cached(
        "INSERT INTO push_log (cluster_id, device_id, push_id, status, response_json, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        cluster.as_str(),
        device.device_id.as_str(),
        push_id,
        response.status(),
        to_json(&response)?,
        now_ms,
    ])?;
    if now_ms - *pruned_ms >= PRUNE_EVERY_MS {
        conn.prepare_cached("DELETE FROM push_log WHERE created_ms < ?1")?
            .execute([now_ms - PUSH_LOG_MS])?;
        *pruned_ms = now_ms;
    }
    // Keep the structural records in step (the writer drops them if the batch fails).
    if let Some(s) = structure.get_mut(&cluster) {
        for rec in plan.changed {
            if STRUCTURAL_KINDS.contains(&rec.kind) {
                s.records.insert(rec.id.clone(), rec);
            }
        }
    }
    let outcome = PushOutcome {
        response,
        replayed: false,
    };
    Ok((outcome, changes))
}

/// Failed joins of `attempt.ip` in the window, and how long it must wait.
fn join_wait(c: &Connection, attempt: &JoinAttempt) -> Result<Option<i64>, StoreError> {
    let (failures, last): (u32, Option<i64>) = c
        .prepare_cached(
            "SELECT COUNT(*), MAX(at_ms) FROM join_attempts WHERE ip = ?1 AND at_ms >= ?2",
        )?
        .query_row(params![attempt.ip, attempt.now_ms - JOIN_WINDOW_MS], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(join_wait_ms(failures, last, attempt.now_ms, attempt.limit))
}

/// Looks the code up and, if its invite can be used, adds the device.
fn redeem(c: &Connection, code_hash: &str, device: NewDevice) -> Result<JoinOutcome, StoreError> {
    let invite = c
        .prepare_cached(
            "SELECT i.id, i.cluster_id, i.unit_id, i.role, i.expires_at, i.revoked_at, i.uses,
                    i.max_uses, c.name
             FROM invites i JOIN clusters c ON c.id = i.cluster_id
             WHERE i.code_hash = ?1",
        )?
        .query_row([code_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, Option<u32>>(7)?,
                r.get::<_, String>(8)?,
            ))
        })
        .optional()?;
    let Some((invite_id, cluster, unit, role, expires, revoked, uses, max_uses, cluster_name)) =
        invite
    else {
        return Ok(JoinOutcome::UnknownCode);
    };
    match InviteState::of(
        revoked.as_deref(),
        expires.as_deref(),
        uses,
        max_uses,
        device.created_at,
    ) {
        InviteState::Active => {}
        InviteState::Withdrawn => return Ok(JoinOutcome::Revoked),
        InviteState::Expired => return Ok(JoinOutcome::Expired),
        InviteState::UsedUp => return Ok(JoinOutcome::UsedUp),
    }
    c.execute(
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
    c.execute(
        "UPDATE invites SET uses = uses + 1 WHERE id = ?1",
        [&invite_id],
    )?;
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
            max_uses: row.get(8)?,
            // Set by the caller, who knows the time (see `with_state`).
            state: InviteState::Active,
        },
        row.get(2)?,
    ))
}

const INVITE_COLUMNS: &str =
    "id, unit_id, role, created_by, created_at, expires_at, revoked_at, uses, max_uses";

/// Invites with their state at `now`.
fn with_state(mut invites: Vec<InviteInfo>, now: DateTime<Utc>) -> Vec<InviteInfo> {
    for i in &mut invites {
        i.state = InviteState::of(
            i.revoked_at.as_deref(),
            i.expires_at.as_deref(),
            i.uses,
            i.max_uses,
            now,
        );
    }
    invites
}

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
            invite_id: row.get(7)?,
        },
        row.get(3)?,
    ))
}

const DEVICE_COLUMNS: &str =
    "id, name, unit_id, role, created_at, last_seen_at, revoked_at, invite_id";

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

fn device_by_token(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<(DeviceAuth, Option<String>)>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT id, cluster_id, unit_id, role, name, last_seen_at FROM devices
             WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((id, cluster, unit, role, name, seen)) = row else {
        return Ok(None);
    };
    let device = DeviceAuth {
        device_id: DeviceId::new(id).map_err(corrupt("device id"))?,
        cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
        unit_id: RecordId::new(unit).map_err(corrupt("unit id"))?,
        role: parse_role(&role)?,
        name,
    };
    Ok(Some((device, seen)))
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn health(&self) -> Result<(), StoreError> {
        // Through the writer: this also shows the writer thread is alive.
        self.write(|w| {
            let one: i64 = w.conn.query_row("SELECT 1", [], |r| r.get(0))?;
            if one == 1 {
                Ok(())
            } else {
                Err(StoreError::Corrupt("SELECT 1 did not return 1".into()))
            }
        })
        .await
    }

    async fn create_cluster(&self, cluster: NewCluster) -> Result<(), StoreError> {
        let recent = Arc::clone(&self.recent);
        self.write_then(
            move |w| {
                w.structure.remove(&cluster.id);
                w.conn.execute(
                    "INSERT INTO clusters (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![
                        cluster.id.as_str(),
                        cluster.name,
                        timestamp(cluster.created_at)
                    ],
                )?;
                write_records(&w.conn, &cluster.id, &cluster.records)?;
                insert_invite(&w.conn, &cluster.head_invite)?;
                Ok(cluster.id)
            },
            move |id| lock(&recent).forget(id),
        )
        .await
        .map(drop)
    }

    async fn authenticate(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<DeviceAuth>, StoreError> {
        let hit = self
            .auth
            .lock()
            .get(&token_hash)
            .filter(|c| c.loaded.elapsed() < AUTH_TTL)
            .map(|c| (c.device.clone(), c.seen.clone()));
        let (device, seen) = match hit {
            Some(found) => found,
            None => {
                let generation = self.auth.generation.load(Ordering::SeqCst);
                let hash = token_hash.clone();
                let Some((device, seen)) = self.read(move |c| device_by_token(c, &hash)).await?
                else {
                    return Ok(None);
                };
                let mut entries = self.auth.lock();
                if self.auth.generation.load(Ordering::SeqCst) == generation {
                    if entries.len() >= AUTH_CACHE_MAX {
                        entries.clear();
                    }
                    entries.insert(
                        token_hash.clone(),
                        CachedDevice {
                            device: device.clone(),
                            seen: seen.clone(),
                            loaded: Instant::now(),
                        },
                    );
                }
                (device, seen)
            }
        };
        let stale = timestamp(now - SEEN_EVERY);
        if seen.is_none_or(|s| s < stale) {
            let (id, at) = (device.device_id.clone(), timestamp(now));
            let written = at.clone();
            self.write(move |w| {
                w.conn
                    .prepare_cached("UPDATE devices SET last_seen_at = ?1 WHERE id = ?2")?
                    .execute(params![at, id.as_str()])?;
                Ok(())
            })
            .await?;
            if let Some(c) = self.auth.lock().get_mut(&token_hash) {
                c.seen = Some(written);
            }
        }
        Ok(Some(device))
    }

    async fn join_wait(&self, attempt: JoinAttempt) -> Result<Option<i64>, StoreError> {
        self.read(move |c| join_wait(c, &attempt)).await
    }

    async fn join(
        &self,
        code_hash: String,
        device: NewDevice,
        attempt: JoinAttempt,
    ) -> Result<JoinOutcome, StoreError> {
        self.write(move |w| {
            let c = &w.conn;
            // Decided and recorded in this one job: the writer runs jobs one at a time, so
            // parallel guesses each see the failures of those before them.
            if let Some(retry_after_ms) = join_wait(c, &attempt)? {
                return Ok(JoinOutcome::RateLimited { retry_after_ms });
            }
            let outcome = redeem(c, &code_hash, device)?;
            if !matches!(outcome, JoinOutcome::Joined { .. }) {
                c.prepare_cached("INSERT INTO join_attempts (ip, at_ms) VALUES (?1, ?2)")?
                    .execute(params![attempt.ip, attempt.now_ms])?;
                c.prepare_cached("DELETE FROM join_attempts WHERE at_ms < ?1")?
                    .execute([attempt.now_ms - 3_600_000])?;
            }
            Ok(outcome)
        })
        .await
    }

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError> {
        self.write(move |w| insert_invite(&w.conn, &invite)).await
    }

    async fn list_invites(&self, cluster: RecordId) -> Result<Vec<InviteInfo>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE cluster_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map([cluster.as_str()], invite_row)?;
            Ok(with_state(
                with_role(rows, |i, role| i.role = role)?,
                Utc::now(),
            ))
        })
        .await
    }

    async fn invite(
        &self,
        cluster: RecordId,
        id: String,
    ) -> Result<Option<InviteInfo>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE cluster_id = ?1 AND id = ?2"
            ))?;
            let rows = stmt.query_map(params![cluster.as_str(), id], invite_row)?;
            Ok(with_state(with_role(rows, |i, role| i.role = role)?, Utc::now()).pop())
        })
        .await
    }

    async fn revoke_invite(
        &self,
        cluster: RecordId,
        id: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(move |w| {
            let n = w.conn.execute(
                "UPDATE invites SET revoked_at = COALESCE(revoked_at, ?3)
                 WHERE cluster_id = ?1 AND id = ?2",
                params![cluster.as_str(), id, timestamp(now)],
            )?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_devices(&self, cluster: RecordId) -> Result<Vec<DeviceInfo>, StoreError> {
        self.read(move |c| {
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
        self.read(move |c| {
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
        withdraw_invite: bool,
    ) -> Result<Option<RevokedDevice>, StoreError> {
        let device = id.clone();
        let revoked = self
            .write(move |w| {
                let c = &w.conn;
                let at = timestamp(now);
                let invite: Option<Option<String>> = c
                    .query_row(
                        "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?3)
                         WHERE cluster_id = ?1 AND id = ?2 RETURNING invite_id",
                        params![cluster.as_str(), device, at],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(invite_id) = invite else {
                    return Ok(None);
                };
                if withdraw_invite {
                    if let Some(invite) = &invite_id {
                        c.execute(
                            "UPDATE invites SET revoked_at = COALESCE(revoked_at, ?3)
                             WHERE cluster_id = ?1 AND id = ?2",
                            params![cluster.as_str(), invite, at],
                        )?;
                    }
                }
                let invite_withdrawn = match &invite_id {
                    Some(invite) => c
                        .query_row(
                            "SELECT revoked_at IS NOT NULL FROM invites
                             WHERE cluster_id = ?1 AND id = ?2",
                            params![cluster.as_str(), invite],
                            |r| r.get(0),
                        )
                        .optional()?
                        .unwrap_or(false),
                    None => false,
                };
                Ok(Some(RevokedDevice {
                    invite_id,
                    invite_withdrawn,
                }))
            })
            .await?;
        // Committed: from now on the token is refused.
        self.auth.forget_device(&id);
        Ok(revoked)
    }

    async fn rename_device(
        &self,
        cluster: RecordId,
        id: DeviceId,
        name: String,
    ) -> Result<bool, StoreError> {
        let device = id.to_string();
        let found = self
            .write(move |w| {
                let n = w.conn.execute(
                    "UPDATE devices SET name = ?3
                     WHERE cluster_id = ?1 AND id = ?2 AND revoked_at IS NULL",
                    params![cluster.as_str(), device, name],
                )?;
                Ok(n > 0)
            })
            .await?;
        // The cached sign-in carries the old name.
        self.auth.forget_device(id.as_str());
        Ok(found)
    }

    async fn role_records(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| load_records(c, ROLE_RECORDS_QUERY, &cluster))
            .await
    }

    async fn record(&self, cluster: RecordId, id: RecordId) -> Result<Option<Record>, StoreError> {
        self.read(move |c| {
            let json: Option<String> = c
                .prepare_cached(
                    "SELECT state_json FROM records WHERE cluster_id = ?1 AND record_id = ?2",
                )?
                .query_row(params![cluster.as_str(), id.as_str()], |r| r.get(0))
                .optional()?;
            json.as_deref().map(parse_record).transpose()
        })
        .await
    }

    async fn push(&self, input: PushInput) -> Result<PushOutcome, StoreError> {
        let recent = Arc::clone(&self.recent);
        let cluster = input.device.cluster_id.clone();
        let (outcome, _) = self
            .write_then(
                move |w| push_job(w, input),
                move |(_, changes)| lock(&recent).append(&cluster, std::mem::take(changes)),
            )
            .await?;
        Ok(outcome)
    }

    async fn pull(
        &self,
        cluster: RecordId,
        since: u64,
        limit: u32,
    ) -> Result<PullPage, StoreError> {
        if let Some(page) = self.pull_recent(&cluster, since, limit) {
            return Ok(page);
        }
        self.pull_stored(cluster, since, limit).await
    }

    async fn snapshot(&self, cluster: RecordId) -> Result<SnapshotPage, StoreError> {
        self.read(move |c| {
            let cursor = cluster_seq(c, &cluster)?;
            let mut stmt = c.prepare_cached(
                "SELECT state_json FROM records WHERE cluster_id = ?1 ORDER BY record_id",
            )?;
            let mut rows = stmt.query([cluster.as_str()])?;
            let mut records = RawRecords::new();
            while let Some(row) = rows.next()? {
                records.push(
                    row.get_ref(0)?
                        .as_bytes()
                        .map_err(corrupt("stored record"))?,
                );
            }
            Ok(SnapshotPage {
                schema: SCHEMA_VERSION,
                cluster,
                records,
                cursor,
            })
        })
        .await
    }

    async fn document(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| {
            cluster_seq(c, &cluster)?;
            load_records(
                c,
                "SELECT state_json FROM records WHERE cluster_id = ?1",
                &cluster,
            )
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

    #[tokio::test]
    async fn structural_records_are_found_through_the_partial_index() {
        let store = SqliteStore::open_in_memory().unwrap();
        // Both queries must go through the partial index, not scan every record.
        for query in [STRUCTURE_QUERY, ROLE_RECORDS_QUERY] {
            let plan: Vec<String> = store
                .with_conn(move |c| {
                    let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {query}"))?;
                    let rows = stmt.query_map(["x"], |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<Result<_, _>>()?)
                })
                .await
                .unwrap();
            assert!(
                plan.iter().any(|d| d.contains("records_structure")),
                "{query}: {plan:?}"
            );
        }
        for kind in STRUCTURAL_KINDS {
            assert!(STRUCTURE_QUERY.contains(&format!("'{kind}'")), "{kind}");
        }
        assert_eq!(
            STRUCTURE_QUERY.matches('\'').count(),
            2 * STRUCTURAL_KINDS.len()
        );
        assert!(ROLE_RECORDS_QUERY.starts_with(STRUCTURE_QUERY));
    }

    /// Jobs queued together commit together, but one that fails rolls back alone, and one
    /// that panics neither stops the writer nor takes the others with it.
    #[tokio::test]
    async fn a_failing_job_rolls_back_alone_in_its_batch() {
        let store = SqliteStore::open_in_memory().unwrap();
        let mut tasks = Vec::new();
        for i in 0..60u32 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .with_conn(move |c| {
                        c.execute(
                            "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                            [format!("k{i}")],
                        )?;
                        match i % 3 {
                            0 => Ok(i),
                            1 => Err(StoreError::Corrupt("refused".into())),
                            _ if i == 2 => panic!("a bug in a job"),
                            _ => Ok(i),
                        }
                    })
                    .await
            }));
        }
        let mut ok = 0;
        for (i, t) in tasks.into_iter().enumerate() {
            let result = t.await.unwrap();
            match i % 3 {
                1 => assert!(matches!(result, Err(StoreError::Corrupt(_))), "{i}"),
                _ if i == 2 => assert!(matches!(result, Err(StoreError::Task(_))), "{i}"),
                _ => {
                    result.unwrap();
                    ok += 1;
                }
            }
        }
        let keys: Vec<String> = store
            .with_conn(|c| {
                let mut stmt =
                    c.prepare("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        assert_eq!(keys.len(), ok);
        let expected: std::collections::BTreeSet<String> = (0..60)
            .filter(|i| i % 3 == 0 || (i % 3 == 2 && *i != 2))
            .map(|i| format!("k{i}"))
            .collect();
        assert_eq!(
            keys.into_iter().collect::<std::collections::BTreeSet<_>>(),
            expected
        );
        store.health().await.unwrap();
    }

    #[test]
    fn migrations_are_numbered_in_order() {
        for (i, (version, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
            assert!(name.starts_with(&format!("{version:04}_")));
        }
    }
}
