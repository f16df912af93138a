//! Durability: every push the server acknowledged survives `kill -9` of the server.
//!
//! Runs the real binary on a temp data folder with the demo cluster, joins 8 officer devices,
//! lets them push new entries and edits concurrently, SIGKILLs the process while pushes are in
//! flight, restarts it on the same folder and checks that every acknowledged revision is there.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{json, Value};
use thidua_core::{Body, DeviceId, Document, Entry, EntryDetails, Record, RecordId, VersionVector};

const BIN: &str = env!("CARGO_BIN_EXE_thidua-server");
const PUSHERS: usize = 8;

/// Kills the server if the test fails half-way.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
        .arg("--data-dir")
        .arg(data)
        .arg("--static-dir")
        .arg(data.join("no-dist"))
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim_end()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    Server { child, port }
}

/// Loads the demo cluster; returns the officer's invite code.
fn demo(data: &Path) -> String {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["demo", "--public-url", "http://test.invalid"])
        .env_remove("THIDUA_PUBLIC_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .lines()
        .find(|l| l.starts_with("Unit officer"))
        .and_then(|l| l.rsplit('#').next())
        .unwrap_or_else(|| panic!("no officer link in {stdout}"))
        .to_owned()
}

struct Device {
    token: String,
    id: DeviceId,
    unit: RecordId,
    doc: Document,
}

async fn join(client: &reqwest::Client, base: &str, code: &str, n: usize) -> Device {
    let res = client
        .post(format!("{base}/api/join"))
        .json(&json!({"code": code, "device_name": format!("Máy {n}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let j: Value = res.json().await.unwrap();
    let cluster = RecordId::new(j["cluster_id"].as_str().unwrap()).unwrap();
    Device {
        token: j["token"].as_str().unwrap().to_owned(),
        id: DeviceId::new(j["device_id"].as_str().unwrap()).unwrap(),
        unit: RecordId::new(j["unit_id"].as_str().unwrap()).unwrap(),
        doc: Document::new(cluster),
    }
}

/// What one pusher learnt: per record, the last acknowledged clock and the clocks of
/// attempts made after it (which may or may not have been applied before the kill).
#[derive(Default)]
struct Log {
    acked: BTreeMap<RecordId, VersionVector>,
    unconfirmed: BTreeMap<RecordId, Vec<VersionVector>>,
}

async fn pusher(
    client: reqwest::Client,
    base: String,
    mut dev: Device,
    stop: Arc<AtomicBool>,
    acks: Arc<AtomicUsize>,
    log: Arc<Mutex<Log>>,
) {
    let campaign = RecordId::new("dot-95-ngay").unwrap();
    let today = Utc::now().date_naive();
    let mut mine: Vec<RecordId> = Vec::new();
    let mut counter = 0u64;
    for i in 0u64.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // Two new entries, then an edit of an earlier one.
        let id = if i % 3 == 2 && !mine.is_empty() {
            mine[(i as usize * 7) % mine.len()].clone()
        } else {
            counter += 1;
            let id = RecordId::derive(&dev.id, counter);
            mine.push(id.clone());
            id
        };
        let body = Body::Entry(Entry {
            unit: dev.unit.clone(),
            campaign: campaign.clone(),
            criterion: Some("sang-kien".into()),
            date: today,
            title: format!("Sáng kiến số {i} của {}", dev.id),
            description: "Giảm 6% điện năng mỗi ca ép.".into(),
            details: EntryDetails::Initiative {
                value_vnd: 1_000_000 + i,
            },
            corrects: None,
            files: Vec::new(),
        });
        dev.doc.put(
            id.clone(),
            body,
            &dev.id,
            Some(dev.unit.clone()),
            Utc::now(),
        );
        let rec: Record = dev.doc.get(&id).unwrap().clone();
        let clock = rec.clock();
        log.lock()
            .unwrap()
            .unconfirmed
            .entry(id.clone())
            .or_default()
            .push(clock.clone());
        let sent = client
            .post(format!("{base}/api/sync/push"))
            .bearer_auth(&dev.token)
            .json(&json!({"push_id": format!("{}-{i}", dev.id), "records": [rec]}))
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        let Ok(res) = sent else { break };
        let status = res.status();
        let Ok(answer) = res.json::<Value>().await else {
            break;
        };
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["accepted"], json!([id]), "{answer}");
        let mut log = log.lock().unwrap();
        log.acked.insert(id.clone(), clock);
        log.unconfirmed.remove(&id);
        acks.fetch_add(1, Ordering::Relaxed);
    }
}

async fn pull_all(client: &reqwest::Client, base: &str, token: &str) -> BTreeMap<RecordId, Record> {
    let mut out = BTreeMap::new();
    let mut since = 0u64;
    loop {
        let page: Value = client
            .get(format!("{base}/api/sync/pull?since={since}&limit=1000"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for r in page["records"].as_array().unwrap() {
            let rec: Record = serde_json::from_value(r.clone()).unwrap();
            out.insert(rec.id.clone(), rec);
        }
        since = page["cursor"].as_u64().unwrap();
        if page["more"] != json!(true) {
            return out;
        }
    }
}

#[test]
fn acknowledged_pushes_survive_sigkill() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let code = demo(&data);
    let server = start(&data);
    let base = format!("http://127.0.0.1:{}", server.port);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let log = Arc::new(Mutex::new(Log::default()));
    let tokens: Vec<String> = rt.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(AtomicUsize::new(0));
        let mut tokens = Vec::new();
        let mut tasks = Vec::new();
        for n in 0..PUSHERS {
            let dev = join(&client, &base, &code, n).await;
            tokens.push(dev.token.clone());
            tasks.push(tokio::spawn(pusher(
                client.clone(),
                base.clone(),
                dev,
                Arc::clone(&stop),
                Arc::clone(&acks),
                Arc::clone(&log),
            )));
        }
        // Kill once a good number of pushes went through (or after 5 s at most).
        let deadline = Instant::now() + Duration::from_secs(5);
        while acks.load(Ordering::Relaxed) < 1000 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut server = server;
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            tokio::time::timeout(Duration::from_secs(10), t)
                .await
                .expect("pushers stop once the server is gone")
                .unwrap();
        }
        tokens
    });
    let log = std::mem::take(&mut *log.lock().unwrap());
    assert!(
        log.acked.len() >= 50,
        "only {} acknowledged",
        log.acked.len()
    );

    let server = start(&data);
    let base = format!("http://127.0.0.1:{}", server.port);
    let stored = rt.block_on(pull_all(&client, &base, &tokens[0]));
    let mut missing = Vec::new();
    for (id, clock) in &log.acked {
        let Some(rec) = stored.get(id) else {
            missing.push(format!("{id}: not stored"));
            continue;
        };
        assert!(!rec.has_conflicts(), "{id}");
        // Exactly the acknowledged revision, or a later attempt that reached the disk before
        // the kill (its answer was lost).
        let have = rec.clock();
        let later = log.unconfirmed.get(id).is_some_and(|c| c.contains(&have));
        if &have != clock && !later {
            missing.push(format!("{id}: acknowledged {clock:?}, stored {have:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged records lost:\n{}",
        missing.len(),
        log.acked.len(),
        missing.join("\n")
    );
    // Unacknowledged new records are either absent or stored with an attempted revision.
    for (id, attempts) in &log.unconfirmed {
        if let Some(rec) = stored.get(id) {
            assert!(attempts.contains(&rec.clock()) || log.acked.get(id) == Some(&rec.clock()));
        }
    }
    // The restarted server keeps working.
    let res = rt.block_on(
        client
            .get(format!("{base}/api/snapshot"))
            .bearer_auth(&tokens[1])
            .send(),
    );
    assert_eq!(res.unwrap().status(), 200);
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    eprintln!(
        "kill9: {} acknowledged records checked, {} unconfirmed, {:?}",
        log.acked.len(),
        log.unconfirmed.len(),
        started.elapsed()
    );
}

/// `n` bytes that read as a JPEG (its magic number, then noise).
fn photo(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
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
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An upload cut by `kill -9` of the server in the middle of its last chunk: after a restart
/// the file is not complete and not served (no half file under its hash), its upload says
/// how much arrived, and it goes on from there to a whole, checked file.
#[test]
fn an_upload_cut_by_sigkill_resumes_and_is_never_served_half() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let code = demo(&data);
    let server = start(&data);
    let base = format!("http://127.0.0.1:{}", server.port);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let chunk = thidua_core::wire::MAX_FILE_CHUNK;
    let bytes = photo(chunk + chunk / 2);
    let hash = sha(&bytes);
    let size = bytes.len();
    let url = |offset: usize| {
        format!("{base}/api/files/{hash}?offset={offset}&size={size}&type=image/jpeg")
    };
    let dev = rt.block_on(async {
        let mut dev = join(&client, &base, &code, 0).await;
        let id = RecordId::derive(&dev.id, 1);
        let body = Body::Entry(Entry {
            unit: dev.unit.clone(),
            campaign: RecordId::new("dot-95-ngay").unwrap(),
            criterion: Some("sang-kien".into()),
            date: Utc::now().date_naive(),
            title: "Trồng 300 cây xanh".into(),
            description: String::new(),
            details: EntryDetails::Trees { count: 300 },
            corrects: None,
            files: vec![thidua_core::files::FileRef {
                hash: hash.clone(),
                size: size as u64,
                file_type: thidua_core::files::FileType::Jpeg,
                name: "trong-cay.jpg".into(),
            }],
        });
        dev.doc.put(
            id.clone(),
            body,
            &dev.id,
            Some(dev.unit.clone()),
            Utc::now(),
        );
        let rec = dev.doc.get(&id).unwrap().clone();
        let res = client
            .post(format!("{base}/api/sync/push"))
            .bearer_auth(&dev.token)
            .json(&json!({"push_id": "p1", "records": [rec]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let res = client
            .put(url(0))
            .bearer_auth(&dev.token)
            .header("content-type", "application/octet-stream")
            .body(bytes[..chunk].to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        dev
    });
    // The last chunk, half sent, by hand: the server is killed while reading it.
    let rest = size - chunk;
    let mut raw = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        raw,
        "PUT /api/files/{hash}?offset={chunk}&size={size}&type=image/jpeg HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {rest}\r\n\r\n",
        dev.token
    )
    .unwrap();
    raw.write_all(&bytes[chunk..chunk + rest / 2]).unwrap();
    raw.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    drop(raw);
    let whole = data.join("files").join(&hash[..2]).join(&hash);
    assert!(!whole.exists(), "a half file is stored under its hash");

    let server = start(&data);
    let base = format!("http://127.0.0.1:{}", server.port);
    let url = |offset: u64| {
        format!("{base}/api/files/{hash}?offset={offset}&size={size}&type=image/jpeg")
    };
    rt.block_on(async {
        let progress: Value = client
            .get(format!("{base}/api/files/{hash}/upload"))
            .bearer_auth(&dev.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(progress["complete"], false, "{progress}");
        let received = progress["received"].as_u64().unwrap();
        assert!(
            (chunk as u64..=(chunk + rest / 2) as u64).contains(&received),
            "{progress}"
        );
        let res = client
            .get(format!("{base}/api/files/{hash}"))
            .bearer_auth(&dev.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // Resumed from where it stopped.
        let res = client
            .put(url(received))
            .bearer_auth(&dev.token)
            .header("content-type", "application/octet-stream")
            .body(bytes[received as usize..].to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let done: Value = res.json().await.unwrap();
        assert_eq!(
            done,
            json!({"received": size, "size": size, "complete": true})
        );
        let res = client
            .get(format!("{base}/api/files/{hash}"))
            .bearer_auth(&dev.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let got = res.bytes().await.unwrap();
        assert_eq!(sha(&got), hash);
    });
    assert!(whole.exists());
    drop(server);
}
