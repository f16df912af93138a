//! The sync loop: pushes what changed on this device, pulls what changed on
//! the server, and shows where it stands. It runs at start, when the network
//! comes back, shortly after each save, when the server says the cluster changed
//! (see `live.rs`), when the app comes back into view, every minute as a fallback,
//! and on demand, backing off exponentially while the server cannot be reached.

use std::time::Duration;

use leptos::prelude::*;
use thidua_core::wire::RefusalCode;
use thidua_core::Record;
use thidua_core::Role;

use crate::api::{self, ApiError};
use crate::session::Session;
use crate::storage;

/// Where sync stands, for the sync bar.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncState {
    Idle,
    Syncing,
    /// The last sync worked.
    Done,
    /// The server could not be reached; retrying by itself.
    Unreachable,
    /// The server failed for now (5xx, busy, or an answer that is not its own,
    /// with the HTTP status when there is one); retrying by itself.
    Retrying(Option<u16>),
    /// The server no longer knows this device's token (revoked, or the cluster was left).
    Revoked,
    /// The server refused; its reason in its words.
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct SyncCtx {
    pub state: RwSignal<SyncState>,
    /// When the server last answered (a sync, or a wait for changes): the bar says so, so
    /// "synced" never hides that the phone has not heard from the server for an hour.
    pub last_heard: RwSignal<Option<chrono::DateTime<chrono::Local>>>,
    /// Consecutive failures, for the backoff.
    failures: RwSignal<u32>,
    running: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    session: Session,
    settings: RwSignal<storage::Settings>,
}

const AFTER_SAVE: Duration = Duration::from_millis(1500);
const FIRST_RETRY_MS: u64 = 2_000;
const MAX_RETRY_MS: u64 = 300_000;
/// A pull at least this often while the app is in view, should the wait for changes fail
/// unnoticed (a proxy that holds answers back).
const FALLBACK_PULL: Duration = Duration::from_secs(60);

/// Starts the sync loop and shares its state.
pub fn provide_sync_context(session: Session) -> SyncCtx {
    let ctx = SyncCtx {
        state: RwSignal::new(SyncState::Idle),
        last_heard: RwSignal::new(None),
        failures: RwSignal::new(0),
        running: StoredValue::new(false),
        timer: StoredValue::new(None),
        session,
        settings: storage::use_settings().0,
    };
    provide_context(ctx);
    ctx.schedule(Duration::ZERO);
    let _ = window_event_listener(leptos::ev::online, move |_| {
        ctx.failures.set(0);
        ctx.schedule(Duration::ZERO);
    });
    // Back to the app: what others changed meanwhile, at once.
    crate::platform::on_visible(move || ctx.schedule(Duration::ZERO));
    let _ = set_interval_with_handle(
        move || {
            if crate::platform::is_visible() && ctx.is_idle() {
                ctx.schedule(Duration::ZERO);
            }
        },
        FALLBACK_PULL,
    );
    crate::live::listen(ctx, session);
    // Shortly after each save; several quick saves make one push.
    Effect::new(move |previous: Option<u64>| {
        let edits = session.edits.get();
        if previous.is_some() {
            ctx.schedule(AFTER_SAVE);
        }
        edits
    });
    // Right after joining (the device id changes only then).
    let joined_as = Memo::new(move |_| {
        session
            .device
            .with(|d| d.as_ref().map(|d| d.device_id.clone()))
    });
    Effect::new(move |previous: Option<()>| {
        if joined_as.get().is_some() && previous.is_some() {
            ctx.schedule(Duration::ZERO);
        }
    });
    ctx
}

pub fn use_sync() -> SyncCtx {
    expect_context::<SyncCtx>()
}

impl SyncCtx {
    /// Syncs now (the "sync now" button).
    pub fn now(&self) {
        self.failures.set(0);
        self.schedule(Duration::ZERO);
    }

    /// Not syncing and not waiting for a retry of its own.
    fn is_idle(&self) -> bool {
        matches!(
            self.state.get_untracked(),
            SyncState::Idle | SyncState::Done
        )
    }

    /// The server answered: the time the bar shows.
    pub fn heard(&self) {
        self.last_heard.set(Some(chrono::Local::now()));
    }

    /// Syncs now and returns when done (the live listener, after the server said so).
    pub async fn run_now(self) {
        self.failures.set(0);
        self.run().await;
    }

    fn schedule(&self, delay: Duration) {
        let ctx = *self;
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || leptos::task::spawn_local(async move { ctx.run().await }),
            delay,
        )
        .ok();
        self.timer.set_value(handle);
    }

    async fn run(self) {
        if self.running.get_value() || self.session.device.get_untracked().is_none() {
            return;
        }
        // A board member's device belongs to the federation, which has no cluster document
        // to sync: its screens fetch the dashboard and write decisions through the board's
        // endpoints (`api::dashboard`, `api::board_push`).
        if self
            .session
            .device
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.role == Role::Board))
        {
            return;
        }
        self.running.set_value(true);
        self.state.set(SyncState::Syncing);
        let result = self.sync_once().await;
        self.running.set_value(false);
        match result {
            Ok(()) => {
                self.heard();
                self.failures.set(0);
                self.state.set(SyncState::Done);
                // Edits made while this sync ran go out at once.
                if self.session.waiting() > 0
                    && !self
                        .session
                        .outbox
                        .with_untracked(|o| o.dirty.iter().all(|id| o.rejected.contains_key(id)))
                {
                    self.schedule(AFTER_SAVE);
                }
            }
            Err(err) => {
                let failures = self.failures.get_untracked().saturating_add(1);
                self.failures.set(failures);
                self.state.set(match &err {
                    ApiError::Unreachable => SyncState::Unreachable,
                    ApiError::Server { status, .. } if err.is_transient() => {
                        SyncState::Retrying(Some(*status))
                    }
                    ApiError::BadAnswer(_) => SyncState::Retrying(None),
                    ApiError::Unauthorized(_) => SyncState::Revoked,
                    ApiError::Server { message, .. } => SyncState::Failed(message.clone()),
                });
                if err.is_transient() {
                    let exp = failures.saturating_sub(1).min(10);
                    let delay = (FIRST_RETRY_MS << exp).min(MAX_RETRY_MS);
                    self.schedule(Duration::from_millis(delay));
                }
            }
        }
    }

    /// Pushes one batch and files the server's answer in the outbox.
    async fn push_batch(self, device: &storage::Device, sent: &[Record]) -> Result<(), ApiError> {
        let session = self.session;
        let pushes = session.update_device(|d| {
            d.pushes += 1;
            d.pushes
        });
        // The time makes the id unique even if a failed save let the counter go back, so an
        // old stored answer can never stand for a push the server has not seen.
        let push_id = format!(
            "{}-p{}-{}",
            device.device_id,
            pushes.unwrap_or_default(),
            js_sys::Date::now() as u64
        );
        let answer = api::push(&device.token, &push_id, sent).await?;
        session.outbox.update(|o| {
            for id in &answer.accepted {
                // Only if it was not edited again while the push was on its way.
                let unchanged = sent
                    .iter()
                    .find(|r| &r.id == id)
                    .is_some_and(|r| session.doc.with_untracked(|doc| doc.get(id) == Some(r)));
                if unchanged {
                    o.dirty.remove(id);
                    if sent
                        .iter()
                        .any(|r| &r.id == id && r.kind == thidua_core::Kind::Pledge)
                    {
                        o.pledges_received.insert(id.clone(), chrono::Utc::now());
                    }
                }
                o.rejected.remove(id);
            }
            for refusal in &answer.rejected {
                // The server could not settle it this time; it goes out again.
                if refusal.code == RefusalCode::Retry {
                    continue;
                }
                o.dirty.remove(&refusal.id);
                o.rejected.insert(
                    refusal.id.clone(),
                    storage::Refusal {
                        code: refusal.code.clone(),
                        reason: refusal.reason.clone(),
                    },
                );
            }
        });
        session.remember(storage::save_outbox(&session.outbox.get_untracked()));
        Ok(())
    }

    async fn sync_once(self) -> Result<(), ApiError> {
        let session = self.session;
        let Some(device) = session.device.get_untracked() else {
            return Ok(());
        };

        // Push what changed here since the server last acknowledged it, in batches the
        // server takes (a restored backup or a long time offline can hold thousands).
        let sent: Vec<Record> = session.outbox.with_untracked(|o| {
            session
                .doc
                .with_untracked(|doc| doc.changed_records(&o.dirty))
        });
        for batch in push_batches(&sent) {
            self.push_batch(&device, batch).await?;
        }

        // Pull what changed on the server since the last cursor.
        let mut cursor = device.cursor;
        loop {
            let page = api::pull(&device.token, cursor).await?;
            crate::platform::perf_start("thidua:pull-apply");
            let mut saved = Ok(());
            session.doc.update(|doc| {
                for id in doc.apply(page.records) {
                    if let Some(record) = doc.get(&id) {
                        if let Err(err) = storage::save_record(record) {
                            saved = Err(err);
                        }
                    }
                }
            });
            session.remember(saved);
            // A first download of a big cluster is folded into packs as it comes, so that it
            // never fills the storage with plain records.
            session.remember(session.pack());
            cursor = page.cursor;
            session.update_device(|d| d.cursor = cursor);
            crate::platform::perf_end("thidua:pull-apply");
            if !page.more {
                break;
            }
        }

        // The holder's name, typed after joining or changed in Settings, reaches the head's
        // list of devices; a failure waits for the next sync.
        let name = self
            .settings
            .with_untracked(|s| s.officer_name.trim().to_owned());
        if !name.is_empty() && name != device.server_name {
            api::rename_me(&device.token, &name).await?;
            session.update_device(|d| d.server_name = name);
        }
        Ok(())
    }
}

/// At most this many records, and about this many bytes, go in one push: well inside the
/// server's limits (5,000 records, 1 MiB), and small enough to get through a weak signal.
const PUSH_BATCH_RECORDS: usize = 500;
const PUSH_BATCH_BYTES: usize = 256 * 1024;

/// Splits the records to push into batches by count and approximate size.
pub fn push_batches(records: &[Record]) -> Vec<&[Record]> {
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, record) in records.iter().enumerate() {
        let size = serde_json::to_string(record).map_or(0, |s| s.len());
        if i > start && (i - start >= PUSH_BATCH_RECORDS || bytes + size > PUSH_BATCH_BYTES) {
            batches.push(&records[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < records.len() {
        batches.push(&records[start..]);
    }
    batches
}
