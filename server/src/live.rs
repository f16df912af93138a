//! Telling open devices that their cluster changed, so another phone's edit shows in seconds
//! without a tap. A device asks `GET /api/sync/wait?since=CURSOR`; the answer comes as soon as
//! a push changes its cluster, or after [`WAIT`] with nothing new (the device then asks again).
//! A long poll rather than server-sent events: it is one plain request with the device's
//! bearer token, and it passes every proxy a union office may sit behind.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use thidua_core::RecordId;
use tokio::sync::watch;

/// How long one wait is held open before answering "nothing new".
pub const WAIT: Duration = Duration::from_secs(25);

/// Per cluster, a counter bumped at every change; waiters watch it.
#[derive(Debug)]
pub struct Live {
    clusters: Mutex<HashMap<RecordId, watch::Sender<u64>>>,
    /// Set when the server shuts down, so that waits end at once instead of holding the
    /// graceful shutdown for up to [`WAIT`].
    closing: watch::Sender<bool>,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            clusters: Mutex::new(HashMap::new()),
            closing: watch::channel(false).0,
        }
    }
}

/// Why a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woken {
    Changed,
    TimedOut,
    Closing,
}

impl Live {
    fn sender(&self, cluster: &RecordId) -> watch::Sender<u64> {
        let mut clusters = self
            .clusters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        clusters
            .entry(cluster.clone())
            .or_insert_with(|| watch::channel(0).0)
            .clone()
    }

    /// Something in `cluster` changed (a push was stored, a device was revoked).
    pub fn changed(&self, cluster: &RecordId) {
        self.sender(cluster).send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A watcher of `cluster`; take it before checking the store, so no change falls between.
    pub fn subscribe(&self, cluster: &RecordId) -> watch::Receiver<u64> {
        self.sender(cluster).subscribe()
    }

    /// Waits until `watcher`'s cluster changes, `limit` passes or the server closes.
    pub async fn wait(&self, mut watcher: watch::Receiver<u64>, limit: Duration) -> Woken {
        let mut closing = self.closing.subscribe();
        if *closing.borrow() {
            return Woken::Closing;
        }
        tokio::select! {
            changed = watcher.changed() => if changed.is_ok() { Woken::Changed } else { Woken::Closing },
            _ = closing.changed() => Woken::Closing,
            () = tokio::time::sleep(limit) => Woken::TimedOut,
        }
    }

    /// Ends every wait (the server is shutting down).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cluster(name: &str) -> RecordId {
        RecordId::new(name).unwrap()
    }

    #[tokio::test]
    async fn a_change_wakes_the_waiters_of_its_cluster_only() {
        let live = std::sync::Arc::new(Live::default());
        let mine = live.subscribe(&cluster("a"));
        let other = live.subscribe(&cluster("b"));
        let waiter = {
            let live = live.clone();
            tokio::spawn(async move { live.wait(mine, Duration::from_secs(30)).await })
        };
        live.changed(&cluster("a"));
        assert_eq!(waiter.await.unwrap(), Woken::Changed);
        assert_eq!(
            live.wait(other, Duration::from_millis(20)).await,
            Woken::TimedOut
        );
    }

    #[tokio::test]
    async fn a_change_before_the_wait_is_not_missed() {
        let live = Live::default();
        let watcher = live.subscribe(&cluster("a"));
        live.changed(&cluster("a"));
        assert_eq!(
            live.wait(watcher, Duration::from_secs(30)).await,
            Woken::Changed
        );
    }

    #[tokio::test]
    async fn closing_ends_every_wait() {
        let live = std::sync::Arc::new(Live::default());
        let watcher = live.subscribe(&cluster("a"));
        let waiter = {
            let live = live.clone();
            tokio::spawn(async move { live.wait(watcher, Duration::from_secs(30)).await })
        };
        live.close();
        assert_eq!(waiter.await.unwrap(), Woken::Closing);
    }
}
