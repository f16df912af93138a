//! The federation board's figures (issue 15), in one process on a file database:
//!
//! 1. the dashboard for a federation of 50 clusters × 7 units × 2,000 entries (70 % reviewed):
//!    core's roll-up alone, then `GET /api/board/dashboard` through the real router, first
//!    with every cluster's line to compute (loading each document), then from the lines kept
//!    until a cluster changes, and after one cluster changed; the bytes it sends, plain and
//!    gzip;
//! 2. the revision log's growth on disk per 10,000 accepted pushes (one new entry each), from
//!    SQLite's own page accounting (`dbstat`), table and index.
//!
//! With `--keep DIR` the database is made in DIR and kept, and a board invite code is printed
//! (`browser invite: …`) for `tests/bench/board.mjs`, which times the dashboard in a browser.
//!
//! ```text
//! cargo run --release -p thidua-server --example thidua-board-bench [-- --clusters 50 --entries 2000 --pushes 10000 --keep DIR]
//! ```
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body as HttpBody;
use axum::http::Request;
use chrono::{DateTime, Days, TimeZone, Utc};
use http_body_util::BodyExt as _;
use thidua_core::demo::CRITERIA;
use thidua_core::rollup::rollup;
use thidua_core::wire::{JoinResponse, PushRequest, PushResponse};
use thidua_core::*;
use thidua_server::store::{Author, NewCluster, NewInvite, SqliteStore, Store};
use thidua_server::{app, AppState};
use tower::ServiceExt as _;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rid(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

/// One cluster of `units` units and `entries` entries in a running campaign.
fn cluster(
    n: usize,
    units: usize,
    entries: usize,
    today: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Document {
    let cluster = rid(&format!("cum-{n}"));
    let mut doc = Document::new(cluster.clone());
    let device = DeviceId::new(format!("pc-{n}")).unwrap();
    let unit_ids: Vec<RecordId> = (0..units).map(|u| rid(&format!("dv-{n}-{u}"))).collect();
    let at = |days_ago: u64| now - chrono::Duration::days(days_ago as i64);
    doc.put(
        cluster.clone(),
        Cluster {
            name: format!("Cụm thi đua số {}", n + 1),
            decision: Decision {
                number: format!("{}/QĐ-LĐLĐ", 100 + n),
                date: today - Days::new(200),
                issuer: "Ban Thường vụ Liên đoàn Lao động tỉnh Thanh Hóa".into(),
            },
            year: 2024,
            former_units: Vec::new(),
        }
        .into(),
        &device,
        Some(unit_ids[0].clone()),
        at(90),
    );
    for (u, id) in unit_ids.iter().enumerate() {
        let unit = Unit {
            name: format!("Công đoàn cơ sở Công ty số {u} cụm {n}"),
            kind: UnitKind::GrassrootsUnion,
        };
        doc.put(
            id.clone(),
            unit.into(),
            &device,
            Some(unit_ids[0].clone()),
            at(90),
        );
    }
    let roles = Roles {
        year: 2024,
        head: unit_ids[0].clone(),
        deputy: Some(unit_ids[1].clone()),
    };
    doc.put(
        rid(&format!("vt-{n}")),
        roles.into(),
        &device,
        Some(unit_ids[0].clone()),
        at(90),
    );
    let campaign = rid(&format!("pt-{n}"));
    let start = today - Days::new(80);
    let end = today + Days::new(100);
    let c = Campaign {
        title: "Phong trào thi đua năm".into(),
        occasion: String::new(),
        slogan: "Năng suất, chất lượng, hiệu quả".into(),
        start,
        end,
        criteria: CRITERIA
            .iter()
            .map(|(id, name, uom, points, measure)| Criterion {
                id: (*id).into(),
                name: (*name).into(),
                unit_of_measure: (*uom).into(),
                points: *points,
                measure: *measure,
            })
            .collect(),
        deadlines: vec![
            Deadline {
                name: "Báo cáo quý".into(),
                due: start + Days::new(40),
            },
            Deadline {
                name: "Báo cáo 6 tháng".into(),
                due: start + Days::new(100),
            },
        ],
    };
    doc.put(
        campaign.clone(),
        c.into(),
        &device,
        Some(unit_ids[0].clone()),
        at(80),
    );
    for (u, unit) in unit_ids.iter().enumerate() {
        let pledge = Pledge {
            campaign: campaign.clone(),
            unit: unit.clone(),
            targets: CRITERIA
                .iter()
                .map(|(id, ..)| Target {
                    criterion: (*id).into(),
                    target: 100.0,
                })
                .collect(),
            commitments: "Hoàn thành vượt mức".into(),
            signed_on: start,
        };
        doc.put(
            rid(&format!("gu-{n}-{u}")),
            pledge.into(),
            &device,
            Some(unit.clone()),
            at(79),
        );
    }
    for e in 0..entries {
        let unit = &unit_ids[e % units];
        let days_ago = (e as u64 * 7) % 79;
        let (criterion, details) = match e % 5 {
            0 => (
                "sang-kien",
                EntryDetails::Initiative {
                    value_vnd: 5_000_000 + (e as u64 % 50) * 1_000_000,
                },
            ),
            1 => (
                "tap-huan",
                EntryDetails::Training {
                    participants: 20 + (e as u32 % 80),
                },
            ),
            2 => (
                "trong-cay",
                EntryDetails::Trees {
                    count: 10 + (e as u32 % 200),
                },
            ),
            3 => (
                "ung-ho",
                EntryDetails::Donation {
                    money_vnd: 1_000_000,
                    items: "sách".into(),
                    item_count: 5,
                },
            ),
            _ => ("van-the", EntryDetails::Event { participants: 50 }),
        };
        let id = rid(&format!("kq-{n}-{e}"));
        let entry = Entry {
            unit: unit.clone(),
            campaign: campaign.clone(),
            criterion: Some(criterion.into()),
            date: today - Days::new(days_ago),
            title: format!("Kết quả số {e} của đơn vị"),
            description: "Mô tả ngắn về kết quả, số liệu và minh chứng kèm theo.".into(),
            details,
            corrects: None,
            files: Vec::new(),
        };
        doc.put(
            id.clone(),
            entry.into(),
            &device,
            Some(unit.clone()),
            at(days_ago),
        );
        if e % 10 < 7 {
            let clock = doc.get(&id).unwrap().clock();
            let review = Review {
                entry: id.clone(),
                entry_clock: clock,
                decision: if e % 20 == 0 {
                    ReviewDecision::Return {
                        reason: "Thiếu ảnh minh chứng".into(),
                    }
                } else {
                    ReviewDecision::Approve
                },
            };
            doc.put(
                rid(&format!("dy-{n}-{e}")),
                review.into(),
                &device,
                Some(unit_ids[0].clone()),
                at(days_ago.saturating_sub(1)),
            );
        }
    }
    doc
}

async fn send(router: &axum::Router, req: Request<HttpBody>) -> (u16, Vec<u8>) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, bytes)
}

fn get(path: &str, token: &str, gzip: bool) -> Request<HttpBody> {
    let mut b = Request::get(path).header("authorization", format!("Bearer {token}"));
    if gzip {
        b = b.header("accept-encoding", "gzip");
    }
    b.body(HttpBody::empty()).unwrap()
}

fn post(path: &str, token: Option<&str>, body: &impl serde::Serialize) -> Request<HttpBody> {
    let mut b = Request::post(path).header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(HttpBody::from(serde_json::to_vec(body).unwrap()))
        .unwrap()
}

/// Bytes SQLite uses for the revision log (table and index), from `dbstat`.
async fn revision_bytes(store: &SqliteStore) -> Option<i64> {
    store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('revisions', 'revisions_record')",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )?)
        })
        .await
        .ok()
        .flatten()
}

#[tokio::main]
async fn main() {
    let clusters = arg("--clusters", 50);
    let entries = arg("--entries", 2000);
    let pushes = arg("--pushes", 10_000);
    let units = 7;
    let args: Vec<String> = std::env::args().collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = keep.unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).unwrap();
    let store = Arc::new(SqliteStore::open(&dir.join("thidua.sqlite3")).unwrap());
    let state = AppState::new(store.clone(), dir.join("dist"));
    let router = app(state);
    let now = Utc::now();
    let today = thidua_core::reporting::local_day(now);
    println!("thidua-board-bench: {clusters} clusters × {units} units × {entries} entries");

    // The federation and its board member.
    let args = thidua_server::config::CreateFederationArgs {
        name: "Liên đoàn Lao động tỉnh Thanh Hóa".into(),
        invite_days: 30,
        public_url: None,
    };
    let fed = thidua_server::cli::create_federation(store.as_ref(), &args, now)
        .await
        .unwrap();
    let (s, j) = send(
        &router,
        post(
            "/api/join",
            None,
            &serde_json::json!({"code": fed.code, "device_name": "Máy Ban thi đua"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{}", String::from_utf8_lossy(&j));
    let board: JoinResponse = serde_json::from_slice(&j).unwrap();

    // The clusters, written as their devices would have (made here, stored as created).
    let built = Instant::now();
    let docs: Vec<Document> = (0..clusters)
        .map(|n| cluster(n, units, entries, today, now))
        .collect();
    println!(
        "documents built: {} records in {:.1} s",
        docs.iter().map(Document::len).sum::<usize>(),
        built.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let refs: Vec<&Document> = docs.iter().collect();
    let r = rollup(&refs, today);
    println!(
        "core roll-up alone (50 documents in memory): {:.0} ms ({} results, {} approved)",
        t.elapsed().as_secs_f64() * 1000.0,
        r.reported,
        r.approved
    );
    let stored = Instant::now();
    for doc in &docs {
        let head = doc.member_units().next().unwrap().0.clone();
        store
            .create_cluster(NewCluster {
                id: doc.cluster.clone(),
                name: doc.get_cluster(&doc.cluster).unwrap().name.clone(),
                created_at: now,
                records: doc.records.values().cloned().collect(),
                head_invite: NewInvite {
                    id: InviteId::new(format!("inv-{}", doc.cluster)).unwrap(),
                    code_hash: format!("hash-{}", doc.cluster),
                    cluster_id: doc.cluster.clone(),
                    unit_id: head.clone(),
                    role: Role::Head,
                    created_by: None,
                    created_at: now,
                    expires_at: None,
                    max_uses: None,
                },
                federation: Some(fed.id.clone()),
                author: Author {
                    device_id: DeviceId::new("server").unwrap(),
                    device_name: "bench".into(),
                    unit_id: head,
                },
            })
            .await
            .unwrap();
    }
    println!("stored in {:.1} s", stored.elapsed().as_secs_f64());
    drop(docs);

    // The dashboard through the router.
    let path = "/api/board/dashboard";
    let t = Instant::now();
    let (s, cold) = send(&router, get(path, &board.token, false)).await;
    let cold_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&cold));
    let mut warm = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let (s, _) = send(&router, get(path, &board.token, false)).await;
        assert_eq!(s, 200);
        warm.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    warm.sort_by(f64::total_cmp);
    let (_, gz) = send(&router, get(path, &board.token, true)).await;
    // One cluster changes (an officer's push): only its line is computed again.
    let changed = RecordId::new("cum-0").unwrap();
    let device = DeviceId::new("pc-0").unwrap();
    let mut doc = store.document(changed.clone()).await.unwrap();
    let fresh = RecordId::derive(&device, 1_000_000);
    doc.put(
        fresh.clone(),
        Entry {
            unit: rid("dv-0-1"),
            campaign: rid("pt-0"),
            criterion: None,
            date: today,
            title: "Kết quả mới".into(),
            description: String::new(),
            details: EntryDetails::Model,
            corrects: None,
            files: Vec::new(),
        }
        .into(),
        &device,
        Some(rid("dv-0-1")),
        now,
    );
    let changed_record = doc.get(&fresh).unwrap().clone();
    let pushed = store
        .push(thidua_server::store::PushInput {
            device: thidua_server::store::DeviceAuth {
                device_id: device.clone(),
                cluster_id: changed.clone(),
                unit_id: rid("dv-0-1"),
                role: Role::Officer,
                name: "bench".into(),
            },
            push_id: "bench-change".into(),
            records: vec![changed_record],
            refused: Vec::new(),
            now,
        })
        .await
        .unwrap();
    assert_eq!(pushed.response.accepted.len(), 1, "{:?}", pushed.response);
    let t = Instant::now();
    let (s, after) = send(&router, get(path, &board.token, false)).await;
    assert_eq!(s, 200);
    let one_changed_ms = t.elapsed().as_secs_f64() * 1000.0;
    let count = |body: &[u8]| {
        let d: thidua_core::wire::Dashboard = serde_json::from_slice(body).unwrap();
        d.rollup.reported
    };
    assert_eq!(
        count(&after),
        count(&cold) + 1,
        "the changed cluster's line is new"
    );
    println!("GET /api/board/dashboard, {clusters} clusters:");
    println!("  every line computed (documents loaded): {cold_ms:.0} ms");
    println!(
        "  lines kept (no change): median {:.1} ms, max {:.1} ms over 20",
        warm[warm.len() / 2],
        warm[warm.len() - 1]
    );
    println!("  after one cluster changed: {one_changed_ms:.0} ms");
    println!("  bytes sent: {} plain, {} gzip", cold.len(), gz.len());

    // The award history reads only clusters, units, proposals and decisions.
    let t = Instant::now();
    let (s, _) = send(
        &router,
        get("/api/board/awards?person=hung", &board.token, false),
    )
    .await;
    assert_eq!(s, 200);
    println!(
        "GET /api/board/awards across {clusters} clusters: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // The revision log per 10,000 pushes: one officer pushing one new entry each time.
    let before = revision_bytes(&store).await;
    let file = dir.join("thidua.sqlite3");
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let base = Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap().max(now);
    let pusher = thidua_server::store::DeviceAuth {
        device_id: DeviceId::new("may-chi-lan").unwrap(),
        cluster_id: rid("cum-1"),
        unit_id: rid("dv-1-2"),
        role: Role::Officer,
        name: "Điện thoại chị Lan".into(),
    };
    let mut replica = Document::new(rid("cum-1"));
    let db_before = size(&file) + size(&dir.join("thidua.sqlite3-wal"));
    for i in 0..pushes {
        let id = RecordId::derive(&pusher.device_id, i as u64 + 1);
        replica.put(
            id.clone(),
            Entry {
                unit: pusher.unit_id.clone(),
                campaign: rid("pt-1"),
                criterion: Some("sang-kien".into()),
                date: today,
                title: format!("Sáng kiến số {i}"),
                description: "Cải tiến quy trình, tiết kiệm 5 % điện năng mỗi ca.".into(),
                details: EntryDetails::Initiative {
                    value_vnd: 12_000_000,
                },
                corrects: None,
                files: Vec::new(),
            }
            .into(),
            &pusher.device_id,
            Some(pusher.unit_id.clone()),
            base,
        );
        let record = replica.get(&id).unwrap().clone();
        let request = PushRequest {
            push_id: format!("p{i}"),
            records: vec![record],
        };
        let outcome = store
            .push(thidua_server::store::PushInput {
                device: pusher.clone(),
                push_id: request.push_id,
                records: request.records,
                refused: Vec::new(),
                now,
            })
            .await
            .unwrap();
        let response: &PushResponse = &outcome.response;
        assert_eq!(response.accepted.len(), 1, "{response:?}");
    }
    let after = revision_bytes(&store).await;
    let db_after = size(&file) + size(&dir.join("thidua.sqlite3-wal"));
    println!(
        "revision log, {pushes} pushes of one new entry ({:.1} s):",
        t.elapsed().as_secs_f64()
    );
    match (before, after) {
        (Some(b), Some(a)) => println!(
            "  revisions table and index grew by {:.2} MB ({} bytes a push)",
            (a - b) as f64 / 1e6,
            (a - b) / pushes.max(1) as i64
        ),
        _ => println!("  (dbstat not available in this SQLite)"),
    }
    println!(
        "  whole database grew by {:.2} MB (records, their index and the log together)",
        (db_after.saturating_sub(db_before)) as f64 / 1e6
    );
    // A second board member's link, for the browser's timing of the same dashboard.
    let (s, j) = send(
        &router,
        post(
            "/api/board/invites",
            Some(&board.token),
            &serde_json::json!({}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{}", String::from_utf8_lossy(&j));
    let invite: thidua_core::wire::InviteCreated = serde_json::from_slice(&j).unwrap();
    println!("browser invite: {}", invite.code);
}
