//! Issue 12 ("Hardening"), the server's half: one test (or a few) per point, each able to fail
//! on the code before it.
//! - no single push stalls the others (its work grows with its size);
//! - removing a device can withdraw the invite it joined with; invites list their uses and
//!   state and can be limited in uses;
//! - records are created only under ids of the pushing device, never as a deletion;
//! - a version's claimed time is bounded by the server's clock;
//! - parallel join guesses are held to the limit, and a shared address still gets in;
//! - slow, idle and too many connections are cut or capped.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use common::*;
use serde_json::{json, Value};
use thidua_core::*;
use thidua_server::store::SqliteStore;
use thidua_server::{AppState, Settings};
use tower::ServiceExt as _;

// ---- no single request can stall everyone -------------------------------------------------

/// An entry of `unit` with a description that makes its record about 900 bytes.
fn long_entry(unit: &RecordId, camp: &RecordId, i: usize) -> Entry {
    let mut e = entry(unit, camp);
    e.title = format!("Tập huấn an toàn lao động số {i}");
    e.description = "Tổ chức lớp huấn luyện an toàn, vệ sinh lao động cho công nhân. ".repeat(9);
    e
}

/// Pushes `body` as `token` and returns (status, answer, seconds taken).
async fn timed_push(app: &TestApp, token: &str, body: Vec<u8>) -> (StatusCode, Value, f64) {
    let start = Instant::now();
    let res = app
        .send(raw_request("POST", "/api/sync/push", Some(token), body))
        .await;
    let status = res.status();
    let answer = body_json(res).await;
    (status, answer, start.elapsed().as_secs_f64())
}

/// The most a `records` array may hold for its push body to stay inside the body limit.
fn fill(records: impl Iterator<Item = Value>) -> Vec<u8> {
    let limit = thidua_server::BODY_LIMIT - 100;
    let mut body = br#"{"push_id":"big","records":["#.to_vec();
    let mut first = true;
    for r in records {
        let r = r.to_string();
        if body.len() + r.len() + 3 > limit {
            break;
        }
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(r.as_bytes());
    }
    body.extend_from_slice(b"]}");
    assert!(body.len() <= thidua_server::BODY_LIMIT);
    body
}

/// One version of a record as pushed, with its clock.
fn head(clock: Value, author: &DeviceId, unit: &RecordId, body: Value) -> Value {
    json!({"clock": clock, "author": author, "author_unit": unit,
           "at": "2024-05-01T08:00:00Z", "body": body})
}

/// Hostile bodies within every limit: the same id over and over with concurrent versions
/// (merged pairwise before, a quadratic normalisation each time), records at the version
/// bound with long concurrent clocks, and a record far over the version bound.
fn hostile_bodies(
    attacker: &Client,
    unit: &RecordId,
    camp: &RecordId,
) -> Vec<(&'static str, Vec<u8>)> {
    let me = &attacker.device;
    let body = serde_json::to_value(Body::Entry(entry(unit, camp))).unwrap();
    let id = RecordId::derive(me, 9_000);
    let repeated = fill((0..).map(|i| {
        let mut clock = serde_json::Map::new();
        clock.insert(me.to_string(), json!(1));
        clock.insert(format!("f{i}"), json!(1));
        json!({"id": id, "kind": "entry", "created_at": "2024-05-01T08:00:00Z",
               "heads": [head(Value::Object(clock), me, unit, Value::Null)]})
    }));
    let wide = fill((0..).map(|r| {
        let heads: Vec<Value> = (0..thidua_server::sync::MAX_PUSH_HEADS)
            .map(|h| {
                let mut clock = serde_json::Map::new();
                clock.insert(me.to_string(), json!(1));
                for d in 0..40 {
                    clock.insert(format!("d{d}"), json!(if d == h % 40 { 2 } else { 1 }));
                }
                clock.insert(format!("h{h}"), json!(1));
                head(Value::Object(clock), me, unit, body.clone())
            })
            .collect();
        json!({"id": RecordId::derive(me, 10_000 + r), "kind": "entry",
               "created_at": "2024-05-01T08:00:00Z", "heads": heads})
    }));
    let heads: Vec<Value> = (0..3000)
        .map(|h| {
            head(
                json!({ me.to_string(): 1, format!("x{h}"): 1 }),
                me,
                unit,
                Value::Null,
            )
        })
        .collect();
    let over = fill(std::iter::once(json!({
        "id": RecordId::derive(me, 20_000), "kind": "entry",
        "created_at": "2024-05-01T08:00:00Z", "heads": heads
    })));
    vec![("repeated id", repeated), ("wide", wide), ("over", over)]
}

/// The worst bodies the limits allow hold another device's push up no longer than an honest
/// push of the same size does (a ratio, measured in this test, never an absolute time).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worst_case_push_does_not_hold_up_another_devices_push() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    let (s, _) = c.head.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::OK);
    let unit = c.unit2.clone();
    let code = app.invite(&c.head, &unit, "officer").await;
    let mut honest = app.join_client(&code, "Máy trung thực").await;
    let mut other = app.join_client(&code, "Máy khác").await;

    // An honest push of about the body limit: the yardstick.
    let mut honest_times = Vec::new();
    for round in 0..3 {
        let ids: Vec<RecordId> = (0..5000)
            .map(|i| honest.put(long_entry(&unit, &camp, round * 5000 + i)))
            .collect();
        let refs: Vec<&RecordId> = ids.iter().collect();
        let body = fill(honest.records(&refs).as_array().unwrap().iter().cloned());
        let (status, j, secs) = timed_push(&app, &honest.token, body).await;
        assert_eq!(status, StatusCode::OK, "{j}");
        assert!(j["accepted"].as_array().unwrap().len() > 500, "a full push");
        honest_times.push(secs);
    }
    honest_times.sort_by(f64::total_cmp);
    let normal = honest_times[1];

    for (name, body) in hostile_bodies(&c.officer, &unit, &camp) {
        let hostile = {
            let request = raw_request("POST", "/api/sync/push", Some(&c.officer.token), body);
            let router = app.router();
            tokio::spawn(async move {
                let start = Instant::now();
                let res = router.oneshot(request).await.unwrap();
                let status = res.status();
                let answer = body_json(res).await;
                (status, answer, start.elapsed().as_secs_f64())
            })
        };
        // Meanwhile another device pushes one entry, again and again, until it is over.
        let mut worst: f64 = 0.0;
        let mut pushes = 0;
        loop {
            let e = other.put(entry(&unit, &camp));
            let start = Instant::now();
            let wait = Duration::from_secs_f64(normal * 10.0);
            let answered = tokio::time::timeout(wait, other.push(&app, &[&e])).await;
            let secs = start.elapsed().as_secs_f64();
            let (status, j) = answered.unwrap_or_else(|_| {
                panic!("{name}: a concurrent push was not answered within 10 honest pushes' time")
            });
            assert_eq!(status, StatusCode::OK, "{j}");
            worst = worst.max(secs);
            pushes += 1;
            if hostile.is_finished() || pushes > 50 {
                break;
            }
        }
        let (status, j, hostile_secs) = hostile.await.unwrap();
        let ratio = worst / normal;
        println!(
            "{name}: answered {status} in {hostile_secs:.3} s; another device's push took at \
             most {worst:.3} s = {ratio:.2} × an honest full push ({normal:.3} s)"
        );
        assert!(status.is_client_error(), "{name}: {status} {j}");
        assert!(
            ratio < 3.0,
            "{name}: another device waited {ratio:.1} honest pushes"
        );
        // Its own answer (parsing, mostly, outside the write path) costs a bounded multiple
        // of an honest push of its size: more small records or longer clocks to read. The
        // bound is loose because the other tests of this file share the two cores meanwhile
        // (it once read 10× under a full `cargo test`); quadratic work was minutes.
        assert!(
            hostile_secs / normal < 25.0,
            "{name}: took {hostile_secs:.3} s against {normal:.3} s for an honest push"
        );
    }
}

// ---- removing a person keeps them out -----------------------------------------------------

async fn invites_of(app: &TestApp, by: &Client, unit: &RecordId) -> Vec<Value> {
    let (s, list) = by.get(app, &format!("/api/invites?unit_id={unit}")).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn removing_a_device_can_withdraw_its_invite_so_the_same_link_no_longer_joins() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let unit = c.unit2.clone();
    let (s, created) = c
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": unit, "role": "officer"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (invite, code) = (
        created["id"].as_str().unwrap().to_owned(),
        created["code"].as_str().unwrap().to_owned(),
    );
    let phone = app.join_client(&code, "Điện thoại anh Minh").await;
    let (_, devices) = c.head.get(&app, "/api/devices").await;
    let listed = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == phone.device.as_str())
        .unwrap();
    assert_eq!(listed["invite_id"], invite.as_str(), "{listed}");

    // Removed without withdrawing: the same link lets the person straight back in.
    let (s, removed) = c
        .head
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", phone.device),
            &Value::Null,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{removed}");
    assert_eq!(removed["invite_id"], invite.as_str());
    assert_eq!(removed["invite_withdrawn"], false);
    let back = app.join_client(&code, "Điện thoại anh Minh").await;

    // Removed with its invite withdrawn and a fresh one for the unit's others.
    let (s, removed) = c
        .head
        .send_json(
            &app,
            "DELETE",
            &format!(
                "/api/devices/{}?withdraw_invite=true&replace_invite=true",
                back.device
            ),
            &Value::Null,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{removed}");
    assert_eq!(removed["device_id"], back.device.as_str());
    assert_eq!(removed["invite_id"], invite.as_str());
    assert_eq!(removed["invite_withdrawn"], true);
    let fresh = removed["new_invite"]["code"].as_str().unwrap().to_owned();
    assert_eq!(removed["new_invite"]["unit_id"], unit.as_str());
    assert_eq!(removed["new_invite"]["role"], "officer");
    let (s, j) = app.join(&code, "Điện thoại anh Minh").await;
    assert_eq!(s, StatusCode::GONE, "{j}");
    assert_eq!(j["error"], "invite_withdrawn");
    let colleague = app.join_client(&fresh, "Máy chị Hoa").await;
    assert_eq!(colleague.unit, unit);
    let (s, _) = back.get(&app, "/api/snapshot").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let listed = invites_of(&app, &c.head, &unit).await;
    let old = listed.iter().find(|i| i["id"] == invite.as_str()).unwrap();
    assert_eq!(old["state"], "withdrawn", "{old}");
    assert_eq!(old["uses"], 2);
    assert!(old["revoked_at"].is_string() && old["expires_at"].is_string());
    let new = listed
        .iter()
        .find(|i| i["id"] == removed["new_invite"]["id"])
        .unwrap();
    assert_eq!(
        (new["state"].clone(), new["uses"].clone()),
        (json!("active"), json!(1))
    );
    assert!(listed.iter().all(|i| i["unit_id"] == unit.as_str()));

    // A deputy cannot withdraw a head's invite through removing a head device.
    let head_code = app.invite(&c.head, &c.head.unit, "head").await;
    let second = app.join_client(&head_code, "Máy thứ hai").await;
    let (s, _) = c
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}?withdraw_invite=true", second.device),
            &Value::Null,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        app.join(&head_code, "Máy thứ ba").await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_invite_limited_in_uses_refuses_the_next_join() {
    let app = TestApp::new();
    let c = app.cluster("Cụm").await;
    let (s, created) = c
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit2, "role": "officer", "max_uses": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["max_uses"], 2);
    let code = created["code"].as_str().unwrap();
    app.join_client(code, "Máy 1").await;
    let listed = invites_of(&app, &c.head, &c.unit2).await;
    let i = listed.iter().find(|i| i["id"] == created["id"]).unwrap();
    assert_eq!(
        (i["uses"].clone(), i["state"].clone()),
        (json!(1), json!("active"))
    );
    app.join_client(code, "Máy 2").await;
    let (s, j) = app.join(code, "Máy 3").await;
    assert_eq!(s, StatusCode::GONE, "{j}");
    assert_eq!(j["error"], "invite_used_up");
    assert!(j["message"].as_str().unwrap().contains("new link"));
    let listed = invites_of(&app, &c.head, &c.unit2).await;
    let i = listed.iter().find(|i| i["id"] == created["id"]).unwrap();
    assert_eq!(
        (i["uses"].clone(), i["max_uses"].clone(), i["state"].clone()),
        (json!(2), json!(2), json!("used_up"))
    );
    for bad in [0, 1001] {
        let (s, _) = c
            .head
            .send_json(
                &app,
                "POST",
                "/api/invites",
                &json!({"unit_id": c.unit2, "role": "officer", "max_uses": bad}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
}

// ---- nobody writes in another's name ------------------------------------------------------

/// A record whose only version is a deletion, as a device would push it.
fn tombstone(dev: &Client, id: &RecordId, kind: &str) -> Value {
    json!({"id": id, "kind": kind, "created_at": "2024-05-01T08:00:00Z",
           "heads": [head(json!({ dev.device.to_string(): 1 }), &dev.device, &dev.unit, Value::Null)]})
}

#[tokio::test]
async fn records_are_created_only_under_the_pushing_devices_ids_and_never_as_a_deletion() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    assert_eq!(c.head.push(&app, &[&camp]).await.0, StatusCode::OK);
    c.officer.sync(&app).await;

    // The officer plants a deletion under the id the head's device will use next.
    let heads_next = c.head.id();
    let (s, j) = c
        .officer
        .push_raw(
            &app,
            &json!({"push_id": "plant", "records": [tombstone(&c.officer, &heads_next, "campaign")]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["rejected"][0]["code"], "forbidden");
    assert!(
        first_refusal(&j).contains("ids made from its own device id"),
        "{j}"
    );
    // ...so the head's campaign under that id arrives and shows.
    c.head.put_at(heads_next.clone(), campaign());
    let (s, j) = c.head.push(&app, &[&heads_next]).await;
    assert_eq!(
        (s, j["accepted"][0].clone()),
        (StatusCode::OK, json!(heads_next))
    );

    // Not even the head may create under another device's id, deletion or not.
    let officers_next = c.officer.id();
    let (s, j) = c
        .head
        .push_raw(
            &app,
            &json!({"push_id": "plant2", "records": [tombstone(&c.head, &officers_next, "entry")]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    let unit = c.officer.unit.clone();
    c.officer.put_at(officers_next.clone(), entry(&unit, &camp));
    let (s, j) = c.officer.push(&app, &[&officers_next]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    c.head.put_at(RecordId::new("dot-moi").unwrap(), campaign());
    let (s, j) = c
        .head
        .push(&app, &[&RecordId::new("dot-moi").unwrap()])
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an id no device mints: {j}"
    );

    // A deletion as a new record's first version, under the device's own id and of a kind the
    // officer may not write: accepted (created and deleted offline), and nothing is stored.
    let own = c.officer.id();
    let (s, j) = c
        .officer
        .push_raw(
            &app,
            &json!({"push_id": "gone", "records": [tombstone(&c.officer, &own, "campaign")]}),
        )
        .await;
    assert_eq!(
        (s, j["accepted"][0].clone()),
        (StatusCode::OK, json!(own)),
        "{j}"
    );
    c.head.sync(&app).await;
    assert!(c.head.doc.get(&own).is_none(), "no record was planted");

    // Records the server made itself (create-cluster) stay editable by the head.
    let cluster = c.head.doc.get(&c.id).unwrap().clone();
    let Some(Body::Cluster(mut body)) = cluster.body().cloned() else {
        panic!("cluster record")
    };
    body.name = "Cụm thi đua số 18".into();
    c.head.put_at(c.id.clone(), body);
    let (s, j) = c.head.push(&app, &[&c.id.clone()]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
}

// ---- a phone's claimed time cannot make it win ---------------------------------------------

#[tokio::test]
async fn a_restored_backup_sends_the_old_phones_results_once_and_only_within_its_unit() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    assert_eq!(c.head.push(&app, &[&camp]).await.0, StatusCode::OK);
    c.officer.sync(&app).await;
    // The officer's phone saves a result it never sends, and the backup goes to a new phone
    // of the same unit, which joins with a fresh invite (a backup carries no token).
    let unit = c.officer.unit.clone();
    let result = c.officer.put(entry(&unit, &camp));
    let code = app.invite(&c.head, &unit, "officer").await;
    let mut new_phone = app.join_client(&code, "Điện thoại mới của chị Lan").await;
    new_phone.sync(&app).await;
    // The new phone sends it under its id, as its own version of it: it may not claim the old
    // phone's writes (a version's clock never speaks for another device).
    let body = c.officer.doc.get_entry(&result).unwrap().clone();
    new_phone.put_at(result.clone(), body);
    let (s, j) = new_phone.push(&app, &[&result]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    assert_eq!(j["accepted"], json!([result]), "{j}");
    // The old phone turns up and sends it too: still one result (one id), its two versions
    // saying the same.
    let (s, j) = c.officer.push(&app, &[&result]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    c.head.sync(&app).await;
    let entries: Vec<_> = c
        .head
        .doc
        .entries()
        .filter(|(_, e)| e.unit == unit)
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let heads = &c.head.doc.get(&result).unwrap().heads;
    assert!(heads.iter().all(|h| h.body == heads[0].body), "{heads:?}");
    // A device of another unit may not create under the officer's ids.
    let officers_next = c.officer.id();
    let deputy_unit = c.deputy.unit.clone();
    c.deputy
        .put_at(officers_next.clone(), entry(&deputy_unit, &camp));
    let (s, j) = c.deputy.push(&app, &[&officers_next]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["rejected"][0]["code"], "forbidden");
}

#[tokio::test]
async fn a_far_future_time_does_not_keep_a_version_on_top() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let camp = c.head.put(campaign());
    assert_eq!(c.head.push(&app, &[&camp]).await.0, StatusCode::OK);
    c.officer.sync(&app).await;
    let unit = c.officer.unit.clone();
    let e = c.officer.put(entry(&unit, &camp));
    assert_eq!(c.officer.push(&app, &[&e]).await.0, StatusCode::OK);
    c.head.sync(&app).await;

    // The officer, without the head's coming deletion, edits claiming the year 9999...
    let far = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
    let mut edited = entry(&unit, &camp);
    edited.title = "Sống lại".into();
    c.officer.doc.put(
        e.clone(),
        edited.into(),
        &c.officer.device,
        Some(unit.clone()),
        far,
    );
    let before = Utc::now();
    let (s, j) = c.officer.push(&app, &[&e]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    let stored = app
        .state
        .store
        .record(c.id.clone(), e.clone())
        .await
        .unwrap()
        .unwrap();
    let at = stored.winner().unwrap().at;
    assert!(
        at >= before && at <= Utc::now(),
        "bounded to the server's clock: {at}"
    );

    // ...then the head deletes the entry, later in real time: the deletion shows.
    c.head
        .doc
        .delete(&e, &c.head.device, Some(c.head.unit.clone()), Utc::now())
        .unwrap();
    let (s, j) = c.head.push(&app, &[&e]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    c.head.sync(&app).await;
    let r = c.head.doc.get(&e).unwrap();
    assert!(r.is_deleted(), "the later deletion wins: {r:?}");
    assert_eq!(
        r.heads.len(),
        2,
        "the officer's version is kept as a conflict"
    );

    // The officer's own copy (still claiming 9999) is the version the server has.
    let cursor = c.head.get(&app, "/api/sync/pull?since=0").await.1["cursor"].clone();
    let (s, j) = c.officer.push(&app, &[&e]).await;
    assert_eq!(
        (s, j["accepted"][0].clone()),
        (StatusCode::OK, json!(e)),
        "{j}"
    );
    assert_eq!(j["cursor"], cursor, "nothing changed");

    // A phone whose clock is simply wrong loses no entry.
    let late = c.officer.id();
    c.officer.doc.put(
        late.clone(),
        entry(&unit, &camp).into(),
        &c.officer.device,
        Some(unit.clone()),
        Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap(),
    );
    let (s, j) = c.officer.push(&app, &[&late]).await;
    assert_eq!(
        (s, j["accepted"][0].clone()),
        (StatusCode::OK, json!(late)),
        "{j}"
    );
}

// ---- the join rate limit holds under parallel guesses -------------------------------------

/// `n` wrong codes at once from one address: (looked at and refused, rate limited, seconds).
async fn parallel_guesses(app: &TestApp, n: usize) -> (usize, usize, f64) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let router = app.router();
            let request = json_request(
                "POST",
                "/api/join",
                None,
                &json!({"code": format!("wrong-{i}"), "device_name": "Máy"}),
            );
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    let (mut refused, mut limited) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::FORBIDDEN => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    (refused, limited, start.elapsed().as_secs_f64())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_join_guesses_are_held_to_the_limit() {
    let app = TestApp::new();
    let (_, code) = app.create_cluster("Cụm").await;
    let (refused, limited, secs) = parallel_guesses(&app, 30).await;
    // 10 at once, then one per 6 s (a slow machine may have let one more through).
    let allowed = 10 + (secs / 6.0).ceil() as usize;
    assert!(
        (10..=allowed).contains(&refused) && refused + limited == 30,
        "{refused} of 30 parallel codes were looked at, the limit is 10"
    );
    // Even the right code waits for the next slot (6 s after the last failure).
    let res = app
        .send(json_request(
            "POST",
            "/api/join",
            None,
            &json!({"code": code, "device_name": "Máy"}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header(&res, "retry-after").parse().unwrap();
    assert!((1..=6).contains(&wait), "{wait}");
}

/// An office behind one address where people mistyped: a correct code gets in once the next
/// slot comes, seconds later, not after a minute of lockout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_address_gets_in_with_a_correct_code_after_failures() {
    let dist = dist();
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let settings = Settings {
        join_attempts_per_minute: 60,
        ..Settings::default()
    };
    let app = TestApp {
        state: AppState::with_settings(store, dist.path(), settings),
        dist,
        data: tempfile::tempdir().unwrap(),
    };
    let (_, code) = app.create_cluster("Cụm").await;
    let (refused, limited, secs) = parallel_guesses(&app, 70).await;
    assert!(refused >= 60 && refused <= 60 + secs.ceil() as usize && limited > 0);
    // The right code: at most one short wait (a minute's lockout before).
    let mut tries = 0;
    loop {
        tries += 1;
        let res = app
            .send(json_request(
                "POST",
                "/api/join",
                None,
                &json!({"code": code, "device_name": "Máy trưởng cụm"}),
            ))
            .await;
        if res.status() == StatusCode::CREATED {
            break;
        }
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = header(&res, "retry-after").parse().unwrap();
        assert_eq!(wait, 1, "one attempt a second at 60 a minute");
        assert!(tries < 3, "still locked out");
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
}

// ---- slow or idle connections are cut -----------------------------------------------------

mod sockets {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpStream;

    struct Server {
        addr: std::net::SocketAddr,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        task: tokio::task::JoinHandle<std::io::Result<()>>,
        _dist: tempfile::TempDir,
    }

    async fn start(max_connections: usize) -> Server {
        let dist = dist();
        let store = Arc::new(SqliteStore::open_in_memory().unwrap());
        let settings = Settings {
            limits: thidua_server::net::Limits {
                max_connections,
                header_timeout: Duration::from_millis(400),
                request_timeout: Duration::from_millis(800),
            },
            ..Settings::default()
        };
        let state = AppState::with_settings(store, dist.path(), settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(thidua_server::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
            _dist: dist,
        }
    }

    impl Server {
        async fn stop(mut self) {
            if let Some(s) = self.stop.take() {
                let _ = s.send(());
            }
            self.task.await.unwrap().unwrap();
        }
    }

    /// Reads until the server closes the connection; what it sent. Fails if it never does.
    async fn read_until_closed(s: &mut TcpStream) -> String {
        let mut out = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut out)).await;
        assert!(read.is_ok(), "the server kept the connection open");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_headers_idle_keep_alive_and_slow_bodies_are_cut() {
        let server = start(64).await;
        // Headers that never end.
        let mut slow = TcpStream::connect(server.addr).await.unwrap();
        slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        read_until_closed(&mut slow).await;

        // A kept-alive connection left idle after one answer.
        let mut idle = TcpStream::connect(server.addr).await.unwrap();
        idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let answer = read_until_closed(&mut idle).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

        // A body that trickles: 408.
        let mut body = TcpStream::connect(server.addr).await.unwrap();
        body.write_all(
            b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"code\":",
        )
        .await
        .unwrap();
        let answer = read_until_closed(&mut body).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("\"error\":\"request_timeout\""), "{answer}");
        server.stop().await;
    }

    /// Server-side sockets of `port` this process has accepted (ESTABLISHED, with an inode:
    /// connections still in the listen backlog have none).
    fn accepted(port: u16) -> usize {
        let tcp = std::fs::read_to_string("/proc/self/net/tcp").unwrap();
        tcp.lines()
            .skip(1)
            .filter(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let local_port = f[1]
                    .rsplit(':')
                    .next()
                    .and_then(|p| u16::from_str_radix(p, 16).ok());
                local_port == Some(port) && f[3] == "01" && f[9] != "0"
            })
            .count()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg(target_os = "linux")]
    async fn hundreds_of_silent_sockets_hold_at_most_the_cap() {
        let cap = 8;
        let server = start(cap).await;
        let mut silent = Vec::new();
        for i in 0..300 {
            let s = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(server.addr))
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "connect {i} timed out; {} accepted",
                        accepted(server.addr.port())
                    )
                })
                .unwrap();
            silent.push(s);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let most = accepted(server.addr.port());
        assert!(most <= cap, "{most} connections accepted, the cap is {cap}");
        // The silent ones are cut in turn, so a real request still gets its answer.
        let client = reqwest::Client::new();
        let res = tokio::time::timeout(
            Duration::from_secs(120),
            client
                .get(format!("http://{}/api/health", server.addr))
                .send(),
        )
        .await
        .expect("answered once the silent sockets were cut")
        .unwrap();
        assert_eq!(res.status(), 200);
        assert!(accepted(server.addr.port()) <= cap);
        drop(silent);
        server.stop().await;
    }
}
