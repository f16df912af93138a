//! Evidence files: `PUT /api/files/{hash}` (one chunk), `GET /api/files/{hash}/upload` (how
//! much is held, to resume), `POST /api/files/status` (many at once), `GET /api/files/{hash}`
//! (the bytes).
//!
//! A device may send or read a file only when a record of its own cluster lists it; any other
//! file, another cluster's included, gets the same 403, so nothing tells whether it exists
//! elsewhere. Each cluster sends the bytes itself (they are stored once on disk).
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use thidua_core::files::{is_hash, FileType};
use thidua_core::wire::{
    ErrorBody, FileChunkQuery, FileProgress, FilesStatusRequest, FilesStatusResponse,
    MAX_FILES_STATUS, MAX_FILE_CHUNK,
};
use thidua_core::RecordId;

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::files::{AppendError, FinishError};
use crate::store::{ClusterFile, HeldFile, HoldOutcome};
use crate::AppState;

fn check_hash(hash: &str) -> Result<(), ApiError> {
    if is_hash(hash) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "a file is named by the SHA-256 of its bytes: 64 lowercase hex digits".into(),
        ))
    }
}

fn not_referenced(hash: &str) -> ApiError {
    ApiError::FileNotReferenced(format!(
        "no record of your cluster lists the file {hash}: send the result that lists it first"
    ))
}

/// What the caller's cluster has of `hash`; 403 when none of its records lists it.
async fn listed(state: &AppState, cluster: &RecordId, hash: &str) -> Result<ClusterFile, ApiError> {
    check_hash(hash)?;
    let file = state
        .store
        .cluster_file(cluster.clone(), hash.to_owned())
        .await?;
    if file.listed.is_empty() {
        return Err(not_referenced(hash));
    }
    Ok(file)
}

fn io_error(err: std::io::Error) -> ApiError {
    tracing::error!(%err, "evidence file storage failed");
    ApiError::Internal
}

fn type_refused(found: Option<FileType>, listed: FileType) -> ApiError {
    ApiError::FileTypeNotAllowed(match found {
        None => "the bytes are not a JPEG, PNG or WebP photo or a PDF document (the type is \
                 read from the bytes, not the name): the file was not taken"
            .into(),
        Some(t) => format!("the bytes are {t}, but the record lists the file as {listed}"),
    })
}

/// The `{hash}` path parameter.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct HashParam {
    /// The file's SHA-256, 64 lowercase hex digits.
    #[param(pattern = "^[0-9a-f]{64}$")]
    hash: String,
}

/// A file's bytes (the body of a chunk, or of the file).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct Bytes(Vec<u8>);

/// Send one chunk of a file
///
/// Appends the body (raw bytes, at most 1048576) at `offset`, which must be where the server's
/// copy ends (`GET /api/files/{hash}/upload` says where). When the last byte arrives the file's
/// SHA-256 and type (read from its bytes: JPEG, PNG, WebP or PDF) are checked and it is
/// stored; a file already stored is answered `complete` at once (sent twice, stored once).
/// The file must be listed by a record of the caller's cluster, with this size.
#[utoipa::path(
    put,
    path = "/files/{hash}",
    operation_id = "uploadFileChunk",
    tag = "files",
    security(("bearer" = [])),
    params(HashParam, FileChunkQuery),
    request_body(content = inline(Bytes), content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The chunk is kept: how much is held now, and whether the \
            file is complete (checked and stored).", body = FileProgress),
        (status = 400, description = "The hash, a query parameter or the chunk does not fit: \
            the chunk goes past the file's size, or the size is not the one the records list \
            (`bad_request`).", body = ErrorBody),
        (status = 403, description = "No record of the caller's cluster lists this file \
            (`file_not_referenced`).", body = ErrorBody),
        (status = 409, description = "`offset` is not where the server's copy ends \
            (`offset_mismatch`; `message` says where), or another request is sending this file \
            right now (`conflict`).", body = ErrorBody),
        (status = 413, description = "The file is larger than the server takes \
            (`file_too_large`), the cluster's files would pass its limit \
            (`cluster_storage_full`), or the chunk is larger than 1048576 bytes \
            (`payload_too_large`).", body = ErrorBody),
        (status = 415, description = "The body was not sent as \
            `Content-Type: application/octet-stream` (`unsupported_media_type`).",
            body = ErrorBody),
        (status = 422, description = "The bytes are not a JPEG, PNG, WebP or PDF, or not the \
            type listed (`file_type_not_allowed`), or the whole file does not have the SHA-256 \
            that names it (`hash_mismatch`); the upload is discarded.", body = ErrorBody),
    )
)]
pub async fn upload_chunk(
    State(state): State<AppState>,
    Device(device): Device,
    Path(hash): Path<String>,
    Query(query): Query<FileChunkQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FileProgress>, ApiError> {
    let cluster = device.cluster_id;
    let file = listed(&state, &cluster, &hash).await?;
    if let Some((size, _)) = file.held {
        return Ok(Json(FileProgress {
            received: size,
            size,
            complete: true,
        }));
    }
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    if !media
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/octet-stream"))
    {
        return Err(ApiError::WrongMediaType(
            "a chunk of a file must be sent as Content-Type: application/octet-stream".into(),
        ));
    }
    let Some(declared) = FileType::from_mime(&query.file_type) else {
        return Err(ApiError::FileTypeNotAllowed(format!(
            "only image/jpeg, image/png, image/webp and application/pdf files are taken, not {:?}",
            query.file_type.chars().take(100).collect::<String>()
        )));
    };
    let size = query.size;
    let limits = &state.settings.files;
    if size > limits.max_file_bytes {
        return Err(ApiError::FileTooLarge(format!(
            "the file is {size} bytes; the server takes files of at most {} bytes",
            limits.max_file_bytes
        )));
    }
    if !file.listed.iter().any(|l| l.size == size) {
        let sizes: Vec<String> = file.listed.iter().map(|l| l.size.to_string()).collect();
        return Err(ApiError::BadRequest(format!(
            "your cluster's records list this file with {} bytes, not {size}",
            sizes.join(" or ")
        )));
    }
    let used = state.store.cluster_file_bytes(cluster.clone()).await?;
    if used.saturating_add(size) > limits.max_cluster_bytes {
        return Err(cluster_full(used, size, limits.max_cluster_bytes));
    }
    let Some(guard) = state.evidence.lock_upload(&cluster, &hash) else {
        return Err(ApiError::Conflict(
            "another request is sending this file right now; ask where it stands with \
             GET /api/files/{hash}/upload and go on from there"
                .into(),
        ));
    };
    let held = state
        .evidence
        .received(&cluster, &hash)
        .await
        .map_err(io_error)?;
    let offset = query.offset;
    if offset != held {
        return Err(offset_mismatch(held, offset));
    }
    let left = size - offset.min(size);
    let chunk_limit = MAX_FILE_CHUNK as u64;
    let declared_len = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let past_end = || {
        ApiError::BadRequest(format!(
            "the chunk goes past the end of the file ({size} bytes; {left} are left from byte \
             {offset})"
        ))
    };
    if let Some(len) = declared_len {
        if len > chunk_limit {
            return Err(ApiError::PayloadTooLarge {
                limit: MAX_FILE_CHUNK,
            });
        }
        if len > left {
            return Err(past_end());
        }
    }
    let appended = state
        .evidence
        .append(&guard, &cluster, &hash, offset, left.min(chunk_limit), body)
        .await
        .map_err(|e| match e {
            AppendError::Offset(held) => offset_mismatch(held, offset),
            AppendError::TooLong if left < chunk_limit => past_end(),
            AppendError::TooLong => ApiError::PayloadTooLarge {
                limit: MAX_FILE_CHUNK,
            },
            AppendError::Body(e) => {
                ApiError::BadRequest(format!("the chunk broke off before its end: {e}"))
            }
            AppendError::Io(e) => io_error(e),
        })?;
    let received = appended.received;
    // The type is read from the first chunk already: a program renamed .jpg is refused at
    // once, not after the whole upload.
    if offset == 0 && (appended.head.len() >= 12 || received == size) {
        match FileType::sniff(&appended.head) {
            Some(t) if t == declared => {}
            found => {
                state.evidence.discard(&cluster, &hash).await;
                return Err(type_refused(found, declared));
            }
        }
    }
    if received < size {
        return Ok(Json(FileProgress {
            received,
            size,
            complete: false,
        }));
    }
    let sniffed = state
        .evidence
        .verify(&cluster, &hash, size)
        .await
        .map_err(|e| match e {
            FinishError::HashMismatch => ApiError::HashMismatch(format!(
                "the {size} bytes received do not have the SHA-256 {hash}: the upload was \
                 discarded; send the file again from byte 0"
            )),
            FinishError::NotAllowed => type_refused(None, declared),
            FinishError::Short(n) => {
                tracing::error!(n, size, "a finished upload has the wrong length");
                ApiError::Internal
            }
            FinishError::Io(e) => io_error(e),
        })?;
    if sniffed != declared {
        state.evidence.discard(&cluster, &hash).await;
        return Err(type_refused(Some(sniffed), declared));
    }
    {
        let moving = state.evidence.moving().await;
        let fresh = state
            .evidence
            .install(&moving, &cluster, &hash)
            .await
            .map_err(io_error)?;
        let outcome = state
            .store
            .hold_file(HeldFile {
                cluster: cluster.clone(),
                hash: hash.clone(),
                size,
                file_type: sniffed,
                now: chrono::Utc::now(),
                cluster_limit: limits.max_cluster_bytes,
            })
            .await;
        let full = match outcome {
            Ok(HoldOutcome::Held | HoldOutcome::AlreadyHeld) => None,
            Ok(HoldOutcome::ClusterFull { used }) => {
                Some(cluster_full(used, size, limits.max_cluster_bytes))
            }
            Err(e) => Some(e.into()),
        };
        if let Some(err) = full {
            // Bytes only this request put there, and nobody holds: not kept.
            if fresh {
                state.evidence.remove(&moving, &hash).await;
            }
            return Err(err);
        }
    }
    drop(guard);
    // The cluster's open devices ask again which files arrived (the head's "2 / 3").
    state.live.changed(&cluster);
    Ok(Json(FileProgress {
        received: size,
        size,
        complete: true,
    }))
}

fn offset_mismatch(held: u64, offset: u64) -> ApiError {
    ApiError::OffsetMismatch(format!(
        "the server holds the first {held} bytes of this file: send the chunk that starts at \
         byte {held}, not {offset}"
    ))
}

fn cluster_full(used: u64, size: u64, max: u64) -> ApiError {
    ApiError::ClusterStorageFull(format!(
        "your cluster's files take {used} of the {max} bytes the server allows a cluster; this \
         file ({size} bytes) does not fit"
    ))
}

/// How much of a file is held
///
/// Where an upload stands, to go on from there after a cut.
#[utoipa::path(
    get,
    path = "/files/{hash}/upload",
    operation_id = "fileUploadProgress",
    tag = "files",
    security(("bearer" = [])),
    params(HashParam),
    responses(
        (status = 200, description = "Bytes held so far (`size` 0 when none), and whether the \
            file is complete.", body = FileProgress),
        (status = 400, description = "The hash is not 64 lowercase hex digits (`bad_request`).",
            body = ErrorBody),
        (status = 403, description = "No record of the caller's cluster lists this file \
            (`file_not_referenced`).", body = ErrorBody),
    )
)]
pub async fn upload_progress(
    State(state): State<AppState>,
    Device(device): Device,
    Path(hash): Path<String>,
) -> Result<Json<FileProgress>, ApiError> {
    let file = listed(&state, &device.cluster_id, &hash).await?;
    progress(&state, &device.cluster_id, &hash, &file)
        .await
        .map(Json)
}

async fn progress(
    state: &AppState,
    cluster: &RecordId,
    hash: &str,
    file: &ClusterFile,
) -> Result<FileProgress, ApiError> {
    if let Some((size, _)) = file.held {
        return Ok(FileProgress {
            received: size,
            size,
            complete: true,
        });
    }
    let received = state
        .evidence
        .received(cluster, hash)
        .await
        .map_err(io_error)?;
    Ok(FileProgress {
        received,
        size: if received > 0 {
            file.listed.first().map_or(0, |l| l.size)
        } else {
            0
        },
        complete: false,
    })
}

/// Which files are held
///
/// Each asked-for file's progress, by hash. A file no record of the caller's cluster lists
/// (another cluster's, or none's) is answered like one nothing was sent of: `received` 0,
/// `size` 0, not complete.
#[utoipa::path(
    post,
    path = "/files/status",
    operation_id = "filesStatus",
    tag = "files",
    security(("bearer" = [])),
    request_body = FilesStatusRequest,
    responses(
        (status = 200, description = "Every asked-for hash with its progress.",
            body = FilesStatusResponse),
        (status = 400, description = "More than 500 hashes, or the body does not fit \
            (`bad_request`, `invalid_json`).", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    Device(device): Device,
    Json(request): Json<FilesStatusRequest>,
) -> Result<Json<FilesStatusResponse>, ApiError> {
    if request.hashes.len() > MAX_FILES_STATUS {
        return Err(ApiError::BadRequest(format!(
            "ask about at most {MAX_FILES_STATUS} files at once, not {}",
            request.hashes.len()
        )));
    }
    let cluster = device.cluster_id;
    let mut hashes = request.hashes;
    hashes.sort();
    hashes.dedup();
    let known: Vec<String> = hashes.iter().filter(|h| is_hash(h)).cloned().collect();
    let listed = state.store.cluster_files(cluster.clone(), known).await?;
    let mut out = FilesStatusResponse::default();
    for hash in hashes {
        let p = match listed.get(&hash) {
            Some(file) => progress(&state, &cluster, &hash, file).await?,
            None => FileProgress::default(),
        };
        out.files.insert(hash, p);
    }
    Ok(Json(out))
}

/// A file's bytes
///
/// Served only to devices of a cluster whose records list it, as a download never run:
/// `Content-Disposition`, `X-Content-Type-Options: nosniff`, `Content-Security-Policy:
/// sandbox`. A file never changes (it is named by its hash), so it may be cached.
#[utoipa::path(
    get,
    path = "/files/{hash}",
    operation_id = "downloadFile",
    tag = "files",
    security(("bearer" = [])),
    params(HashParam),
    responses(
        (status = 200, description = "The bytes, with the type read from them.",
            content(
                (inline(Bytes) = "image/jpeg"),
                (inline(Bytes) = "image/png"),
                (inline(Bytes) = "image/webp"),
                (inline(Bytes) = "application/pdf"),
            ),
            headers(
                ("Content-Disposition" = String, description = "`inline` with the name the \
                    record lists."),
                ("Cache-Control" = String, description = "`private, max-age=31536000, immutable`."),
            )),
        (status = 400, description = "The hash is not 64 lowercase hex digits (`bad_request`).",
            body = ErrorBody),
        (status = 403, description = "No record of the caller's cluster lists this file \
            (`file_not_referenced`).", body = ErrorBody),
        (status = 404, description = "The file has not arrived whole yet (`not_found`).",
            body = ErrorBody),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    Device(device): Device,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let file = listed(&state, &device.cluster_id, &hash).await?;
    let not_yet = || ApiError::NotFound("this file has not arrived at the server yet".into());
    let Some((_, file_type)) = file.held else {
        return Err(not_yet());
    };
    let Some((bytes, len)) = state.evidence.open(&hash).await.map_err(io_error)? else {
        tracing::error!(hash, "a held evidence file is missing from disk");
        return Err(not_yet());
    };
    let name = file.listed.first().map(|l| l.name.as_str()).unwrap_or("");
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        percent_encode(&file_name(name, &hash, file_type))
    );
    let stream = tokio_util::io::ReaderStream::with_capacity(bytes, 64 * 1024);
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(file_type.mime()));
    h.insert(CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Opened directly, a file still runs nothing and reaches nothing of the app.
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}

/// The name shown for a file: the listed one without control characters, path separators
/// or quotes, or one made from the hash when nothing is left.
pub fn file_name(listed: &str, hash: &str, file_type: FileType) -> String {
    let clean: String = listed
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"' | '\'' | ';' | ':'))
        .take(120)
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    if clean.is_empty() {
        let ext = match file_type {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Pdf => "pdf",
        };
        format!("{}.{ext}", &hash[..hash.len().min(12)])
    } else {
        clean.to_owned()
    }
}

/// RFC 8187 `value-chars`: UTF-8 bytes, all but `attr-char` percent-encoded.
pub fn percent_encode(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            )
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_are_cleaned_and_encoded() {
        let h = "ab".repeat(32);
        assert_eq!(
            file_name("ảnh trồng cây.jpg", &h, FileType::Jpeg),
            "ảnh trồng cây.jpg"
        );
        assert_eq!(
            file_name("../../etc/passwd\r\n", &h, FileType::Pdf),
            "etcpasswd"
        );
        assert_eq!(file_name(" \"\" ", &h, FileType::Pdf), "abababababab.pdf");
        assert_eq!(percent_encode("ảnh 1.jpg"), "%E1%BA%A3nh%201.jpg");
        assert_eq!(percent_encode("a;b\"c"), "a%3Bb%22c");
    }
}
