//! The cluster's records in localStorage, in two parts:
//! - a journal: each record just written under its own key (`thidua.rec.<id>`), so a save
//!   writes one small value, as it always did;
//! - packs (`thidua.pack.<n>`): every [`PACK_SIZE`] journal records are folded into one value,
//!   compressed (lz-string's UTF-16 form, which localStorage holds as it is).
//!
//! A head's phone holds a whole year of a cluster; as plain JSON 10,000 entries filled 98% of
//! the 5,242,880 UTF-16 units Chromium gives an origin. Records of one cluster repeat their
//! field names, ids, dates and much of their words, so a pack takes a fraction of the space.
//! Loading reads the packs in order, then the journal: a later copy of a record (an edit) is
//! merged over an earlier one, as sync merges versions. A pack most of whose records have
//! newer copies elsewhere is written again without them.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use gloo_storage::{errors::StorageError, LocalStorage, Storage};
use thidua_core::{Document, Record, RecordId};

pub(super) const RECORD_PREFIX: &str = "thidua.rec.";
pub(super) const PACK_PREFIX: &str = "thidua.pack.";
/// Records folded into one pack: big enough to compress well, small enough that making one
/// takes a few tens of milliseconds on a phone.
pub const PACK_SIZE: usize = 250;

/// Where each record's latest stored copy is, so that packs know their stale records.
#[derive(Default)]
struct Index {
    /// Records whose latest copy is in the journal.
    journal: BTreeSet<RecordId>,
    /// Per pack: how many records it holds, and which of them are the latest copies.
    packs: BTreeMap<u32, (usize, BTreeSet<RecordId>)>,
    /// The pack holding each record's latest packed copy.
    packed_in: BTreeMap<RecordId, u32>,
}

thread_local! {
    static INDEX: RefCell<Index> = RefCell::new(Index::default());
}

/// A refusal of the browser's storage (full, or other), as gloo's own calls report it.
fn js_error(value: wasm_bindgen::JsValue) -> StorageError {
    use wasm_bindgen::JsCast;
    let error = value
        .dyn_into::<js_sys::Error>()
        .unwrap_or_else(|v| js_sys::Error::new(&format!("{v:?}")));
    StorageError::JsError(error.into())
}

fn pack_key(n: u32) -> String {
    format!("{PACK_PREFIX}{n}")
}

/// The pack numbers in localStorage, in the order they were written.
fn pack_numbers(keys: &[String]) -> Vec<u32> {
    let mut numbers: Vec<u32> = keys
        .iter()
        .filter_map(|k| k.strip_prefix(PACK_PREFIX)?.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers
}

/// `records` as one pack value.
fn encode(records: &[&Record]) -> Result<String, serde_json::Error> {
    Ok(lz_str::compress_to_utf16(
        serde_json::to_string(records)?.as_str(),
    ))
}

/// A pack value's records, or `None` when it cannot be read.
pub(super) fn decode(text: &str) -> Option<Vec<Record>> {
    let units = lz_str::decompress_from_utf16(text)?;
    let json = String::from_utf16(&units).ok()?;
    serde_json::from_str(&json).ok()
}

/// Reads the cluster's records: the packs, then the journal. A value that cannot be read is
/// set aside by `set_aside` (for recovery) and counted.
pub(super) fn load(
    cluster: &RecordId,
    keys: &[String],
    set_aside: impl Fn(&str, &str),
) -> (Document, usize) {
    let raw = LocalStorage::raw();
    let mut doc = Document::new(cluster.clone());
    let mut damaged = 0;
    let mut index = Index::default();
    for n in pack_numbers(keys) {
        let key = pack_key(n);
        let Ok(Some(text)) = raw.get_item(&key) else {
            continue;
        };
        let Some(records) = decode(&text) else {
            damaged += 1;
            set_aside(&key, &text);
            continue;
        };
        let mut live = BTreeSet::new();
        for record in &records {
            // A later pack holds the newer copy: the earlier one is stale.
            if let Some(earlier) = index.packed_in.insert(record.id.clone(), n) {
                if let Some((_, ids)) = index.packs.get_mut(&earlier) {
                    ids.remove(&record.id);
                }
            }
            live.insert(record.id.clone());
        }
        index.packs.insert(n, (records.len(), live));
        doc.apply(records);
    }
    for key in keys.iter().filter(|k| k.starts_with(RECORD_PREFIX)) {
        let Ok(Some(text)) = raw.get_item(key) else {
            continue;
        };
        match serde_json::from_str::<Record>(&text) {
            Ok(record) => {
                index.journal.insert(record.id.clone());
                doc.apply([record]);
            }
            Err(_) => {
                damaged += 1;
                set_aside(key, &text);
            }
        }
    }
    INDEX.with(|i| *i.borrow_mut() = index);
    (doc, damaged)
}

/// Writes a record to the journal.
pub(super) fn save(record: &Record) -> Result<(), StorageError> {
    LocalStorage::set(format!("{RECORD_PREFIX}{}", record.id), record)?;
    INDEX.with(|i| i.borrow_mut().journal.insert(record.id.clone()));
    Ok(())
}

/// Records in the journal now.
pub fn journal_len() -> usize {
    INDEX.with(|i| i.borrow().journal.len())
}

/// Folds the journal into packs while it holds a pack's worth, then writes again a pack that
/// is mostly stale. Called after writes and pulls; each pack made costs tens of milliseconds,
/// once every [`PACK_SIZE`] records. Says whether it packed anything.
pub fn compact(doc: &Document) -> Result<bool, StorageError> {
    if journal_len() < PACK_SIZE {
        return Ok(false);
    }
    while journal_len() >= PACK_SIZE {
        let ids: Vec<RecordId> =
            INDEX.with(|i| i.borrow().journal.iter().take(PACK_SIZE).cloned().collect());
        let next = INDEX.with(|i| i.borrow().packs.keys().next_back().map_or(0, |n| n + 1));
        write_pack(doc, next, &ids)?;
        let raw = LocalStorage::raw();
        INDEX.with(|i| {
            let mut index = i.borrow_mut();
            for id in &ids {
                index.journal.remove(id);
            }
        });
        for id in &ids {
            let _ = raw.remove_item(&format!("{RECORD_PREFIX}{id}"));
        }
    }
    // At most one stale pack a call: the work stays small.
    let stale = INDEX.with(|i| {
        i.borrow()
            .packs
            .iter()
            .find(|(_, (len, live))| live.len() * 2 < *len)
            .map(|(n, (_, live))| (*n, live.iter().cloned().collect::<Vec<_>>()))
    });
    if let Some((n, live)) = stale {
        if live.is_empty() {
            LocalStorage::raw()
                .remove_item(&pack_key(n))
                .map_err(js_error)?;
            INDEX.with(|i| i.borrow_mut().packs.remove(&n));
        } else {
            write_pack(doc, n, &live)?;
        }
    }
    Ok(true)
}

/// Writes pack `n` with the current copies of `ids` from `doc`, and notes that those copies
/// are now the latest packed ones.
fn write_pack(doc: &Document, n: u32, ids: &[RecordId]) -> Result<(), StorageError> {
    let records: Vec<&Record> = ids.iter().filter_map(|id| doc.get(id)).collect();
    let text = encode(&records).map_err(StorageError::SerdeError)?;
    LocalStorage::raw()
        .set_item(&pack_key(n), &text)
        .map_err(js_error)?;
    INDEX.with(|i| {
        let mut index = i.borrow_mut();
        let mut live = BTreeSet::new();
        for record in &records {
            if let Some(earlier) = index.packed_in.insert(record.id.clone(), n) {
                if earlier != n {
                    if let Some((_, ids)) = index.packs.get_mut(&earlier) {
                        ids.remove(&record.id);
                    }
                }
            }
            live.insert(record.id.clone());
        }
        index.packs.insert(n, (records.len(), live));
    });
    Ok(())
}

/// Forgets the index (the cluster was left; its keys are removed by the caller).
pub(super) fn forget() {
    INDEX.with(|i| *i.borrow_mut() = Index::default());
}
