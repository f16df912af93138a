//! Load benchmark for `thidua-server` (run through `scripts/bench-server`).
//!
//! Starts the server binary on loopback with a fresh data folder and the demo cluster, joins
//! N officer devices (invites made with the head's token, one per demo unit), then lets every
//! device loop for the given time: push one new ~850-byte entry, and every 10th iteration pull
//! since its cursor; with `--rate`, the devices share that many pushes a second between them
//! instead of pushing as fast as the server answers. Prints throughput, latency percentiles
//! and the server's resident memory (start, every minute, end), and whether the targets were
//! met. Stops by itself.
//!
//! With `--files`, it measures evidence uploads instead: `--devices` (default 10) devices each
//! push results listing their share of `--photos` (default 100) photos of `--photo-kb` (default
//! 250) KB (random bytes behind a JPEG header, named by their real SHA-256), then all send them
//! at once (`PUT /api/files/{hash}`, chunks of at most 1 MiB); it prints MB/s and files/s, the
//! same for reading them back, and the server's peak resident memory during the uploads (its
//! `VmHWM`, reset just before them through `/proc/<pid>/clear_refs`), to show that files
//! stream rather than sit in memory.
//!
//! ```text
//! thidua-load [--server PATH] [--devices 50] [--seconds 60 | --minutes 10] [--pull-every 10]
//!             [--rate 3000] [--target-pushes 3000] [--target-p99-ms 25] [--target-rss-mb 64] [--strict]
//! thidua-load --files [--devices 10] [--photos 100] [--photo-kb 250] [--target-rss-mb 64] [--strict]
//! ```
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde::de::IgnoredAny;
use thidua_core::wire::{
    InviteCreated, InviteRequest, JoinRequest, JoinResponse, PullResponse, PushRequest, Snapshot,
};
use thidua_core::{Body, DeviceId, Document, Entry, EntryDetails, Kind, RecordId, Role};

struct Options {
    server: PathBuf,
    devices: usize,
    duration: Duration,
    pull_every: u64,
    /// Pushes per second across all devices; 0: as fast as the server answers.
    rate: f64,
    target_pushes: f64,
    target_p99_ms: f64,
    target_rss_mb: f64,
    strict: bool,
    /// Measure evidence uploads instead of pushes.
    files: bool,
    photos: usize,
    photo_kb: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: thidua-load [--server PATH] [--devices N] [--seconds S | --minutes M] \
         [--pull-every K] [--rate PUSHES_PER_S] [--target-pushes N] [--target-p99-ms MS] [--target-rss-mb MB] [--strict]\n\
         \x20      thidua-load --files [--devices N] [--photos N] [--photo-kb KB] [--target-rss-mb MB] [--strict]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/examples/thidua-load → target/<profile>/thidua-server
    let default_server = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("thidua-server"))
        .unwrap_or_else(|| PathBuf::from("thidua-server"));
    let mut o = Options {
        server: default_server,
        devices: 50,
        duration: Duration::from_secs(60),
        pull_every: 10,
        rate: 0.0,
        target_pushes: 3000.0,
        target_p99_ms: 25.0,
        target_rss_mb: 64.0,
        strict: false,
        files: false,
        photos: 100,
        photo_kb: 250,
    };
    let mut devices_given = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--server" => o.server = PathBuf::from(value()),
            "--devices" => {
                o.devices = value().parse().unwrap_or_else(|_| usage());
                devices_given = true;
            }
            "--files" => o.files = true,
            "--photos" => o.photos = value().parse().unwrap_or_else(|_| usage()),
            "--photo-kb" => o.photo_kb = value().parse().unwrap_or_else(|_| usage()),
            "--seconds" => {
                o.duration = Duration::from_secs(value().parse().unwrap_or_else(|_| usage()))
            }
            "--minutes" => {
                o.duration =
                    Duration::from_secs(60 * value().parse::<u64>().unwrap_or_else(|_| usage()))
            }
            "--pull-every" => o.pull_every = value().parse().unwrap_or_else(|_| usage()),
            "--rate" => o.rate = value().parse().unwrap_or_else(|_| usage()),
            "--target-pushes" => o.target_pushes = value().parse().unwrap_or_else(|_| usage()),
            "--target-p99-ms" => o.target_p99_ms = value().parse().unwrap_or_else(|_| usage()),
            "--target-rss-mb" => o.target_rss_mb = value().parse().unwrap_or_else(|_| usage()),
            "--strict" => o.strict = true,
            _ => usage(),
        }
    }
    if o.files && !devices_given {
        o.devices = 10;
    }
    if o.devices == 0 || o.pull_every == 0 || o.duration.is_zero() || o.photo_kb == 0 {
        usage();
    }
    // Bounded: at most one hour.
    o.duration = o.duration.min(Duration::from_secs(3600));
    o
}

/// The server process; killed when dropped.
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

/// CPU seconds (user + system) a process used, from `/proc/<pid>/stat` (clock ticks of
/// 1/100 s, the Linux default).
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) as f64 / 100.0
}

impl Server {
    fn cpu(&self) -> f64 {
        cpu_seconds(&self.child.id().to_string())
    }

    fn rss_kb(&self) -> Option<u64> {
        self.status_kb("VmRSS:")
    }

    /// Peak resident memory since start, or since [`Server::reset_peak`].
    fn peak_kb(&self) -> Option<u64> {
        self.status_kb("VmHWM:")
    }

    /// Resets the peak (`VmHWM`) to the current resident memory; false where not possible.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").is_ok()
    }

    fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with(field))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }
}

fn demo_codes(server: &PathBuf, data: &std::path::Path) -> (String, String) {
    let out = Command::new(server)
        .arg("--data-dir")
        .arg(data)
        .args(["demo", "--public-url", "http://127.0.0.1"])
        .env_remove("THIDUA_PUBLIC_URL")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", server.display()));
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let code = |prefix: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit('#').next())
            .unwrap_or_else(|| panic!("no {prefix} link in {stdout}"))
            .to_owned()
    };
    (code("Cluster head"), code("Unit officer"))
}

fn start(server: &PathBuf, data: &std::path::Path) -> Server {
    let mut child = Command::new(server)
        .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
        .arg("--data-dir")
        .arg(data)
        .arg("--static-dir")
        .arg(data.join("no-dist"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
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

struct Device {
    token: String,
    id: DeviceId,
    unit: RecordId,
    doc: Document,
}

async fn join(client: &reqwest::Client, base: &str, code: &str, name: &str) -> JoinResponse {
    let res = client
        .post(format!("{base}/api/join"))
        .json(&JoinRequest {
            code: code.to_owned(),
            device_name: name.to_owned(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "join failed");
    res.json().await.unwrap()
}

async fn setup(client: &reqwest::Client, base: &str, head_code: &str, n: usize) -> Vec<Device> {
    let head = join(client, base, head_code, "Máy trưởng cụm").await;
    let snapshot: Snapshot = client
        .get(format!("{base}/api/snapshot"))
        .bearer_auth(&head.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let units: Vec<RecordId> = snapshot
        .records
        .into_iter()
        .filter(|r| r.kind == Kind::Unit)
        .map(|r| r.id)
        .collect();
    let mut codes = Vec::new();
    for unit in units {
        let res = client
            .post(format!("{base}/api/invites"))
            .bearer_auth(&head.token)
            .json(&InviteRequest {
                unit_id: unit,
                role: Role::Officer,
                expires_in_days: None,
                max_uses: None,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let invite: InviteCreated = res.json().await.unwrap();
        codes.push(invite.code);
    }
    let mut devices = Vec::new();
    for i in 0..n {
        let j = join(
            client,
            base,
            &codes[i % codes.len()],
            &format!("Máy {}", i + 1),
        )
        .await;
        devices.push(Device {
            token: j.token,
            id: j.device_id,
            unit: j.unit_id,
            doc: Document::new(j.cluster_id),
        });
    }
    devices
}

/// A realistic entry: Vietnamese title and description, about 850 bytes as a pushed record.
fn entry(dev: &Device, i: u64) -> Body {
    Body::Entry(Entry {
        unit: dev.unit.clone(),
        campaign: RecordId::new("dot-95-ngay").unwrap(),
        criterion: Some("tap-huan".into()),
        date: Utc::now().date_naive(),
        title: format!("Tập huấn an toàn, vệ sinh lao động cho công nhân tổ sản xuất số {i}"),
        description: "Phối hợp với Trung tâm Y tế huyện tổ chức lớp tập huấn về an toàn, vệ sinh \
                      lao động, phòng chống cháy nổ và sơ cấp cứu cho người lao động trực tiếp \
                      sản xuất; có kiểm tra cuối khoá, cấp giấy chứng nhận cho học viên đạt yêu \
                      cầu. Kinh phí do Công đoàn cơ sở và doanh nghiệp cùng chi."
            .into(),
        details: EntryDetails::Training {
            participants: 40 + (i % 160) as u32,
        },
        corrects: None,
        files: Vec::new(),
    })
}

#[derive(Default)]
struct Stats {
    push: Vec<u32>,
    pull: Vec<u32>,
    /// Records in the pulls that were parsed whole (every 10th).
    pulled_records: u64,
    sampled_pulls: u64,
    errors: u64,
}

/// The `cursor` of a pull answer, from its last bytes.
fn tail_cursor(body: &[u8]) -> Option<u64> {
    let tail = &body[body.len().saturating_sub(64)..];
    let key = b"\"cursor\":";
    let at = tail.windows(key.len()).rposition(|w| w == key)? + key.len();
    let digits: Vec<u8> = tail[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

async fn run_device(
    client: reqwest::Client,
    base: String,
    mut dev: Device,
    pull_every: u64,
    period: Option<Duration>,
    stop: Arc<AtomicBool>,
    pushes: Arc<AtomicU64>,
) -> Stats {
    let mut stats = Stats::default();
    // With a rate, each device pushes on a clock (an open loop at the target load), so
    // latency is measured at that load rather than at the server's saturation point.
    let mut tick = period.map(|p| {
        let mut t = tokio::time::interval(p);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        t
    });
    let mut cursor = 0u64;
    let push_url = format!("{base}/api/sync/push");
    for i in 1u64.. {
        if let Some(t) = tick.as_mut() {
            t.tick().await;
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let id = RecordId::derive(&dev.id, i);
        dev.doc.put(
            id.clone(),
            entry(&dev, i),
            &dev.id,
            Some(dev.unit.clone()),
            Utc::now(),
        );
        // The device's replica only needs the record it is about to push.
        let rec = dev.doc.records.remove(&id).unwrap();
        let body = serde_json::to_vec(&PushRequest {
            push_id: format!("p{i}"),
            records: vec![rec],
        })
        .unwrap();
        let t = Instant::now();
        let res = client
            .post(&push_url)
            .bearer_auth(&dev.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        match res {
            Ok(r) if r.status() == 200 => match r.bytes().await {
                Ok(_) => {
                    stats.push.push(micros(t));
                    pushes.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) => stats.errors += 1,
            },
            Ok(r) => {
                stats.errors += 1;
                if stats.errors <= 3 {
                    let s = r.status();
                    eprintln!("push {s}: {}", r.text().await.unwrap_or_default());
                }
            }
            Err(e) => {
                stats.errors += 1;
                if stats.errors <= 3 {
                    eprintln!("push failed: {e}");
                }
            }
        }
        if i.is_multiple_of(pull_every) {
            let t = Instant::now();
            let res = client
                .get(format!("{base}/api/sync/pull?since={cursor}"))
                .bearer_auth(&dev.token)
                .send()
                .await;
            match res {
                Ok(r) if r.status() == 200 => match r.bytes().await {
                    Ok(bytes) => {
                        stats.pull.push(micros(t));
                        // The server writes `"cursor":N,"more":B}` last: read just that, and
                        // parse the whole page only now and then (for the records count), so
                        // that the load generator spends its CPU on sending load.
                        match tail_cursor(&bytes) {
                            Some(c) => cursor = c,
                            None => stats.errors += 1,
                        }
                        if stats.pull.len() % 10 == 1 {
                            // Records only counted, not built.
                            match serde_json::from_slice::<PullResponse<IgnoredAny>>(&bytes) {
                                Ok(page) if page.cursor == cursor => {
                                    stats.sampled_pulls += 1;
                                    stats.pulled_records += page.records.len() as u64;
                                }
                                _ => stats.errors += 1,
                            }
                        }
                    }
                    Err(_) => stats.errors += 1,
                },
                _ => stats.errors += 1,
            }
        }
    }
    stats
}

fn micros(t: Instant) -> u32 {
    u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn main() -> ExitCode {
    let o = options();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (head_code, _) = demo_codes(&o.server, &data);
    let server = start(&o.server, &data);
    let base = format!("http://127.0.0.1:{}", server.port);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.devices)
        .build()
        .unwrap();
    let devices = rt.block_on(setup(&client, &base, &head_code, o.devices));
    if o.files {
        return files_bench(&o, &server, &rt, &client, &base, devices);
    }
    let sample_size = {
        let d = &devices[0];
        let mut doc = d.doc.clone();
        let id = RecordId::derive(&d.id, 1);
        doc.put(
            id.clone(),
            entry(d, 1),
            &d.id,
            Some(d.unit.clone()),
            Utc::now(),
        );
        serde_json::to_vec(doc.get(&id).unwrap()).unwrap().len()
    };
    println!(
        "thidua-load: {} devices, {} s, {}, pull every {} pushes, entry record {} bytes, server {}",
        o.devices,
        o.duration.as_secs(),
        if o.rate > 0.0 {
            format!("{} pushes/s in all", o.rate)
        } else {
            "as fast as answered".to_owned()
        },
        o.pull_every,
        sample_size,
        o.server.display()
    );
    let rss_start = server.rss_kb().unwrap_or(0);
    println!("RSS at start: {:.1} MB", mb(rss_start));

    let stop = Arc::new(AtomicBool::new(false));
    let pushes = Arc::new(AtomicU64::new(0));
    let (server_cpu0, own_cpu0) = (server.cpu(), cpu_seconds("self"));
    let started = Instant::now();
    let mut rss = vec![rss_start];
    let stats: Vec<Stats> = rt.block_on(async {
        let tasks: Vec<_> = devices
            .into_iter()
            .map(|d| {
                tokio::spawn(run_device(
                    client.clone(),
                    base.clone(),
                    d,
                    o.pull_every,
                    (o.rate > 0.0).then(|| Duration::from_secs_f64(o.devices as f64 / o.rate)),
                    Arc::clone(&stop),
                    Arc::clone(&pushes),
                ))
            })
            .collect();
        let mut next_minute = Duration::from_secs(60);
        let mut last = (Instant::now(), 0u64);
        while started.elapsed() < o.duration {
            tokio::time::sleep(Duration::from_secs(1).min(o.duration - started.elapsed())).await;
            let now = started.elapsed();
            if now.as_secs().is_multiple_of(10) || now >= o.duration {
                let n = pushes.load(Ordering::Relaxed);
                let rate = (n - last.1) as f64 / last.0.elapsed().as_secs_f64();
                last = (Instant::now(), n);
                eprintln!(
                    "  {:>4} s: {n} pushes ({rate:.0}/s), RSS {:.1} MB",
                    now.as_secs(),
                    mb(server.rss_kb().unwrap_or(0))
                );
            }
            if now >= next_minute {
                let kb = server.rss_kb().unwrap_or(0);
                rss.push(kb);
                println!("RSS at {} min: {:.1} MB", now.as_secs() / 60, mb(kb));
                next_minute += Duration::from_secs(60);
            }
        }
        stop.store(true, Ordering::Relaxed);
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = server.cpu() - server_cpu0;
    let own_cpu = cpu_seconds("self") - own_cpu0;
    let rss_end = server.rss_kb().unwrap_or(0);
    rss.push(rss_end);
    println!("RSS at end: {:.1} MB", mb(rss_end));
    drop(server);

    let mut push: Vec<u32> = stats.iter().flat_map(|s| s.push.iter().copied()).collect();
    let mut pull: Vec<u32> = stats.iter().flat_map(|s| s.pull.iter().copied()).collect();
    push.sort_unstable();
    pull.sort_unstable();
    let errors: u64 = stats.iter().map(|s| s.errors).sum();
    let pulled: u64 = stats.iter().map(|s| s.pulled_records).sum();
    let sampled: u64 = stats.iter().map(|s| s.sampled_pulls).sum();
    let push_rate = push.len() as f64 / elapsed;
    let pull_rate = pull.len() as f64 / elapsed;
    println!(
        "pushes: {} ({push_rate:.0}/s)  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        push.len(),
        percentile(&push, 50.0),
        percentile(&push, 95.0),
        percentile(&push, 99.0),
        percentile(&push, 100.0),
    );
    println!(
        "pulls:  {} ({pull_rate:.0}/s, {:.0} records each)  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        pull.len(),
        if sampled == 0 { 0.0 } else { pulled as f64 / sampled as f64 },
        percentile(&pull, 50.0),
        percentile(&pull, 95.0),
        percentile(&pull, 99.0),
        percentile(&pull, 100.0),
    );
    println!("errors: {errors}");
    println!(
        "CPU: server {:.2} cores ({:.0} µs per push incl. its share of pulls), load generator {:.2} cores",
        server_cpu / elapsed,
        server_cpu * 1e6 / push.len().max(1) as f64,
        own_cpu / elapsed
    );
    let rss_max = rss.iter().copied().max().unwrap_or(0);
    // "Not growing": over the second half of the run (the database's page cache fills during
    // the first minutes), the last sample is within 10% (or 4 MB) of the one at half time.
    // Samples are the start, one a minute and the end, so short runs have no verdict.
    let half = rss.get(rss.len() / 2).copied().unwrap_or(rss_end);
    let growing = rss.len() > 3 && rss_end > half + (half / 10).max(4096);
    let checks = [
        (
            format!("pushes/s {push_rate:.0} ≥ {}", o.target_pushes),
            push_rate >= o.target_pushes,
        ),
        (
            format!(
                "push p99 {:.2} ms ≤ {} ms",
                percentile(&push, 99.0),
                o.target_p99_ms
            ),
            percentile(&push, 99.0) <= o.target_p99_ms,
        ),
        (
            format!("RSS max {:.1} MB ≤ {} MB", mb(rss_max), o.target_rss_mb),
            mb(rss_max) <= o.target_rss_mb,
        ),
        ("RSS not growing".to_owned(), !growing),
        ("no errors".to_owned(), errors == 0),
    ];
    let mut ok = true;
    for (what, met) in &checks {
        println!("{} {what}", if *met { "MET   " } else { "MISSED" });
        ok &= met;
    }
    if ok || !o.strict {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

// ---------------------------------------------------------------------------------------------
// Evidence uploads (`--files`)

/// `n` bytes of noise behind a JPEG's magic number (incompressible, like a photo).
fn photo(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(n);
    out[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Sends one file in chunks of at most `MAX_FILE_CHUNK`; true when it ends complete.
async fn send_file(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    f: &thidua_core::files::FileRef,
    bytes: &[u8],
) -> bool {
    let mut offset = 0usize;
    for chunk in bytes.chunks(thidua_core::wire::MAX_FILE_CHUNK) {
        let res = client
            .put(format!(
                "{base}/api/files/{}?offset={offset}&size={}&type=image/jpeg",
                f.hash, f.size
            ))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(chunk.to_vec())
            .send()
            .await;
        let Ok(res) = res else { return false };
        if res.status() != 200 {
            eprintln!(
                "upload {}: {}",
                res.status(),
                res.text().await.unwrap_or_default()
            );
            return false;
        }
        let Ok(p) = res.json::<thidua_core::wire::FileProgress>().await else {
            return false;
        };
        offset += chunk.len();
        if p.complete {
            return offset == bytes.len();
        }
    }
    false
}

/// A photo as its result lists it, and its bytes.
type Photo = (thidua_core::files::FileRef, Vec<u8>);

fn files_bench(
    o: &Options,
    server: &Server,
    rt: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    base: &str,
    devices: Vec<Device>,
) -> ExitCode {
    use thidua_core::files::{FileRef, FileType, MAX_FILES};
    let size = o.photo_kb * 1000;
    // Each device's photos, listed by its results (at most six per result), pushed first.
    let mut work: Vec<(Device, Vec<Photo>)> = Vec::new();
    for (d, dev) in devices.into_iter().enumerate() {
        let mine: Vec<Photo> = (0..o.photos)
            .filter(|i| i % o.devices == d)
            .map(|i| {
                let bytes = photo(size, i as u64 + 1);
                let f = FileRef {
                    hash: sha256_hex(&bytes),
                    size: bytes.len() as u64,
                    file_type: FileType::Jpeg,
                    name: format!("anh-minh-chung-{i}.jpg"),
                };
                (f, bytes)
            })
            .collect();
        work.push((dev, mine));
    }
    rt.block_on(async {
        for (dev, mine) in &mut work {
            let mut records = Vec::new();
            for (n, group) in mine.chunks(MAX_FILES).enumerate() {
                let id = RecordId::derive(&dev.id, n as u64 + 1);
                let Body::Entry(mut e) = entry(dev, n as u64) else {
                    unreachable!()
                };
                e.files = group.iter().map(|(f, _)| f.clone()).collect();
                dev.doc.put(
                    id.clone(),
                    Body::Entry(e),
                    &dev.id,
                    Some(dev.unit.clone()),
                    Utc::now(),
                );
                records.push(dev.doc.get(&id).unwrap().clone());
            }
            let res = client
                .post(format!("{base}/api/sync/push"))
                .bearer_auth(&dev.token)
                .json(&PushRequest {
                    push_id: "files".into(),
                    records,
                })
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.status(),
                200,
                "{}",
                res.text().await.unwrap_or_default()
            );
        }
    });
    let total_bytes: usize = work
        .iter()
        .flat_map(|(_, m)| m.iter().map(|(_, b)| b.len()))
        .sum();
    let files = work.iter().map(|(_, m)| m.len()).sum::<usize>();
    println!(
        "thidua-load --files: {files} photos of {} KB from {} devices at once, server {}",
        o.photo_kb,
        o.devices,
        o.server.display()
    );
    let rss_before = server.rss_kb().unwrap_or(0);
    let reset = server.reset_peak();
    println!("RSS before uploads: {:.1} MB", mb(rss_before));
    // Sampled too, where the peak cannot be reset.
    let sampling = Arc::new(AtomicBool::new(true));
    let sampled_max = Arc::new(AtomicU64::new(0));
    let pid = server.child.id();
    let sampler = {
        let (go, max) = (Arc::clone(&sampling), Arc::clone(&sampled_max));
        std::thread::spawn(move || {
            while go.load(Ordering::Relaxed) {
                let kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
                    .ok()
                    .and_then(|s| {
                        s.lines()
                            .find(|l| l.starts_with("VmRSS:"))
                            .and_then(|l| l.split_whitespace().nth(1))
                            .and_then(|v| v.parse::<u64>().ok())
                    })
                    .unwrap_or(0);
                max.fetch_max(kb, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let (server_cpu0, t) = (server.cpu(), Instant::now());
    let uploaded: Vec<(Device, Vec<Photo>, usize)> = rt.block_on(async {
        let tasks: Vec<_> = work
            .into_iter()
            .map(|(dev, mine)| {
                let (client, base) = (client.clone(), base.to_owned());
                tokio::spawn(async move {
                    let mut ok = 0;
                    for (f, bytes) in &mine {
                        if send_file(&client, &base, &dev.token, f, bytes).await {
                            ok += 1;
                        }
                    }
                    (dev, mine, ok)
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let up_secs = t.elapsed().as_secs_f64();
    let up_cpu = server.cpu() - server_cpu0;
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    let peak = if reset {
        server.peak_kb().unwrap_or(0)
    } else {
        sampled_max.load(Ordering::Relaxed)
    };
    let sampled = sampled_max.load(Ordering::Relaxed);
    let sent: usize = uploaded.iter().map(|(_, _, ok)| ok).sum();
    // Read back: each device its own files, all at once.
    let t = Instant::now();
    let read: usize = rt.block_on(async {
        let tasks: Vec<_> = uploaded
            .iter()
            .map(|(dev, mine, _)| {
                let (client, base, token) = (client.clone(), base.to_owned(), dev.token.clone());
                let want: Vec<(String, usize)> = mine
                    .iter()
                    .map(|(f, b)| (f.hash.clone(), b.len()))
                    .collect();
                tokio::spawn(async move {
                    let mut ok = 0;
                    for (hash, len) in want {
                        let res = client
                            .get(format!("{base}/api/files/{hash}"))
                            .bearer_auth(&token)
                            .send()
                            .await;
                        if let Ok(r) = res {
                            if r.status() == 200
                                && r.bytes()
                                    .await
                                    .is_ok_and(|b| b.len() == len && sha256_hex(&b) == hash)
                            {
                                ok += 1;
                            }
                        }
                    }
                    ok
                })
            })
            .collect();
        let mut n = 0;
        for t in tasks {
            n += t.await.unwrap();
        }
        n
    });
    let down_secs = t.elapsed().as_secs_f64();
    let mbytes = total_bytes as f64 / 1e6;
    println!(
        "uploads: {sent}/{files} complete in {up_secs:.2} s: {:.1} MB/s, {:.0} files/s \
         (server CPU {:.2} cores)",
        mbytes / up_secs,
        sent as f64 / up_secs,
        up_cpu / up_secs
    );
    println!(
        "downloads: {read}/{files} in {down_secs:.2} s: {:.1} MB/s, {:.0} files/s",
        mbytes / down_secs,
        read as f64 / down_secs
    );
    println!(
        "RSS peak during uploads: {:.1} MB ({}; sampled every 5 ms: {:.1} MB), {:.1} MB of \
         photos sent, {:.1} MB above the RSS before",
        mb(peak),
        if reset { "VmHWM" } else { "sampled" },
        mb(sampled),
        mbytes,
        mb(peak.saturating_sub(rss_before))
    );
    let checks = [
        ("every upload complete".to_owned(), sent == files),
        ("every file read back whole".to_owned(), read == files),
        (
            format!("RSS peak {:.1} MB ≤ {} MB", mb(peak), o.target_rss_mb),
            mb(peak) <= o.target_rss_mb,
        ),
    ];
    let mut ok = true;
    for (what, met) in &checks {
        println!("{} {what}", if *met { "MET   " } else { "MISSED" });
        ok &= met;
    }
    if ok || !o.strict {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
