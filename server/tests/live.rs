//! Another device's change reaches an open device in seconds: `GET /api/sync/wait` answers as
//! soon as a push changes the cluster (or at once when the caller is behind), and never for
//! another cluster's push. And a device's holder can put their name on it.
#![allow(clippy::unwrap_used)]
mod common;

use std::time::Duration;

use common::{body_json, get_request, StatusCode, TestApp};

/// The caller's cursor now: a pull with nothing after it.
async fn cursor(app: &TestApp, token: &str) -> u64 {
    let res = app
        .send(get_request(
            "/api/sync/pull?since=0&limit=1000",
            Some(token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    body_json(res).await["cursor"].as_u64().unwrap()
}

#[tokio::test]
async fn a_device_behind_is_answered_at_once() {
    let app = TestApp::new();
    let x = app.cluster("Cụm X").await;
    let (status, j) = x.officer.get(&app, "/api/sync/wait?since=0").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(j, serde_json::json!({"changed": true}));
}

#[tokio::test]
async fn a_waiting_device_is_woken_by_another_devices_push_and_only_its_clusters() {
    let app = TestApp::new();
    let mut x = app.cluster("Cụm X").await;
    let mut y = app.cluster("Cụm Y").await;
    let since = cursor(&app, &x.officer.token).await;
    let uri = format!("/api/sync/wait?since={since}");
    let waiter = {
        let router = app.router();
        let request = get_request(&uri, Some(&x.officer.token));
        tokio::spawn(async move {
            use tower::ServiceExt as _;
            router.oneshot(request).await.unwrap()
        })
    };
    // A push in another cluster does not wake it.
    let other = y.head.put(common::campaign());
    let (s, _) = y.head.push(&app, &[&other]).await;
    assert_eq!(s, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !waiter.is_finished(),
        "another cluster's push woke the wait"
    );
    // The head's push in its own cluster does, long before the wait would time out (25 s).
    let mine = x.head.put(common::campaign());
    let (s, _) = x.head.push(&app, &[&mine]).await;
    assert_eq!(s, StatusCode::OK);
    let res = tokio::time::timeout(Duration::from_secs(10), waiter)
        .await
        .expect("woken by the push")
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_json(res).await, serde_json::json!({"changed": true}));
}

#[tokio::test]
async fn a_wait_needs_a_device_and_a_sane_cursor() {
    let app = TestApp::new();
    let x = app.cluster("Cụm X").await;
    let res = app.send(get_request("/api/sync/wait", None)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (status, j) = x.officer.get(&app, "/api/sync/wait?since=-1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{j}");
}

#[tokio::test]
async fn a_holder_names_their_device_and_the_head_lists_it_so() {
    let app = TestApp::new();
    let x = app.cluster("Cụm X").await;
    let (s, _) = x
        .officer
        .send_json(
            &app,
            "PUT",
            "/api/me",
            &serde_json::json!({"name": "  Nguyễn Thị Lan "}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, devices) = x.head.get(&app, "/api/devices").await;
    let names: Vec<&str> = devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Nguyễn Thị Lan"), "{names:?}");
    for bad in [
        serde_json::json!({"name": "   "}),
        serde_json::json!({"name": "x".repeat(101)}),
    ] {
        let (s, j) = x.officer.send_json(&app, "PUT", "/api/me", &bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{j}");
        assert!(j["message"].as_str().unwrap().contains("name"), "{j}");
    }
}
