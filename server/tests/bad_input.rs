//! Regressions from Schemathesis (scripts/schemathesis) and the security headers on every kind
//! of error answer.
#![allow(clippy::unwrap_used)]
mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::json;

/// Found by Schemathesis: it read the head's own id from `GET /api/devices` and removed it,
/// after which the head's token got 401 everywhere, with no way back in from that device
/// (the app never offers it, the API allowed it).
#[tokio::test]
async fn a_device_cannot_remove_itself() {
    let app = TestApp::new();
    let c = app.cluster("Cụm thi đua số 18").await;
    let (status, j) = c
        .head
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", c.head.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{j}");
    assert_eq!(j["error"], "conflict");
    assert!(
        j["message"]
            .as_str()
            .unwrap()
            .contains("cannot remove itself"),
        "{j}"
    );
    let (status, _) = c.head.get(&app, "/api/snapshot").await;
    assert_eq!(status, StatusCode::OK, "the head still works");
    // The same for a deputy, and the 409 is in the description.
    let (status, _) = c
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", c.deputy.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let spec = body_json(app.get("/api/openapi.json").await).await;
    assert!(spec["paths"]["/api/devices/{id}"]["delete"]["responses"]["409"].is_object());
}

/// Every answer, errors included, forbids framing and sniffing and carries the CSP.
#[tokio::test]
async fn security_headers_on_every_error_answer() {
    let app = TestApp::new();
    let c = app.cluster("Cụm thi đua số 18").await;
    let big = vec![b' '; thidua_server::BODY_LIMIT + 10];
    let cases: Vec<(u16, Request<Body>)> = vec![
        (401, get_request("/api/snapshot", None)),
        (401, get_request("/api/snapshot", Some("not-a-token"))),
        (403, get_request("/api/devices", Some(&c.officer.token))),
        (404, get_request("/api/nope", Some(&c.head.token))),
        (
            404,
            json_request(
                "DELETE",
                "/api/devices/nope",
                Some(&c.head.token),
                &json!(null),
            ),
        ),
        (405, get_request("/api/sync/push", Some(&c.head.token))),
        (
            400,
            raw_request(
                "POST",
                "/api/sync/push",
                Some(&c.head.token),
                b"{not json".to_vec(),
            ),
        ),
        (
            400,
            get_request("/api/sync/pull?limit=0", Some(&c.head.token)),
        ),
        (
            415,
            Request::post("/api/sync/push")
                .header("authorization", format!("Bearer {}", c.head.token))
                .body(Body::from("{}"))
                .unwrap(),
        ),
        (
            413,
            raw_request("POST", "/api/sync/push", Some(&c.head.token), big),
        ),
        (
            409,
            json_request(
                "DELETE",
                &format!("/api/devices/{}", c.head.device),
                Some(&c.head.token),
                &json!(null),
            ),
        ),
    ];
    for (expected, request) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let res = app.send(request).await;
        assert_eq!(res.status().as_u16(), expected, "{what}");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{what}");
        let csp = header(&res, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
        assert!(
            header(&res, "content-type").starts_with("application/json"),
            "{what}"
        );
        let j = body_json(res).await;
        assert!(
            j["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: a message names the problem: {j}"
        );
    }
}

/// Found by Schemathesis: the description allowed any non-negative `since`, the server
/// refused those past `u64` with a 400. The description now gives the bounds of every integer
/// (u64, u32, i32), and the largest cursor is served (a cursor ahead of the server starts over).
#[tokio::test]
async fn pull_cursor_bounds_match_the_description() {
    let app = TestApp::new();
    let c = app.cluster("Cụm thi đua số 18").await;
    let spec = body_json(app.get("/api/openapi.json").await).await;
    let since = &spec["paths"]["/api/sync/pull"]["get"]["parameters"][0];
    assert_eq!(since["name"], "since");
    assert_eq!(since["schema"]["maximum"], json!(u64::MAX));
    let (status, j) = c
        .head
        .get(&app, &format!("/api/sync/pull?since={}", u64::MAX))
        .await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert!(
        !j["records"].as_array().unwrap().is_empty(),
        "starts over at 0"
    );
    let (status, j) = c
        .head
        .get(&app, "/api/sync/pull?since=18446744073709551616")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(j["message"].as_str().unwrap().contains("since"), "{j}");
    // Every u32 field says so, e.g. an event's participants.
    let text = spec.to_string();
    assert!(text.contains(&format!("\"maximum\":{}", u32::MAX)));
}
