//! Reads (pulls, snapshots, lists, token look-ups) use a small pool of query-only connections,
//! each read in its own read transaction; WAL lets them run while the writer writes. An
//! in-memory database cannot have a second connection, so there reads also go through the
//! writer. Device tokens are cached for a minute; revoking a device drops its entries at once.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use thidua_core::DeviceId;
use tokio::sync::Semaphore;

use super::{busy, SqliteStore};
use crate::store::{DeviceAuth, StoreError};

/// How long a device looked up by token is trusted without asking the database again
/// (revocations through this store take effect at once; this bounds any other path).
pub(super) const AUTH_TTL: Duration = Duration::from_secs(60);
pub(super) const AUTH_CACHE_MAX: usize = 10_000;

pub(super) struct Readers {
    pub(super) conns: Vec<Mutex<Connection>>,
    pub(super) permits: Arc<Semaphore>,
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

pub(super) struct CachedDevice {
    pub(super) device: DeviceAuth,
    pub(super) seen: Option<String>,
    pub(super) loaded: Instant,
}

#[derive(Default)]
pub(super) struct AuthCache {
    entries: Mutex<HashMap<String, CachedDevice>>,
    /// Bumped by every revocation, so that a look-up that read the database before the
    /// revocation committed does not cache the revoked device afterwards.
    pub(super) generation: AtomicU64,
}

impl AuthCache {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedDevice>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn forget_device(&self, id: &DeviceId) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.lock().retain(|_, c| &c.device.device_id != id);
    }
}

impl SqliteStore {
    /// Runs `f` in one read transaction (a consistent snapshot).
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
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
}
