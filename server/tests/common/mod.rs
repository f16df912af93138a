//! Shared test fixtures: a fake `dist/` and an app on an in-memory store.
#![allow(clippy::unwrap_used, dead_code)]
pub mod schema;

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt as _;
use tempfile::TempDir;
use thidua_server::files::FileLimits;
use thidua_server::store::SqliteStore;
use thidua_server::{app, AppState, Settings};
use tower::ServiceExt as _;

pub const INLINE_SCRIPT: &str = "\nimport init from '/thidua-1a2b3c4d5e6f7a8b.js';\nawait init('/thidua-1a2b3c4d5e6f7a8b_bg.wasm');\n";

pub fn index_html() -> String {
    format!(
        "<!doctype html><html><head><link rel=\"modulepreload\" href=\"/thidua-1a2b3c4d5e6f7a8b.js\">\
         <script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
    )
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A fake Trunk build with precompressed siblings for some files.
pub fn dist() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "index.html", index_html().as_bytes());
    write(d, "index.html.br", b"BR-INDEX");
    write(d, "index.html.gz", b"GZ-INDEX");
    write(d, "thidua-1a2b3c4d5e6f7a8b_bg.wasm", b"\0asm\x01\0\0\0");
    write(d, "thidua-1a2b3c4d5e6f7a8b_bg.wasm.br", b"BR-WASM");
    write(d, "thidua-1a2b3c4d5e6f7a8b_bg.wasm.gz", b"GZ-WASM");
    write(
        d,
        "thidua-1a2b3c4d5e6f7a8b.js",
        b"export default function init() {}",
    );
    write(d, "thidua-1a2b3c4d5e6f7a8b.js.gz", b"GZ-JS");
    write(d, "style-0123456789abcdef.css", b"body { color: red }");
    write(
        d,
        "manifest.webmanifest",
        "{\"name\":\"Thi Đua\"}".as_bytes(),
    );
    write(d, "sw.js", b"self.addEventListener('fetch', () => {});");
    write(
        d,
        "icons/icon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(d, "icons/icon-192.png", b"\x89PNG\r\n\x1a\n");
    dir
}

pub struct TestApp {
    pub dist: TempDir,
    /// The data folder: evidence files go in `files/`.
    pub data: TempDir,
    pub state: AppState,
}

impl TestApp {
    pub fn new() -> Self {
        Self::with_file_limits(FileLimits::default())
    }

    /// An app on an in-memory database with these limits on evidence files.
    pub fn with_file_limits(files: FileLimits) -> Self {
        let store = Arc::new(SqliteStore::open_in_memory().unwrap());
        Self::on(store, files)
    }

    /// An app whose database is the file `db`.
    pub fn with_db_file(db: &Path) -> Self {
        let store = Arc::new(SqliteStore::open(db).unwrap());
        Self::on(store, FileLimits::default())
    }

    fn on(store: Arc<SqliteStore>, files: FileLimits) -> Self {
        let dist = dist();
        let data = tempfile::tempdir().unwrap();
        let settings = Settings {
            files_dir: data.path().join("files"),
            files,
            ..Settings::default()
        };
        let state = AppState::with_settings(store, dist.path(), settings);
        Self { dist, data, state }
    }

    pub fn router(&self) -> Router {
        app(self.state.clone())
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> Response<Body> {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    let bytes = body_bytes(response).await;
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap())
}

// ---------------------------------------------------------------------------------------------
// Part 2 helpers: clusters, devices and a client-side replica.

use chrono::{NaiveDate, TimeZone, Utc};
use thidua_core::{
    Body as RecordBody, Campaign, Criterion, DeviceId, Document, Entry, EntryDetails, RecordId,
    Roles, Unit, UnitKind,
};

pub fn json_request(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: &serde_json::Value,
) -> Request<Body_> {
    raw_request(method, uri, token, body.to_string().into_bytes())
}

pub type Body_ = axum::body::Body;

pub fn raw_request(method: &str, uri: &str, token: Option<&str>, body: Vec<u8>) -> Request<Body_> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body_::from(body)).unwrap()
}

pub fn get_request(uri: &str, token: Option<&str>) -> Request<Body_> {
    let mut b = Request::get(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body_::empty()).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A device that joined a cluster, with its own replica of the document.
pub struct Client {
    pub token: String,
    pub device: DeviceId,
    pub unit: RecordId,
    pub cluster: RecordId,
    pub role: String,
    pub doc: Document,
    counter: u64,
    pushes: u64,
    /// A board member's device: the cluster it works in (its pushes and syncs go through
    /// `/api/board/clusters/{id}/…`).
    pub scope: Option<RecordId>,
}

impl Client {
    /// This board member's device, working in `cluster` (replica: the cluster's snapshot).
    pub async fn enter(&mut self, app: &TestApp, cluster: &RecordId) {
        self.scope = Some(cluster.clone());
        self.doc = Document::new(cluster.clone());
        self.sync(app).await;
    }

    pub fn id(&mut self) -> RecordId {
        self.counter += 1;
        RecordId::derive(&self.device, self.counter)
    }

    pub fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap()
    }

    /// Writes `body` locally under a fresh id and returns that id.
    pub fn put(&mut self, body: impl Into<RecordBody>) -> RecordId {
        let id = self.id();
        self.put_at(id.clone(), body);
        id
    }

    pub fn put_at(&mut self, id: RecordId, body: impl Into<RecordBody>) {
        self.doc.put(
            id,
            body.into(),
            &self.device,
            Some(self.unit.clone()),
            Self::now(),
        );
    }

    pub fn records(&self, ids: &[&RecordId]) -> serde_json::Value {
        serde_json::to_value(self.doc.changed_records(ids.iter().copied())).unwrap()
    }

    pub fn next_push_id(&mut self) -> String {
        self.pushes += 1;
        format!("push-{}", self.pushes)
    }

    pub async fn push(
        &mut self,
        app: &TestApp,
        ids: &[&RecordId],
    ) -> (StatusCode, serde_json::Value) {
        let body =
            serde_json::json!({"push_id": self.next_push_id(), "records": self.records(ids)});
        self.push_raw(app, &body).await
    }

    pub async fn push_raw(
        &self,
        app: &TestApp,
        body: &serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let path = match &self.scope {
            Some(cluster) => format!("/api/board/clusters/{cluster}/push"),
            None => "/api/sync/push".to_owned(),
        };
        let res = app
            .send(json_request("POST", &path, Some(&self.token), body))
            .await;
        let status = res.status();
        (status, body_json(res).await)
    }

    /// Replaces the replica with the server's snapshot.
    pub async fn sync(&mut self, app: &TestApp) {
        let path = match &self.scope {
            Some(cluster) => format!("/api/board/clusters/{cluster}/snapshot"),
            None => "/api/snapshot".to_owned(),
        };
        let res = app.send(get_request(&path, Some(&self.token))).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = body_bytes(res).await;
        self.doc = Document::from_json(std::str::from_utf8(&bytes).unwrap()).unwrap();
    }

    pub async fn get(&self, app: &TestApp, uri: &str) -> (StatusCode, serde_json::Value) {
        let res = app.send(get_request(uri, Some(&self.token))).await;
        let status = res.status();
        (status, body_json(res).await)
    }

    pub async fn send_json(
        &self,
        app: &TestApp,
        method: &str,
        uri: &str,
        body: &serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let res = app
            .send(json_request(method, uri, Some(&self.token), body))
            .await;
        let status = res.status();
        let bytes = body_bytes(res).await;
        let json = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        (status, json)
    }
}

pub use axum::http::StatusCode;

/// A cluster made by `create-cluster` (year 2024), its head joined, plus a second unit with
/// an officer and a third with a deputy, recorded as deputy in the cluster's 2024 roles.
pub struct Cluster {
    pub id: RecordId,
    pub head: Client,
    pub head_code: String,
    pub unit2: RecordId,
    pub unit3: RecordId,
    pub officer: Client,
    pub deputy: Client,
}

impl TestApp {
    pub async fn join(&self, code: &str, name: &str) -> (StatusCode, serde_json::Value) {
        let res = self
            .send(json_request(
                "POST",
                "/api/join",
                None,
                &serde_json::json!({"code": code, "device_name": name}),
            ))
            .await;
        let status = res.status();
        (status, body_json(res).await)
    }

    pub async fn join_client(&self, code: &str, name: &str) -> Client {
        let (status, j) = self.join(code, name).await;
        assert_eq!(status, StatusCode::CREATED, "{j}");
        let mut c = Client {
            token: j["token"].as_str().unwrap().to_owned(),
            device: DeviceId::new(j["device_id"].as_str().unwrap()).unwrap(),
            unit: RecordId::new(j["unit_id"].as_str().unwrap()).unwrap(),
            cluster: RecordId::new(j["cluster_id"].as_str().unwrap()).unwrap(),
            role: j["role"].as_str().unwrap().to_owned(),
            doc: Document::new(RecordId::new(j["cluster_id"].as_str().unwrap()).unwrap()),
            counter: 0,
            pushes: 0,
            scope: None,
        };
        if c.role != "board" {
            c.sync(self).await;
        }
        c
    }

    /// Runs `create-federation`; returns (federation id, board invite code).
    pub async fn create_federation(&self, name: &str) -> (RecordId, String) {
        let args = thidua_server::config::CreateFederationArgs {
            name: name.to_owned(),
            invite_days: 30,
            public_url: None,
        };
        let created =
            thidua_server::cli::create_federation(self.state.store.as_ref(), &args, Utc::now())
                .await
                .unwrap();
        (created.id, created.code)
    }

    /// A federation and a board member's device joined to it.
    pub async fn board(&self, name: &str) -> Client {
        let (_, code) = self.create_federation(name).await;
        let board = self.join_client(&code, "Máy Ban thi đua").await;
        assert_eq!(board.role, "board");
        board
    }

    /// Runs `create-cluster` against the app's store; returns (cluster id, head invite code).
    pub async fn create_cluster(&self, name: &str) -> (RecordId, String) {
        self.create_cluster_in(name, None).await
    }

    /// `create-cluster --federation`: a cluster of `federation`.
    pub async fn create_cluster_in(
        &self,
        name: &str,
        federation: Option<&RecordId>,
    ) -> (RecordId, String) {
        let args = thidua_server::config::CreateClusterArgs {
            name: name.to_owned(),
            head_unit_name: "Công đoàn Công ty Điện lực".to_owned(),
            decision_number: "1197/QĐ-UBND".to_owned(),
            decision_issuer: "UBND tỉnh".to_owned(),
            decision_date: Some(date(2024, 3, 27)),
            year: Some(2024),
            invite_days: 30,
            public_url: None,
            federation: federation.map(ToString::to_string),
        };
        let created =
            thidua_server::cli::create_cluster(self.state.store.as_ref(), &args, Utc::now())
                .await
                .unwrap();
        (created.cluster_id, created.code)
    }

    pub async fn invite(&self, by: &Client, unit: &RecordId, role: &str) -> String {
        let (status, j) = by
            .send_json(
                self,
                "POST",
                "/api/invites",
                &serde_json::json!({"unit_id": unit, "role": role}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{j}");
        j["code"].as_str().unwrap().to_owned()
    }

    pub async fn cluster(&self, name: &str) -> Cluster {
        self.cluster_in(name, None).await
    }

    /// [`TestApp::cluster`], of `federation`.
    pub async fn cluster_in(&self, name: &str, federation: Option<&RecordId>) -> Cluster {
        let (id, head_code) = self.create_cluster_in(name, federation).await;
        let mut head = self.join_client(&head_code, "Máy trưởng cụm").await;
        assert_eq!(head.role, "head");
        let unit2 = head.put(Unit {
            name: "Công đoàn Trường THPT".into(),
            kind: UnitKind::GrassrootsUnion,
        });
        let unit3 = head.put(Unit {
            name: "Công đoàn Bệnh viện".into(),
            kind: UnitKind::Agency,
        });
        // The roles in force decide who manages the cluster, so the deputy's unit is recorded
        // as deputy for the cluster's year (2024), next to the head's.
        let roles = head.doc.roles().map(|(id, _)| id.clone()).next().unwrap();
        head.put_at(
            roles.clone(),
            Roles {
                year: 2024,
                head: head.unit.clone(),
                deputy: Some(unit3.clone()),
            },
        );
        let (status, j) = head.push(self, &[&unit2, &unit3, &roles]).await;
        assert_eq!(status, StatusCode::OK, "{j}");
        assert_eq!(j["accepted"].as_array().unwrap().len(), 3, "{j}");
        let code = self.invite(&head, &unit2, "officer").await;
        let officer = self.join_client(&code, "Điện thoại chị Lan").await;
        let code = self.invite(&head, &unit3, "deputy").await;
        let deputy = self.join_client(&code, "Máy phó cụm").await;
        head.sync(self).await;
        Cluster {
            id,
            head,
            head_code,
            unit2,
            unit3,
            officer,
            deputy,
        }
    }
}

pub fn campaign() -> Campaign {
    Campaign {
        title: "Đợt thi đua cao điểm".into(),
        occasion: "95 năm Công đoàn Việt Nam".into(),
        slogan: "Năng suất, chất lượng".into(),
        start: date(2024, 4, 15),
        end: date(2024, 7, 10),
        criteria: vec![Criterion {
            id: "init".into(),
            name: "Sáng kiến".into(),
            unit_of_measure: "sáng kiến".into(),
            points: 10,
            measure: thidua_core::Measure::Entries,
        }],
        deadlines: Vec::new(),
    }
}

pub fn entry(unit: &RecordId, campaign: &RecordId) -> Entry {
    Entry {
        unit: unit.clone(),
        campaign: campaign.clone(),
        criterion: Some("init".into()),
        date: date(2024, 5, 1),
        title: "Cải tiến máy bơm".into(),
        description: String::new(),
        details: EntryDetails::Initiative {
            value_vnd: 2_000_000,
        },
        corrects: None,
        files: Vec::new(),
    }
}

/// The reason the server gave for refusing the first record of a push.
pub fn first_refusal(answer: &serde_json::Value) -> &str {
    answer["rejected"][0]["reason"].as_str().unwrap_or_default()
}
