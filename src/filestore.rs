//! The only module that touches IndexedDB: the evidence files kept on this phone (localStorage
//! cannot hold photos). Two stores: `meta` (one small record per file: its reference and where
//! its upload stands, listed at start) and `blobs` (the bytes, read only when shown or sent).
//! A file is kept here from the moment it is attached, through reloads and restarts, until the
//! server has it whole.

use std::collections::BTreeMap;

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use thidua_core::files::FileRef;
use wasm_bindgen::JsValue;

const DB: &str = "thidua-files";
const META: &str = "meta";
const BLOBS: &str = "blobs";

/// Where a file's upload stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Upload {
    /// On this phone only.
    Local,
    /// Part of it is on the server.
    Sending { offset: u64 },
    /// The server has it whole (the bytes may then be let go of).
    Received,
    /// The server refused it: its code and its words.
    Refused { code: String, reason: String },
}

/// A file on this phone: its reference and its upload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalFile {
    #[serde(flatten)]
    pub file: FileRef,
    pub upload: Upload,
    /// The cluster it was attached in (a phone that leaves drops only that cluster's files).
    pub cluster: String,
}

/// Why the phone could not keep or read a file.
#[derive(Clone, Debug, PartialEq)]
pub enum FileStoreError {
    /// The browser's storage for this site is full.
    Full,
    /// IndexedDB is not there (a private window of an old browser) or failed.
    Unavailable(String),
}

fn error(e: impl std::fmt::Display + std::fmt::Debug) -> FileStoreError {
    let text = e.to_string();
    // The browser's own words for a full store are in the error it carries (its Debug form):
    // `QuotaExceededError`, or an abort of the transaction for the quota.
    if format!("{text} {e:?}").to_lowercase().contains("quota") {
        FileStoreError::Full
    } else {
        FileStoreError::Unavailable(text)
    }
}

async fn open() -> Result<Rexie, FileStoreError> {
    Rexie::builder(DB)
        .version(1)
        .add_object_store(ObjectStore::new(META).key_path("hash"))
        .add_object_store(ObjectStore::new(BLOBS))
        .build()
        .await
        .map_err(error)
}

/// As a plain object (not a `Map`, which serde writes for a flattened struct): IndexedDB
/// finds the `hash` key path only on an object.
fn to_js(file: &LocalFile) -> Result<JsValue, FileStoreError> {
    use serde::Serialize as _;
    file.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(error)
}

/// Keeps a file and its bytes, in one transaction: both or neither.
pub async fn put(file: &LocalFile, bytes: &web_sys::Blob) -> Result<(), FileStoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[META, BLOBS], TransactionMode::ReadWrite)
        .map_err(error)?;
    let key = JsValue::from_str(&file.file.hash);
    tx.store(BLOBS)
        .map_err(error)?
        .put(bytes, Some(&key))
        .await
        .map_err(error)?;
    tx.store(META)
        .map_err(error)?
        .put(&to_js(file)?, None)
        .await
        .map_err(error)?;
    tx.done().await.map_err(error)?;
    Ok(())
}

/// Notes where a file's upload stands.
pub async fn set_upload(file: &LocalFile) -> Result<(), FileStoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[META], TransactionMode::ReadWrite)
        .map_err(error)?;
    tx.store(META)
        .map_err(error)?
        .put(&to_js(file)?, None)
        .await
        .map_err(error)?;
    tx.done().await.map_err(error)?;
    Ok(())
}

/// Every file kept on this phone, by hash (without their bytes).
pub async fn list() -> Result<BTreeMap<String, LocalFile>, FileStoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[META], TransactionMode::ReadOnly)
        .map_err(error)?;
    let all = tx
        .store(META)
        .map_err(error)?
        .get_all(None, None)
        .await
        .map_err(error)?;
    Ok(all
        .into_iter()
        .filter_map(|v| serde_wasm_bindgen::from_value::<LocalFile>(v).ok())
        .map(|f| (f.file.hash.clone(), f))
        .collect())
}

/// A file's bytes, if this phone still has them.
pub async fn bytes(hash: &str) -> Result<Option<web_sys::Blob>, FileStoreError> {
    use wasm_bindgen::JsCast;
    let db = open().await?;
    let tx = db
        .transaction(&[BLOBS], TransactionMode::ReadOnly)
        .map_err(error)?;
    let value = tx
        .store(BLOBS)
        .map_err(error)?
        .get(JsValue::from_str(hash))
        .await
        .map_err(error)?;
    Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}

/// Removes a file and its bytes (taken off a result before it was sent, or the cluster left).
pub async fn remove(hash: &str) -> Result<(), FileStoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[META, BLOBS], TransactionMode::ReadWrite)
        .map_err(error)?;
    let key = JsValue::from_str(hash);
    tx.store(META)
        .map_err(error)?
        .delete(key.clone())
        .await
        .map_err(error)?;
    tx.store(BLOBS)
        .map_err(error)?
        .delete(key)
        .await
        .map_err(error)?;
    tx.done().await.map_err(error)?;
    Ok(())
}
