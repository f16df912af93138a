//! Shared test fixtures: a fake `dist/` and an app on an in-memory store.
#![allow(clippy::unwrap_used, dead_code)]
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt as _;
use tempfile::TempDir;
use thidua_server::store::SqliteStore;
use thidua_server::{app, AppState};
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
    pub state: AppState,
}

impl TestApp {
    pub fn new() -> Self {
        let dist = dist();
        let store = Arc::new(SqliteStore::open_in_memory().unwrap());
        let state = AppState::new(store, dist.path());
        Self { dist, state }
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
