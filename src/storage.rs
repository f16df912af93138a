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

/// Removes the cluster's data from this device (leaving the cluster); the
/// settings (language, name) stay.
pub fn forget_cluster() {
    let raw = LocalStorage::raw();
    for key in keys() {
        if key.starts_with(RECORD_PREFIX) || key == DEVICE_KEY || key == OUTBOX_KEY {
            let _ = raw.remove_item(&key);
        }
    }
}
