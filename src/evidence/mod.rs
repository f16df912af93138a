//! Evidence (minh chứng) on this phone: the files attached to results, where each one's upload
//! stands, and the loop that sends them. Files are kept in IndexedDB (`filestore`) the moment
//! they are attached; a result's record is pushed at once and never waits for its files, which
//! follow after it (the server takes a file only once a record of the cluster lists it), in
//! chunks by offset, so a cut upload goes on from where it stopped.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use thidua_core::files::{FileRef, MAX_FILES};
use thidua_core::wire::{ErrorCode, FileProgress};

use crate::api::{self, ApiError};
use crate::filestore::{self, FileStoreError, LocalFile, Upload};
use crate::photo::{self, PrepareError};
use crate::session::Session;

pub mod view;

/// Bytes sent in one request: small enough that a cut costs little and progress moves on a
/// slow line, well under the server's chunk limit.
const CHUNK: usize = 256 * 1024;

/// Where a file stands, as the officer and the head read it.
#[derive(Clone, Debug, PartialEq)]
pub enum FileState {
    /// Kept on this phone, not sent yet.
    OnPhoneOnly,
    /// Being sent: the percentage the server holds.
    Sending(u64),
    /// The server holds it whole.
    Received,
    /// The server refused it, and why.
    Refused(ErrorCode),
    /// The server does not hold it (yet): another phone has not sent it.
    NotArrived,
    /// Not known: nobody asked the server yet (offline).
    Unknown,
}

/// Why a picked file was not attached.
#[derive(Clone, Debug, PartialEq)]
pub enum AttachError {
    Prepare(PrepareError),
    Store(FileStoreError),
    NotJoined,
}

/// A file shown on screen: an object URL of its bytes, from this phone or the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Loading,
    Ready(String),
    /// Could not be read; `arrived` says whether the server had it whole then (if not, it
    /// is read again once it has).
    Failed {
        arrived: bool,
    },
}

#[derive(Clone, Copy)]
pub struct Evidence {
    /// The files kept on this phone, by hash.
    pub local: RwSignal<BTreeMap<String, LocalFile>>,
    /// What the server holds of files, as last asked, by hash.
    pub on_server: RwSignal<BTreeMap<String, FileProgress>>,
    /// The files open in the full-screen viewer, and which one is shown.
    pub viewing: RwSignal<Option<(Vec<FileRef>, usize)>>,
    /// Object URLs of files shown, by hash (made once, kept while the app runs).
    shown: RwSignal<BTreeMap<String, Shown>>,
    /// Bumped each time the server answered: files not arrived yet are asked after again.
    pub heard: RwSignal<u64>,
    /// IndexedDB could not be opened or read.
    pub store_error: RwSignal<Option<FileStoreError>>,
    sending: StoredValue<bool>,
    session: Session,
}

/// Keeps the files of this phone in view and sends them each time the server answered a sync
/// (`heard`: when it last did).
pub fn provide_evidence_context(
    session: Session,
    heard: RwSignal<Option<chrono::DateTime<chrono::Local>>>,
) -> Evidence {
    let evidence = Evidence {
        local: RwSignal::new(BTreeMap::new()),
        on_server: RwSignal::new(BTreeMap::new()),
        viewing: RwSignal::new(None),
        shown: RwSignal::new(BTreeMap::new()),
        heard: RwSignal::new(0),
        store_error: RwSignal::new(None),
        sending: StoredValue::new(false),
        session,
    };
    provide_context(evidence);
    leptos::task::spawn_local(async move {
        match filestore::list().await {
            Ok(files) => {
                evidence.local.set(files);
                evidence.tidy().await;
            }
            Err(e) => evidence.store_error.set(Some(e)),
        }
        evidence.send_all().await;
    });
    // Each time the server answered a sync, the records the files follow are there.
    Effect::new(move |_| {
        if heard.get().is_some() {
            evidence.heard.update(|n| *n += 1);
            leptos::task::spawn_local(async move { evidence.send_all().await });
        }
    });
    evidence
}

pub fn use_evidence() -> Evidence {
    expect_context::<Evidence>()
}

impl Evidence {
    /// Makes a picked file ready (a photo made small), keeps it on the phone and returns its
    /// reference for the result.
    pub async fn attach(&self, picked: &web_sys::File) -> Result<FileRef, AttachError> {
        let cluster = self
            .session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.cluster_id.to_string()))
            .ok_or(AttachError::NotJoined)?;
        crate::platform::perf_start("thidua:photo");
        let (file, bytes) = photo::prepare(picked).await.map_err(AttachError::Prepare)?;
        // Read by scripts/bench: the time to make a photo small on the phone.
        crate::platform::perf_end("thidua:photo");
        let kept = self.local.with_untracked(|l| l.get(&file.hash).cloned());
        let local = match kept {
            // The same bytes attached before: kept once, under the name given first.
            Some(kept) => kept,
            None => {
                let local = LocalFile {
                    file: file.clone(),
                    upload: Upload::Local,
                    cluster,
                };
                filestore::put(&local, &bytes)
                    .await
                    .map_err(AttachError::Store)?;
                local
            }
        };
        self.local.update(|l| {
            l.insert(file.hash.clone(), local);
        });
        Ok(file)
    }

    /// Lets go of a file taken off a form, unless a result, a draft or a form still lists it
    /// or the server has not got it yet for a result that lists it.
    pub fn forget_if_unused(&self, hash: &str) {
        if self.listed().contains(hash) {
            return;
        }
        let ev = *self;
        let hash = hash.to_owned();
        leptos::task::spawn_local(async move {
            if filestore::remove(&hash).await.is_ok() {
                ev.local.update(|l| {
                    l.remove(&hash);
                });
            }
        });
    }

    /// Lets go of files nothing on this phone lists any more (taken off a form, a report
    /// started over, a draft thrown away).
    async fn tidy(&self) {
        let listed = self.listed();
        let unused: Vec<String> = self
            .local
            .with_untracked(|l| l.keys().filter(|h| !listed.contains(*h)).cloned().collect());
        for hash in unused {
            if filestore::remove(&hash).await.is_ok() {
                self.local.update(|l| {
                    l.remove(&hash);
                });
            }
        }
    }

    /// Every hash a result, a draft or a form on this phone lists.
    fn listed(&self) -> BTreeSet<String> {
        let mut listed: BTreeSet<String> = self.session.doc.with_untracked(|doc| {
            doc.live()
                .flat_map(|(_, body)| body.files().iter().map(|f| f.hash.clone()))
                .collect()
        });
        let forms = crate::storage::load_drafts()
            .into_iter()
            .chain([crate::storage::load_form()])
            .chain(crate::storage::load_any_edit_form());
        for form in forms {
            listed.extend(form.files.into_iter().map(|f| f.hash));
        }
        listed
    }

    /// Where a file stands, from what this phone kept and what the server said.
    pub fn state(&self, hash: &str) -> FileState {
        let local = self.local.with(|l| l.get(hash).map(|f| f.upload.clone()));
        let server = self.on_server.with(|s| s.get(hash).copied());
        if server.is_some_and(|p| p.complete) {
            return FileState::Received;
        }
        match local {
            Some(Upload::Received) => FileState::Received,
            Some(Upload::Refused { code, .. }) => FileState::Refused(ErrorCode::from(code)),
            Some(Upload::Sending { offset }) => {
                let size = self
                    .local
                    .with(|l| l.get(hash).map_or(1, |f| f.file.size.max(1)));
                let held = server.map_or(offset, |p| p.received.max(offset));
                FileState::Sending(held.saturating_mul(100) / size)
            }
            Some(Upload::Local) => FileState::OnPhoneOnly,
            None if server.is_some() => FileState::NotArrived,
            None => FileState::Unknown,
        }
    }

    /// Asks the server which of these files it holds (the review queue's "2 / 3").
    pub fn ask_server(&self, hashes: Vec<String>) {
        let Some(token) = self.token() else {
            return;
        };
        let unknown: Vec<String> = self.on_server.with_untracked(|s| {
            hashes
                .into_iter()
                .filter(|h| !s.get(h).is_some_and(|p| p.complete))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .take(thidua_core::wire::MAX_FILES_STATUS)
                .collect()
        });
        if unknown.is_empty() {
            return;
        }
        let ev = *self;
        leptos::task::spawn_local(async move {
            if let Ok(found) = api::files_status(&token, &unknown).await {
                ev.on_server.update(|s| {
                    for hash in unknown {
                        s.insert(hash.clone(), found.get(&hash).copied().unwrap_or_default());
                    }
                });
            }
        });
    }

    /// A file to show: its object URL once its bytes are read, from this phone if it has
    /// them, else from the server.
    pub fn shown(&self, hash: &str) -> Shown {
        let arrived = self
            .on_server
            .with(|s| s.get(hash).is_some_and(|p| p.complete));
        match self.shown.with(|m| m.get(hash).cloned()) {
            Some(Shown::Failed { arrived: false }) if arrived => {}
            Some(shown) => return shown,
            None => {}
        }
        let ev = *self;
        let hash = hash.to_owned();
        self.shown.update_untracked(|m| {
            m.insert(hash.clone(), Shown::Loading);
        });
        leptos::task::spawn_local(async move {
            let blob = match filestore::bytes(&hash).await {
                Ok(Some(blob)) => Some(blob),
                _ => match ev.token() {
                    Some(token) => api::file_bytes(&token, &hash).await.ok(),
                    None => None,
                },
            };
            let url = blob.and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok());
            let arrived = ev
                .on_server
                .with_untracked(|s| s.get(&hash).is_some_and(|p| p.complete));
            ev.shown.update(|m| {
                m.insert(hash, url.map_or(Shown::Failed { arrived }, Shown::Ready));
            });
        });
        Shown::Loading
    }

    /// Shows the file again after a failure (the network came back).
    pub fn retry_shown(&self, hash: &str) {
        self.shown.update(|m| {
            m.remove(hash);
        });
    }

    /// Files on this phone: how many, their bytes, how many the server has not got yet.
    pub fn usage(&self) -> (usize, u64, usize) {
        self.local.with(|l| {
            let bytes = l.values().map(|f| f.file.size).sum();
            let unsent = l
                .values()
                .filter(|f| !matches!(f.upload, Upload::Received))
                .count();
            (l.len(), bytes, unsent)
        })
    }

    /// Removes from this phone the files the server has whole (they are read from it again
    /// when shown).
    pub async fn free_space(&self) -> Result<(), FileStoreError> {
        let received: Vec<String> = self.local.with_untracked(|l| {
            l.values()
                .filter(|f| f.upload == Upload::Received)
                .map(|f| f.file.hash.clone())
                .collect()
        });
        for hash in received {
            filestore::remove(&hash).await?;
            self.local.update(|l| {
                l.remove(&hash);
            });
        }
        Ok(())
    }

    /// Files the server has not got, with their bytes (for the backup file).
    pub async fn unsent(&self) -> Vec<(FileRef, Vec<u8>)> {
        let files: Vec<FileRef> = self.local.with_untracked(|l| {
            l.values()
                .filter(|f| f.upload != Upload::Received)
                .map(|f| f.file.clone())
                .collect()
        });
        let mut out = Vec::new();
        for file in files {
            if let Ok(Some(blob)) = filestore::bytes(&file.hash).await {
                if let Ok(bytes) = photo::read(&blob).await {
                    out.push((file, bytes));
                }
            }
        }
        out
    }

    /// Keeps files from a backup file whose bytes match their hash.
    pub async fn restore(&self, files: Vec<(FileRef, Vec<u8>)>) -> usize {
        let Some(cluster) = self
            .session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.cluster_id.to_string()))
        else {
            return 0;
        };
        let mut kept = 0;
        for (file, bytes) in files {
            if photo::sha256(&bytes) != file.hash || bytes.len() as u64 != file.size {
                continue;
            }
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
            let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) else {
                continue;
            };
            let local = LocalFile {
                file: file.clone(),
                upload: Upload::Local,
                cluster: cluster.clone(),
            };
            if filestore::put(&local, &blob).await.is_ok() {
                self.local.update(|l| {
                    l.insert(file.hash.clone(), local);
                });
                kept += 1;
            }
        }
        kept
    }

    fn token(&self) -> Option<String> {
        self.session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
    }

    /// Sends every file whose result the server has, one after the other; stops when the
    /// network is gone (the next sync starts it again).
    async fn send_all(self) {
        if self.sending.get_value() {
            return;
        }
        let Some((token, cluster)) = self.session.device.with_untracked(|d| {
            d.as_ref()
                .map(|d| (d.token.clone(), d.cluster_id.to_string()))
        }) else {
            return;
        };
        // Files of results the server has: a result still waiting in the outbox would make
        // the server refuse its file as listed by nothing.
        let ready: BTreeSet<String> = self.session.doc.with_untracked(|doc| {
            self.session.outbox.with_untracked(|o| {
                doc.live()
                    .filter(|(id, _)| !o.dirty.contains(*id))
                    .flat_map(|(_, body)| body.files().iter().map(|f| f.hash.clone()))
                    .collect()
            })
        });
        let todo: Vec<LocalFile> = self.local.with_untracked(|l| {
            l.values()
                .filter(|f| f.cluster == cluster && ready.contains(&f.file.hash))
                .filter(|f| matches!(f.upload, Upload::Local | Upload::Sending { .. }))
                .cloned()
                .collect()
        });
        if todo.is_empty() {
            return;
        }
        self.sending.set_value(true);
        for file in todo {
            match self.send(&token, file).await {
                Ok(()) => {}
                Err(ApiError::Unreachable) | Err(ApiError::Unauthorized(_)) => break,
                Err(_) => {}
            }
        }
        self.sending.set_value(false);
    }

    /// Sends one file from where the server's copy ends.
    async fn send(&self, token: &str, mut file: LocalFile) -> Result<(), ApiError> {
        let hash = file.file.hash.clone();
        let mut held = api::upload_status(token, &hash).await?;
        let bytes = match filestore::bytes(&hash).await {
            Ok(Some(blob)) => photo::read(&blob).await.unwrap_or_default(),
            _ => Vec::new(),
        };
        if !held.complete && bytes.len() as u64 != file.file.size {
            // The bytes are gone from the phone (cleared by the browser): nothing to send.
            return Ok(());
        }
        let mut mismatches = 0;
        while !held.complete {
            let start = usize::try_from(held.received).unwrap_or(usize::MAX);
            let Some(rest) = bytes.get(start..) else {
                // The server holds more than the file: ask again where it stands.
                held = api::upload_status(token, &hash).await?;
                mismatches += 1;
                if mismatches > 3 {
                    return Ok(());
                }
                continue;
            };
            let chunk = &rest[..rest.len().min(CHUNK)];
            match api::upload_chunk(token, &file.file, held.received, chunk).await {
                Ok(progress) => {
                    held = progress;
                    self.on_server.update(|s| {
                        s.insert(hash.clone(), progress);
                    });
                    if !progress.complete {
                        file.upload = Upload::Sending {
                            offset: progress.received,
                        };
                        self.keep(&file).await;
                    }
                }
                Err(ApiError::Server {
                    code: ErrorCode::OffsetMismatch,
                    ..
                }) if mismatches < 3 => {
                    mismatches += 1;
                    held = api::upload_status(token, &hash).await?;
                }
                // The file itself is refused: said on it, never sent again as it is.
                Err(ApiError::Server { code, message, .. }) if refuses_the_file(&code) => {
                    file.upload = Upload::Refused {
                        code: code.as_str().to_owned(),
                        reason: message,
                    };
                    self.keep(&file).await;
                    return Ok(());
                }
                // Anything else (the result not on the server yet, a server too old to take
                // files, a failure): tried again at the next sync.
                Err(err) => return Err(err),
            }
        }
        file.upload = Upload::Received;
        self.keep(&file).await;
        Ok(())
    }

    /// Notes a file's upload on the phone and on screen.
    async fn keep(&self, file: &LocalFile) {
        if let Err(e) = filestore::set_upload(file).await {
            self.store_error.set(Some(e));
        }
        self.local.update(|l| {
            l.insert(file.file.hash.clone(), file.clone());
        });
    }
}

/// The answers that refuse the file itself (its bytes, type or size), not the moment.
fn refuses_the_file(code: &ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::HashMismatch
            | ErrorCode::FileTypeNotAllowed
            | ErrorCode::FileTooLarge
            | ErrorCode::ClusterStorageFull
    )
}

/// Whether one more file fits on a result that lists `count`.
pub fn room_for_one_more(count: usize) -> bool {
    count < MAX_FILES
}
