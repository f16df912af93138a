//! Evidence files through the real router: chunked, resumable, idempotent uploads checked by
//! hash and by the type their bytes show; limits; who may send and read which file; the
//! headers a file is served with; garbage collection.
#![allow(clippy::unwrap_used)]
mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use thidua_core::files::{FileRef, FileType};
use thidua_core::wire::MAX_FILE_CHUNK;
use thidua_core::RecordId;
use thidua_server::files::FileLimits;

/// `n` bytes that read as a JPEG (its magic number, then noise from `seed`).
fn jpeg(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out: Vec<u8> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    out[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    out
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_ref(bytes: &[u8], file_type: FileType, name: &str) -> FileRef {
    FileRef {
        hash: sha(bytes),
        size: bytes.len() as u64,
        file_type,
        name: name.into(),
    }
}

/// A cluster with a campaign, and an entry of the officer listing `files`.
struct World {
    app: TestApp,
    c: Cluster,
    camp: RecordId,
    entry: RecordId,
}

async fn world_with(app: TestApp, files: Vec<FileRef>) -> World {
    let mut c = app.cluster("Cụm 18").await;
    let camp = c.head.put(campaign());
    let (s, _) = c.head.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::OK);
    c.officer.sync(&app).await;
    let entry = list_files(&app, &mut c.officer, &camp, None, files).await;
    World {
        app,
        c,
        camp,
        entry,
    }
}

async fn world(files: Vec<FileRef>) -> World {
    world_with(TestApp::new(), files).await
}

/// Writes (or rewrites, with `id`) an entry of `client`'s unit listing `files`, and pushes it.
async fn list_files(
    app: &TestApp,
    client: &mut Client,
    camp: &RecordId,
    id: Option<RecordId>,
    files: Vec<FileRef>,
) -> RecordId {
    let mut e = entry(&client.unit, camp);
    e.files = files;
    let id = match id {
        Some(id) => {
            client.put_at(id.clone(), e);
            id
        }
        None => client.put(e),
    };
    let (s, j) = client.push(app, &[&id]).await;
    assert_eq!((s, &j["rejected"]), (StatusCode::OK, &json!([])), "{j}");
    id
}

fn chunk_request(
    token: &str,
    f: &FileRef,
    offset: u64,
    bytes: &[u8],
) -> axum::http::Request<Body_> {
    axum::http::Request::put(format!(
        "/api/files/{}?offset={offset}&size={}&type={}",
        f.hash,
        f.size,
        f.file_type.mime()
    ))
    .header("authorization", format!("Bearer {token}"))
    .header("content-type", "application/octet-stream")
    .body(Body_::from(bytes.to_vec()))
    .unwrap()
}

async fn put(
    app: &TestApp,
    token: &str,
    f: &FileRef,
    offset: u64,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let res = app.send(chunk_request(token, f, offset, bytes)).await;
    let status = res.status();
    (status, body_json(res).await)
}

/// Sends the whole file in chunks of `chunk` bytes; the last answer.
async fn upload(
    app: &TestApp,
    token: &str,
    f: &FileRef,
    bytes: &[u8],
    chunk: usize,
) -> (StatusCode, Value) {
    let mut last = (StatusCode::OK, Value::Null);
    for (i, part) in bytes.chunks(chunk).enumerate() {
        last = put(app, token, f, (i * chunk) as u64, part).await;
        if last.0 != StatusCode::OK {
            break;
        }
    }
    last
}

/// Whole files on disk (not partial uploads).
fn stored(data: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(data.join("files")) else {
        return out;
    };
    for dir in dirs {
        let dir = dir.unwrap().path();
        if dir.file_name().unwrap() == "partial" {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            out.push(f.unwrap().file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

fn partials(data: &Path) -> usize {
    let Ok(dirs) = std::fs::read_dir(data.join("files/partial")) else {
        return 0;
    };
    dirs.map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum()
}

fn complete(size: usize) -> Value {
    json!({"received": size, "size": size, "complete": true})
}

async fn fetch(app: &TestApp, token: &str, hash: &str) -> axum::http::Response<Body_> {
    app.send(get_request(&format!("/api/files/{hash}"), Some(token)))
        .await
}

#[tokio::test]
async fn the_same_file_sent_twice_is_stored_once() {
    let bytes = jpeg(250_000, 1);
    let f = file_ref(&bytes, FileType::Jpeg, "anh.jpg");
    let w = world(vec![f.clone()]).await;
    let token = &w.c.officer.token;
    let (s, j) = put(&w.app, token, &f, 0, &bytes).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    // Again, whole and from the start: answered complete, nothing written twice.
    let (s, j) = put(&w.app, token, &f, 0, &bytes).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    let (s, j) = put(&w.app, token, &f, 100, &bytes[100..200]).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    assert_eq!(stored(w.app.data.path()), vec![f.hash.clone()]);
    assert_eq!(partials(w.app.data.path()), 0);
    // Another cluster listing the same photo sends it too (its own proof of having it), and
    // it is still one file on disk.
    let mut other = w.app.cluster("Cụm 19").await;
    let camp = other.head.put(campaign());
    other.head.push(&w.app, &[&camp]).await;
    list_files(&w.app, &mut other.head, &camp, None, vec![f.clone()]).await;
    // Nothing tells it that another cluster has the file: it has nothing of it yet.
    let (s, j) = other
        .head
        .get(&w.app, &format!("/api/files/{}/upload", f.hash))
        .await;
    assert_eq!(
        (s, j),
        (
            StatusCode::OK,
            json!({"received": 0, "size": 0, "complete": false})
        )
    );
    let (s, j) = upload(&w.app, &other.head.token, &f, &bytes, 100_000).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    assert_eq!(stored(w.app.data.path()), vec![f.hash.clone()]);
    let res = fetch(&w.app, &other.head.token, &f.hash).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_bytes(res).await, bytes);
}

#[tokio::test]
async fn an_upload_cut_at_60_percent_resumes_from_there() {
    let bytes = jpeg(600_000, 2);
    let f = file_ref(&bytes, FileType::Jpeg, "trong-cay.jpg");
    let w = world(vec![f.clone()]).await;
    let token = &w.c.officer.token;
    let cut = 360_000;
    let (s, j) = put(&w.app, token, &f, 0, &bytes[..cut]).await;
    assert_eq!(
        (s, &j),
        (
            StatusCode::OK,
            &json!({"received": cut, "size": bytes.len(), "complete": false})
        )
    );
    let (s, j) =
        w.c.officer
            .get(&w.app, &format!("/api/files/{}/upload", f.hash))
            .await;
    assert_eq!(
        (s, &j),
        (
            StatusCode::OK,
            &json!({"received": cut, "size": bytes.len(), "complete": false})
        )
    );
    let (s, j) =
        w.c.officer
            .send_json(
                &w.app,
                "POST",
                "/api/files/status",
                &json!({"hashes": [f.hash]}),
            )
            .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(j["files"][&f.hash]["received"], cut);
    assert_eq!(j["files"][&f.hash]["complete"], false);
    // Not served while incomplete.
    assert_eq!(
        fetch(&w.app, token, &f.hash).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(stored(w.app.data.path()).is_empty());
    let (s, j) = put(&w.app, token, &f, cut as u64, &bytes[cut..]).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    let res = fetch(&w.app, token, &f.hash).await;
    assert_eq!(res.status(), StatusCode::OK);
    let got = body_bytes(res).await;
    assert_eq!(sha(&got), f.hash);
    assert_eq!(partials(w.app.data.path()), 0);
}

#[tokio::test]
async fn a_chunk_not_at_the_end_of_the_upload_is_refused_409() {
    let bytes = jpeg(5_000, 3);
    let f = file_ref(&bytes, FileType::Jpeg, "a.jpg");
    let w = world(vec![f.clone()]).await;
    let token = &w.c.officer.token;
    let (s, _) = put(&w.app, token, &f, 0, &bytes[..1000]).await;
    assert_eq!(s, StatusCode::OK);
    for offset in [0, 500, 2000] {
        let (s, j) = put(&w.app, token, &f, offset, &bytes[1000..2000]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{offset}: {j}");
        assert_eq!(j["error"], "offset_mismatch");
        assert!(
            j["message"].as_str().unwrap().contains("1000"),
            "says where it ends: {j}"
        );
    }
    // Nothing was added by the refused chunks.
    let (_, j) =
        w.c.officer
            .get(&w.app, &format!("/api/files/{}/upload", f.hash))
            .await;
    assert_eq!(j["received"], 1000);
    // A chunk past the file's end.
    let (s, j) = put(&w.app, token, &f, 1000, &[7u8; 4001]).await;
    assert_eq!(
        (s, &j["error"]),
        (StatusCode::BAD_REQUEST, &json!("bad_request"))
    );
    let (s, j) = upload(&w.app, token, &f, &bytes, 1000).await;
    // Its first chunk is refused (1000 held), so send from where it ends.
    assert_eq!(s, StatusCode::CONFLICT, "{j}");
    let (s, j) = put(&w.app, token, &f, 1000, &bytes[1000..]).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
}

#[tokio::test]
async fn bytes_that_do_not_match_the_hash_are_refused_422_and_not_kept() {
    let bytes = jpeg(300_000, 4);
    let mut f = file_ref(&bytes, FileType::Jpeg, "a.jpg");
    f.hash = sha(b"something else");
    let w = world(vec![f.clone()]).await;
    let token = &w.c.officer.token;
    let (s, _) = put(&w.app, token, &f, 0, &bytes[..200_000]).await;
    assert_eq!(s, StatusCode::OK);
    let (s, j) = put(&w.app, token, &f, 200_000, &bytes[200_000..]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["error"], "hash_mismatch");
    assert!(stored(w.app.data.path()).is_empty());
    assert_eq!(partials(w.app.data.path()), 0);
    let (_, j) =
        w.c.officer
            .get(&w.app, &format!("/api/files/{}/upload", f.hash))
            .await;
    assert_eq!(j, json!({"received": 0, "size": 0, "complete": false}));
    assert_eq!(
        fetch(&w.app, token, &f.hash).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_program_named_jpg_is_refused_from_its_first_chunk() {
    let mut exe = vec![0u8; 50_000];
    exe[..8].copy_from_slice(b"MZ\x90\0\x03\0\0\0");
    let mut elf = jpeg(3_000, 5);
    elf[..6].copy_from_slice(b"\x7fELF\x02\x01");
    let mut png = jpeg(4_000, 6);
    png[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    let f_exe = file_ref(&exe, FileType::Jpeg, "anh.jpg");
    let f_elf = file_ref(&elf, FileType::Jpeg, "anh2.jpg");
    // Real PNG bytes listed as a JPEG: not what the record says.
    let f_png = file_ref(&png, FileType::Jpeg, "anh3.jpg");
    let w = world(vec![f_exe.clone(), f_elf.clone(), f_png.clone()]).await;
    let token = &w.c.officer.token;
    // Only the first of five chunks is sent: refused at once.
    let (s, j) = put(&w.app, token, &f_exe, 0, &exe[..10_000]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["error"], "file_type_not_allowed");
    assert!(j["message"].as_str().unwrap().contains("JPEG"), "{j}");
    let (s, j) = put(&w.app, token, &f_elf, 0, &elf).await;
    assert_eq!(
        (s, &j["error"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("file_type_not_allowed")
        )
    );
    let (s, j) = put(&w.app, token, &f_png, 0, &png).await;
    assert_eq!(
        (s, &j["error"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("file_type_not_allowed")
        )
    );
    assert!(j["message"].as_str().unwrap().contains("image/png"), "{j}");
    // A type that is not taken at all, whatever the bytes.
    let res = w
        .app
        .send(
            axum::http::Request::put(format!(
                "/api/files/{}?offset=0&size={}&type=image/gif",
                f_elf.hash, f_elf.size
            ))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/octet-stream")
            .body(Body_::from(elf.clone()))
            .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stored(w.app.data.path()).is_empty());
    assert_eq!(partials(w.app.data.path()), 0);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_413() {
    let limits = FileLimits {
        max_file_bytes: 100_000,
        ..FileLimits::default()
    };
    let bytes = jpeg(100_001, 7);
    let f = file_ref(&bytes, FileType::Jpeg, "to.jpg");
    let w = world_with(TestApp::with_file_limits(limits), vec![f.clone()]).await;
    let (s, j) = put(&w.app, &w.c.officer.token, &f, 0, &bytes[..1000]).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{j}");
    assert_eq!(j["error"], "file_too_large");
    assert!(j["message"].as_str().unwrap().contains("100000"), "{j}");
    assert_eq!(partials(w.app.data.path()), 0);
}

#[tokio::test]
async fn a_cluster_over_its_limit_is_refused_413() {
    let limits = FileLimits {
        max_cluster_bytes: 50_000,
        ..FileLimits::default()
    };
    let a = jpeg(30_000, 8);
    let b = jpeg(30_000, 9);
    let (fa, fb) = (
        file_ref(&a, FileType::Jpeg, "a.jpg"),
        file_ref(&b, FileType::Jpeg, "b.jpg"),
    );
    let w = world_with(
        TestApp::with_file_limits(limits),
        vec![fa.clone(), fb.clone()],
    )
    .await;
    let token = &w.c.officer.token;
    let (s, j) = put(&w.app, token, &fa, 0, &a).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(a.len())));
    let (s, j) = put(&w.app, token, &fb, 0, &b).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{j}");
    assert_eq!(j["error"], "cluster_storage_full");
    assert!(j["message"].as_str().unwrap().contains("50000"), "{j}");
    assert_eq!(stored(w.app.data.path()), vec![fa.hash.clone()]);
}

#[tokio::test]
async fn only_devices_of_a_cluster_listing_the_file_send_or_read_it() {
    let bytes = jpeg(20_000, 10);
    let f = file_ref(&bytes, FileType::Jpeg, "a.jpg");
    let mut w = world(vec![f.clone()]).await;
    let (s, _) = put(&w.app, &w.c.officer.token, &f, 0, &bytes).await;
    assert_eq!(s, StatusCode::OK);
    // The head of the same cluster (the reviewer) reads it.
    let res = fetch(&w.app, &w.c.head.token, &f.hash).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Another cluster's head: the same 403 as for a file nobody lists.
    let other = w.app.cluster("Cụm 19").await;
    let unknown = jpeg(1000, 11);
    let f_unknown = file_ref(&unknown, FileType::Jpeg, "x.jpg");
    for (token, file, data) in [
        (&other.head.token, &f, &bytes),
        (&w.c.officer.token, &f_unknown, &unknown),
    ] {
        let (s, j) = put(&w.app, token, file, 0, data).await;
        assert_eq!(
            (s, &j["error"]),
            (StatusCode::FORBIDDEN, &json!("file_not_referenced")),
            "{j}"
        );
        let res = fetch(&w.app, token, &file.hash).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(body_json(res).await["error"], "file_not_referenced");
        let res = w
            .app
            .send(get_request(
                &format!("/api/files/{}/upload", file.hash),
                Some(token),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = w
            .app
            .send(json_request(
                "POST",
                "/api/files/status",
                Some(token),
                &json!({"hashes": [file.hash]}),
            ))
            .await;
        assert_eq!(
            body_json(res).await["files"][&file.hash],
            json!({"received": 0, "size": 0, "complete": false})
        );
    }
    // A removed device: 401 everywhere.
    let code = w.app.invite(&w.c.head, &w.c.unit2, "officer").await;
    let gone = w.app.join_client(&code, "Máy cũ").await;
    let (s, _) =
        w.c.head
            .send_json(
                &w.app,
                "DELETE",
                &format!("/api/devices/{}", gone.device),
                &Value::Null,
            )
            .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = put(&w.app, &gone.token, &f, 0, &bytes).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        fetch(&w.app, &gone.token, &f.hash).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Once no record lists it, the cluster's own devices get the 403 too.
    let (camp, entry) = (w.camp.clone(), w.entry.clone());
    list_files(&w.app, &mut w.c.officer, &camp, Some(entry), vec![]).await;
    assert_eq!(
        fetch(&w.app, &w.c.officer.token, &f.hash).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_file_is_served_as_a_download_never_run() {
    let bytes = jpeg(70_000, 12);
    let f = file_ref(&bytes, FileType::Jpeg, "ảnh trồng cây \"1\".jpg");
    let w = world(vec![f.clone()]).await;
    put(&w.app, &w.c.officer.token, &f, 0, &bytes).await;
    let res = fetch(&w.app, &w.c.head.token, &f.hash).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "image/jpeg");
    assert_eq!(header(&res, "content-length"), "70000");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(header(&res, "content-security-policy"), "sandbox");
    assert_eq!(
        header(&res, "content-disposition"),
        "inline; filename*=UTF-8''%E1%BA%A3nh%20tr%E1%BB%93ng%20c%C3%A2y%201.jpg"
    );
    assert_eq!(
        header(&res, "cache-control"),
        "private, max-age=31536000, immutable"
    );
    assert_eq!(body_bytes(res).await, bytes);
    // Errors are still not cached.
    let res = fetch(&w.app, &w.c.head.token, &sha(b"x")).await;
    assert_eq!(header(&res, "cache-control"), "no-store");
}

#[tokio::test]
async fn chunks_up_to_the_chunk_limit_are_taken_and_bigger_ones_refused() {
    let bytes = jpeg(2 * MAX_FILE_CHUNK + 1000, 13);
    let f = file_ref(&bytes, FileType::Jpeg, "big.jpg");
    let w = world(vec![f.clone()]).await;
    let token = &w.c.officer.token;
    let (s, j) = put(&w.app, token, &f, 0, &bytes[..MAX_FILE_CHUNK + 1]).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{j}");
    assert_eq!(j["error"], "payload_too_large");
    let (s, j) = upload(&w.app, token, &f, &bytes, MAX_FILE_CHUNK).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
    // Anything but raw bytes is refused.
    let res = w
        .app
        .send(raw_request(
            "PUT",
            &format!(
                "/api/files/{}?offset=0&size={}&type=image/jpeg",
                sha(b"y"),
                10
            ),
            Some(token),
            b"{}".to_vec(),
        ))
        .await;
    // Not listed: the 403 comes first, whatever the body.
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = jpeg(1000, 14);
    let fo = file_ref(&other, FileType::Jpeg, "o.jpg");
    let mut c = w.c;
    list_files(&w.app, &mut c.officer, &w.camp, None, vec![fo.clone()]).await;
    let res = w
        .app
        .send(raw_request(
            "PUT",
            &format!("/api/files/{}?offset=0&size=1000&type=image/jpeg", fo.hash),
            Some(&c.officer.token),
            other.clone(),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn status_answers_each_hash_asked() {
    let a = jpeg(10_000, 15);
    let b = jpeg(10_000, 16);
    let (fa, fb) = (
        file_ref(&a, FileType::Jpeg, "a.jpg"),
        file_ref(&b, FileType::Jpeg, "b.jpg"),
    );
    let w = world(vec![fa.clone(), fb.clone()]).await;
    let token = &w.c.officer.token;
    put(&w.app, token, &fa, 0, &a).await;
    put(&w.app, token, &fb, 0, &b[..4000]).await;
    let nobody = sha(b"nobody's");
    let (s, j) =
        w.c.officer
            .send_json(
                &w.app,
                "POST",
                "/api/files/status",
                &json!({"hashes": [fa.hash, fb.hash, nobody, "not-a-hash", fa.hash]}),
            )
            .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        j["files"],
        json!({
            fa.hash.clone(): {"received": 10000, "size": 10000, "complete": true},
            fb.hash.clone(): {"received": 4000, "size": 10000, "complete": false},
            nobody: {"received": 0, "size": 0, "complete": false},
            "not-a-hash": {"received": 0, "size": 0, "complete": false},
        })
    );
    let many: Vec<String> = (0..501).map(|i| format!("{i:064x}")).collect();
    let (s, j) =
        w.c.officer
            .send_json(
                &w.app,
                "POST",
                "/api/files/status",
                &json!({ "hashes": many }),
            )
            .await;
    assert_eq!(
        (s, &j["error"]),
        (StatusCode::BAD_REQUEST, &json!("bad_request"))
    );
}

#[tokio::test]
async fn files_no_record_lists_are_removed_after_the_grace_period() {
    let keep = jpeg(10_000, 17);
    let drop_ = jpeg(10_000, 18);
    let half = jpeg(10_000, 19);
    let (fk, fd, fh) = (
        file_ref(&keep, FileType::Jpeg, "keep.jpg"),
        file_ref(&drop_, FileType::Jpeg, "drop.jpg"),
        file_ref(&half, FileType::Jpeg, "half.jpg"),
    );
    let mut w = world(vec![fk.clone()]).await;
    let (camp, app) = (w.camp.clone(), &w.app);
    let second = list_files(
        app,
        &mut w.c.officer,
        &camp,
        None,
        vec![fd.clone(), fh.clone()],
    )
    .await;
    let token = w.c.officer.token.clone();
    put(app, &token, &fk, 0, &keep).await;
    put(app, &token, &fd, 0, &drop_).await;
    put(app, &token, &fh, 0, &half[..3000]).await;
    assert_eq!(stored(app.data.path()).len(), 2);
    // The second result no longer lists its files.
    list_files(app, &mut w.c.officer, &camp, Some(second), vec![]).await;
    let (store, files) = (app.state.store.as_ref(), app.state.evidence.as_ref());
    let grace = Duration::from_secs(7 * 24 * 3600);
    let now = chrono::Utc::now();
    let days = |d: i64| now + chrono::TimeDelta::days(d);
    let c = thidua_server::files::collect(store, files, now, grace)
        .await
        .unwrap();
    assert_eq!(c, Default::default(), "nothing before the grace period");
    let c = thidua_server::files::collect(store, files, days(6), grace)
        .await
        .unwrap();
    assert_eq!(c, Default::default(), "nothing before the grace period");
    assert_eq!(stored(app.data.path()).len(), 2);
    let c = thidua_server::files::collect(store, files, days(8), grace)
        .await
        .unwrap();
    assert_eq!((c.dropped, c.files, c.partials), (1, 1, 1));
    assert_eq!(stored(app.data.path()), vec![fk.hash.clone()]);
    assert_eq!(partials(app.data.path()), 0);
    let res = fetch(app, &token, &fk.hash).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_bytes(res).await, keep);
    // Listed again later: sent again, kept again.
    list_files(app, &mut w.c.officer, &camp, None, vec![fd.clone()]).await;
    let (s, j) = put(app, &token, &fd, 0, &drop_).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(drop_.len())));
    assert_eq!(stored(app.data.path()).len(), 2);
}

#[tokio::test]
async fn a_file_listed_again_within_the_grace_period_is_kept() {
    let bytes = jpeg(10_000, 20);
    let f = file_ref(&bytes, FileType::Jpeg, "a.jpg");
    let mut w = world(vec![f.clone()]).await;
    put(&w.app, &w.c.officer.token, &f, 0, &bytes).await;
    let (camp, entry) = (w.camp.clone(), w.entry.clone());
    list_files(&w.app, &mut w.c.officer, &camp, Some(entry.clone()), vec![]).await;
    let (store, files) = (w.app.state.store.as_ref(), w.app.state.evidence.as_ref());
    let grace = Duration::from_secs(7 * 24 * 3600);
    let now = chrono::Utc::now();
    thidua_server::files::collect(store, files, now, grace)
        .await
        .unwrap();
    // Put back (the officer undid the removal) before the grace ran out.
    list_files(
        &w.app,
        &mut w.c.officer,
        &camp,
        Some(entry),
        vec![f.clone()],
    )
    .await;
    let c = thidua_server::files::collect(store, files, now + chrono::TimeDelta::days(8), grace)
        .await
        .unwrap();
    assert_eq!(c.dropped, 0);
    assert_eq!(stored(w.app.data.path()), vec![f.hash.clone()]);
    let (s, j) = put(&w.app, &w.c.officer.token, &f, 0, &bytes).await;
    assert_eq!((s, &j), (StatusCode::OK, &complete(bytes.len())));
}
