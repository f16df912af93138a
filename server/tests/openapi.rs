//! `GET /api/openapi.json` is generated from the handlers and core's wire types; what the
//! server really answers (and what core really serialises) validates against it.
#![allow(clippy::unwrap_used)]
mod common;

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use common::schema::Described;
use common::*;
use serde_json::{json, Value};
use thidua_core::wire::{self, ErrorCode, RefusalCode};
use thidua_core::*;

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

/// Routes and their descriptions are registered together (`api::routes`), so the description
/// lists exactly what the router serves; the live router answers each documented operation
/// (not the JSON 404/405 of the fallback or method router).
#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(&spec, thidua_server::api::openapi::spec());
    let documented = documented(&spec);
    assert!(documented.len() >= 14, "{documented:?}");
    let (_, registered) = thidua_server::api::routes().split_for_parts();
    let registered: BTreeSet<(String, String)> = registered
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            let item = serde_json::to_value(item).unwrap();
            let path = format!("/api{path}");
            item.as_object()
                .unwrap()
                .keys()
                .map(|m| (m.to_ascii_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(registered, documented);
    for (method, path) in &documented {
        let uri = path.replace("{id}", "x").replace("{hash}", &"0".repeat(64));
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
    let described = Described::new(&spec);
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
        described.resolve(&json!({ "$ref": r }));
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
                let push = path == "/api/sync/push" || path == "/api/board/clusters/{id}/push";
                if code >= 400 && !(push && code == 422) {
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

/// The validation must be able to fail, or the tests below prove nothing.
#[tokio::test]
async fn the_description_refuses_what_the_server_refuses() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Described::new(&spec);
    let error = c.named("Error");
    assert!(c
        .errors(&error, &json!({"error": "forbidden", "message": "x"}))
        .is_empty());
    assert!(!c.errors(&error, &json!({"error": "forbidden"})).is_empty());
    assert!(!c
        .errors(&error, &json!({"error": "nope", "message": "x"}))
        .is_empty());
    let body = c.named("Body");
    let unit = json!({"type": "unit", "name": "A", "kind": "agency"});
    assert!(c.errors(&body, &unit).is_empty());
    assert!(!c
        .errors(&body, &json!({"type": "unit", "name": "A", "kind": "shop"}))
        .is_empty());
    assert!(!c
        .errors(&body, &json!({"type": "unit", "name": "A"}))
        .is_empty());
    assert!(!c
        .errors(&body, &json!({"type": "widget", "name": "A"}))
        .is_empty());
    let rec = c.named("Record");
    let bad_id =
        json!({"id": "a b", "kind": "unit", "created_at": "2024-01-01T00:00:00Z", "heads": []});
    assert!(!c.errors(&rec, &bad_id).is_empty());
    // Every integer carries its Rust type's bounds: one past them is refused.
    let push = c.named("PushResponse");
    let past_u64 = json!({"accepted": [], "rejected": [], "cursor": 18446744073709551616_f64});
    assert!(!c.errors(&push, &past_u64).is_empty());
    let votes = c.named("Votes");
    assert!(!c
        .errors(
            &votes,
            &json!({"for": 4294967296_u64, "against": 0, "abstain": 0})
        )
        .is_empty());
}

/// The codes described are the ones core's enums know, so a code added there is described.
#[tokio::test]
async fn codes_are_described_from_the_enums() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let schemas = &spec["components"]["schemas"];
    let listed = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let errors: Vec<String> = ErrorCode::ALL.iter().map(|c| c.to_string()).collect();
    assert_eq!(listed("ErrorCode"), errors);
    assert!(errors.contains(&"invite_withdrawn".to_owned()));
    let refusals: Vec<String> = RefusalCode::ALL.iter().map(|c| c.to_string()).collect();
    assert_eq!(listed("RefusalCode"), refusals);
}

/// The bounds in `#[schema(...)]` attributes are literals; they say what the server checks.
#[tokio::test]
async fn described_limits_are_the_servers() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Described::new(&spec);
    let s = |name: &str| c.resolve(&c.named(name)).clone();
    let push = s("PushRequest");
    assert_eq!(
        push["properties"]["records"]["maxItems"],
        json!(wire::MAX_PUSH_RECORDS)
    );
    assert_eq!(
        push["properties"]["push_id"]["maxLength"],
        json!(wire::MAX_PUSH_ID)
    );
    assert_eq!(
        s("JoinRequest")["properties"]["device_name"]["maxLength"],
        json!(wire::MAX_DEVICE_NAME)
    );
    assert_eq!(
        s("RenameRequest")["properties"]["name"]["maxLength"],
        json!(wire::MAX_DEVICE_NAME)
    );
    let invite = s("InviteRequest");
    assert_eq!(
        invite["properties"]["expires_in_days"]["maximum"],
        json!(wire::MAX_INVITE_DAYS)
    );
    assert_eq!(
        invite["properties"]["expires_in_days"]["default"],
        json!(wire::DEFAULT_INVITE_DAYS)
    );
    assert_eq!(
        invite["properties"]["max_uses"]["maximum"],
        json!(wire::MAX_INVITE_USES)
    );
    assert_eq!(
        s("FilesStatusRequest")["properties"]["hashes"]["maxItems"],
        json!(wire::MAX_FILES_STATUS)
    );
    assert_eq!(
        s("Record")["properties"]["heads"]["maxItems"],
        json!(thidua_core::MAX_HEADS)
    );
    let pull = &spec["paths"]["/api/sync/pull"]["get"]["parameters"];
    let limit = pull
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["maximum"], json!(wire::MAX_PULL_LIMIT));
    assert_eq!(limit["schema"]["default"], json!(wire::DEFAULT_PULL_LIMIT));
    // Every integer has both bounds.
    fn integers<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
        match v {
            Value::Object(m) => {
                if m.get("type") == Some(&json!("integer")) {
                    out.push(v);
                }
                m.values().for_each(|x| integers(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| integers(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    integers(&spec, &mut all);
    assert!(all.len() > 20);
    for i in all {
        assert!(i["minimum"].is_number() && i["maximum"].is_number(), "{i}");
    }
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
            former_units: Vec::new(),
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
            sent: None,
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
            sent: None,
        }
        .into(),
        AwardProposal {
            campaign: Some(rid("c1")),
            kind: AwardKind::EmulationFlag,
            nominee: Nominee::Unit { unit: rid("u1") },
            reason: "Gửi lên".into(),
            entries: vec![],
            votes: Votes {
                for_: 5,
                against: 0,
                abstain: 0,
            },
            sent: Some(now()),
        }
        .into(),
        AwardDecision {
            proposal: rid("p1"),
            sent: now(),
            outcome: AwardOutcome::Accepted {
                number: "2150/QĐ-LĐLĐ".into(),
                date: date(2024, 8, 20),
            },
        }
        .into(),
        AwardDecision {
            proposal: rid("p1"),
            sent: now(),
            outcome: AwardOutcome::Returned {
                reason: "Thiếu biên bản".into(),
            },
        }
        .into(),
        Reminder {
            campaign: rid("c1"),
            deadline: Some(date(2024, 6, 15)),
            units: vec![rid("u1")],
            at: now(),
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
                sent: None,
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
    let c = Described::new(&spec);
    let device = DeviceId::new("dev-1").unwrap();
    let mut doc = Document::new(rid("cl"));
    for (i, body) in every_body().into_iter().enumerate() {
        let v = serde_json::to_value(&body).unwrap();
        c.assert_valid(&c.named("Body"), &v, &format!("body {i}"));
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
        c.assert_valid(&c.named("Record"), &v, &format!("record {}", rec.id));
    }
    let push = wire::PushRequest {
        push_id: "p-1".into(),
        records: doc.records.values().collect(),
    };
    let push = serde_json::to_value(&push).unwrap();
    c.assert_valid(&c.named("PushRequest"), &push, "push request");
}

/// Sends a request and checks the answer's status and body against the document.
async fn call(
    app: &TestApp,
    c: &Described<'_>,
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
    // And the answer reads as core's wire type, as the app and the load generator read it.
    if status >= 400 && !(path == "/api/sync/push" && status == 422) {
        reads_as::<wire::ErrorBody>(&json);
    } else {
        match (method, path) {
            ("POST", "/api/join") => reads_as::<wire::JoinResponse>(&json),
            ("POST", "/api/sync/push") => reads_as::<wire::PushResponse>(&json),
            ("GET", "/api/sync/pull") => reads_as::<wire::PullResponse>(&json),
            ("GET", "/api/snapshot") => reads_as::<wire::Snapshot>(&json),
            ("POST", "/api/invites") => reads_as::<wire::InviteCreated>(&json),
            ("GET", "/api/invites") => reads_as::<Vec<wire::InviteInfo>>(&json),
            ("GET", "/api/devices") => reads_as::<Vec<wire::DeviceInfo>>(&json),
            ("DELETE", "/api/devices/{id}") => reads_as::<wire::DeviceRevoked>(&json),
            ("GET", "/api/health") => reads_as::<wire::Health>(&json),
            ("POST", "/api/files/status") => reads_as::<wire::FilesStatusResponse>(&json),
            ("GET", "/api/files/{hash}/upload") => reads_as::<wire::FileProgress>(&json),
            _ => {}
        }
    }
    (status, json)
}

/// `json` read as `T` and written back is the same JSON: nothing lost or renamed.
fn reads_as<T: serde::de::DeserializeOwned + serde::Serialize>(json: &Value) {
    let read: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{} does not read: {e}\n{json}", std::any::type_name::<T>()));
    assert_eq!(
        &serde_json::to_value(&read).unwrap(),
        json,
        "{}",
        std::any::type_name::<T>()
    );
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let app = TestApp::new();
    let spec = fetch_spec(&app).await;
    let c = Described::new(&spec);
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

    // Evidence files: progress and status as described, refusals with the Error body.
    let unlisted = "0".repeat(64);
    let (s, j) = call(
        &app,
        &c,
        "POST",
        "/api/files/status",
        "/api/files/status",
        Some(&head),
        Some(&json!({"hashes": [unlisted]})),
    )
    .await;
    assert_eq!(
        (s, &j["files"][&unlisted]["complete"]),
        (200, &json!(false))
    );
    for (path, uri) in [
        (
            "/api/files/{hash}/upload",
            format!("/api/files/{unlisted}/upload"),
        ),
        ("/api/files/{hash}", format!("/api/files/{unlisted}")),
    ] {
        let (s, j) = call(&app, &c, "GET", path, &uri, Some(&head), None).await;
        assert_eq!((s, &j["error"]), (403, &json!("file_not_referenced")));
    }
    let (s, _) = call(
        &app,
        &c,
        "GET",
        "/api/files/{hash}",
        "/api/files/not-a-hash",
        Some(&head),
        None,
    )
    .await;
    assert_eq!(s, 400);

    // Wrong methods are documented 405s on every path.
    for (path, item) in spec["paths"].as_object().unwrap() {
        let uri = path.replace("{id}", "x").replace("{hash}", &"0".repeat(64));
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
        c.assert_valid(&c.named("Error"), &j, &format!("{unused} {path}"));
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
