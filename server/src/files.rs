//! Evidence files' bytes, on disk beside the database (`<data>/files/`), content-addressed:
//! a file is `files/<first two hex digits>/<sha-256>`, written once and never changed, so it
//! is stored once whoever sends it. An upload in progress is `files/partial/<cluster>/<hash>`
//! (per cluster, so two clusters sending the same file never write into each other's copy);
//! its length is how much was received. When the last chunk arrives the partial file is
//! checked (its SHA-256 and its type, read from its bytes), synced and renamed into place:
//! a `kill -9` at any moment leaves either a partial file or a whole, checked one, never a
//! half file under a hash.
//!
//! Which cluster may read which file, and what each cluster holds, is the store's
//! ([`crate::store::Store::cluster_file`]); this module only moves bytes.
use std::collections::{BTreeSet, HashSet};
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use futures_util::StreamExt as _;
use sha2::{Digest, Sha256};
use thidua_core::files::{is_hash, FileType, DEFAULT_MAX_FILE_BYTES};
use thidua_core::RecordId;
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

use crate::store::{Store, StoreError};

/// Limits on evidence files (`--max-file-bytes`, `--max-cluster-file-bytes`,
/// `--file-grace-days`).
#[derive(Debug, Clone)]
pub struct FileLimits {
    /// Largest file taken.
    pub max_file_bytes: u64,
    /// Most bytes one cluster's files may take together.
    pub max_cluster_bytes: u64,
    /// How long a file no record names any more, or an unfinished upload, is kept.
    pub grace: Duration,
}

impl Default for FileLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_cluster_bytes: 5 * 1024 * 1024 * 1024,
            grace: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// Bytes read from the start of a file to tell its type.
const HEAD: usize = 16;
/// Read size when hashing a received file.
const READ_BLOCK: usize = 64 * 1024;

/// Why a chunk was not appended.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The partial file does not end at the chunk's offset (it ends at `.0`).
    #[error("the upload ends at byte {0}")]
    Offset(u64),
    /// The chunk goes past the file's size or past the chunk limit; nothing was kept of it.
    #[error("the chunk is longer than allowed")]
    TooLong,
    /// The request's body broke off (the bytes that did arrive are kept).
    #[error("the request body broke off: {0}")]
    Body(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Why a received file was not taken; the partial file is deleted.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    #[error("the bytes do not have the file's SHA-256")]
    HashMismatch,
    #[error("the bytes are not a JPEG, PNG, WebP or PDF")]
    NotAllowed,
    #[error("the upload holds {0} bytes, not the file's size")]
    Short(u64),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a chunk did.
#[derive(Debug, Clone)]
pub struct Appended {
    /// Bytes held now.
    pub received: u64,
    /// The chunk's first bytes (to tell the type from the first chunk).
    pub head: Vec<u8>,
}

/// Evidence files on a local disk.
pub struct DiskFiles {
    root: PathBuf,
    /// Partial uploads being written: one request at a time each.
    busy: Mutex<HashSet<PathBuf>>,
    /// Held while a file is moved into place and recorded, and while garbage is collected,
    /// so the collector never deletes bytes just moved in and not yet recorded.
    moving: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for DiskFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskFiles")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

/// One request's hold on a partial upload; released when dropped.
pub struct UploadGuard<'a> {
    files: &'a DiskFiles,
    path: PathBuf,
}

impl Drop for UploadGuard<'_> {
    fn drop(&mut self) {
        self.files.busy_set().remove(&self.path);
    }
}

impl DiskFiles {
    /// Files under `root` (created when the first file is written).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            busy: Mutex::default(),
            moving: tokio::sync::Mutex::new(()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn busy_set(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where the whole file `hash` is kept (`hash` must be checked with [`is_hash`]).
    pub fn path(&self, hash: &str) -> PathBuf {
        self.root.join(&hash[..2]).join(hash)
    }

    fn partial_dir(&self) -> PathBuf {
        self.root.join("partial")
    }

    fn partial(&self, cluster: &RecordId, hash: &str) -> PathBuf {
        // Record ids are letters, digits, '-' and '_': safe as a folder name.
        self.partial_dir().join(cluster.as_str()).join(hash)
    }

    /// The only request writing `cluster`'s upload of `hash`, or `None` when another is.
    pub fn lock_upload(&self, cluster: &RecordId, hash: &str) -> Option<UploadGuard<'_>> {
        let path = self.partial(cluster, hash);
        self.busy_set()
            .insert(path.clone())
            .then_some(UploadGuard { files: self, path })
    }

    /// Whether the whole file `hash` is on disk.
    pub async fn exists(&self, hash: &str) -> bool {
        is_hash(hash) && tokio::fs::metadata(self.path(hash)).await.is_ok()
    }

    /// Bytes of `cluster`'s upload of `hash` received so far.
    pub async fn received(&self, cluster: &RecordId, hash: &str) -> std::io::Result<u64> {
        match tokio::fs::metadata(self.partial(cluster, hash)).await {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Appends one chunk, read from `body` frame by frame (never more than one frame in
    /// memory), at `offset`, which must be where the upload ends; at most `max_len` bytes.
    /// Synced before answering, so the progress answered survives a crash of the machine.
    pub async fn append(
        &self,
        _guard: &UploadGuard<'_>,
        cluster: &RecordId,
        hash: &str,
        offset: u64,
        max_len: u64,
        body: axum::body::Body,
    ) -> Result<Appended, AppendError> {
        let path = self.partial(cluster, hash);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .await?;
        let held = file.metadata().await?.len();
        if held != offset {
            return Err(AppendError::Offset(held));
        }
        file.seek(SeekFrom::Start(offset)).await?;
        let mut stream = body.into_data_stream();
        let mut written: u64 = 0;
        let mut head = Vec::with_capacity(HEAD);
        let mut broke = None;
        while let Some(frame) = stream.next().await {
            let bytes = match frame {
                Ok(b) => b,
                Err(e) => {
                    broke = Some(e.to_string());
                    break;
                }
            };
            let len = bytes.len() as u64;
            if written + len > max_len {
                // Nothing of an over-long chunk is kept.
                file.set_len(offset).await?;
                file.sync_data().await?;
                return Err(AppendError::TooLong);
            }
            if head.len() < HEAD {
                let take = (HEAD - head.len()).min(bytes.len());
                head.extend_from_slice(&bytes[..take]);
            }
            file.write_all(&bytes).await?;
            written += len;
        }
        file.flush().await?;
        file.sync_data().await?;
        if let Some(e) = broke {
            return Err(AppendError::Body(e));
        }
        Ok(Appended {
            received: offset + written,
            head,
        })
    }

    /// Deletes `cluster`'s upload of `hash`.
    pub async fn discard(&self, cluster: &RecordId, hash: &str) {
        let _ = tokio::fs::remove_file(self.partial(cluster, hash)).await;
    }

    /// Checks a received upload: `size` bytes whose SHA-256 is `hash`, of a type taken (read
    /// from its bytes). Deletes it when it is not.
    pub async fn verify(
        &self,
        cluster: &RecordId,
        hash: &str,
        size: u64,
    ) -> Result<FileType, FinishError> {
        let path = self.partial(cluster, hash);
        let result = check(&path, hash, size).await;
        if matches!(
            result,
            Err(FinishError::HashMismatch | FinishError::NotAllowed)
        ) {
            self.discard(cluster, hash).await;
        }
        result
    }

    /// Holds off garbage collection while a verified upload is moved into place and recorded.
    pub async fn moving(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.moving.lock().await
    }

    /// Moves a verified upload into place (synced: file, then folder), or drops it when the
    /// same bytes are there already. True when this put the file there.
    pub async fn install(
        &self,
        _moving: &tokio::sync::MutexGuard<'_, ()>,
        cluster: &RecordId,
        hash: &str,
    ) -> std::io::Result<bool> {
        let partial = self.partial(cluster, hash);
        let target = self.path(hash);
        if tokio::fs::metadata(&target).await.is_ok() {
            // Content-addressed: the bytes there are these bytes.
            tokio::fs::remove_file(&partial).await?;
            return Ok(false);
        }
        let dir = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::File::open(&partial).await?.sync_all().await?;
        tokio::fs::rename(&partial, &target).await?;
        sync_dir(&dir).await;
        Ok(true)
    }

    /// Deletes the whole file `hash` (a move that could not be recorded).
    pub async fn remove(&self, _moving: &tokio::sync::MutexGuard<'_, ()>, hash: &str) {
        let _ = tokio::fs::remove_file(self.path(hash)).await;
    }

    /// The whole file `hash` opened for reading, and its length; `None` when it is not here.
    pub async fn open(&self, hash: &str) -> std::io::Result<Option<(tokio::fs::File, u64)>> {
        if !is_hash(hash) {
            return Ok(None);
        }
        match tokio::fs::File::open(self.path(hash)).await {
            Ok(f) => {
                let len = f.metadata().await?.len();
                Ok(Some((f, len)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes the files on disk that no cluster holds (`held`) and unfinished uploads, each
    /// once untouched for `grace` at `now`. Returns (files, partial uploads) deleted.
    pub async fn collect(
        &self,
        _moving: &tokio::sync::MutexGuard<'_, ()>,
        held: &BTreeSet<String>,
        now: SystemTime,
        grace: Duration,
    ) -> std::io::Result<(usize, usize)> {
        let cutoff = now.checked_sub(grace).unwrap_or(SystemTime::UNIX_EPOCH);
        let old = |m: &std::fs::Metadata| m.modified().is_ok_and(|t| t <= cutoff);
        let (mut files, mut partials) = (0, 0);
        for dir in list(&self.root).await? {
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.len() != 2 {
                continue;
            }
            for path in list(&dir).await? {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if !is_hash(name) || held.contains(name) {
                    continue;
                }
                if tokio::fs::metadata(&path).await.is_ok_and(|m| old(&m))
                    && tokio::fs::remove_file(&path).await.is_ok()
                {
                    files += 1;
                }
            }
        }
        for dir in list(&self.partial_dir()).await? {
            for path in list(&dir).await? {
                if self.busy_set().contains(&path) {
                    continue;
                }
                if tokio::fs::metadata(&path).await.is_ok_and(|m| old(&m))
                    && tokio::fs::remove_file(&path).await.is_ok()
                {
                    partials += 1;
                }
            }
            // Fails (and is kept) while not empty.
            let _ = tokio::fs::remove_dir(&dir).await;
        }
        Ok((files, partials))
    }
}

/// The entries of a folder (none when it does not exist).
async fn list(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        out.push(entry.path());
    }
    Ok(out)
}

/// Syncs a folder, so a rename into it survives a power cut.
async fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = tokio::fs::File::open(dir).await {
        let _ = d.sync_all().await;
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Reads the upload at `path` through: its length, SHA-256 and type.
async fn check(path: &Path, hash: &str, size: u64) -> Result<FileType, FinishError> {
    let mut file = tokio::fs::File::open(path).await?;
    let len = file.metadata().await?.len();
    if len != size {
        return Err(FinishError::Short(len));
    }
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(HEAD);
    let mut buf = vec![0u8; READ_BLOCK];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        if head.len() < HEAD {
            let take = (HEAD - head.len()).min(n);
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
    }
    if hex(&hasher.finalize()) != hash {
        return Err(FinishError::HashMismatch);
    }
    FileType::sniff(&head).ok_or(FinishError::NotAllowed)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What one garbage collection pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Collected {
    /// Clusters' files given up (no record of theirs named them for the grace period).
    pub dropped: usize,
    /// Files deleted from disk (no cluster holds them any more).
    pub files: usize,
    /// Unfinished uploads deleted.
    pub partials: usize,
}

/// One garbage collection pass at `now`: files no record names any more are given up after
/// `grace`, and their bytes deleted once no cluster holds them; unfinished uploads untouched
/// for `grace` are deleted too. Taking `now` makes it testable.
pub async fn collect(
    store: &dyn Store,
    files: &DiskFiles,
    now: chrono::DateTime<chrono::Utc>,
    grace: Duration,
) -> Result<Collected, StoreError> {
    let grace_delta = chrono::TimeDelta::from_std(grace).unwrap_or(chrono::TimeDelta::MAX);
    let moving = files.moving().await;
    let db = store.collect_files(now, grace_delta).await?;
    let now_sys = SystemTime::from(now);
    let (deleted, partials) = files
        .collect(&moving, &db.held, now_sys, grace)
        .await
        .map_err(|source| StoreError::Io {
            path: files.root().display().to_string(),
            source,
        })?;
    Ok(Collected {
        dropped: db.dropped.len(),
        files: deleted,
        partials,
    })
}

/// Collects garbage now and then every `every`, for as long as the server runs.
pub fn spawn_collector(
    store: Arc<dyn Store>,
    files: Arc<DiskFiles>,
    grace: Duration,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match collect(store.as_ref(), &files, chrono::Utc::now(), grace).await {
                Ok(c) if c != Collected::default() => {
                    tracing::info!(?c, "evidence files collected");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "collecting evidence files failed"),
            }
        }
    })
}
