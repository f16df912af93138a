//! Browser-only code, tested in headless Chromium:
//! `cargo test -p thidua --target wasm32-unknown-unknown` (see scripts/test).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::unnecessary_get_then_check)]

use thidua::i18n::Lang;
use thidua::storage::{load_settings, save_settings, Settings};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage is available in the test browser")
}

#[wasm_bindgen_test]
fn settings_round_trip_through_local_storage() {
    let settings = Settings {
        lang: Lang::En,
        officer_name: "Nguyễn Thị Lan".into(),
        persistent: Some(false),
    };
    save_settings(&settings).expect("saved");
    let raw = local_storage()
        .get_item("thidua.settings")
        .expect("readable")
        .expect("present");
    assert!(raw.contains("Nguyễn Thị Lan"), "stored as JSON: {raw}");
    assert_eq!(load_settings(), settings);
}

#[wasm_bindgen_test]
fn unreadable_settings_fall_back_to_vietnamese_defaults() {
    local_storage()
        .set_item("thidua.settings", "{not json")
        .expect("writable");
    let settings = load_settings();
    assert_eq!(settings.lang, Lang::Vi);
    assert!(settings.officer_name.is_empty());
}

fn unit_record(doc: &mut thidua_core::Document, n: u64, name: &str) -> thidua_core::RecordId {
    use thidua_core::{Body, DeviceId, RecordId, Unit, UnitKind};
    let device = DeviceId::new("d-test").expect("valid device id");
    let id = RecordId::derive(&device, n);
    let body = Body::Unit(Unit {
        name: name.into(),
        kind: UnitKind::Enterprise,
    });
    doc.put(id.clone(), body, &device, None, chrono::Utc::now());
    id
}

#[wasm_bindgen_test]
fn refusals_stored_before_they_had_a_code_still_load() {
    use thidua::storage::{load_outbox, Outbox, Refusal};
    let doc = thidua_core::Document::new(thidua_core::RecordId::new("c-1").expect("valid id"));
    local_storage()
        .set_item(
            "thidua.outbox",
            r#"{"dirty":[],"rejected":{"r-1":"title is required"}}"#,
        )
        .expect("writable");
    let outbox: Outbox = load_outbox(&doc, None);
    let refusal = outbox
        .rejected
        .values()
        .next()
        .expect("the refusal is kept");
    assert_eq!(
        refusal,
        &Refusal {
            code: thidua_core::wire::RefusalCode::default(),
            reason: "title is required".into()
        }
    );
    // And the new form round-trips.
    let text = serde_json::to_string(&outbox).expect("serialises");
    let back: Outbox = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, outbox);
}

#[wasm_bindgen_test]
fn refusals_keep_their_code_as_stored() {
    use thidua::storage::{load_outbox, Outbox};
    use thidua_core::wire::RefusalCode;
    let doc = thidua_core::Document::new(thidua_core::RecordId::new("c-1").expect("valid id"));
    // A known code, and one a newer server sent that this app does not know.
    local_storage()
        .set_item(
            "thidua.outbox",
            r#"{"dirty":[],"rejected":{"r-1":{"code":"invalid","reason":"x"},"r-2":{"code":"too_late","reason":"y"}}}"#,
        )
        .expect("writable");
    let outbox: Outbox = load_outbox(&doc, None);
    let codes: Vec<&RefusalCode> = outbox.rejected.values().map(|r| &r.code).collect();
    assert_eq!(
        codes,
        [
            &RefusalCode::Invalid,
            &RefusalCode::Other("too_late".into())
        ]
    );
    let text = serde_json::to_string(&outbox).expect("serialises");
    assert!(
        text.contains(r#"{"code":"too_late","reason":"y"}"#),
        "{text}"
    );
}

fn device(id: &str, cluster: &thidua_core::RecordId) -> thidua::storage::Device {
    thidua::storage::Device {
        device_id: thidua_core::DeviceId::new(id).expect("valid device id"),
        token: format!("secret-token-of-{id}"),
        cluster_id: cluster.clone(),
        cluster_name: "Cụm thi đua số 18".into(),
        unit_id: thidua_core::RecordId::new("u-medlatec").expect("valid id"),
        role: thidua_core::Role::Officer,
        counter: 3,
        cursor: 0,
        pushes: 0,
        server_name: String::new(),
    }
}

#[wasm_bindgen_test]
fn a_restored_backup_names_every_record_it_brought_so_they_are_synced() {
    use thidua::storage::{backup, restore, Outbox, RestoreError};
    let cluster = thidua_core::RecordId::new("c-restore").expect("valid id");
    let mut phone = thidua_core::Document::new(cluster.clone());
    let a = unit_record(&mut phone, 1, "Công ty TNHH MTV Thủy lợi Nam sông Mã");
    let b = unit_record(&mut phone, 2, "MEDLATEC Thanh Hóa");
    let mut outbox = Outbox::default();
    outbox.dirty.insert(a.clone());
    outbox.dirty.insert(b.clone());
    let old = device("d-old", &cluster);
    let file = serde_json::to_string(&backup(&phone, &outbox, Some(&old))).expect("serialises");
    // The file never carries the phone's sign-in.
    assert!(!file.contains("secret-token-of-d-old"), "{file}");

    let mut fresh = thidua_core::Document::new(cluster.clone());
    // A phone that has not joined is told to join first.
    assert_eq!(
        restore(&file, &mut fresh, None),
        Err(RestoreError::JoinFirst)
    );
    let new = device("d-new", &cluster);
    let mut changed = restore(&file, &mut fresh, Some(&new)).expect("restored");
    changed.sort();
    let mut expected = vec![a.clone(), b];
    expected.sort();
    assert_eq!(changed, expected);
    // Written again as the new phone's own: a version never speaks for another device.
    let restored = fresh
        .get(&a)
        .expect("restored")
        .winner()
        .expect("a version");
    assert_eq!(restored.author, new.device_id);
    assert_eq!(restored.clock.get(&old.device_id), 0);
    // Restoring again brings nothing new.
    assert_eq!(
        restore(&file, &mut fresh, Some(&new)).expect("restored"),
        vec![]
    );
    assert!(restore("{\"not\":\"a backup\"}", &mut fresh, Some(&new)).is_err());
    // A backup of another cluster is refused.
    let other = device(
        "d-other",
        &thidua_core::RecordId::new("c-other").expect("valid id"),
    );
    assert_eq!(
        restore(&file, &mut fresh, Some(&other)),
        Err(RestoreError::OtherCluster)
    );
}

#[wasm_bindgen_test]
fn pushes_are_split_into_batches_the_server_takes() {
    let mut doc = thidua_core::Document::new(thidua_core::RecordId::new("c-b").expect("valid id"));
    let ids: Vec<_> = (0..1203)
        .map(|n| unit_record(&mut doc, n, &format!("Đơn vị {n}")))
        .collect();
    let records: Vec<_> = ids.iter().filter_map(|id| doc.get(id).cloned()).collect();
    let batches = thidua::sync::push_batches(&records);
    assert_eq!(batches.iter().map(|b| b.len()).sum::<usize>(), 1203);
    assert!(batches.len() >= 3, "{} batches", batches.len());
    for b in &batches {
        assert!(b.len() <= 500);
        let bytes = serde_json::to_string(b).expect("serialises").len();
        assert!(bytes <= 300 * 1024, "{bytes} bytes");
    }
    assert!(thidua::sync::push_batches(&[]).is_empty());
}

/// A promise that resolves after `ms` milliseconds, for waiting in a test.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn after_next_paint_runs_once_later() {
    use std::cell::Cell;
    use std::rc::Rc;
    let runs = Rc::new(Cell::new(0));
    let counter = runs.clone();
    thidua::platform::after_next_paint(move || counter.set(counter.get() + 1));
    // Not at once: the boot screen paints first.
    assert_eq!(runs.get(), 0);
    // By then both the frame and the fallback timeout have fired, and it ran only once.
    sleep(400).await;
    assert_eq!(runs.get(), 1);
}

#[wasm_bindgen_test]
fn records_fold_into_compressed_packs_and_read_back_whole() {
    use thidua::storage::{load_document, records, save_record, usage};
    use thidua_core::{Body, DeviceId, Entry, EntryDetails, RecordId};
    let storage = local_storage();
    storage.clear().expect("cleared");
    let cluster = RecordId::new("c-pack").expect("valid id");
    let device = DeviceId::new("d-pack").expect("valid device id");
    let unit = RecordId::new("medlatec").expect("valid id");
    let mut doc = thidua_core::Document::new(cluster.clone());
    let entry = |n: u64, title: &str| {
        Body::Entry(Entry {
            unit: unit.clone(),
            campaign: RecordId::new("dot-95-ngay").expect("valid id"),
            criterion: Some("cay-xanh".into()),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1 + (n % 28) as u32).expect("a date"),
            title: format!("{title} {n}"),
            description: "Trồng cây xanh quanh khuôn viên bệnh viện".into(),
            details: EntryDetails::Trees {
                count: 10 + n as u32,
            },
            corrects: None,
            files: Vec::new(),
        })
    };
    let count = records::PACK_SIZE as u64 * 2 + 100;
    let mut plain_units = 0;
    for n in 0..count {
        let id = RecordId::derive(&device, n);
        let record = doc
            .put(
                id,
                entry(n, "Trồng cây"),
                &device,
                Some(unit.clone()),
                chrono::Utc::now(),
            )
            .clone();
        plain_units += serde_json::to_string(&record)
            .expect("json")
            .encode_utf16()
            .count();
        save_record(&record).expect("saved");
        records::compact(&doc).expect("packed");
    }
    // Two packs made; what is left waits in the journal.
    assert_eq!(records::journal_len(), 100);
    let packed = usage().records;
    assert!(
        packed * 2 < plain_units,
        "{packed} units stored for {plain_units} of JSON"
    );
    // An edit of a packed record: the newer copy wins after a reload.
    let first = RecordId::derive(&device, 0);
    let edited = doc
        .put(
            first.clone(),
            entry(0, "Đã sửa"),
            &device,
            Some(unit.clone()),
            chrono::Utc::now(),
        )
        .clone();
    save_record(&edited).expect("saved");
    let (back, damaged) = load_document(&cluster);
    assert_eq!(damaged, 0);
    assert_eq!(back.entries().count() as u64, count);
    assert_eq!(back.get_entry(&first).expect("there").title, "Đã sửa 0");
    assert_eq!(back, doc);
    storage.clear().expect("cleared");
}

/// An evidence file kept in IndexedDB is listed, read back and removed: the store takes the
/// record by its `hash` key path (it once got a `Map`, which has none, and kept nothing).
#[wasm_bindgen_test]
async fn evidence_files_are_kept_listed_read_and_removed() {
    use thidua::filestore::{self, LocalFile, Upload};
    use thidua_core::files::{FileRef, FileType};
    let bytes = b"%PDF-1.4\nbien ban\n%%EOF\n";
    let hash = thidua::photo::sha256(bytes);
    let file = LocalFile {
        file: FileRef {
            hash: hash.clone(),
            size: bytes.len() as u64,
            file_type: FileType::Pdf,
            name: "biên bản.pdf".into(),
        },
        upload: Upload::Local,
        cluster: "c1".into(),
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("done");
    filestore::put(&file, &blob).await.expect("done");
    let listed = filestore::list().await.expect("done");
    assert_eq!(listed.get(&hash), Some(&file));
    let back = filestore::bytes(&hash).await.expect("done").expect("done");
    assert_eq!(
        thidua::photo::read(&back).await.expect("done"),
        bytes.to_vec()
    );
    let sent = LocalFile {
        upload: Upload::Sending { offset: 10 },
        ..file.clone()
    };
    filestore::set_upload(&sent).await.expect("done");
    assert_eq!(
        filestore::list().await.expect("done").get(&hash),
        Some(&sent)
    );
    filestore::remove(&hash).await.expect("done");
    assert!(!filestore::list().await.expect("done").contains_key(&hash));
    assert!(filestore::bytes(&hash).await.expect("done").is_none());
}
