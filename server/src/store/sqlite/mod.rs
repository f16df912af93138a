//! SQLite backend, by concern:
//!
//! - [`writer`]: one thread owns the write connection and commits whatever has queued up in
//!   one transaction (group commit), each job in its own savepoint; acknowledged writes are
//!   synced to disk.
//! - [`readers`]: a small pool of query-only connections (WAL lets them read while the
//!   writer writes), and the cache of device tokens.
//! - [`migrate`]: the numbered schema migrations.
//! - [`queries`]: every SQL statement, as functions of a connection.
//!
//! This file opens the database and answers [`Store`] by sending each call to the writer or
//! a reader.
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode};
use thidua_core::wire::StoreKind;
use thidua_core::{DeviceId, Document, InviteId, Record, RecordId, UnitId};
use tokio::sync::Semaphore;

use self::readers::{AuthCache, CachedDevice, Readers, AUTH_CACHE_MAX, AUTH_TTL};
use self::writer::{run_checkpoints, run_writer, Job, Writer};
use super::recent::Recent;
use super::{
    timestamp, ClusterFile, ClusterRow, DeviceAuth, DeviceInfo, FilesCollected, HeldFile,
    HoldOutcome, InviteInfo, JoinAttempt, JoinOutcome, NewBoardInvite, NewCluster, NewDevice,
    NewFederation, NewInvite, PullPage, PushInput, PushOutcome, RecordHistory, RevokedDevice, Seat,
    SnapshotPage, Store, StoreError,
};

mod migrate;
mod queries;
mod readers;
mod writer;

pub use migrate::{migrate, MIGRATIONS};

/// The writer checkpoints by itself only if the WAL grows past this many pages (80 MB).
const BACKSTOP_CHECKPOINT_PAGES: u32 = 20_000;
/// A WAL file bigger than this is truncated back when it is restarted.
const WAL_SIZE_LIMIT: u64 = 64 * 1024 * 1024;
/// Read connections of a file database.
const READERS: usize = 2;
/// SQLite page cache of the writer. (Readers keep the default 2 MB: a reader's cache is
/// dropped whenever the writer committed since its last read, so more would not help.)
const WRITER_CACHE_KB: u32 = 8 * 1024;
/// Device last-seen times are written at most this often.
const SEEN_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

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
        self.read(move |c| queries::pull_page(c, &cluster, since, limit))
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

fn lock(recent: &Mutex<Recent>) -> std::sync::MutexGuard<'_, Recent> {
    recent.lock().unwrap_or_else(|p| p.into_inner())
}

/// A busy or locked database, said as such (the caller answers 503).
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

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Sqlite
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
                queries::create_cluster(&w.conn, &cluster)?;
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
                let Some((device, seen)) = self
                    .read(move |c| queries::device_by_token(c, &hash))
                    .await?
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
            self.write(move |w| queries::seen(&w.conn, &id, &at))
                .await?;
            if let Some(c) = self.auth.lock().get_mut(&token_hash) {
                c.seen = Some(written);
            }
        }
        Ok(Some(device))
    }

    async fn join_wait(&self, attempt: JoinAttempt) -> Result<Option<i64>, StoreError> {
        self.read(move |c| queries::join_wait(c, &attempt)).await
    }

    async fn join(
        &self,
        code_hash: String,
        device: NewDevice,
        attempt: JoinAttempt,
    ) -> Result<JoinOutcome, StoreError> {
        self.write(move |w| queries::join(&w.conn, &code_hash, device, &attempt))
            .await
    }

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError> {
        self.write(move |w| queries::insert_invite(&w.conn, &invite))
            .await
    }

    async fn list_invites(&self, seat: Seat) -> Result<Vec<InviteInfo>, StoreError> {
        self.read(move |c| queries::list_invites(c, &seat, Utc::now()))
            .await
    }

    async fn invite(&self, seat: Seat, id: InviteId) -> Result<Option<InviteInfo>, StoreError> {
        self.read(move |c| queries::invite(c, &seat, &id, Utc::now()))
            .await
    }

    async fn revoke_invite(
        &self,
        seat: Seat,
        id: InviteId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(move |w| queries::revoke_invite(&w.conn, &seat, &id, now))
            .await
    }

    async fn list_devices(&self, seat: Seat) -> Result<Vec<DeviceInfo>, StoreError> {
        self.read(move |c| queries::list_devices(c, &seat)).await
    }

    async fn device(&self, seat: Seat, id: DeviceId) -> Result<Option<DeviceInfo>, StoreError> {
        self.read(move |c| queries::device(c, &seat, &id)).await
    }

    async fn revoke_device(
        &self,
        seat: Seat,
        id: DeviceId,
        now: DateTime<Utc>,
        withdraw_invite: bool,
    ) -> Result<Option<RevokedDevice>, StoreError> {
        let device = id.clone();
        let revoked = self
            .write(move |w| queries::revoke_device(&w.conn, &seat, &device, now, withdraw_invite))
            .await?;
        // Committed: from now on the token is refused.
        self.auth.forget_device(&id);
        Ok(revoked)
    }

    async fn revoke_unit(
        &self,
        cluster: RecordId,
        unit: UnitId,
        now: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let revoked = self
            .write(move |w| queries::revoke_unit(&w.conn, &cluster, &unit, now))
            .await?;
        for id in &revoked {
            self.auth.forget_device(id);
        }
        Ok(u32::try_from(revoked.len()).unwrap_or(u32::MAX))
    }

    async fn rename_device(
        &self,
        cluster: RecordId,
        id: DeviceId,
        name: String,
    ) -> Result<bool, StoreError> {
        let device = id.clone();
        let found = self
            .write(move |w| queries::rename_device(&w.conn, &cluster, &device, &name))
            .await?;
        // The cached sign-in carries the old name.
        self.auth.forget_device(&id);
        Ok(found)
    }

    async fn role_records(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| queries::load_records(c, queries::ROLE_RECORDS_QUERY, &cluster))
            .await
    }

    async fn record(&self, cluster: RecordId, id: RecordId) -> Result<Option<Record>, StoreError> {
        self.read(move |c| queries::record(c, &cluster, &id)).await
    }

    async fn push(&self, input: PushInput) -> Result<PushOutcome, StoreError> {
        let recent = Arc::clone(&self.recent);
        let cluster = input.device.cluster_id.clone();
        let (outcome, _) = self
            .write_then(
                move |w| queries::push_job(w, input),
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
        self.read(move |c| queries::snapshot(c, cluster)).await
    }

    async fn document(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| queries::document(c, &cluster)).await
    }

    async fn create_federation(&self, federation: NewFederation) -> Result<(), StoreError> {
        self.write(move |w| queries::create_federation(&w.conn, &federation))
            .await
    }

    async fn federation_name(&self, id: RecordId) -> Result<Option<String>, StoreError> {
        self.read(move |c| queries::federation_name(c, &id)).await
    }

    async fn federation_clusters(
        &self,
        federation: RecordId,
    ) -> Result<Vec<ClusterRow>, StoreError> {
        self.read(move |c| queries::federation_clusters(c, &federation))
            .await
    }

    async fn structure(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| queries::load_records(c, queries::STRUCTURE_QUERY, &cluster))
            .await
    }

    async fn award_records(&self, cluster: RecordId) -> Result<Document, StoreError> {
        self.read(move |c| queries::load_records(c, queries::AWARD_RECORDS_QUERY, &cluster))
            .await
    }

    async fn cluster_row(&self, cluster: RecordId) -> Result<Option<ClusterRow>, StoreError> {
        self.read(move |c| queries::get_cluster_row(c, &cluster))
            .await
    }

    async fn set_archived(
        &self,
        cluster: RecordId,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.write(move |w| queries::set_archived(&w.conn, &cluster, at))
            .await
    }

    async fn create_board_invite(&self, invite: NewBoardInvite) -> Result<(), StoreError> {
        self.write(move |w| queries::insert_board_invite(&w.conn, &invite))
            .await
    }

    async fn history(&self, record: RecordId) -> Result<Option<RecordHistory>, StoreError> {
        self.read(move |c| queries::history(c, &record)).await
    }

    async fn cluster_file(
        &self,
        cluster: RecordId,
        hash: String,
    ) -> Result<ClusterFile, StoreError> {
        self.read(move |c| queries::cluster_file(c, &cluster, &hash))
            .await
    }

    async fn cluster_files(
        &self,
        cluster: RecordId,
        hashes: Vec<String>,
    ) -> Result<BTreeMap<String, ClusterFile>, StoreError> {
        self.read(move |c| {
            let mut out = BTreeMap::new();
            for hash in hashes {
                let file = queries::cluster_file(c, &cluster, &hash)?;
                if !file.listed.is_empty() {
                    out.insert(hash, file);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn cluster_file_bytes(&self, cluster: RecordId) -> Result<u64, StoreError> {
        self.read(move |c| queries::cluster_file_bytes(c, &cluster))
            .await
    }

    async fn hold_file(&self, file: HeldFile) -> Result<HoldOutcome, StoreError> {
        self.write(move |w| queries::hold_file(&w.conn, &file))
            .await
    }

    async fn collect_files(
        &self,
        now: DateTime<Utc>,
        grace: chrono::TimeDelta,
    ) -> Result<FilesCollected, StoreError> {
        self.write(move |w| queries::collect_files(&w.conn, now, grace))
            .await
    }
}
