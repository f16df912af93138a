//! Part 2: join, push, pull, snapshot, invites and devices, allowed and refused.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use serde_json::json;
use thidua_core::{Body, Document, EntryDetails, Pledge, RecordId, Target, Unit, UnitKind};

fn message(j: &serde_json::Value) -> &str {
    j["message"].as_str().unwrap_or_default()
}

// ---- join -------------------------------------------------------------------------------

#[tokio::test]
async fn join_with_a_valid_code_returns_a_working_token() {
    let app = TestApp::new();
    let (cluster, code) = app.create_cluster("Cụm thi đua số 3").await;
    let (status, j) = app.join(&code, "Máy trưởng cụm").await;
    assert_eq!(status, StatusCode::CREATED, "{j}");
    assert_eq!(j["cluster_id"], cluster.as_str());
    assert_eq!(j["cluster_name"], "Cụm thi đua số 3");
    assert_eq!(j["role"], "head");
    assert_eq!(j["token"].as_str().unwrap().len(), 43);
    assert!(j["unit_id"].is_string() && j["device_id"].is_string());
    let token = j["token"].as_str().unwrap();
    let res = app.send(get_request("/api/snapshot", Some(token))).await;
    assert_eq!(res.status(), StatusCode::OK);
    // The code can be used by more than one device of the head until it expires.
    let (status, _) = app.join(&code, "Máy thứ hai").await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn join_refuses_bad_codes_and_bad_bodies() {
    let app = TestApp::new();
    let (status, j) = app.join("not-a-code", "Máy").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message(&j).contains("invite code is not valid"), "{j}");

    let (_, code) = app.create_cluster("Cụm").await;
    let (status, j) = app.join(&code, "   ").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&j).contains("device_name is required"), "{j}");
    let (status, j) = app.join(&code, &"x".repeat(101)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&j).contains("longer than 100"), "{j}");

    let res = app
        .send(raw_request(
            "POST",
            "/api/join",
            None,
            b"{not json".to_vec(),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let j = body_json(res).await;
    assert_eq!(j["error"], "invalid_json");
    assert!(message(&j).contains("not valid JSON"), "{j}");

    let res = app
        .send(json_request(
            "POST",
            "/api/join",
            None,
            &json!({"code": code}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(&body_json(res).await).contains("missing field `device_name`"));

    let res = app
        .send(json_request(
            "POST",
            "/api/join",
            None,
            &json!({"code": 5, "device_name": "x"}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(&body_json(res).await).contains("invalid type: integer `5`, expected a string"));

    let res = app
        .send(
            axum::http::Request::post("/api/join")
                .body(Body_::from(
                    json!({"code": code, "device_name": "x"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(message(&body_json(res).await).contains("Content-Type: application/json"));
}

#[tokio::test]
async fn join_is_rate_limited_per_address_after_failures() {
    let app = TestApp::new();
    let (_, code) = app.create_cluster("Cụm").await;
    for _ in 0..10 {
        let (status, _) = app.join("wrong", "Máy").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let res = app
        .send(json_request(
            "POST",
            "/api/join",
            None,
            &json!({"code": code, "device_name": "x"}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // One attempt every 6 s after the first 10 failures (see the hardening tests).
    assert_eq!(header(&res, "retry-after"), "6");
    let j = body_json(res).await;
    assert_eq!(j["error"], "too_many_requests");
    assert!(message(&j).contains("too many failed join attempts"));
}

#[tokio::test]
async fn join_refuses_withdrawn_and_expired_invites() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let code = app.invite(&c.head, &c.unit2, "officer").await;
    let (_, list) = c.head.get(&app, "/api/invites").await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["unit_id"] == c.unit2.as_str())
        .filter(|i| i["uses"] == 0)
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .next_back()
        .unwrap();
    let (status, _) = c
        .head
        .send_json(&app, "DELETE", &format!("/api/invites/{id}"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, j) = app.join(&code, "Máy").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(j["error"], "invite_withdrawn");
    assert!(message(&j).contains("withdrawn"), "{j}");

    // An invite that expired a second ago.
    use thidua_server::store::NewInvite;
    let past = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    app.state
        .store
        .create_invite(NewInvite {
            id: thidua_core::InviteId::new("expired1").unwrap(),
            code_hash: thidua_server::auth::secret_hash("old-code"),
            cluster_id: c.id.clone(),
            unit_id: c.unit2.clone(),
            role: thidua_core::Role::Officer,
            created_by: None,
            created_at: past - chrono::TimeDelta::days(14),
            expires_at: Some(past),
            max_uses: None,
        })
        .await
        .unwrap();
    let (status, j) = app.join("old-code", "Máy").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(j["error"], "invite_expired");
    assert!(message(&j).contains("expired"), "{j}");
    c.head.sync(&app).await;
}

// ---- authentication ---------------------------------------------------------------------

#[tokio::test]
async fn sync_endpoints_need_a_valid_token() {
    let app = TestApp::new();
    for (method, uri) in [
        ("GET", "/api/snapshot"),
        ("GET", "/api/sync/pull"),
        ("POST", "/api/sync/push"),
        ("GET", "/api/invites"),
        ("POST", "/api/invites"),
        ("GET", "/api/devices"),
        ("DELETE", "/api/devices/abc"),
        ("DELETE", "/api/invites/abc"),
    ] {
        let res = app
            .send(raw_request(method, uri, None, b"{}".to_vec()))
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {uri}");
        let j = body_json(res).await;
        assert_eq!(j["error"], "unauthorized");
        assert!(message(&j).contains("Authorization: Bearer"), "{j}");

        let res = app
            .send(raw_request(
                method,
                uri,
                Some("forged-token"),
                b"{}".to_vec(),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert!(message(&body_json(res).await).contains("not valid"));
    }
    let res = app
        .send(
            axum::http::Request::get("/api/snapshot")
                .header("authorization", "Basic dXNlcjpwYXNz")
                .body(Body_::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

// ---- push -------------------------------------------------------------------------------

#[tokio::test]
async fn head_pushes_a_campaign_and_officer_reports_for_own_unit() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    let (status, j) = c.head.push(&app, &[&camp]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"], json!([camp]));
    assert_eq!(j["rejected"], json!([]));
    let cursor = j["cursor"].as_u64().unwrap();

    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let e = c.officer.put(entry(&unit, &camp));
    let pledge = c.officer.put(Pledge {
        campaign: camp.clone(),
        unit: unit.clone(),
        targets: vec![Target {
            criterion: "init".into(),
            target: 3.0,
        }],
        commitments: "Hoàn thành".into(),
        signed_on: date(2024, 4, 20),
    });
    let (status, j) = c.officer.push(&app, &[&e, &pledge]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"].as_array().unwrap().len(), 2);
    assert_eq!(j["cursor"].as_u64().unwrap(), cursor + 2);

    // Pushing the same state again (new push id) changes nothing: no new sequence numbers.
    let (status, j) = c.officer.push(&app, &[&e, &pledge]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(j["cursor"].as_u64().unwrap(), cursor + 2);

    // An edit by the officer is accepted and bumps the cursor once.
    let mut edited = entry(&unit, &camp);
    edited.title = "Cải tiến máy bơm (sửa)".into();
    c.officer.put_at(e.clone(), edited);
    let (_, j) = c.officer.push(&app, &[&e]).await;
    assert_eq!(j["cursor"].as_u64().unwrap(), cursor + 3);
    c.head.sync(&app).await;
    match c.head.doc.body(&e) {
        Some(Body::Entry(x)) => assert_eq!(x.title, "Cải tiến máy bơm (sửa)"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn push_may_reference_records_of_the_same_push() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    let unit = c.head.unit.clone();
    let e = c.head.put(entry(&unit, &camp));
    // Entry listed first on purpose.
    let (status, j) = c.head.push(&app, &[&e, &camp]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn officers_are_refused_outside_their_unit_and_role() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;

    // An entry for another unit.
    let other_unit = c.unit3.clone();
    let e = c.officer.put(entry(&other_unit, &camp));
    let (status, j) = c.officer.push(&app, &[&e]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["error"], "rejected");
    assert_eq!(j["rejected"][0]["id"], e.as_str());
    assert_eq!(j["rejected"][0]["code"], "forbidden");
    assert!(first_refusal(&j).contains("another unit"), "{j}");
    assert!(message(&j).contains("another unit"));

    // A campaign (cluster-level record).
    let camp2 = c.officer.put(campaign());
    let (status, j) = c.officer.push(&app, &[&camp2]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(first_refusal(&j).contains("a unit officer cannot write campaign records"));

    // Editing the head's campaign.
    let mut changed = campaign();
    changed.title = "Đổi tên".into();
    c.officer.put_at(camp.clone(), changed);
    let (status, _) = c.officer.push(&app, &[&camp]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Mixed: the good one is accepted, status 200, the bad one listed.
    let unit = c.officer.unit.clone();
    let good = c.officer.put(entry(&unit, &camp));
    let bad = c.officer.put(entry(&other_unit, &camp));
    let (status, j) = c.officer.push(&app, &[&good, &bad]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"], json!([good]));
    assert_eq!(j["rejected"][0]["id"], bad.as_str());
    assert!(j.get("error").is_none());

    // Nothing refused reached the server.
    c.head.sync(&app).await;
    assert!(c.head.doc.get(&e).is_none() && c.head.doc.get(&camp2).is_none());
    match c.head.doc.body(&camp) {
        Some(Body::Campaign(x)) => assert_eq!(x.title, campaign().title),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn deputies_may_write_cluster_records() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.deputy.put(campaign());
    let (status, j) = c.deputy.push(&app, &[&camp]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
}

#[tokio::test]
async fn revisions_must_be_signed_by_the_pushing_device_with_honest_clocks() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let e = c.officer.put(entry(&unit, &camp));

    // Claims to be written by the head's device.
    let mut recs = c.officer.records(&[&e]);
    let head_device = c.head.device.to_string();
    recs[0]["heads"][0]["author"] = json!(head_device);
    let clock = recs[0]["heads"][0]["clock"].as_object().unwrap().clone();
    let n = clock.values().next().unwrap().clone();
    recs[0]["heads"][0]["clock"] = json!({ head_device.clone(): n });
    let (status, j) = c
        .officer
        .push_raw(&app, &json!({"push_id": "forged-author", "records": recs}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(first_refusal(&j).contains("signed by device"), "{j}");

    // Claims more writes by the head's device than the server has seen.
    let mut recs = c.officer.records(&[&e]);
    recs[0]["heads"][0]["clock"][head_device.as_str()] = json!(1000);
    let (status, j) = c
        .officer
        .push_raw(&app, &json!({"push_id": "forged-clock", "records": recs}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(j["rejected"][0]["code"], "bad_clock");
    assert!(first_refusal(&j).contains("more than the server knows"));

    // Copying the head's clock onto other content does not sneak past authorization.
    let head_rec = c.officer.records(&[&camp]);
    let mut forged = head_rec.clone();
    forged[0]["heads"][0]["body"]["title"] = json!("Bị sửa lén");
    forged[0]["heads"][0]["at"] = json!("2030-01-01T00:00:00Z");
    let (status, j) = c
        .officer
        .push_raw(&app, &json!({"push_id": "forged-copy", "records": forged}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    c.head.sync(&app).await;
    match c.head.doc.body(&camp) {
        Some(Body::Campaign(x)) => assert_eq!(x.title, campaign().title),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_the_field_named() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();

    let pledge = c.officer.put(Pledge {
        campaign: camp.clone(),
        unit: unit.clone(),
        targets: vec![Target {
            criterion: "init".into(),
            target: -5.0,
        }],
        commitments: String::new(),
        signed_on: date(2024, 4, 20),
    });
    let (status, j) = c.officer.push(&app, &[&pledge]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(j["rejected"][0]["code"], "invalid");
    assert!(
        first_refusal(&j).contains("targets.target must not be negative"),
        "{j}"
    );

    let mut late = entry(&unit, &camp);
    late.date = date(2025, 1, 1);
    late.title = String::new();
    let e = c.officer.put(late);
    let (_, j) = c.officer.push(&app, &[&e]).await;
    let reason = first_refusal(&j);
    assert!(reason.contains("title is required"), "{reason}");
    assert!(
        reason.contains("date must be within the campaign period"),
        "{reason}"
    );

    // A reference to a campaign that does not exist.
    let ghost = RecordId::new("nope-1").unwrap();
    let e = c.officer.put(entry(&unit, &ghost));
    let (_, j) = c.officer.push(&app, &[&e]).await;
    assert!(first_refusal(&j).contains("campaign refers to a record that does not exist"));
}

#[tokio::test]
async fn malformed_pushes_are_400s_naming_the_problem() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    let unit = c.head.unit.clone();
    let e = c.head.put(entry(&unit, &camp));
    let good = c.head.records(&[&e]);

    let res = app
        .send(raw_request(
            "POST",
            "/api/sync/push",
            Some(&c.head.token),
            br#"{"push_id": "#.to_vec(),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(&body_json(res).await).contains("not valid JSON"));

    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({"records": good}), "missing field `push_id`"),
        (
            json!({"push_id": "p", "records": "x"}),
            "invalid type: string \"x\", expected a sequence",
        ),
        (
            json!({"push_id": "p", "records": [{"id": "a"}]}),
            "missing field",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["kind"] = json!("spaceship");
                json!({"push_id": "p", "records": r})
            },
            "unknown variant `spaceship`",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["heads"][0]["body"]["details"]["kind"] = json!("teleport");
                json!({"push_id": "p", "records": r})
            },
            "unknown variant `teleport`",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["heads"][0]["body"]["details"]["value_vnd"] = json!(-2000);
                json!({"push_id": "p", "records": r})
            },
            "invalid value: integer `-2000`, expected u64",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["heads"][0]["body"]["title"] = json!(42);
                json!({"push_id": "p", "records": r})
            },
            "invalid type: integer `42`, expected a string",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["id"] = json!("../etc/passwd");
                json!({"push_id": "p", "records": r})
            },
            "id contains '.'",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["heads"] = json!([]);
                json!({"push_id": "p", "records": r})
            },
            "record has no versions",
        ),
        (
            {
                let mut r = good.clone();
                r[0]["kind"] = json!("unit");
                json!({"push_id": "p", "records": r})
            },
            "record is a unit but one version holds a entry",
        ),
        (
            json!({"push_id": "", "records": []}),
            "push_id must be 1 to 100 characters",
        ),
        (
            json!({"push_id": "a b", "records": []}),
            "push_id may only contain",
        ),
    ];
    for (body, expected) in cases {
        let (status, j) = c.head.push_raw(&app, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {j}");
        assert!(
            message(&j).contains(expected),
            "expected {expected:?} in {j}"
        );
    }
}

#[tokio::test]
async fn oversize_push_is_a_json_413() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let mut body = br#"{"push_id":"big","records":[],"pad":""#.to_vec();
    body.extend(std::iter::repeat_n(b'x', thidua_server::BODY_LIMIT));
    body.extend(br#""}"#);
    let res = app
        .send(raw_request(
            "POST",
            "/api/sync/push",
            Some(&c.head.token),
            body,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let j = body_json(res).await;
    assert_eq!(j["error"], "payload_too_large");
    assert!(message(&j).contains("larger than the 1048576 bytes allowed"));
}

#[tokio::test]
async fn ids_of_another_cluster_are_refused() {
    let app = TestApp::new();
    let mut a = app.cluster("Cụm A").await;
    let mut b = app.cluster("Cụm B").await;
    let camp_a = a.head.put(campaign());
    a.head.push(&app, &[&camp_a]).await;
    let recs = a.head.records(&[&camp_a]);

    // B's head pushes a record whose id exists in cluster A.
    let mut stolen = recs.clone();
    let b_device = b.head.device.to_string();
    stolen[0]["heads"][0]["author"] = json!(b_device);
    stolen[0]["heads"][0]["author_unit"] = json!(b.head.unit);
    stolen[0]["heads"][0]["clock"] = json!({ b_device.clone(): 1 });
    let (status, j) = b
        .head
        .push_raw(&app, &json!({"push_id": "x", "records": stolen}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    // Refused like any id B's device may not mint, without telling that A has it.
    assert_eq!(j["rejected"][0]["code"], "forbidden");
    assert!(
        message(&j).contains("ids made from its own device id"),
        "{j}"
    );
    assert!(!message(&j).contains("another cluster"), "{j}");

    // B's head references A's campaign from a B entry.
    let unit = b.head.unit.clone();
    let e = b.head.put(entry(&unit, &camp_a));
    let (status, j) = b.head.push(&app, &[&e]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&j).contains("campaign refers to a record that does not exist"));

    // B cannot add a second cluster record.
    let fake = b.head.put(thidua_core::Cluster {
        name: "Giả".into(),
        decision: thidua_core::Decision {
            number: "1".into(),
            date: date(2024, 1, 1),
            issuer: "x".into(),
        },
        year: 2024,
        former_units: Vec::new(),
    });
    let (status, j) = b.head.push(&app, &[&fake]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&j).contains("cannot add another cluster record"));

    // A unit id of cluster A in B's invite.
    let (status, j) = b
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": a.unit2, "role": "officer"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&j).contains("is not a unit of this cluster"));

    // Pulls and snapshots only see one's own cluster.
    let (_, pull) = b.head.get(&app, "/api/sync/pull").await;
    let ids: Vec<&str> = pull["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&camp_a.as_str()));
    assert!(!ids.contains(&a.unit2.as_str()));
    b.head.sync(&app).await;
    assert_eq!(b.head.doc.cluster, b.id);
    assert!(b.head.doc.get(&camp_a).is_none());
    a.head.sync(&app).await;
}

#[tokio::test]
async fn kind_changes_are_refused() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    // A different replica claims the same id is a unit.
    let mut other = thidua_core::Document::new(c.id.clone());
    other.put(
        camp.clone(),
        Unit {
            name: "x".into(),
            kind: UnitKind::Enterprise,
        }
        .into(),
        &c.head.device,
        Some(c.head.unit.clone()),
        Client::now(),
    );
    let recs = serde_json::to_value(other.changed_records([&camp])).unwrap();
    let (status, j) = c
        .head
        .push_raw(&app, &json!({"push_id": "k", "records": recs}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(j["rejected"][0]["code"], "kind_mismatch");
    assert!(
        message(&j).contains("is a campaign, it cannot hold a unit"),
        "{j}"
    );
}

#[tokio::test]
async fn replayed_push_id_returns_the_stored_response_without_reapplying() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    let body = json!({"push_id": "same-id", "records": c.head.records(&[&camp])});
    let res = app
        .send(json_request(
            "POST",
            "/api/sync/push",
            Some(&c.head.token),
            &body,
        ))
        .await;
    assert_eq!(header(&res, "thidua-replayed"), "");
    let first = body_json(res).await;

    // Edit, then replay the old push id with the new state: the stored answer comes back
    // and the edit is not applied.
    let mut changed = campaign();
    changed.title = "Mới".into();
    c.head.put_at(camp.clone(), changed);
    let body2 = json!({"push_id": "same-id", "records": c.head.records(&[&camp])});
    let res = app
        .send(json_request(
            "POST",
            "/api/sync/push",
            Some(&c.head.token),
            &body2,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "thidua-replayed"), "true");
    assert_eq!(body_json(res).await, first);
    let (_, snap) = c.head.get(&app, "/api/snapshot").await;
    assert_eq!(snap["cursor"], first["cursor"]);

    // Another device may use the same push id independently.
    let mut d = c.deputy;
    let camp2 = d.put(campaign());
    let (status, j) = d
        .push_raw(
            &app,
            &json!({"push_id": "same-id", "records": d.records(&[&camp2])}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(j["accepted"], json!([camp2]));
}

#[tokio::test]
async fn concurrent_edits_are_kept_as_conflicts() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.deputy.sync(&app).await;
    let mut a = campaign();
    a.title = "Tên A".into();
    let mut b = campaign();
    b.title = "Tên B".into();
    c.head.put_at(camp.clone(), a);
    c.deputy.put_at(camp.clone(), b);
    let (s1, _) = c.head.push(&app, &[&camp]).await;
    let (s2, _) = c.deputy.push(&app, &[&camp]).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    c.head.sync(&app).await;
    assert_eq!(c.head.doc.get(&camp).unwrap().heads.len(), 2);
}

// ---- pull and snapshot -------------------------------------------------------------------

#[tokio::test]
async fn pull_pages_by_cursor() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let (status, all) = c.officer.get(&app, "/api/sync/pull").await;
    assert_eq!(status, StatusCode::OK);
    let n = all["records"].as_array().unwrap().len();
    // cluster, head unit, roles, unit2, unit3
    assert_eq!(n, 5, "{all}");
    assert_eq!(all["more"], false);
    let end = all["cursor"].as_u64().unwrap();

    let (_, p1) = c.officer.get(&app, "/api/sync/pull?since=0&limit=2").await;
    assert_eq!(p1["records"].as_array().unwrap().len(), 2);
    assert_eq!(p1["more"], true);
    let (_, p2) = c
        .officer
        .get(
            &app,
            &format!("/api/sync/pull?since={}&limit=2", p1["cursor"]),
        )
        .await;
    assert_eq!(p2["records"].as_array().unwrap().len(), 2);
    let (_, p3) = c
        .officer
        .get(
            &app,
            &format!("/api/sync/pull?since={}&limit=2", p2["cursor"]),
        )
        .await;
    assert_eq!(p3["records"].as_array().unwrap().len(), 1);
    assert_eq!(p3["more"], false);
    assert_eq!(p3["cursor"].as_u64().unwrap(), end);

    let (_, none) = c
        .officer
        .get(&app, &format!("/api/sync/pull?since={end}"))
        .await;
    assert_eq!(none["records"], json!([]));
    assert_eq!(none["cursor"].as_u64().unwrap(), end);

    // Changes after the cursor show up, each record once, at its latest state.
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    let mut x = campaign();
    x.title = "Sửa".into();
    c.head.put_at(camp.clone(), x);
    c.head.push(&app, &[&camp]).await;
    let (_, next) = c
        .officer
        .get(&app, &format!("/api/sync/pull?since={end}"))
        .await;
    assert_eq!(next["records"].as_array().unwrap().len(), 1);
    assert_eq!(next["records"][0]["heads"][0]["body"]["title"], "Sửa");

    // A cursor from the future (restored database) starts over.
    let (_, again) = c.officer.get(&app, "/api/sync/pull?since=999999").await;
    assert_eq!(again["records"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn pull_refuses_bad_parameters() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    for (q, expected) in [
        ("since=-1", "query string does not fit"),
        ("since=abc", "query string does not fit"),
        ("limit=0", "limit must be between 1 and 1000"),
        ("limit=5000", "limit must be between 1 and 1000"),
    ] {
        let (status, j) = c.officer.get(&app, &format!("/api/sync/pull?{q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert!(message(&j).contains(expected), "{q}: {j}");
    }
}

#[tokio::test]
async fn snapshot_is_the_clusters_document_with_a_cursor() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let (status, snap) = c.officer.get(&app, "/api/snapshot").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(snap["cluster"], c.id.as_str());
    assert_eq!(snap["schema"], thidua_core::SCHEMA_VERSION);
    assert_eq!(snap["records"].as_array().unwrap().len(), 5);
    let (_, pull) = c.officer.get(&app, "/api/sync/pull").await;
    assert_eq!(snap["cursor"], pull["cursor"]);
    let doc = thidua_core::Document::from_json(&snap.to_string()).unwrap();
    let roles = doc
        .live()
        .find_map(|(_, b)| match b {
            Body::Roles(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(roles.head, c.head.unit);
    assert!(matches!(doc.body(&c.id), Some(Body::Cluster(_))));
}

// ---- invites -----------------------------------------------------------------------------

#[tokio::test]
async fn invites_are_for_managers_and_keep_the_code_out_of_urls() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let (status, j) = c
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit2, "role": "officer", "expires_in_days": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let code = j["code"].as_str().unwrap();
    assert_eq!(j["link"], format!("/join#{code}"));
    assert_eq!(j["role"], "officer");
    assert!(j["expires_at"].is_string());

    let (status, list) = c.deputy.get(&app, "/api/invites").await;
    assert_eq!(status, StatusCode::OK);
    let text = list.to_string();
    assert!(!text.contains(code), "codes are never listed");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == j["id"] && i["uses"] == 0));

    // Officers may not list or create invites.
    let (status, j) = c.officer.get(&app, "/api/invites").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message(&j).contains("only the cluster head or deputy"));
    let (status, _) = c
        .officer
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit2, "role": "officer"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Deputies may invite officers and deputies, not heads.
    let (status, _) = c
        .deputy
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit2, "role": "officer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, j) = c
        .deputy
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit2, "role": "head"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message(&j).contains("only the cluster head may invite another head"));
}

#[tokio::test]
async fn invite_requests_are_checked() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    for (body, status, expected) in [
        (
            json!({"unit_id": "nope", "role": "officer"}),
            400,
            "is not a unit of this cluster",
        ),
        (
            json!({"unit_id": camp, "role": "officer"}),
            400,
            "is not a unit of this cluster",
        ),
        (
            json!({"unit_id": "a b", "role": "officer"}),
            400,
            // Read as a typed id: refused with the body, naming the field.
            "unit_id: id contains ' '",
        ),
        (
            json!({"unit_id": c.unit2, "role": "king"}),
            400,
            "unknown variant `king`",
        ),
        (json!({"unit_id": c.unit2}), 400, "missing field `role`"),
        (
            json!({"unit_id": c.unit2, "role": "officer", "expires_in_days": 0}),
            400,
            "expires_in_days must be between 1 and 365",
        ),
        (
            json!({"unit_id": c.unit2, "role": "officer", "expires_in_days": -1}),
            400,
            "expected u32",
        ),
    ] {
        let (got, j) = c.head.send_json(&app, "POST", "/api/invites", &body).await;
        assert_eq!(got.as_u16(), status, "{body}: {j}");
        assert!(message(&j).contains(expected), "{body}: {j}");
    }
    // A deleted unit cannot be invited.
    let doomed = c.head.put(Unit {
        name: "Giải thể".into(),
        kind: UnitKind::Enterprise,
    });
    c.head.push(&app, &[&doomed]).await;
    c.head
        .doc
        .delete(
            &doomed,
            &c.head.device.clone(),
            Some(c.head.unit.clone()),
            Client::now(),
        )
        .unwrap();
    let (s, _) = c.head.push(&app, &[&doomed]).await;
    assert_eq!(s, StatusCode::OK);
    let (got, j) = c
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": doomed, "role": "officer"}),
        )
        .await;
    assert_eq!(got, StatusCode::BAD_REQUEST);
    assert!(message(&j).contains("was deleted"));
}

#[tokio::test]
async fn invites_can_be_withdrawn_only_within_the_cluster() {
    let app = TestApp::new();
    let a = app.cluster("A").await;
    let b = app.cluster("B").await;
    app.invite(&a.head, &a.unit2, "officer").await;
    let (_, list) = a.head.get(&app, "/api/invites").await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (status, j) = b
        .head
        .send_json(&app, "DELETE", &format!("/api/invites/{id}"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&j).contains("this cluster has no invite"));
    let (status, _) = a
        .officer
        .send_json(&app, "DELETE", &format!("/api/invites/{id}"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The head's own invite cannot be withdrawn by the deputy.
    let head_invite = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["role"] == "head")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = a
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/invites/{head_invite}"),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = a
        .head
        .send_json(&app, "DELETE", &format!("/api/invites/{id}"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = a
        .head
        .send_json(&app, "DELETE", &format!("/api/invites/{id}"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "withdrawing twice is fine");
    let (_, list) = a.head.get(&app, "/api/invites").await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id.as_str() && i["revoked_at"].is_string()));
    let _ = a.head_code;
}

// ---- devices -----------------------------------------------------------------------------

#[tokio::test]
async fn devices_are_listed_and_revoked_by_managers() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let other = app.cluster("Khác").await;
    let (status, list) = c.head.get(&app, "/api/devices").await;
    assert_eq!(status, StatusCode::OK);
    let devices = list.as_array().unwrap();
    assert_eq!(devices.len(), 3);
    assert!(
        !list.to_string().contains(&c.officer.token),
        "tokens are never listed"
    );
    let officer = devices.iter().find(|d| d["role"] == "officer").unwrap();
    assert_eq!(officer["name"], "Điện thoại chị Lan");
    assert_eq!(officer["unit_id"], c.unit2.as_str());
    assert!(officer["last_seen_at"].is_string());

    let (status, _) = c.officer.get(&app, "/api/devices").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = c
        .officer
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", c.head.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another cluster's device is not found; the deputy cannot remove the head.
    let (status, j) = c
        .head
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", other.officer.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&j).contains("this cluster has no device"));
    let (status, j) = c
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", c.head.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message(&j).contains("only the cluster head may remove"));

    // Revoking the officer: its token stops working at once, others keep working.
    let (status, _) = c
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", c.officer.device),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, j) = c.officer.get(&app, "/api/snapshot").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(message(&j).contains("removed from the cluster"));
    let (status, _) = c.head.get(&app, "/api/snapshot").await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = c.head.get(&app, "/api/devices").await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == c.officer.device.as_str() && d["revoked_at"].is_string()));
    let (status, _) = other.officer.get(&app, "/api/snapshot").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn deleted_entries_by_officers_follow_ownership() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let mut e = entry(&unit, &camp);
    e.details = EntryDetails::Trees { count: 10 };
    let id = c.officer.put(e);
    c.officer.push(&app, &[&id]).await;
    let dev = c.officer.device.clone();
    c.officer
        .doc
        .delete(&id, &dev, Some(unit), Client::now())
        .unwrap();
    let (status, j) = c.officer.push(&app, &[&id]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    c.head.sync(&app).await;
    assert!(c.head.doc.get(&id).unwrap().is_deleted());
}

#[tokio::test]
async fn refusing_a_record_also_refuses_records_that_needed_it() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let mut bad = campaign();
    bad.title = String::new();
    let camp = c.head.put(bad);
    let unit = c.head.unit.clone();
    let e = c.head.put(entry(&unit, &camp));
    let ok = c.head.put(Unit {
        name: "Đơn vị mới".into(),
        kind: UnitKind::Enterprise,
    });
    let (status, j) = c.head.push(&app, &[&camp, &e, &ok]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"], json!([ok]));
    let rejected = j["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2);
    let reason_of = |id: &RecordId| {
        rejected.iter().find(|r| r["id"] == id.as_str()).unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(reason_of(&camp).contains("title is required"));
    assert!(reason_of(&e).contains("campaign refers to a record that does not exist"));
}

#[tokio::test]
async fn the_stored_document_matches_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("thidua.sqlite3");
    let app = TestApp::with_db_file(&db);
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let e = c.officer.put(entry(&unit, &camp));
    c.officer.push(&app, &[&e]).await;
    let mut x = campaign();
    x.slogan = "Mới".into();
    c.head.put_at(camp.clone(), x);
    c.head.push(&app, &[&camp]).await;

    let store = &app.state.store;
    let doc = store.document(c.id.clone()).await.unwrap();
    let snap = store.snapshot(c.id.clone()).await.unwrap();
    let (_, over_http) = c.officer.get(&app, "/api/snapshot").await;
    assert_eq!(
        Document::from_json(&over_http.to_string()).unwrap(),
        doc,
        "the snapshot's stored JSON is the document"
    );
    assert_eq!(over_http["cursor"], snap.cursor);
    let fresh = thidua_server::store::SqliteStore::open(&db).unwrap();
    let loaded = thidua_server::store::Store::document(&fresh, c.id.clone())
        .await
        .unwrap();
    let again = thidua_server::store::Store::snapshot(&fresh, c.id.clone())
        .await
        .unwrap();
    assert_eq!(doc, loaded);
    assert_eq!(snap.cursor, again.cursor);
    assert_eq!(loaded.len(), 7);
}

#[tokio::test]
async fn demo_loads_once_and_its_links_work() {
    let app = TestApp::new();
    let now = chrono::Utc::now();
    let first = thidua_server::cli::load_demo(app.state.store.as_ref(), now)
        .await
        .unwrap();
    assert!(first.created);
    let again = thidua_server::cli::load_demo(app.state.store.as_ref(), now)
        .await
        .unwrap();
    assert!(!again.created);
    let report = again.report("http://127.0.0.1:8080/");
    // The head's, an officer's and the federation board's.
    assert_eq!(
        report.matches("http://127.0.0.1:8080/join#").count(),
        3,
        "{report}"
    );
    let board = app.join_client(&again.board_code, "Máy Ban thi đua").await;
    assert_eq!(board.role, "board");
    let (s, dash) = board.get(&app, "/api/board/dashboard").await;
    assert_eq!(s, StatusCode::OK, "{dash}");
    let lines = dash["rollup"]["clusters"].as_array().unwrap();
    assert_eq!(lines.len(), 3, "Cluster No. 18 and two more");
    let waiting: usize = lines
        .iter()
        .map(|c| c["proposals_waiting"].as_array().unwrap().len())
        .sum();
    assert_eq!(waiting, 1, "one proposal sent up");
    assert!(
        lines
            .iter()
            .any(|c| !c["silent_units"].as_array().unwrap().is_empty()),
        "some units behind"
    );

    let head = app.join_client(&again.head_code, "Máy trưởng cụm").await;
    assert_eq!(head.role, "head");
    let mut officer = app.join_client(&first.officer_code, "Máy MEDLATEC").await;
    assert_eq!(officer.role, "officer");
    assert_eq!(officer.unit.as_str(), "medlatec");
    assert!(officer.doc.len() > 10);

    // The officer can report against the demo campaign.
    let campaign = RecordId::new("dot-95-ngay").unwrap();
    let unit = officer.unit.clone();
    let mut e = entry(&unit, &campaign);
    e.criterion = Some("van-the".into());
    e.details = EntryDetails::Event { participants: 300 };
    e.date = chrono::Utc::now().date_naive();
    let id = officer.put(e);
    let (status, j) = officer.push(&app, &[&id]).await;
    assert_eq!(status, StatusCode::OK, "{j}");
}

/// Pulls of recent changes are answered from memory; they must equal the database's answer
/// for every cursor and page size, including records changed several times.
#[tokio::test]
async fn pulls_from_memory_equal_pulls_from_the_database() {
    use std::sync::Arc;
    use thidua_server::store::{SqliteStore, Store};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("thidua.sqlite3")).unwrap();
    let app = TestApp {
        dist: dist(),
        state: thidua_server::AppState::new(Arc::new(store.clone()), dir.path()),
        data: tempfile::tempdir().unwrap(),
    };
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    c.head.push(&app, &[&camp]).await;
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let mut ids = Vec::new();
    for round in 0..12 {
        let mut push = Vec::new();
        for _ in 0..3 {
            ids.push(c.officer.put(entry(&unit, &camp)));
            push.push(ids.last().unwrap().clone());
        }
        // Edit earlier entries too, so that their older changes are superseded.
        let old = ids[(round * 5) % ids.len()].clone();
        let mut e = entry(&unit, &camp);
        e.title = format!("Sửa lần {round}");
        c.officer.put_at(old.clone(), e);
        push.push(old);
        let refs: Vec<&RecordId> = push.iter().collect();
        let (status, j) = c.officer.push(&app, &refs).await;
        assert_eq!(status, StatusCode::OK, "{j}");
    }
    let cursor = store.snapshot(c.id.clone()).await.unwrap().cursor;
    let mut from_memory = 0;
    for since in 0..=cursor + 1 {
        for limit in [1, 2, 3, 7, 500] {
            let a = Store::pull(&store, c.id.clone(), since, limit)
                .await
                .unwrap();
            let b = store.pull_stored(c.id.clone(), since, limit).await.unwrap();
            let what = format!("since {since} limit {limit}");
            assert_eq!(a.cursor, b.cursor, "{what}");
            assert_eq!(a.more, b.more, "{what}");
            assert_eq!(
                a.records.clone().into_chunks().concat(),
                b.records.clone().into_chunks().concat(),
                "{what}"
            );
            if store.pull_recent(&c.id, since, limit).is_some() {
                from_memory += 1;
            }
        }
    }
    // Everything after the first push is in memory; the cluster's first records are not.
    assert!(from_memory > 200, "{from_memory}");
    assert!(store.pull_recent(&c.id, 0, 10).is_none());
}
