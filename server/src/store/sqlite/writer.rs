//! The writer thread: it owns the write connection. Whatever has queued up runs in one
//! transaction (group commit), each job inside its own savepoint so that a job that fails rolls
//! back alone; answers are sent only after the commit, and with `synchronous = FULL` the commit
//! syncs the WAL to disk, so an acknowledged write survives a power cut, not only a crashed
//! process. Group commit shares that one sync among the batch. Checkpoints (copying the WAL
//! into the database file) run on a thread of their own, so the writer never waits for them.
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use thidua_core::{Document, RecordId};
use tokio::sync::oneshot;

use super::{busy, SqliteStore};
use crate::store::StoreError;

/// How often the checkpoint thread copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// Most jobs committed together.
const MAX_BATCH: usize = 128;

/// What the writer thread owns.
pub(super) struct Writer {
    pub(super) conn: Connection,
    /// Per cluster, its structural records as committed (or as written by the current
    /// batch; dropped if the batch fails to commit).
    pub(super) structure: HashMap<RecordId, Document>,
    pub(super) pruned_ms: i64,
}

/// Why a batch did not commit, handed to every job of the batch.
pub(super) struct CommitFailed {
    busy: bool,
    message: String,
}

pub(super) type Finish = Box<dyn FnOnce(Option<&CommitFailed>) + Send>;
pub(super) type Job = Box<dyn FnOnce(&mut Writer) -> Finish + Send>;

impl SqliteStore {
    /// Runs `f` on the writer thread inside a savepoint of the current batch: `Err` rolls
    /// back what `f` wrote; the answer comes once the batch committed.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_then(f, |_| {}).await
    }

    /// Like [`SqliteStore::write`], and runs `committed` on the result once the batch
    /// committed, before the answer is sent.
    pub(super) async fn write_then<T, F, C>(&self, f: F, committed: C) -> Result<T, StoreError>
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

pub(super) fn run_writer(mut w: Writer, queue: &mpsc::Receiver<Job>) {
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
pub(super) fn run_checkpoints(conn: &Connection, stop: &mpsc::Receiver<()>) {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Store;

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
}
