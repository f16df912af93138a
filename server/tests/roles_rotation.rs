//! Rights follow the cluster's `Roles` records, through the real router: once the head records
//! a rotation, the new head unit's devices manage the cluster whatever their invite said and
//! the old head's become officers; only the head may change who is head; without roles
//! recorded for the cluster's year the invites' roles apply.
#![allow(clippy::unwrap_used)]
mod common;

use chrono::{TimeZone, Utc};
use common::*;
use serde_json::{json, Value};
use thidua_core::*;

/// Pushes `ids` and expects every one accepted.
async fn accepted(client: &mut Client, app: &TestApp, ids: &[&RecordId]) {
    let (status, j) = client.push(app, ids).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["rejected"], json!([]), "{j}");
    assert_eq!(j["accepted"].as_array().unwrap().len(), ids.len(), "{j}");
}

/// Pushes `ids` and expects every one refused as forbidden; returns the answer.
async fn forbidden(client: &mut Client, app: &TestApp, ids: &[&RecordId]) -> Value {
    let (status, j) = client.push(app, ids).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    let rejected = j["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), ids.len(), "{j}");
    assert!(rejected.iter().all(|r| r["code"] == "forbidden"), "{j}");
    j
}

fn review(doc: &Document, entry: &RecordId) -> Review {
    Review {
        entry: entry.clone(),
        entry_clock: doc.get(entry).unwrap().clock(),
        decision: ReviewDecision::Approve,
    }
}

/// The cluster's roles record, as `create-cluster` made it (call while it is the only one).
fn roles_id(doc: &Document) -> RecordId {
    let mut all = doc.roles().map(|(id, _)| id.clone());
    let id = all.next().unwrap();
    assert!(all.next().is_none(), "more than one roles record");
    id
}

/// Rewrites the roles record `id` (as the app's roles screen does).
fn set_roles(
    client: &mut Client,
    id: &RecordId,
    year: i32,
    head: &RecordId,
    deputy: Option<&RecordId>,
) -> RecordId {
    let id = id.clone();
    client.put_at(
        id.clone(),
        Roles {
            year,
            head: head.clone(),
            deputy: deputy.cloned(),
        },
    );
    id
}

/// Moves the cluster record to `year`.
fn set_year(client: &mut Client, year: i32) -> RecordId {
    let id = client.cluster.clone();
    let mut cluster = client.doc.get_cluster(&id).unwrap().clone();
    cluster.year = year;
    client.put_at(id.clone(), cluster);
    id
}

#[tokio::test]
async fn a_recorded_rotation_moves_head_rights_to_the_new_unit() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let roles_rec = roles_id(&c.head.doc);
    let unit_b = c.officer.unit.clone();
    assert_eq!(c.officer.role, "officer");
    let camp = c.head.put(campaign());
    accepted(&mut c.head, &app, &[&camp]).await;
    c.officer.sync(&app).await;
    let e = c.officer.put(entry(&unit_b, &camp));
    accepted(&mut c.officer, &app, &[&e]).await;

    // Before the rotation unit B's officer reviews nothing and manages nothing.
    let r = c.officer.put(review(&c.officer.doc, &e));
    forbidden(&mut c.officer, &app, &[&r]).await;
    let (s, _) = c.officer.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The head records unit B as head for the cluster's year (2024), in the same push as a
    // new campaign: both are judged by the rights the head had before the push.
    c.head.sync(&app).await;
    let head_unit = c.head.unit.clone();
    let roles = set_roles(&mut c.head, &roles_rec, 2024, &unit_b, Some(&head_unit));
    let camp2 = c.head.put(campaign());
    accepted(&mut c.head, &app, &[&roles, &camp2]).await;

    // Now the officer-invited device of unit B approves entries and writes campaigns...
    c.officer.sync(&app).await;
    let r = c.officer.put(review(&c.officer.doc, &e));
    let mut by_b = campaign();
    by_b.title = "Phong trào của trưởng cụm mới".into();
    let camp3 = c.officer.put(by_b);
    accepted(&mut c.officer, &app, &[&r, &camp3]).await;
    c.officer.sync(&app).await;
    assert_eq!(
        entry_status(&c.officer.doc, &e),
        EntryStatus::Approved,
        "the new head's approval counts"
    );
    // ...and runs the cluster's invites and devices, head invites included.
    for path in ["/api/invites", "/api/devices"] {
        let (s, j) = c.officer.get(&app, path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {j}");
    }
    app.invite(&c.officer, &c.unit3, "head").await;

    // The old head's device (a head invite) is a deputy now, as the roles say: it manages
    // the cluster but can no longer give head access or change who is head.
    let (s, _) = c.head.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::OK);
    let (s, j) = c
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": c.unit3, "role": "head"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{j}");
    c.head.sync(&app).await;
    let back = set_roles(&mut c.head, &roles_rec, 2024, &head_unit, Some(&unit_b));
    let j = forbidden(&mut c.head, &app, &[&back]).await;
    assert!(first_refusal(&j).contains("only the cluster head"), "{j}");

    // Once the new head drops it as deputy too, the old head unit is an officer like any.
    c.officer.sync(&app).await;
    let roles = set_roles(&mut c.officer, &roles_rec, 2024, &unit_b, Some(&c.unit3));
    accepted(&mut c.officer, &app, &[&roles]).await;
    c.head.sync(&app).await;
    let mut old = campaign();
    old.title = "Phong trào cũ".into();
    let camp4 = c.head.put(old);
    forbidden(&mut c.head, &app, &[&camp4]).await;
    let r = c.head.put(review(&c.head.doc, &e));
    forbidden(&mut c.head, &app, &[&r]).await;
    let (s, j) = c.head.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{j}");
    let message = j["message"].as_str().unwrap();
    assert!(message.contains("unit officer"), "{j}");
    assert!(message.contains("roles for 2024"), "{j}");
    // It still reports for its own unit.
    let own = c.head.put(entry(&head_unit, &camp));
    accepted(&mut c.head, &app, &[&own]).await;
    // And the device of unit C (a deputy invite) is deputy again, as the roles say.
    let (s, _) = c.deputy.get(&app, "/api/devices").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn roles_follow_the_clusters_year() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let (head_unit, unit_c) = (c.head.unit.clone(), c.unit3.clone());
    // Next year's roles, recorded ahead: nothing changes while the cluster is in 2024.
    let next = c.head.put(Roles {
        year: 2025,
        head: unit_c.clone(),
        deputy: None,
    });
    accepted(&mut c.head, &app, &[&next]).await;
    let camp = c.head.put(campaign());
    accepted(&mut c.head, &app, &[&camp]).await;
    // The head moves the cluster to 2025: unit C heads it, the old head unit is an officer.
    let year = set_year(&mut c.head, 2025);
    accepted(&mut c.head, &app, &[&year]).await;
    let mut again = campaign();
    again.title = "Năm 2025".into();
    let camp2 = c.head.put(again);
    forbidden(&mut c.head, &app, &[&camp2]).await;
    c.deputy.sync(&app).await;
    let code = app.invite(&c.deputy, &head_unit, "officer").await;
    assert!(!code.is_empty());
    let back = set_year(&mut c.deputy, 2024);
    let mut by_c = campaign();
    by_c.title = "Đợt thi đua 2025".into();
    let camp3 = c.deputy.put(by_c);
    accepted(&mut c.deputy, &app, &[&camp3]).await;
    // The new head may move the year back (and so hand the cluster back to 2024's roles).
    accepted(&mut c.deputy, &app, &[&back]).await;
    let (s, _) = c.head.get(&app, "/api/devices").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_deputy_cannot_name_a_new_head() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let roles_rec = roles_id(&c.head.doc);
    let (head_unit, unit_b, unit_c) = (c.head.unit.clone(), c.unit2.clone(), c.unit3.clone());
    assert_eq!(c.deputy.role, "deputy");
    c.deputy.sync(&app).await;

    // Not itself, not another unit; not by rewriting the roles, nor in a new record, nor for
    // next year; not by deleting the roles in force, nor by moving the cluster's year.
    let me = set_roles(&mut c.deputy, &roles_rec, 2024, &unit_c, None);
    forbidden(&mut c.deputy, &app, &[&me]).await;
    c.deputy.sync(&app).await;
    let other = set_roles(&mut c.deputy, &roles_rec, 2024, &unit_b, Some(&unit_c));
    forbidden(&mut c.deputy, &app, &[&other]).await;
    c.deputy.sync(&app).await;
    let fresh = c.deputy.put(Roles {
        year: 2024,
        head: unit_c.clone(),
        deputy: None,
    });
    let ahead = c.deputy.put(Roles {
        year: 2025,
        head: unit_c.clone(),
        deputy: None,
    });
    forbidden(&mut c.deputy, &app, &[&fresh, &ahead]).await;
    let roles = roles_rec.clone();
    let (device, unit) = (c.deputy.device.clone(), c.deputy.unit.clone());
    c.deputy
        .doc
        .delete(&roles, &device, Some(unit.clone()), Client::now())
        .unwrap();
    forbidden(&mut c.deputy, &app, &[&roles]).await;
    c.deputy.sync(&app).await;
    let year = set_year(&mut c.deputy, 2030);
    let j = forbidden(&mut c.deputy, &app, &[&year]).await;
    assert!(first_refusal(&j).contains("year"), "{j}");

    // Nor by two deletions that each alone would leave the other record in force.
    c.head.sync(&app).await;
    let older = c.head.id();
    let (hd, hu) = (c.head.device.clone(), c.head.unit.clone());
    c.head.doc.put(
        older.clone(),
        Roles {
            year: 2024,
            head: head_unit.clone(),
            deputy: Some(unit_c.clone()),
        }
        .into(),
        &hd,
        Some(hu),
        Utc.with_ymd_and_hms(2024, 1, 2, 8, 0, 0).unwrap(),
    );
    accepted(&mut c.head, &app, &[&older]).await;
    c.deputy.sync(&app).await;
    for id in [&roles, &older] {
        c.deputy
            .doc
            .delete(id, &device, Some(unit.clone()), Client::now())
            .unwrap();
    }
    let j = forbidden(&mut c.deputy, &app, &[&roles, &older]).await;
    assert!(first_refusal(&j).contains("together"), "{j}");
    // Deleting the superseded one alone is fine: the head in force stays.
    c.deputy.sync(&app).await;
    c.deputy
        .doc
        .delete(&older, &device, Some(unit.clone()), Client::now())
        .unwrap();
    accepted(&mut c.deputy, &app, &[&older]).await;

    // Nor an invite or a device removal that gives or takes head access: an officer invite
    // for the head's unit makes a head, so does a device of it.
    let (s, j) = c
        .deputy
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": head_unit, "role": "officer"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{j}");
    let code = app.invite(&c.head, &head_unit, "officer").await;
    let second = app.join_client(&code, "Máy văn phòng").await;
    let (s, j) = c
        .deputy
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", second.device),
            &Value::Null,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{j}");

    // The head is still head.
    c.head.sync(&app).await;
    let camp = c.head.put(campaign());
    accepted(&mut c.head, &app, &[&camp]).await;
    let s = c.head.doc.get_roles(&roles).unwrap();
    assert_eq!((&s.head, s.deputy.as_ref()), (&head_unit, Some(&unit_c)));

    // What a deputy may do: hand the deputy's seat on, under the same head. Its device is then
    // an officer, and unit B's officer a deputy.
    c.deputy.sync(&app).await;
    let handed = set_roles(&mut c.deputy, &roles_rec, 2024, &head_unit, Some(&unit_b));
    accepted(&mut c.deputy, &app, &[&handed]).await;
    let (s, _) = c.deputy.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = c.officer.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn without_roles_for_the_year_invite_roles_apply() {
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let head_unit = c.head.unit.clone();
    // A second device of the head's unit, with an officer invite: a head while the roles say
    // the unit heads the cluster.
    let code = app.invite(&c.head, &head_unit, "officer").await;
    let mut clerk = app.join_client(&code, "Máy văn thư").await;
    assert_eq!(clerk.role, "officer");
    let camp = clerk.put(campaign());
    accepted(&mut clerk, &app, &[&camp]).await;
    // A deputy invite for unit B, which the roles do not name: an officer for now.
    let code = app.invite(&c.head, &c.unit2, "deputy").await;
    let mut b_deputy = app.join_client(&code, "Máy phó cụm mới").await;
    let mut t = campaign();
    t.title = "Phó cụm chưa được ghi".into();
    let camp2 = b_deputy.put(t);
    forbidden(&mut b_deputy, &app, &[&camp2]).await;

    // The head moves the cluster to a year with no roles recorded: every invite's role applies.
    c.head.sync(&app).await;
    let year = set_year(&mut c.head, 2026);
    accepted(&mut c.head, &app, &[&year]).await;
    let (s, _) = c.head.get(&app, "/api/devices").await;
    assert_eq!(s, StatusCode::OK, "a head invite: head");
    accepted(&mut b_deputy, &app, &[&camp2]).await;
    let (s, _) = b_deputy.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::OK, "a deputy invite: deputy");
    clerk.sync(&app).await;
    let mut t = campaign();
    t.title = "Văn thư".into();
    let camp3 = clerk.put(t);
    forbidden(&mut clerk, &app, &[&camp3]).await;
    let (s, _) = clerk.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an officer invite: officer");
    let (s, _) = c.officer.get(&app, "/api/invites").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A deputy by invite may not record roles for the year (that names a head)...
    b_deputy.sync(&app).await;
    let named = b_deputy.put(Roles {
        year: 2026,
        head: head_unit.clone(),
        deputy: Some(c.unit2.clone()),
    });
    forbidden(&mut b_deputy, &app, &[&named]).await;
    // ...the head by invite may, and from then on the roles decide.
    let named = c.head.put(Roles {
        year: 2026,
        head: c.unit2.clone(),
        deputy: None,
    });
    accepted(&mut c.head, &app, &[&named]).await;
    let (s, _) = c.head.get(&app, "/api/devices").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = c.officer.get(&app, "/api/devices").await;
    assert_eq!(s, StatusCode::OK);

    // The same when the roles record of the year is deleted.
    let app = TestApp::new();
    let mut c = app.cluster("Cụm").await;
    let roles = roles_id(&c.head.doc);
    let (device, unit) = (c.head.device.clone(), c.head.unit.clone());
    c.head
        .doc
        .delete(&roles, &device, Some(unit), Client::now())
        .unwrap();
    accepted(&mut c.head, &app, &[&roles]).await;
    for (client, want) in [
        (&c.head, StatusCode::OK),
        (&c.deputy, StatusCode::OK),
        (&c.officer, StatusCode::FORBIDDEN),
    ] {
        let (s, j) = client.get(&app, "/api/devices").await;
        assert_eq!(s, want, "{}: {j}", client.role);
    }
}
