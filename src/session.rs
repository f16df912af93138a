//! The cluster's data on this device, shared through context: every page
//! reads the same document, and every edit goes through `Session::write`,
//! which saves it on the device at once and queues it for sync.

use leptos::prelude::*;
use thidua_core::{role_in_force, validate, Body, Document, FieldError, RecordId, Role};

use crate::api::JoinResponse;
use crate::storage::{self, Device, Outbox, StorageProblem};

/// Why an edit was not made.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteError {
    NotJoined,
    Invalid(Vec<FieldError>),
    /// The edit is kept in memory but the device could not store it.
    Storage(StorageProblem),
}

#[derive(Clone, Copy)]
pub struct Session {
    pub device: RwSignal<Option<Device>>,
    pub doc: RwSignal<Document>,
    pub outbox: RwSignal<Outbox>,
    /// Stored values (records, settings, ...) found unreadable at start and set aside.
    pub damaged: RwSignal<usize>,
    /// The last failure to write to the device's storage, if it persists.
    pub storage_error: RwSignal<Option<StorageProblem>>,
    /// Bumped on every local edit; the sync loop watches it.
    pub edits: RwSignal<u64>,
    /// Set by a join until the officer has read where the phone now belongs.
    pub just_joined: RwSignal<bool>,
    /// What the device's storage holds, measured at start and after each sync.
    pub usage: RwSignal<storage::Usage>,
    /// This device's role now: the cluster's recorded head and deputy for its year decide,
    /// as on the server, so a rotation moves the head's screens with it; the invite's role
    /// otherwise. `None` until joined.
    pub role: Memo<Option<Role>>,
}

/// Loads what this device holds and shares it.
pub fn provide_session_context() -> Session {
    let device = storage::load_device();
    crate::platform::perf_start("thidua:load");
    let (doc, damaged) = match &device {
        Some(d) => storage::load_document(&d.cluster_id),
        None => (Document::new(placeholder_cluster()), 0),
    };
    crate::platform::perf_end("thidua:load");
    let outbox = storage::load_outbox(&doc, device.as_ref());
    let device = RwSignal::new(device);
    let doc = RwSignal::new(doc);
    let role = Memo::new(move |_| {
        let (unit, invite) = device.with(|d| d.as_ref().map(|d| (d.unit_id.clone(), d.role)))?;
        Some(doc.with(|doc| role_in_force(doc, &unit, invite)))
    });
    let session = Session {
        device,
        doc,
        role,
        outbox: RwSignal::new(outbox),
        damaged: RwSignal::new(storage::check_stored().max(damaged)),
        storage_error: RwSignal::new(None),
        edits: RwSignal::new(0),
        just_joined: RwSignal::new(false),
        usage: RwSignal::new(storage::usage()),
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

fn placeholder_cluster() -> RecordId {
    // A valid id that no server hands out; replaced at join.
    RecordId::new("none").unwrap_or_else(|_| unreachable!("\"none\" is a valid id"))
}

impl Session {
    /// Records the identity the server gave at join.
    pub fn joined(&self, answer: JoinResponse, name: String) {
        let device = Device {
            device_id: answer.device_id,
            token: answer.token,
            cluster_id: answer.cluster_id.clone(),
            cluster_name: answer.cluster_name,
            unit_id: answer.unit_id,
            role: answer.role,
            counter: 0,
            cursor: 0,
            pushes: 0,
            server_name: name,
        };
        self.remember(storage::save_device(&device));
        let (doc, damaged) = storage::load_document(&answer.cluster_id);
        self.doc.set(doc);
        self.damaged.set(damaged);
        self.device.set(Some(device));
        self.just_joined.set(true);
    }

    /// Forgets the cluster on this device.
    pub fn leave(&self) {
        storage::forget_cluster();
        self.usage.set(storage::usage());
        self.device.set(None);
        self.outbox.set(Outbox::default());
        self.doc.set(Document::new(placeholder_cluster()));
    }

    /// A new record id, unique to this device.
    pub fn new_id(&self) -> Option<RecordId> {
        self.update_device(|d| loop {
            let id = RecordId::derive(&d.device_id, d.counter);
            d.counter += 1;
            // A counter that could not be stored (device full) goes back at the next
            // start: skip the ids already taken rather than overwrite their records.
            if self.doc.with_untracked(|doc| doc.get(&id).is_none()) {
                break id;
            }
        })
    }

    /// Changes the device record and saves it; the one way it is written, so
    /// the id counter never goes back.
    pub fn update_device<T>(&self, change: impl FnOnce(&mut Device) -> T) -> Option<T> {
        let mut out = None;
        self.device.update(|d| {
            if let Some(d) = d {
                out = Some(change(d));
            }
        });
        if let Some(mut d) = self.device.get_untracked() {
            let flushed = self.flush_unsaved();
            if flushed.is_err() {
                // Not every record the cursor covers is stored: keep the stored cursor,
                // so that the next start pulls them again.
                if let Some(stored) = storage::load_device() {
                    d.cursor = d.cursor.min(stored.cursor);
                }
            }
            self.remember(flushed);
            self.remember(storage::save_device(&d));
        }
        out
    }

    /// After a storage failure, stores again all that only memory may hold (every
    /// record and the outbox), so that nothing the device's cursor covers is
    /// missing after a restart; clears the failure once it all fits.
    fn flush_unsaved(&self) -> Result<(), gloo_storage::errors::StorageError> {
        if self.storage_error.get_untracked().is_none() {
            return Ok(());
        }
        self.doc
            .with_untracked(|doc| doc.records.values().try_for_each(storage::save_record))?;
        storage::save_outbox(&self.outbox.get_untracked())?;
        self.storage_error.set(None);
        Ok(())
    }

    /// Validates and saves an edit on the device, and queues it for sync. Timed as the
    /// `thidua:write` performance measure.
    pub fn write(&self, id: RecordId, body: Body) -> Result<(), WriteError> {
        crate::platform::perf_start("thidua:write");
        let result = self.write_untimed(id, body);
        crate::platform::perf_end("thidua:write");
        result
    }

    fn write_untimed(&self, id: RecordId, body: Body) -> Result<(), WriteError> {
        let device = self.device.get_untracked().ok_or(WriteError::NotJoined)?;
        self.doc
            .with_untracked(|doc| validate(doc, &body))
            .map_err(WriteError::Invalid)?;
        self.commit(&id, |doc| {
            Some(doc.put(
                id.clone(),
                body,
                &device.device_id,
                Some(device.unit_id.clone()),
                chrono::Utc::now(),
            ))
        })
    }

    /// Deletes a record: a tombstone, synced like any edit and kept in its history.
    pub fn delete(&self, id: &RecordId) -> Result<(), WriteError> {
        let device = self.device.get_untracked().ok_or(WriteError::NotJoined)?;
        self.commit(id, |doc| {
            doc.delete(
                id,
                &device.device_id,
                Some(device.unit_id.clone()),
                chrono::Utc::now(),
            )
            .ok()
        })
    }

    /// Keeps one of a record's concurrent versions, as a new edit.
    pub fn resolve(&self, id: &RecordId, keep: usize) {
        let Some(device) = self.device.get_untracked() else {
            return;
        };
        let _ = self.commit(id, |doc| {
            doc.resolve(
                id,
                keep,
                &device.device_id,
                Some(device.unit_id.clone()),
                chrono::Utc::now(),
            )
            .ok()
        });
    }

    /// The one bookkeeping of every local edit: applies `change` to the document, stores the
    /// record it returns, queues it for sync (a new version answers an earlier refusal, so
    /// that refusal goes), and wakes the sync loop. A storage failure is kept visible; the
    /// edit stays in memory and in the outbox.
    fn commit(
        &self,
        id: &RecordId,
        change: impl FnOnce(&mut Document) -> Option<&thidua_core::Record>,
    ) -> Result<(), WriteError> {
        let flushed = self.flush_unsaved();
        let mut saved = Ok(());
        let mut changed = false;
        self.doc.update(|doc| {
            if let Some(record) = change(doc) {
                changed = true;
                saved = storage::save_record(record);
            }
        });
        if !changed {
            return Ok(());
        }
        self.outbox.update(|o| {
            o.dirty.insert(id.clone());
            o.rejected.remove(id);
        });
        let queued = storage::save_outbox(&self.outbox.get_untracked());
        // Every few hundred writes, the journal is folded into a compressed pack.
        let packed = self.pack();
        self.edits.update(|n| *n += 1);
        match flushed.and(saved).and(queued).and(packed) {
            Ok(()) => {
                self.storage_error.set(None);
                Ok(())
            }
            Err(err) => {
                let problem = StorageProblem::from(&err);
                self.storage_error.set(Some(problem.clone()));
                Err(WriteError::Storage(problem))
            }
        }
    }

    /// Queues records restored from a backup for sync. Pushing one the server already has
    /// changes nothing there, so every restored record goes, not only the unsynced ones.
    pub fn queue_restored(&self, ids: Vec<RecordId>) {
        if ids.is_empty() {
            return;
        }
        self.remember(self.pack());
        self.outbox.update(|o| o.dirty.extend(ids));
        self.remember(storage::save_outbox(&self.outbox.get_untracked()));
        self.edits.update(|n| *n += 1);
    }

    /// Folds the records written lately into a compressed pack when there are enough, and
    /// measures the storage again when it did.
    pub fn pack(&self) -> Result<(), gloo_storage::errors::StorageError> {
        if self.doc.with_untracked(storage::records::compact)? {
            self.usage.set(storage::usage());
        }
        Ok(())
    }

    /// Keeps a storage failure visible instead of dropping it.
    pub fn remember(&self, result: Result<(), gloo_storage::errors::StorageError>) {
        if let Err(err) = result {
            self.storage_error.set(Some(StorageProblem::from(&err)));
        }
    }

    /// Changes waiting to reach the server.
    pub fn waiting(&self) -> usize {
        self.outbox.with(|o| o.dirty.len())
    }
}
