//! `GET /api/openapi.json` describes every route, and what the server really answers (and
//! what core really serialises) validates against it.
#![allow(clippy::unwrap_used)]
mod common;

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use common::schema::Checker;
use common::*;
use serde_json::{json, Value};
use thidua_core::*;

/// `(METHOD, /api/path)` for every `.route(...)` in `src/api/mod.rs`, read from the source so
/// that a route added there without documentation fails this test.
fn routed() -> BTreeSet<(String, String)> {
    let src = include_str!("../src/api/mod.rs");
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let start = rest.find('"').unwrap() + 1;
        let end = start + rest[start..].find('"').unwrap();
        let path = format!("/api{}", &rest[start..end]);
        // The handler expression runs to the `)` closing `.route(`.
        let mut depth = 1;
        let mut close = end;
        for (j, c) in rest[end..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = end + j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let handlers = &rest[end..close];
        for method in ["get", "post", "put", "patch", "delete"] {
            let found = handlers.match_indices(&format!("{method}(")).any(|(k, _)| {
                k == 0
                    || !handlers[..k]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if found {
                out.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
        rest = &rest[close..];
    }
    out
}

fn documented(spec: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    out
}

async fn fetch_spec(app: &TestApp) -> Value {
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "content-type").starts_with("application/json"));
    body_json(res).await
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_path_is_routed() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    assert_eq!(spec["openapi"], "3.1.0");
    let routed = routed();
    assert!(routed.len() >= 12, "route parser found only {routed:?}");
    let documented = documented(&spec);
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}"
    );
    let extra: Vec<_> = documented.difference(&routed).collect();
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");

    // And the live router answers each documented operation (not the JSON 404/405 of the
    // fallback or method router).
    for (method, path) in &documented {
        let uri = path.replace("{id}", "x");
        let res = app
            .send(raw_request(method, &uri, None, b"{}".to_vec()))
            .await;
        let status = res.status();
        let j = body_json(res).await;
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && j["error"] != "not_found"
                || path.contains("{id}") && status == StatusCode::UNAUTHORIZED,
            "{method} {uri}: {status} {j}"
        );
    }
}

#[tokio::test]
async fn document_is_well_formed() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let checker = Checker::new(&spec);
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // Every $ref resolves.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&spec, &mut all);
    assert!(all.len() > 50);
    for r in all {
        checker.resolve(r);
    }
    let mut ids = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            assert!(ids.insert(op["operationId"].as_str().unwrap()), "{what}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}"
            );
            let responses = op["responses"].as_object().unwrap();
            let public = op["security"] == json!([]);
            let authenticated = op["security"] == json!([{ "bearer": [] }]);
            assert!(public || authenticated, "{what}: security");
            assert_eq!(responses.contains_key("401"), authenticated, "{what}: 401");
            for must in ["405", "500", "503"] {
                assert!(responses.contains_key(must), "{what}: {must}");
            }
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{what}: no success"
            );
            for (code, r) in responses {
                assert!(r["description"].as_str().is_some(), "{what} {code}");
                let code: u16 = code.parse().unwrap();
                if code >= 400 && !(path == "/api/sync/push" && code == 422) {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{what} {code}: errors use the Error schema"
                    );
                }
            }
            if op.get("requestBody").is_some() {
                for code in ["400", "413", "415"] {
                    assert!(
                        responses.contains_key(code),
                        "{what}: {code} for a JSON body"
                    );
                }
            }
        }
    }
    assert!(spec["paths"]["/api/join"]["post"]["responses"]
        .get("429")
        .is_some());
    assert!(spec["paths"]["/api/sync/push"]["post"]["responses"]
        .get("422")
        .is_some());
}

/// The checker itself must be able to fail, or the tests below prove nothing.
#[tokio::test]
async fn schema_checker_catches_mismatches() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Checker::new(&spec);
    let error = c.named("Error");
    assert!(c
        .check(error, &json!({"error": "forbidden", "message": "x"}))
        .is_empty());
    assert!(!c.check(error, &json!({"error": "forbidden"})).is_empty());
    assert!(!c
        .check(error, &json!({"error": "nope", "message": "x"}))
        .is_empty());
    assert!(!c
        .check(
            error,
            &json!({"error": "forbidden", "message": "x", "extra": 1})
        )
        .is_empty());
    let body = c.named("Body");
    let unit = json!({"type": "unit", "name": "A", "kind": "agency"});
    assert!(c.check(body, &unit).is_empty());
    assert!(!c
        .check(body, &json!({"type": "unit", "name": "A", "kind": "shop"}))
        .is_empty());
    assert!(!c
        .check(body, &json!({"type": "unit", "name": "A"}))
        .is_empty());
    assert!(!c
        .check(body, &json!({"type": "widget", "name": "A"}))
        .is_empty());
    let rec = c.named("Record");
    assert!(!c
        .check(
            rec,
            &json!({"id": "a b", "kind": "unit", "created_at": "2024-01-01T00:00:00Z", "heads": []})
        )
        .is_empty());
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap()
}

fn rid(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

/// One body of every kind and variant, as core builds them.
fn every_body() -> Vec<Body> {
    let mut clock = VersionVector::new();
    clock.bump(&DeviceId::new("d1").unwrap());
    let details = vec![
        EntryDetails::Initiative { value_vnd: 1 },
        EntryDetails::Research { value_vnd: 2 },
        EntryDetails::Work,
        EntryDetails::Training { participants: 3 },
        EntryDetails::Donation {
            money_vnd: 4,
            items: "sách".into(),
            item_count: 5,
        },
        EntryDetails::Trees { count: 6 },
        EntryDetails::Event { participants: 7 },
        EntryDetails::Model,
        EntryDetails::AdvancedExample {
            nominee: "Lê Văn Hùng".into(),
            collective: true,
        },
        EntryDetails::Other,
    ];
    assert_eq!(details.len(), EntryKind::ALL.len());
    let mut bodies: Vec<Body> = vec![
        thidua_core::Cluster {
            name: "Cụm".into(),
            decision: Decision {
                number: "1/QĐ".into(),
                date: date(2024, 3, 27),
                issuer: "UBND".into(),
            },
            year: 2024,
        }
        .into(),
        Unit {
            name: "Đơn vị".into(),
            kind: UnitKind::Enterprise,
        }
        .into(),
        Roles {
            year: 2024,
            head: rid("u1"),
            deputy: Some(rid("u2")),
        }
        .into(),
        Roles {
            year: 2025,
            head: rid("u1"),
            deputy: None,
        }
        .into(),
        campaign().into(),
        {
            let mut c = campaign();
            c.criteria[0].measure = Measure::Figure;
            c
        }
        .into(),
        Pledge {
            campaign: rid("c1"),
            unit: rid("u1"),
            targets: vec![Target {
                criterion: "init".into(),
                target: 2.5,
            }],
            commitments: "Hoàn thành".into(),
            signed_on: date(2024, 4, 20),
        }
        .into(),
        Review {
            entry: rid("e1"),
            entry_clock: clock.clone(),
            decision: ReviewDecision::Approve,
        }
        .into(),
        Review {
            entry: rid("e1"),
            entry_clock: clock,
            decision: ReviewDecision::Return {
                reason: "Thiếu số liệu".into(),
            },
        }
        .into(),
        ReviewSession {
            campaign: rid("c1"),
            kind: SessionKind::Annual,
            date: date(2024, 12, 1),
            criteria: Vec::new(),
            rows: vec![ScoreRow {
                unit: rid("u1"),
                criteria: vec![CriterionScore {
                    criterion: "init".into(),
                    pledged: 1.0,
                    approved: 2.0,
                    points: 10.0,
                }],
                total: 10.0,
                rank: 1,
            }],
        }
        .into(),
        AwardProposal {
            campaign: Some(rid("c1")),
            kind: AwardKind::EmulationFlag,
            nominee: Nominee::Unit { unit: rid("u1") },
            reason: "Dẫn đầu".into(),
            entries: vec![rid("e1")],
            votes: Votes {
                for_: 5,
                against: 1,
                abstain: 0,
            },
        }
        .into(),
        AwardProposal {
            campaign: None,
            kind: AwardKind::EmulationFighter,
            nominee: Nominee::Person {
                name: "Lê Thị B".into(),
                unit: rid("u2"),
            },
            reason: "Nhiều sáng kiến".into(),
            entries: vec![],
            votes: Votes::default(),
        }
        .into(),
    ];
    for (i, d) in details.into_iter().enumerate() {
        let mut e = entry(&rid("u1"), &rid("c1"));
        e.details = d;
        if i == 0 {
            e.criterion = None;
            e.corrects = Some(rid("e0"));
            e.description = "Có mô tả".into();
        }
        bodies.push(e.into());
    }
    for k in AwardKind::ALL {
        bodies.push(
            AwardProposal {
                campaign: None,
                kind: k,
                nominee: Nominee::Unit { unit: rid("u1") },
                reason: "r".into(),
                entries: vec![],
                votes: Votes::default(),
            }
            .into(),
        );
    }
    let kinds: BTreeSet<Kind> = bodies.iter().map(Body::kind).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "every kind is covered");
    bodies
}

#[tokio::test]
async fn records_as_core_serialises_them_match_the_schemas() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Checker::new(&spec);
    let device = DeviceId::new("dev-1").unwrap();
    let mut doc = Document::new(rid("cl"));
    for (i, body) in every_body().into_iter().enumerate() {
        let v = serde_json::to_value(&body).unwrap();
        c.assert_valid(c.named("Body"), &v, &format!("body {i}"));
        doc.put(rid(&format!("r{i}")), body, &device, Some(rid("u1")), now());
    }
    // A deletion, an edit on top, and a conflict (two heads).
    doc.delete(&rid("r3"), &device, None, now()).unwrap();
    let other = DeviceId::new("dev-2").unwrap();
    let mut replica = doc.clone();
    doc.put(
        rid("r1"),
        Unit {
            name: "Sửa".into(),
            kind: UnitKind::Agency,
        }
        .into(),
        &device,
        None,
        now(),
    );
    replica.put(
        rid("r1"),
        Unit {
            name: "Sửa khác".into(),
            kind: UnitKind::GrassrootsUnion,
        }
        .into(),
        &other,
        None,
        now(),
    );
    let doc = merge(&doc, &replica);
    assert!(doc.get("r1").unwrap().has_conflicts());
    assert!(doc.get("r3").unwrap().is_deleted());
    for rec in doc.records.values() {
        let v = serde_json::to_value(rec).unwrap();
        c.assert_valid(c.named("Record"), &v, &format!("record {}", rec.id));
    }
    let push = json!({"push_id": "p-1", "records": doc.records.values().collect::<Vec<_>>()});
    c.assert_valid(c.named("PushRequest"), &push, "push request");
}

/// Sends a request and checks the answer's status and body against the document.
async fn call(
    app: &TestApp,
    c: &Checker<'_>,
    method: &str,
    path: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let request = match body {
        Some(b) => json_request(method, uri, token, b),
        None => {
            let mut r = axum::http::Request::builder().method(method).uri(uri);
            if let Some(t) = token {
                r = r.header("authorization", format!("Bearer {t}"));
            }
            r.body(Body_::empty()).unwrap()
        }
    };
    let res = app.send(request).await;
    let status = res.status().as_u16();
    let bytes = body_bytes(res).await;
    if status == 204 {
        assert!(bytes.is_empty());
        assert!(c.operation(method, path)["responses"].get("204").is_some());
        return (status, Value::Null);
    }
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    c.assert_response(method, path, status, &json);
    (status, json)
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Checker::new(&spec);
    let mut cl = app.cluster("Cụm").await;
    let head = cl.head.token.clone();
    let officer = cl.officer.token.clone();

    let (s, _) = call(&app, &c, "GET", "/api/health", "/api/health", None, None).await;
    assert_eq!(s, 200);
    let (s, j) = call(
        &app,
        &c,
        "GET",
        "/api/openapi.json",
        "/api/openapi.json",
        None,
        None,
    )
    .await;
    assert_eq!((s, &j["openapi"]), (200, &json!("3.1.0")));

    // Join: created, bad code, bad body.
    let code = app.invite(&cl.head, &cl.unit2, "officer").await;
    let join = |code: &str| json!({"code": code, "device_name": "Máy"});
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/join",
        "/api/join",
        None,
        Some(&join(&code)),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/join",
        "/api/join",
        None,
        Some(&join("nope")),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/join",
        "/api/join",
        None,
        Some(&json!({"x": 1})),
    )
    .await;
    assert_eq!(s, 400);

    // Push: accepted, mixed, all refused, malformed, unauthenticated.
    let camp = cl.head.put(campaign());
    let unit = cl.head.unit.clone();
    let e = cl.head.put(entry(&unit, &camp));
    let push = json!({"push_id": "h1", "records": cl.head.records(&[&camp, &e])});
    let (s, j) = call(
        &app,
        &c,
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        Some(&head),
        Some(&push),
    )
    .await;
    assert_eq!(s, 200, "{j}");
    cl.officer.sync(&app).await;
    let own = cl.officer.unit.clone();
    let good = cl.officer.put(entry(&own, &camp));
    let bad = cl.officer.put(entry(&cl.unit3, &camp));
    let push = json!({"push_id": "o1", "records": cl.officer.records(&[&good, &bad])});
    let (s, j) = call(
        &app,
        &c,
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        Some(&officer),
        Some(&push),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(j["rejected"].as_array().unwrap().len(), 1);
    let push = json!({"push_id": "o2", "records": cl.officer.records(&[&bad])});
    let (s, j) = call(
        &app,
        &c,
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        Some(&officer),
        Some(&push),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(j["error"], "rejected");
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        Some(&officer),
        Some(&json!({"records": []})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        None,
        Some(&json!({})),
    )
    .await;
    assert_eq!(s, 401);

    // Pull and snapshot.
    let (s, j) = call(
        &app,
        &c,
        "GET",
        "/api/sync/pull",
        "/api/sync/pull?since=0&limit=2",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!((s, &j["more"]), (200, &json!(true)));
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/sync/pull",
        "/api/sync/pull?limit=0",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(s, 400);
    let (s, j) = call(
        &app,
        &c,
        "GET",
        "/api/snapshot",
        "/api/snapshot",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert!(j["records"].as_array().unwrap().len() >= 6);

    // Invites.
    let req = json!({"unit_id": cl.unit3, "role": "officer", "expires_in_days": 3});
    let (s, created) = call(
        &app,
        &c,
        "POST",
        "/api/invites",
        "/api/invites",
        Some(&head),
        Some(&req),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/invites",
        "/api/invites",
        Some(&officer),
        Some(&req),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &app,
        &c,
        "POST",
        "/api/invites",
        "/api/invites",
        Some(&head),
        Some(&json!({"unit_id": "nope", "role": "officer"})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, list) = call(
        &app,
        &c,
        "GET",
        "/api/invites",
        "/api/invites",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert!(list.as_array().unwrap().len() >= 4);
    let uri = format!("/api/invites/{}", created["id"].as_str().unwrap());
    let (s, _) = call(
        &app,
        &c,
        "DELETE",
        "/api/invites/{id}",
        &uri,
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = call(
        &app,
        &c,
        "DELETE",
        "/api/invites/{id}",
        "/api/invites/nope",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 404);

    // Devices.
    let (s, list) = call(
        &app,
        &c,
        "GET",
        "/api/devices",
        "/api/devices",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let devices = list.as_array().unwrap();
    assert!(devices.len() >= 4 && devices.iter().any(|d| d["last_seen_at"].is_string()));
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/devices",
        "/api/devices",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(s, 403);
    let uri = format!("/api/devices/{}", cl.officer.device);
    let (s, _) = call(
        &app,
        &c,
        "DELETE",
        "/api/devices/{id}",
        &uri,
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &app,
        &c,
        "DELETE",
        "/api/devices/{id}",
        "/api/devices/nope",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/snapshot",
        "/api/snapshot",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(s, 401);

    // Export: the workbook's media type as documented; errors as JSON.
    let uri = format!("/api/export/summary.xlsx?campaign={camp}");
    let res = app.send(get_request(&uri, Some(&head))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let op = c.operation("GET", "/api/export/summary.xlsx");
    assert!(op["responses"]["200"]["content"]
        .get(header(&res, "content-type"))
        .is_some());
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/export/summary.xlsx",
        "/api/export/summary.xlsx",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/export/summary.xlsx",
        "/api/export/summary.xlsx?campaign=nope",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 404);

    // Wrong methods are documented 405s on every path.
    for (path, item) in spec["paths"].as_object().unwrap() {
        let uri = path.replace("{id}", "x");
        let unused = ["put", "patch", "post", "delete", "get"]
            .into_iter()
            .find(|m| item.get(*m).is_none())
            .unwrap();
        let res = app
            .send(raw_request(
                &unused.to_ascii_uppercase(),
                &uri,
                Some(&head),
                b"{}".to_vec(),
            ))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{unused} {path}"
        );
        let j = body_json(res).await;
        c.assert_valid(c.named("Error"), &j, &format!("{unused} {path}"));
    }

    // Rate limiting: 429 with the Error body.
    let mut last = 0;
    for _ in 0..12 {
        (last, _) = call(
            &app,
            &c,
            "POST",
            "/api/join",
            "/api/join",
            None,
            Some(&join("bad")),
        )
        .await;
    }
    assert_eq!(last, 429);
}
