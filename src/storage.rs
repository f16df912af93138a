//! The only module that reads or writes localStorage.
//!
//! Like leptos' todomvc example, state lives in a signal and one `Effect`
//! mirrors it to storage, so every edit is on the device at once.

use std::collections::{BTreeMap, BTreeSet};

use gloo_storage::{errors::StorageError, LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use thidua_core::{DeviceId, Document, Record, RecordId, Role, UnitId};

use crate::i18n::Lang;

const SETTINGS_KEY: &str = "thidua.settings";

/// What the user set on this device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub officer_name: String,
    /// Whether the browser granted persistent storage; `None` until asked.
    pub persistent: Option<bool>,
}

/// Reads the settings; missing or unreadable data gives the defaults.
pub fn load_settings() -> Settings {
    LocalStorage::get(SETTINGS_KEY).unwrap_or_default()
}

/// Writes the settings.
pub fn save_settings(settings: &Settings) -> Result<(), StorageError> {
    LocalStorage::set(SETTINGS_KEY, settings)
}

/// The settings, shared through context because the header (language), the
/// pages and the storage effect all read and write the same value.
#[derive(Clone, Copy)]
pub struct SettingsCtx(pub RwSignal<Settings>);

/// Loads the settings, shares them, and mirrors every change to localStorage.
pub fn provide_settings_context() -> SettingsCtx {
    let ctx = SettingsCtx(RwSignal::new(load_settings()));
    Effect::new(move |_| {
        let settings = ctx.0.get();
        if let Err(err) = save_settings(&settings) {
            leptos::logging::warn!("could not save settings: {err}");
        }
    });
    provide_context(ctx);
    ctx
}

/// The settings from context.
pub fn use_settings() -> SettingsCtx {
    expect_context::<SettingsCtx>()
}

// ---------------------------------------------------------------------------
// The cluster's data on this device.
//
// Each record has its own key, so saving one entry writes one small value
// whatever the size of the document.

const DEVICE_KEY: &str = "thidua.device";
const OUTBOX_KEY: &str = "thidua.outbox";
const RECORD_PREFIX: &str = "thidua.rec.";
const DAMAGED_PREFIX: &str = "thidua.damaged.";
const FORM_KEY: &str = "thidua.form";
const DRAFTS_KEY: &str = "thidua.drafts";
/// Everything of this app in localStorage starts with this.
const PREFIX: &str = "thidua.";

/// Who this device is in the cluster, from the join, and where its sync stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub device_id: DeviceId,
    pub token: String,
    pub cluster_id: RecordId,
    #[serde(default)]
    pub cluster_name: String,
    pub unit_id: UnitId,
    pub role: Role,
    /// The next number for ids made on this device.
    pub counter: u64,
    /// The server's change cursor of the last pull.
    pub cursor: u64,
    /// Numbers each push, so that the server can tell pushes apart.
    #[serde(default)]
    pub pushes: u64,
}

/// Local changes not yet acknowledged by the server, and the ones it refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Outbox {
    pub dirty: BTreeSet<RecordId>,
    /// Refused by the server, with its reason; kept on the device, never dropped.
    pub rejected: BTreeMap<RecordId, String>,
    /// When the server acknowledged each pledge, so the officer sees that the
    /// head has it (pledges only: few, and this is rewritten on every save).
    pub pledges_received: BTreeMap<RecordId, chrono::DateTime<chrono::Utc>>,
}

/// A report being written, kept on the device at every keystroke; also the
/// shape of a saved draft.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryDraft {
    /// Local key of a saved draft; empty for the form in progress.
    pub key: String,
    pub campaign: String,
    pub criterion: String,
    pub kind: Option<thidua_core::EntryKind>,
    pub title: String,
    pub description: String,
    /// As typed, `dd/mm/yyyy`.
    pub date: String,
    /// Digits as typed, shown grouped.
    pub amount: String,
    pub items: String,
    pub item_count: String,
    pub nominee: String,
    pub collective: bool,
    /// The returned entry this one corrects.
    pub corrects: Option<RecordId>,
    pub saved_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn load_device() -> Option<Device> {
    LocalStorage::get(DEVICE_KEY).ok()
}

pub fn save_device(device: &Device) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE_KEY, device)
}

pub fn load_outbox() -> Outbox {
    LocalStorage::get(OUTBOX_KEY).unwrap_or_default()
}

pub fn save_outbox(outbox: &Outbox) -> Result<(), StorageError> {
    LocalStorage::set(OUTBOX_KEY, outbox)
}

pub fn save_record(record: &Record) -> Result<(), StorageError> {
    LocalStorage::set(format!("{RECORD_PREFIX}{}", record.id), record)
}

/// Every key of this origin's localStorage.
fn keys() -> Vec<String> {
    let raw = LocalStorage::raw();
    let len = raw.length().unwrap_or(0);
    (0..len).filter_map(|i| raw.key(i).ok().flatten()).collect()
}

/// Reads the cluster's document. A record that cannot be read is moved aside
/// under `thidua.damaged.` (for recovery) and counted, never silently lost.
pub fn load_document(cluster: &RecordId) -> (Document, usize) {
    let raw = LocalStorage::raw();
    let mut doc = Document::new(cluster.clone());
    let mut damaged = 0;
    for key in keys().into_iter().filter(|k| k.starts_with(RECORD_PREFIX)) {
        let Ok(Some(text)) = raw.get_item(&key) else {
            continue;
        };
        match serde_json::from_str::<Record>(&text) {
            Ok(record) => {
                doc.apply([record]);
            }
            Err(_) => {
                damaged += 1;
                let aside = format!("{DAMAGED_PREFIX}{}", &key[RECORD_PREFIX.len()..]);
                let _ = raw.set_item(&aside, &text);
                let _ = raw.remove_item(&key);
            }
        }
    }
    (doc, damaged)
}

pub fn load_form() -> EntryDraft {
    LocalStorage::get(FORM_KEY).unwrap_or_default()
}

pub fn save_form(form: &EntryDraft) -> Result<(), StorageError> {
    LocalStorage::set(FORM_KEY, form)
}

pub fn load_drafts() -> Vec<EntryDraft> {
    LocalStorage::get(DRAFTS_KEY).unwrap_or_default()
}

pub fn save_drafts(drafts: &[EntryDraft]) -> Result<(), StorageError> {
    LocalStorage::set(DRAFTS_KEY, drafts)
}

/// A backup file: every value this app keeps on the device, as stored.
#[derive(Serialize, Deserialize)]
pub struct Backup {
    pub app: String,
    pub made_at: chrono::DateTime<chrono::Utc>,
    pub items: BTreeMap<String, String>,
}

pub const BACKUP_APP: &str = "thidua-backup-1";

/// Everything of this app on the device, for a backup file.
pub fn backup() -> Backup {
    let raw = LocalStorage::raw();
    let items = keys()
        .into_iter()
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| raw.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    Backup {
        app: BACKUP_APP.to_owned(),
        made_at: chrono::Utc::now(),
        items,
    }
}

/// Why a backup file was not restored.
#[derive(Debug, PartialEq)]
pub enum RestoreError {
    NotABackup,
    OtherCluster,
    Storage(String),
}

/// Restores a backup into this device: records are merged (never replacing a
/// newer version), drafts are added, and the device identity is restored
/// only if this device has none. Returns how many records were merged in.
pub fn restore(
    text: &str,
    doc: &mut Document,
    device: Option<&Device>,
) -> Result<usize, RestoreError> {
    let backup: Backup = serde_json::from_str(text).map_err(|_| RestoreError::NotABackup)?;
    if backup.app != BACKUP_APP {
        return Err(RestoreError::NotABackup);
    }
    let their_device = backup
        .items
        .get(DEVICE_KEY)
        .and_then(|v| serde_json::from_str::<Device>(v).ok());
    if let (Some(mine), Some(theirs)) = (device, &their_device) {
        if mine.cluster_id != theirs.cluster_id {
            return Err(RestoreError::OtherCluster);
        }
    }
    let records: Vec<Record> = backup
        .items
        .iter()
        .filter(|(k, _)| k.starts_with(RECORD_PREFIX))
        .filter_map(|(_, v)| serde_json::from_str(v).ok())
        .collect();
    let changed = doc.apply(records);
    for id in &changed {
        if let Some(record) = doc.get(id) {
            save_record(record).map_err(|e| RestoreError::Storage(e.to_string()))?;
        }
    }
    if device.is_none() {
        if let Some(theirs) = their_device {
            save_device(&theirs).map_err(|e| RestoreError::Storage(e.to_string()))?;
        }
    }
    if let Some(theirs) = backup
        .items
        .get(DRAFTS_KEY)
        .and_then(|v| serde_json::from_str::<Vec<EntryDraft>>(v).ok())
    {
        let mut drafts = load_drafts();
        for draft in theirs {
            if !drafts.iter().any(|d| d.key == draft.key) {
                drafts.push(draft);
            }
        }
        save_drafts(&drafts).map_err(|e| RestoreError::Storage(e.to_string()))?;
    }
    Ok(changed.len())
}

/// Bytes this app keeps in localStorage (UTF-16, as browsers count).
pub fn bytes_used() -> usize {
    let raw = LocalStorage::raw();
    keys()
        .into_iter()
        .filter(|k| k.starts_with(PREFIX))
        .map(|k| {
            let value = raw.get_item(&k).ok().flatten().unwrap_or_default();
            (k.encode_utf16().count() + value.encode_utf16().count()) * 2
        })
        .sum()
}

/// Removes the cluster's data from this device (leaving the cluster); the
/// settings (language, name) stay.
pub fn forget_cluster() {
    let raw = LocalStorage::raw();
    for key in keys() {
        if key.starts_with(RECORD_PREFIX)
            || [DEVICE_KEY, OUTBOX_KEY, FORM_KEY, DRAFTS_KEY].contains(&key.as_str())
        {
            let _ = raw.remove_item(&key);
        }
    }
}
