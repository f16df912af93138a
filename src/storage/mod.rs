//! The only module that reads or writes localStorage.
//!
//! Like leptos' todomvc example, state lives in a signal and one `Effect`
//! mirrors it to storage, so every edit is on the device at once.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use gloo_storage::{errors::StorageError, LocalStorage, Storage};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use thidua_core::wire::RefusalCode;
use thidua_core::{DeviceId, Document, Record, RecordId, Role, UnitId};

use crate::i18n::Lang;

pub mod records;
use records::RECORD_PREFIX;

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

/// Reads the settings; missing data gives the defaults, and unreadable data
/// is set aside (see [`read_or_set_aside`]) before the defaults replace it.
pub fn load_settings() -> Settings {
    read_or_set_aside(SETTINGS_KEY).unwrap_or_default()
}

/// Why the device's storage refused a write, as the user is told.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageProblem {
    /// The browser's storage quota for this app is used up.
    Full,
    /// Any other refusal, in the browser's words.
    Other(String),
}

impl From<&StorageError> for StorageProblem {
    fn from(err: &StorageError) -> Self {
        match err {
            // Chromium and Safari name it QuotaExceededError; old Firefox,
            // NS_ERROR_DOM_QUOTA_REACHED.
            StorageError::JsError(js)
                if js.name == "QuotaExceededError"
                    || js.name.contains("QUOTA")
                    || js.message.to_lowercase().contains("quota") =>
            {
                StorageProblem::Full
            }
            other => StorageProblem::Other(other.to_string()),
        }
    }
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
const DAMAGED_PREFIX: &str = "thidua.damaged.";
const FORM_KEY: &str = "thidua.form";
/// A correction or a fix of a sent result while it is typed: apart from the new-report form,
/// so that finishing or leaving it never leaves a new report in correction mode.
const EDIT_FORM_KEY: &str = "thidua.form.edit";
const DRAFTS_KEY: &str = "thidua.drafts";
/// The board's last dashboard fetched, shown offline with its age.
const DASHBOARD_KEY: &str = "thidua.board.dashboard";
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
    /// The name the server lists this device by, once it has the holder's own.
    #[serde(default)]
    pub server_name: String,
}

/// Why the server refused a change: its code (said in the user's language) and its words.
/// Kept as `{code, reason}`; a code this app does not know is kept as it was sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub reason: String,
}

// Read by hand: outboxes written before refusals carried a code hold the reason alone, and
// serde's untagged enum for the two forms cost the app's wasm about 3 KB.
impl<'de> Deserialize<'de> for Refusal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RefusalVisitor)
    }
}

struct RefusalVisitor;

impl<'de> serde::de::Visitor<'de> for RefusalVisitor {
    type Value = Refusal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("{code, reason}, or a reason alone")
    }

    fn visit_str<E: serde::de::Error>(self, reason: &str) -> Result<Refusal, E> {
        Ok(Refusal {
            code: RefusalCode::default(),
            reason: reason.to_owned(),
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Refusal, A::Error> {
        let (mut code, mut reason) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => code = Some(map.next_value()?),
                "reason" => reason = Some(map.next_value()?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Refusal {
            code: code.ok_or_else(|| serde::de::Error::missing_field("code"))?,
            reason: reason.ok_or_else(|| serde::de::Error::missing_field("reason"))?,
        })
    }
}

/// Local changes not yet acknowledged by the server, and the ones it refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Outbox {
    pub dirty: BTreeSet<RecordId>,
    /// Refused by the server, with its reason; kept on the device, never dropped.
    pub rejected: BTreeMap<RecordId, Refusal>,
    /// When the server acknowledged each pledge, so the officer sees that the
    /// head has it (pledges only: few, and this is rewritten on every save).
    pub pledges_received: BTreeMap<RecordId, chrono::DateTime<chrono::Utc>>,
}

impl Outbox {
    /// Changes that exist only on this device: waiting to sync, or refused by the server.
    pub fn unsynced(&self) -> usize {
        self.dirty.len()
            + self
                .rejected
                .keys()
                .filter(|id| !self.dirty.contains(*id))
                .count()
    }
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
    /// The figure as typed (`5 triệu`, `2.000.000`); read by `thidua_core::parse_figure`.
    pub amount: String,
    pub items: String,
    pub item_count: String,
    pub nominee: String,
    pub collective: bool,
    /// The returned entry this one corrects.
    pub corrects: Option<RecordId>,
    /// The sent, not yet reviewed entry this form changes in place.
    pub edits: Option<RecordId>,
    /// The evidence attached (the bytes wait in IndexedDB, see `filestore`).
    pub files: Vec<thidua_core::files::FileRef>,
    pub saved_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl EntryDraft {
    /// Nothing typed yet beyond what a save keeps (campaign, kind, criterion, date).
    pub fn is_blank(&self) -> bool {
        self.title.is_empty()
            && self.description.is_empty()
            && self.amount.is_empty()
            && self.items.is_empty()
            && self.item_count.is_empty()
            && self.nominee.is_empty()
            && self.corrects.is_none()
            && self.edits.is_none()
            && self.files.is_empty()
    }

    /// What a new report keeps from the one just saved: the next is usually alike.
    pub fn next_report(&self) -> EntryDraft {
        EntryDraft {
            campaign: self.campaign.clone(),
            kind: self.kind,
            date: self.date.clone(),
            criterion: self.criterion.clone(),
            ..EntryDraft::default()
        }
    }
}

/// The board's last dashboard, if one was fetched on this device.
pub fn load_dashboard() -> Option<thidua_core::wire::Dashboard> {
    read_or_set_aside(DASHBOARD_KEY)
}

pub fn save_dashboard(dashboard: &thidua_core::wire::Dashboard) -> Result<(), StorageError> {
    LocalStorage::set(DASHBOARD_KEY, dashboard)
}

pub fn load_device() -> Option<Device> {
    read_or_set_aside(DEVICE_KEY)
}

pub fn save_device(device: &Device) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE_KEY, device)
}

/// Reads the outbox. When it was unreadable (and so set aside), which records
/// were unsynced is unknown: every record this device ever wrote is queued
/// again, which is harmless since the server merges what it already has.
pub fn load_outbox(doc: &Document, device: Option<&Device>) -> Outbox {
    let stored = LocalStorage::raw().get_item(OUTBOX_KEY).ok().flatten();
    match (read_or_set_aside::<Outbox>(OUTBOX_KEY), stored, device) {
        (Some(outbox), _, _) => outbox,
        (None, Some(_), Some(device)) => Outbox {
            dirty: doc
                .records
                .values()
                .filter(|r| r.clock().get(&device.device_id) > 0)
                .map(|r| r.id.clone())
                .collect(),
            ..Outbox::default()
        },
        (None, _, _) => Outbox::default(),
    }
}

pub fn save_outbox(outbox: &Outbox) -> Result<(), StorageError> {
    LocalStorage::set(OUTBOX_KEY, outbox)
}

/// Writes a record (to the journal of `records`, folded into packs by `records::compact`).
pub fn save_record(record: &Record) -> Result<(), StorageError> {
    records::save(record)
}

thread_local! {
    /// Values found unreadable since the app started and set aside.
    static SET_ASIDE: Cell<usize> = const { Cell::new(0) };
}

/// How many stored values were found unreadable and set aside since start.
pub fn set_aside_count() -> usize {
    SET_ASIDE.with(Cell::get)
}

/// Moves an unreadable value from `key` to `thidua.damaged.<name>`, where a
/// backup file still carries it, and counts it.
fn set_aside(key: &str, text: &str) {
    let raw = LocalStorage::raw();
    let name = key.strip_prefix(PREFIX).unwrap_or(key);
    let aside = format!("{DAMAGED_PREFIX}{name}");
    // Never overwrite an earlier damaged copy: number the new one.
    let aside = (1..)
        .map(|n| {
            if n == 1 {
                aside.clone()
            } else {
                format!("{aside}.{n}")
            }
        })
        .find(|k| raw.get_item(k).ok().flatten().is_none())
        .unwrap_or(aside);
    let _ = raw.set_item(&aside, text);
    let _ = raw.remove_item(key);
    SET_ASIDE.with(|n| n.set(n.get() + 1));
}

/// Reads `key`: `None` when it is missing, and when it cannot be read (bad
/// JSON, another shape) after setting it aside, so that the app starts with
/// the defaults instead of failing, and nothing is silently overwritten.
fn read_or_set_aside<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = LocalStorage::raw().get_item(key).ok().flatten()?;
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(_) => {
            set_aside(key, &text);
            None
        }
    }
}

/// Reads every single-valued key once at start, setting aside what cannot be
/// read; returns how many values were set aside so far (records included).
pub fn check_stored() -> usize {
    let _ = read_or_set_aside::<Settings>(SETTINGS_KEY);
    let _ = read_or_set_aside::<Device>(DEVICE_KEY);
    let _ = read_or_set_aside::<Outbox>(OUTBOX_KEY);
    let _ = read_or_set_aside::<EntryDraft>(FORM_KEY);
    let _ = read_or_set_aside::<EntryDraft>(EDIT_FORM_KEY);
    let _ = read_or_set_aside::<Vec<EntryDraft>>(DRAFTS_KEY);
    set_aside_count()
}

/// Every key of this origin's localStorage.
fn keys() -> Vec<String> {
    let raw = LocalStorage::raw();
    let len = raw.length().unwrap_or(0);
    (0..len).filter_map(|i| raw.key(i).ok().flatten()).collect()
}

/// Reads the cluster's document. A record (or a pack of them) that cannot be read is moved
/// aside under `thidua.damaged.` (for recovery) and counted, never silently lost.
pub fn load_document(cluster: &RecordId) -> (Document, usize) {
    records::load(cluster, &keys(), set_aside)
}

/// The new report being typed. A form stored by an older version while it corrected a
/// result or held a draft is not a new report: only its campaign is kept.
pub fn load_form() -> EntryDraft {
    let form: EntryDraft = read_or_set_aside(FORM_KEY).unwrap_or_default();
    if form.corrects.is_some() || form.edits.is_some() || !form.key.is_empty() {
        return EntryDraft {
            campaign: form.campaign,
            ..EntryDraft::default()
        };
    }
    form
}

pub fn save_form(form: &EntryDraft) -> Result<(), StorageError> {
    LocalStorage::set(FORM_KEY, form)
}

/// The correction (`fixing` false) or fix (`fixing` true) of `id` being typed, if any.
pub fn load_edit_form(id: &RecordId, fixing: bool) -> Option<EntryDraft> {
    read_or_set_aside::<EntryDraft>(EDIT_FORM_KEY).filter(|f| {
        if fixing {
            f.edits.as_ref() == Some(id)
        } else {
            f.edits.is_none() && f.corrects.as_ref() == Some(id)
        }
    })
}

/// The correction or fix being typed, whichever result it is for.
pub fn load_any_edit_form() -> Option<EntryDraft> {
    read_or_set_aside::<EntryDraft>(EDIT_FORM_KEY)
}

pub fn save_edit_form(form: &EntryDraft) -> Result<(), StorageError> {
    LocalStorage::set(EDIT_FORM_KEY, form)
}

/// Ends a correction or fix (saved or cancelled).
pub fn clear_edit_form() {
    LocalStorage::delete(EDIT_FORM_KEY);
}

pub fn load_drafts() -> Vec<EntryDraft> {
    read_or_set_aside(DRAFTS_KEY).unwrap_or_default()
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
    /// Evidence files the server had not got when the backup was made (older backups have
    /// none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<BackupFile>,
}

/// An evidence file in a backup: its reference and its bytes in base64.
#[derive(Serialize, Deserialize)]
pub struct BackupFile {
    #[serde(flatten)]
    pub file: thidua_core::files::FileRef,
    pub base64: String,
}

impl BackupFile {
    pub fn new(file: thidua_core::files::FileRef, bytes: &[u8]) -> Self {
        use base64::Engine;
        Self {
            file,
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The file and its bytes, if they read as base64.
    pub fn open(self) -> Option<(thidua_core::files::FileRef, Vec<u8>)> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.base64)
            .ok()?;
        Some((self.file, bytes))
    }
}

/// The evidence files a backup file carries (none if it is not one).
pub fn backup_files(text: &str) -> Vec<(thidua_core::files::FileRef, Vec<u8>)> {
    serde_json::from_str::<Backup>(text)
        .map(|b| b.files.into_iter().filter_map(BackupFile::open).collect())
        .unwrap_or_default()
}

pub const BACKUP_APP: &str = "thidua-backup-1";

/// Everything of this app on the device, for a backup file: what is stored,
/// overlaid with what is only in memory because storage refused it (the
/// unsynced records, the outbox and the device), so that a backup made when
/// the device is full still holds the latest entries.
pub fn backup(doc: &Document, outbox: &Outbox, device: Option<&Device>) -> Backup {
    let raw = LocalStorage::raw();
    // Who the device is goes in below, without its sign-in token.
    let mut items: BTreeMap<String, String> = keys()
        .into_iter()
        .filter(|k| k.starts_with(PREFIX) && k != DEVICE_KEY)
        .filter_map(|k| raw.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    let mut overlay = |key: String, value: Result<String, serde_json::Error>| {
        if let Ok(value) = value {
            items.insert(key, value);
        }
    };
    for record in doc.changed_records(&outbox.dirty) {
        overlay(
            format!("{RECORD_PREFIX}{}", record.id),
            serde_json::to_string(&record),
        );
    }
    overlay(OUTBOX_KEY.to_owned(), serde_json::to_string(outbox));
    // Whoever receives the file must not be able to act as this phone: no token. A phone
    // restoring it joins with an invite link first.
    if let Some(device) = device {
        let without_token = Device {
            token: String::new(),
            ..device.clone()
        };
        overlay(DEVICE_KEY.to_owned(), serde_json::to_string(&without_token));
    }
    Backup {
        app: BACKUP_APP.to_owned(),
        made_at: chrono::Utc::now(),
        items,
        files: Vec::new(),
    }
}

/// Why a backup file was not restored.
#[derive(Debug, PartialEq)]
pub enum RestoreError {
    NotABackup,
    OtherCluster,
    /// The phone has not joined: a backup holds no sign-in, so it joins with a link first.
    JoinFirst,
    Storage(String),
}

/// Brings a backup's records into `doc` as this device's own writing: what this phone wrote
/// is applied as it is; what another phone wrote and the document lacks (results it never
/// sent, edits it made offline) is written again as a new version by this device. A version
/// may not speak for another device's writes, so that is how they reach the server; and if the
/// old phone comes back and sends them itself, each is still one record (same id), its two
/// versions saying the same. Returns the records that changed.
pub fn take_over(
    doc: &mut Document,
    records: Vec<Record>,
    mine: &Device,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<RecordId> {
    let mut changed = Vec::new();
    for record in records {
        let Some(winner) = record.winner().cloned() else {
            continue;
        };
        // Nothing new: the document has it all, or already says what it says (taken over by
        // an earlier restore of the same file).
        let new = doc.get(&record.id).is_none_or(|existing| {
            existing.merge(&record) != *existing
                && !existing.heads.iter().any(|h| h.body == winner.body)
        });
        if !new {
            continue;
        }
        let id = record.id.clone();
        if winner.author == mine.device_id {
            doc.apply([record]);
        } else {
            let author = (&mine.device_id, Some(mine.unit_id.clone()));
            match winner.body {
                Some(body) => {
                    doc.put(id.clone(), body, author.0, author.1, now);
                }
                None if doc.get(&id).is_some() => {
                    let _ = doc.delete(&id, author.0, author.1, now);
                }
                None => continue,
            }
        }
        changed.push(id);
    }
    changed
}

/// Restores a backup into this joined device: records are merged (never replacing a newer
/// version) and drafts are added. The device keeps its own identity: a backup carries no
/// sign-in token, so it never makes a phone act as another. Returns the records that changed
/// here, which the caller queues for sync: a backup can hold entries the server never received.
pub fn restore(
    text: &str,
    doc: &mut Document,
    device: Option<&Device>,
) -> Result<Vec<RecordId>, RestoreError> {
    let backup: Backup = serde_json::from_str(text).map_err(|_| RestoreError::NotABackup)?;
    if backup.app != BACKUP_APP {
        return Err(RestoreError::NotABackup);
    }
    let their_device = backup
        .items
        .get(DEVICE_KEY)
        .and_then(|v| serde_json::from_str::<Device>(v).ok());
    let Some(mine) = device else {
        return Err(RestoreError::JoinFirst);
    };
    let mine = mine.clone();
    if their_device
        .as_ref()
        .is_some_and(|theirs| theirs.cluster_id != mine.cluster_id)
    {
        return Err(RestoreError::OtherCluster);
    }
    // The packs first, then the records written after them (a later copy merges over).
    let mut records: Vec<Record> = backup
        .items
        .iter()
        .filter(|(k, _)| k.starts_with(records::PACK_PREFIX))
        .filter_map(|(_, v)| records::decode(v))
        .flatten()
        .collect();
    records.extend(
        backup
            .items
            .iter()
            .filter(|(k, _)| k.starts_with(RECORD_PREFIX))
            .filter_map(|(_, v)| serde_json::from_str::<Record>(v).ok()),
    );
    let changed = take_over(doc, records, &mine, chrono::Utc::now());
    for id in &changed {
        if let Some(record) = doc.get(id) {
            save_record(record).map_err(|e| RestoreError::Storage(e.to_string()))?;
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
    Ok(changed)
}

/// What the browsers give one site in localStorage, in UTF-16 units: Chromium's 5,242,880
/// (10 MiB); Firefox and Safari give about as much. There is no API that says it.
pub const LOCAL_STORAGE_UNITS: usize = 5_242_880;

/// What this app keeps in localStorage, in UTF-16 units (as browsers count), by what uses it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    /// The cluster's records (packs and journal).
    pub records: usize,
    /// Drafts and the forms being typed.
    pub drafts: usize,
    /// Everything else (settings, device, outbox, set-aside values).
    pub other: usize,
}

impl Usage {
    pub fn total(&self) -> usize {
        self.records + self.drafts + self.other
    }

    /// The share of what the browser allows, 0–1.
    pub fn fraction(&self) -> f64 {
        self.total() as f64 / LOCAL_STORAGE_UNITS as f64
    }
}

/// What this app keeps in localStorage now.
pub fn usage() -> Usage {
    let raw = LocalStorage::raw();
    let mut usage = Usage::default();
    for key in keys().into_iter().filter(|k| k.starts_with(PREFIX)) {
        let value = raw.get_item(&key).ok().flatten().unwrap_or_default();
        let units = key.encode_utf16().count() + value.encode_utf16().count();
        if key.starts_with(RECORD_PREFIX) || key.starts_with(records::PACK_PREFIX) {
            usage.records += units;
        } else if key == DRAFTS_KEY || key == FORM_KEY || key == EDIT_FORM_KEY {
            usage.drafts += units;
        } else {
            usage.other += units;
        }
    }
    usage
}

/// Bytes this app keeps in localStorage (UTF-16, as browsers count).
pub fn bytes_used() -> usize {
    usage().total() * 2
}

/// Removes the cluster's data from this device (leaving the cluster); the
/// settings (language, name) stay.
pub fn forget_cluster() {
    records::forget();
    let raw = LocalStorage::raw();
    for key in keys() {
        if key.starts_with(RECORD_PREFIX)
            || key.starts_with(records::PACK_PREFIX)
            || [
                DEVICE_KEY,
                OUTBOX_KEY,
                FORM_KEY,
                EDIT_FORM_KEY,
                DRAFTS_KEY,
                DASHBOARD_KEY,
            ]
            .contains(&key.as_str())
        {
            let _ = raw.remove_item(&key);
        }
    }
}
