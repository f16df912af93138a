//! Over a real TCP socket: the library's `serve`, and the built binary end to end.
#![allow(clippy::unwrap_used)]
mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use thidua_server::store::SqliteStore;
use thidua_server::AppState;

#[tokio::test]
async fn serves_health_and_static_files_over_tcp_and_shuts_down() {
    let dist = common::dist();
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let state = AppState::new(store, dist.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(thidua_server::serve(listener, state, async move {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let res = client
        .get(format!("http://{addr}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["status"], "ok");

    let res = client
        .get(format!("http://{addr}/thidua-1a2b3c4d5e6f7a8b_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(&res.bytes().await.unwrap()[..], b"\0asm\x01\0\0\0");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// Runs the real binary: one stdout line naming the URL, data dir created, SIGTERM exits 0.
#[test]
#[cfg(unix)]
fn binary_prints_one_line_and_stops_on_sigterm() {
    let dist = common::dist();
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_thidua-server"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--static-dir")
        .arg(dist.path())
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .strip_prefix("Thi Đua is running: open http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = url.trim_end().trim_end_matches('/').parse().unwrap();
    assert!(port > 0);
    assert!(data_dir.join("thidua.sqlite3").is_file());

    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::get(format!("http://127.0.0.1:{port}/api/health"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "only one line on stdout");
}

/// `create-cluster` prints the head's link; a server on the same data folder accepts it.
#[test]
#[cfg(unix)]
fn create_cluster_then_join_over_http() {
    let dist = common::dist();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_thidua-server"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "create-cluster",
            "--name",
            "Cụm thi đua số 3",
            "--head-unit-name",
            "Công đoàn Điện lực",
            "--public-url",
            "https://thidua.example.vn/",
        ])
        .env_remove("THIDUA_PUBLIC_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\"Cụm thi đua số 3\""), "{stdout}");
    assert!(stdout.contains("\"Công đoàn Điện lực\""), "{stdout}");
    let link = stdout
        .lines()
        .find(|l| l.starts_with("https://thidua.example.vn/join#"))
        .unwrap_or_else(|| panic!("no link in {stdout}"));
    let code = link.rsplit('#').next().unwrap().to_owned();

    let store = Arc::new(SqliteStore::open(&data.path().join("thidua.sqlite3")).unwrap());
    let state = AppState::new(store, dist.path());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(thidua_server::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::new();
        let res = client
            .post(format!("http://{addr}/api/join"))
            .json(&serde_json::json!({"code": code, "device_name": "Máy trưởng cụm"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let joined: serde_json::Value = res.json().await.unwrap();
        assert_eq!(joined["role"], "head");
        assert_eq!(joined["cluster_name"], "Cụm thi đua số 3");
        let token = joined["token"].as_str().unwrap();
        let snap: serde_json::Value = client
            .get(format!("http://{addr}/api/snapshot"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(snap["records"].as_array().unwrap().len(), 3);
        assert_eq!(snap["cluster"], joined["cluster_id"]);
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    });
}
