//! The federation's board through the real router (issue 15): it creates a cluster whose head
//! joins with the handed-over link, sees the officer's report on its dashboard, returns and
//! then accepts a proposal sent up, finds the award in the award history; every record's
//! history names its authors; and a second federation's board sees nothing of the first.
#![allow(clippy::unwrap_used)]
mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::*;
use serde_json::{json, Value};
use thidua_core::proposal::{proposal_state, ProposalState};
use thidua_core::*;

fn sent_at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 7, day, 9, 0, 0).unwrap()
}

/// The board's new cluster, its head and an officer of its third unit.
struct Formed {
    cluster: RecordId,
    units: Vec<RecordId>,
    head: Client,
    officer: Client,
}

async fn form_cluster(app: &TestApp, board: &Client, name: &str) -> Formed {
    let (s, j) = board
        .send_json(
            app,
            "POST",
            "/api/board/clusters",
            &json!({
                "name": name,
                "decision": {"number": "215/QĐ-LĐLĐ", "date": "2024-03-27",
                             "issuer": "Ban Thường vụ LĐLĐ tỉnh Thanh Hóa"},
                "year": 2024,
                "units": ["Công đoàn Công ty TNHH Giày Rollsport Việt Nam",
                          "Công đoàn Công ty TNHH Giày Annora Việt Nam",
                          "Công đoàn cơ sở các doanh nghiệp KCN Lễ Môn",
                          "Công đoàn cơ sở các doanh nghiệp KCN Hoàng Long"],
                "head_unit_index": 0,
                "deputy_unit_index": 1
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{j}");
    let cluster = RecordId::new(j["cluster_id"].as_str().unwrap()).unwrap();
    let units: Vec<RecordId> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| RecordId::new(u.as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(units.len(), 4);
    let link = j["head_invite"]["link"].as_str().unwrap();
    assert!(link.starts_with("/join#"), "{link}");
    assert_eq!(j["head_invite"]["role"], "head");
    // The head joins with the link handed over, and invites an officer.
    let head = app
        .join_client(link.trim_start_matches("/join#"), "Máy trưởng cụm")
        .await;
    assert_eq!((head.role.as_str(), &head.unit), ("head", &units[0]));
    assert_eq!(head.doc.member_units().count(), 4);
    let code = app.invite(&head, &units[2], "officer").await;
    let officer = app.join_client(&code, "Điện thoại chị Lan").await;
    Formed {
        cluster,
        units,
        head,
        officer,
    }
}

fn campaign_with_deadlines() -> Campaign {
    let mut c = campaign();
    c.deadlines = vec![Deadline {
        name: "Báo cáo 6 tháng".into(),
        due: date(2024, 6, 15),
    }];
    c
}

/// `DELETE uri` as `client`: its status and answer.
async fn delete(app: &TestApp, client: &Client, uri: &str) -> (StatusCode, Value) {
    client.send_json(app, "DELETE", uri, &json!(null)).await
}

async fn dashboard_line(app: &TestApp, board: &Client, cluster: &RecordId) -> Value {
    let (s, j) = board.get(app, "/api/board/dashboard").await;
    assert_eq!(s, StatusCode::OK, "{j}");
    j["rollup"]["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cluster"] == json!(cluster))
        .cloned()
        .unwrap_or_else(|| panic!("cluster {cluster} on the dashboard: {j}"))
}

#[tokio::test]
async fn the_board_creates_a_cluster_and_its_dashboard_shows_the_report() {
    let app = TestApp::new();
    let board = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let mut f = form_cluster(&app, &board, "Cụm thi đua số 3").await;
    let (s, list) = board.get(&app, "/api/board/clusters").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        list["federation"]["name"],
        "Liên đoàn Lao động tỉnh Thanh Hóa"
    );
    assert_eq!(list["clusters"][0]["id"], json!(f.cluster));
    assert_eq!(list["clusters"][0]["units"], 4);
    assert_eq!(list["clusters"][0]["year"], 2024);

    let camp = f.head.put(campaign_with_deadlines());
    let (s, j) = f.head.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    f.officer.sync(&app).await;
    let unit = f.officer.unit.clone();
    let e = f.officer.put(entry(&unit, &camp));
    let (s, j) = f.officer.push(&app, &[&e]).await;
    assert_eq!(s, StatusCode::OK, "{j}");

    // A lost head's phone: the board hands the head unit a new link (for one person).
    let (s, inv) = board
        .send_json(
            &app,
            "POST",
            &format!("/api/board/clusters/{}/head-invite", f.cluster),
            &json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    assert_eq!(
        (inv["role"].clone(), inv["max_uses"].clone()),
        (json!("head"), json!(1))
    );
    let new_head = app
        .join_client(inv["code"].as_str().unwrap(), "Máy mới của trưởng cụm")
        .await;
    assert_eq!(
        (new_head.role.as_str(), &new_head.unit),
        ("head", &f.units[0])
    );
    let (s, _) = f
        .head
        .send_json(
            &app,
            "POST",
            &format!("/api/board/clusters/{}/head-invite", f.cluster),
            &json!(null),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a head does not use the board's door"
    );

    let line = dashboard_line(&app, &board, &f.cluster).await;
    assert_eq!(line["units"], 4, "{line}");
    assert_eq!(
        (line["reported"].clone(), line["waiting"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(line["approved"], 0);
    assert_eq!(line["silent_units"].as_array().unwrap().len(), 3, "{line}");
    assert_eq!(line["deadline"]["name"], "Báo cáo 6 tháng");
    assert_eq!(line["deadline"]["counts"]["expected"], 4);
    assert_eq!(line["deadline"]["counts"]["on_time"], 1);
    // The head approves it: the dashboard follows (its cached line is recomputed).
    f.head.sync(&app).await;
    let review = f.head.put(Review {
        entry: e.clone(),
        entry_clock: f.head.doc.get(&e).unwrap().clock(),
        decision: ReviewDecision::Approve,
    });
    let (s, _) = f.head.push(&app, &[&review]).await;
    assert_eq!(s, StatusCode::OK);
    let line = dashboard_line(&app, &board, &f.cluster).await;
    assert_eq!(
        (line["approved"].clone(), line["waiting"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(line["totals"]["entries"], 1);
    let (_, whole) = board.get(&app, "/api/board/dashboard").await;
    assert_eq!(whole["rollup"]["totals"]["entries"], 1);
    assert!(whole["computed_at"].as_str().unwrap().ends_with('Z'));

    // The board sets a deadline itself, and sends a reminder; it writes no result.
    let mut b = board;
    b.enter(&app, &f.cluster).await;
    let mut c = b.doc.get_campaign(&camp).unwrap().clone();
    c.deadlines.push(Deadline {
        name: "Báo cáo năm".into(),
        due: date(2024, 12, 15),
    });
    b.put_at(camp.clone(), c);
    let reminder = b.put(Reminder {
        campaign: camp.clone(),
        deadline: Some(date(2024, 6, 15)),
        units: vec![f.units[3].clone()],
        at: Client::now(),
    });
    let (s, j) = b.push(&app, &[&camp, &reminder]).await;
    assert_eq!(
        (s, j["rejected"].clone()),
        (StatusCode::OK, json!([])),
        "{j}"
    );
    let mut result = entry(&f.units[3], &camp);
    result.title = "Báo cáo hộ".into();
    let e2 = b.put(result);
    let (s, j) = b.push(&app, &[&e2]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(j["rejected"][0]["code"], "forbidden");
    assert!(
        j["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("board"),
        "{j}"
    );
}

fn proposal(unit: &RecordId, reason: &str, sent: Option<DateTime<Utc>>) -> AwardProposal {
    AwardProposal {
        campaign: None,
        kind: AwardKind::EmulationFighter,
        nominee: Nominee::Person {
            name: "Lê Văn Hùng".into(),
            unit: unit.clone(),
        },
        reason: reason.into(),
        entries: Vec::new(),
        votes: Votes {
            for_: 3,
            against: 0,
            abstain: 1,
        },
        sent,
    }
}

#[tokio::test]
async fn a_proposal_sent_up_is_returned_then_accepted_and_found_in_the_award_history() {
    let app = TestApp::new();
    let mut board = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let mut f = form_cluster(&app, &board, "Cụm thi đua số 3").await;
    let nominee_unit = f.units[2].clone();
    // Sent before the vote passed: refused.
    let mut failed = proposal(&nominee_unit, "Cứu hộ đê", Some(sent_at(20)));
    failed.votes = Votes::default();
    let p = f.head.put(failed);
    let (s, j) = f.head.push(&app, &[&p]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert!(
        j["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("sent"),
        "{j}"
    );
    // Voted and sent up.
    f.head.put_at(
        p.clone(),
        proposal(&nominee_unit, "Cứu hộ đê", Some(sent_at(20))),
    );
    let (s, j) = f.head.push(&app, &[&p]).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    let line = dashboard_line(&app, &board, &f.cluster).await;
    let waiting = &line["proposals_waiting"];
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{line}");
    assert_eq!(waiting[0]["proposal"], json!(p));
    assert_eq!(waiting[0]["nominee"], "Lê Văn Hùng");
    let sent: DateTime<Utc> = serde_json::from_value(waiting[0]["sent"].clone()).unwrap();

    // The head cannot decide on it; the board returns it with a reason.
    let own = f.head.put(AwardDecision {
        proposal: p.clone(),
        sent,
        outcome: AwardOutcome::Accepted {
            number: "1/QĐ".into(),
            date: date(2024, 7, 21),
        },
    });
    let (s, j) = f.head.push(&app, &[&own]).await;
    assert_eq!(
        (s, j["rejected"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("forbidden"))
    );
    board.enter(&app, &f.cluster).await;
    let back = board.put(AwardDecision {
        proposal: p.clone(),
        sent,
        outcome: AwardOutcome::Returned {
            reason: "Thiếu biên bản bình xét của cụm".into(),
        },
    });
    let (s, j) = board.push(&app, &[&back]).await;
    assert_eq!(
        (s, j["rejected"].clone()),
        (StatusCode::OK, json!([])),
        "{j}"
    );
    f.head.sync(&app).await;
    match proposal_state(&f.head.doc, &p) {
        ProposalState::Returned { reason, by, .. } => {
            assert_eq!(reason, "Thiếu biên bản bình xét của cụm");
            assert_eq!(by.as_ref(), Some(&board.unit));
        }
        other => panic!("returned expected, got {other:?}"),
    }
    // The head amends and sends it again: waiting again.
    f.head.put_at(
        p.clone(),
        proposal(
            &nominee_unit,
            "Cứu hộ đê; biên bản kèm theo",
            Some(sent_at(25)),
        ),
    );
    let (s, _) = f.head.push(&app, &[&p]).await;
    assert_eq!(s, StatusCode::OK);
    f.head.sync(&app).await;
    assert_eq!(
        proposal_state(&f.head.doc, &p),
        ProposalState::Sent { at: sent_at(25) }
    );
    // The board accepts it with the decision's number and date.
    board.sync(&app).await;
    let yes = board.put(AwardDecision {
        proposal: p.clone(),
        sent: sent_at(25),
        outcome: AwardOutcome::Accepted {
            number: "2150/QĐ-LĐLĐ".into(),
            date: date(2024, 8, 20),
        },
    });
    let (s, j) = board.push(&app, &[&yes]).await;
    assert_eq!(
        (s, j["rejected"].clone()),
        (StatusCode::OK, json!([])),
        "{j}"
    );
    f.head.sync(&app).await;
    assert_eq!(
        proposal_state(&f.head.doc, &p),
        ProposalState::Accepted {
            number: "2150/QĐ-LĐLĐ".into(),
            date: date(2024, 8, 20)
        }
    );
    let line = dashboard_line(&app, &board, &f.cluster).await;
    assert_eq!(line["proposals_waiting"], json!([]));

    // The unit's award history finds it, by person without marks, by unit and by kind.
    for query in ["person=hung", "unit=le%20mon&kind=emulation_fighter", ""] {
        let (s, j) = board.get(&app, &format!("/api/board/awards?{query}")).await;
        assert_eq!(s, StatusCode::OK, "{j}");
        let awards = j["awards"].as_array().unwrap();
        assert_eq!(awards.len(), 1, "{query}: {j}");
        assert_eq!(awards[0]["number"], "2150/QĐ-LĐLĐ");
        assert_eq!(awards[0]["person"], "Lê Văn Hùng");
        assert_eq!(awards[0]["cluster_name"], "Cụm thi đua số 3");
        assert_eq!(awards[0]["year"], 2024);
    }
    for query in ["person=lan", "kind=emulation_flag", "unit=rollsport"] {
        let (_, j) = board.get(&app, &format!("/api/board/awards?{query}")).await;
        assert_eq!(j["awards"], json!([]), "{query}");
    }
    // The proposal's history: the head's versions, the board's decisions apart.
    let (s, h) = f.head.get(&app, &format!("/api/history/{p}")).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["steps"].as_array().unwrap().len(), 2, "{h}");
    let (_, h) = f.head.get(&app, &format!("/api/history/{yes}")).await;
    assert_eq!(h["steps"][0]["device_name"], "Máy Ban thi đua");
    assert_eq!(h["steps"][0]["unit"], json!(board.unit));
}

#[tokio::test]
async fn an_entry_edited_twice_and_reviewed_has_its_history_with_authors() {
    let app = TestApp::new();
    let board = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let mut f = form_cluster(&app, &board, "Cụm thi đua số 3").await;
    let camp = f.head.put(campaign());
    let (s, _) = f.head.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::OK);
    f.officer.sync(&app).await;
    let unit = f.officer.unit.clone();
    let mut e = entry(&unit, &camp);
    let id = f.officer.put(e.clone());
    assert_eq!(f.officer.push(&app, &[&id]).await.0, StatusCode::OK);
    for title in [
        "Cải tiến khuôn ép đế giày",
        "Cải tiến khuôn ép đế giày (bổ sung)",
    ] {
        e.title = title.into();
        f.officer.put_at(id.clone(), e.clone());
        assert_eq!(f.officer.push(&app, &[&id]).await.0, StatusCode::OK);
    }
    f.head.sync(&app).await;
    let review = f.head.put(Review {
        entry: id.clone(),
        entry_clock: f.head.doc.get(&id).unwrap().clock(),
        decision: ReviewDecision::Return {
            reason: "Thiếu ảnh minh chứng".into(),
        },
    });
    assert_eq!(f.head.push(&app, &[&review]).await.0, StatusCode::OK);

    let (s, h) = f.head.get(&app, &format!("/api/history/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["kind"], "entry");
    let steps = h["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3, "{h}");
    for step in steps {
        assert_eq!(step["device_name"], "Điện thoại chị Lan");
        assert_eq!(step["unit"], json!(unit));
        assert_eq!(step["device_id"], json!(f.officer.device));
    }
    // What changed, field by field, from the versions as the server keeps them.
    let body = |i: usize| -> Body {
        serde_json::from_value(steps[i]["revision"]["body"].clone()).unwrap()
    };
    let changes = thidua_core::history::diff(&body(1), &body(2));
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "title");
    let (_, r) = f.head.get(&app, &format!("/api/history/{review}")).await;
    assert_eq!(r["steps"][0]["device_name"], "Máy trưởng cụm");
    assert_eq!(r["steps"][0]["unit"], json!(f.units[0]));

    // Who may read it: the officer (own unit), the head, the board; not another unit's
    // officer, another cluster's head or another federation's board.
    assert_eq!(
        f.officer.get(&app, &format!("/api/history/{id}")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        board.get(&app, &format!("/api/history/{id}")).await.0,
        StatusCode::OK
    );
    let code = app.invite(&f.head, &f.units[3], "officer").await;
    let other_unit = app.join_client(&code, "Máy Hoàng Long").await;
    assert_eq!(
        other_unit.get(&app, &format!("/api/history/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    // ...but the cluster's own records, like the campaign, it may.
    assert_eq!(
        other_unit
            .get(&app, &format!("/api/history/{camp}"))
            .await
            .0,
        StatusCode::OK
    );
    let elsewhere = app.cluster("Cụm Y").await;
    let other_board = app.board("Liên đoàn Lao động tỉnh Nghệ An").await;
    for stranger in [&elsewhere.head, &other_board] {
        let (s, j) = stranger.get(&app, &format!("/api/history/{id}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{j}");
        let (_, k) = stranger.get(&app, "/api/history/no-such-record").await;
        assert_eq!(
            j["message"].as_str().unwrap().replace(id.as_str(), "ID"),
            k["message"]
                .as_str()
                .unwrap()
                .replace("no-such-record", "ID"),
            "an unreadable record is answered as one that does not exist"
        );
    }
}

#[tokio::test]
async fn a_second_federations_board_sees_nothing_of_the_first() {
    let app = TestApp::new();
    let board_a = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let mut f = form_cluster(&app, &board_a, "Cụm thi đua số 3").await;
    let camp = f.head.put(campaign());
    assert_eq!(f.head.push(&app, &[&camp]).await.0, StatusCode::OK);
    let mut board_b = app.board("Liên đoàn Lao động tỉnh Nghệ An").await;

    let (s, list) = board_b.get(&app, "/api/board/clusters").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["clusters"], json!([]));
    let (_, dash) = board_b.get(&app, "/api/board/dashboard").await;
    assert_eq!(dash["rollup"]["clusters"], json!([]));
    assert_eq!(
        dash["federation"]["name"],
        "Liên đoàn Lao động tỉnh Nghệ An"
    );
    let (_, awards) = board_b.get(&app, "/api/board/awards").await;
    assert_eq!(awards["awards"], json!([]));
    let everything = format!("{list}{dash}{awards}");
    assert!(!everything.contains(f.cluster.as_str()));
    assert!(!everything.contains("Thanh Hóa"));

    // A's cluster is answered as one that does not exist, in the same words.
    let nowhere = "cum-khong-co";
    for (method, path) in [
        ("GET", "/api/board/clusters/{}/snapshot"),
        ("GET", "/api/board/clusters/{}/pull"),
        ("POST", "/api/board/clusters/{}/archive"),
        ("POST", "/api/board/clusters/{}/push"),
    ] {
        let body = match path {
            p if p.ends_with("archive") => json!({"archived": true}),
            p if p.ends_with("push") => json!({"push_id": "p1", "records": []}),
            _ => Value::Null,
        };
        let theirs = path.replace("{}", f.cluster.as_str());
        let (s, j) = board_b.send_json(&app, method, &theirs, &body).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {theirs}: {j}");
        let none = path.replace("{}", nowhere);
        let (_, k) = board_b.send_json(&app, method, &none, &body).await;
        assert_eq!(
            j["message"]
                .as_str()
                .unwrap()
                .replace(f.cluster.as_str(), "ID"),
            k["message"].as_str().unwrap().replace(nowhere, "ID")
        );
    }
    let (s, _) = board_b
        .send_json(
            &app,
            "POST",
            "/api/board/units/move",
            &json!({"from_cluster": f.cluster, "unit_id": f.units[1], "to_cluster": f.cluster}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A board device is no cluster device, and a head is no board member.
    for path in ["/api/snapshot", "/api/sync/pull", "/api/invites"] {
        assert_eq!(
            board_b.get(&app, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for path in [
        "/api/board/clusters",
        "/api/board/dashboard",
        "/api/board/awards",
    ] {
        assert_eq!(
            f.head.get(&app, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // A head cannot invite board members.
    let (s, _) = f
        .head
        .send_json(
            &app,
            "POST",
            "/api/invites",
            &json!({"unit_id": f.units[1], "role": "board"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // B's board cannot push into A's cluster under any path.
    board_b.scope = Some(f.cluster.clone());
    let mut c = campaign();
    c.title = "Chiếm".into();
    board_b.put_at(camp.clone(), c);
    let (s, _) = board_b.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    f.head.sync(&app).await;
    assert_eq!(
        f.head.doc.get_campaign(&camp).unwrap().title,
        campaign().title
    );
}

#[tokio::test]
async fn archiving_freezes_a_cluster_and_a_unit_moves_at_the_start_of_a_year() {
    let app = TestApp::new();
    let board = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let mut a = form_cluster(&app, &board, "Cụm thi đua số 3").await;
    let mut b = form_cluster(&app, &board, "Cụm thi đua số 4").await;
    // Move Lễ Môn's union from cluster 3 to cluster 4.
    let (s, j) = board
        .send_json(
            &app,
            "POST",
            "/api/board/units/move",
            &json!({"from_cluster": a.cluster, "unit_id": a.units[2], "to_cluster": b.cluster}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{j}");
    // The unit's officer phone in the old cluster is out, and its new link joins the new one.
    assert_eq!(j["devices_removed"], 1, "{j}");
    let (s, _) = a.officer.get(&app, "/api/sync/pull?since=0").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the moved unit's old device");
    let new_officer = app
        .join_client(
            j["officer_invite"]["code"].as_str().unwrap(),
            "Điện thoại chị Lan",
        )
        .await;
    assert_eq!(new_officer.role, "officer");
    assert_eq!(new_officer.unit.as_str(), j["unit_id"].as_str().unwrap());
    a.head.sync(&app).await;
    b.head.sync(&app).await;
    assert_eq!(a.head.doc.member_units().count(), 3);
    assert!(
        a.head.doc.get_unit(&a.units[2]).is_some(),
        "kept for the history"
    );
    assert_eq!(b.head.doc.member_units().count(), 5);
    let moved = RecordId::new(j["unit_id"].as_str().unwrap()).unwrap();
    assert_eq!(
        b.head.doc.get_unit(&moved).unwrap().name,
        "Công đoàn cơ sở các doanh nghiệp KCN Lễ Môn"
    );
    // Archived: read only, off the dashboard, still listed.
    let (s, _) = board
        .send_json(
            &app,
            "POST",
            &format!("/api/board/clusters/{}/archive", a.cluster),
            &json!({"archived": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let camp = a.head.put(campaign());
    let (s, j) = a.head.push(&app, &[&camp]).await;
    assert_eq!(
        (s, j["error"].clone()),
        (StatusCode::CONFLICT, json!("cluster_archived"))
    );
    let (_, dash) = board.get(&app, "/api/board/dashboard").await;
    assert_eq!(dash["rollup"]["clusters"].as_array().unwrap().len(), 1);
    let (_, list) = board.get(&app, "/api/board/clusters").await;
    let listed = list["clusters"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    // Each cluster lists its member units by name, the moved one under its new cluster only.
    let names = |c: &Value| -> Vec<String> {
        c["unit_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let lists: Vec<Vec<String>> = listed.iter().map(names).collect();
    let le_mon = "Công đoàn cơ sở các doanh nghiệp KCN Lễ Môn".to_owned();
    assert_eq!(
        lists.iter().filter(|l| l.contains(&le_mon)).count(),
        1,
        "{lists:?}"
    );
    assert!(listed.iter().any(|c| c["archived_at"].is_string()));
    // Brought back, it takes writes again.
    let (s, _) = board
        .send_json(
            &app,
            "POST",
            &format!("/api/board/clusters/{}/archive", a.cluster),
            &json!({"archived": false}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(a.head.push(&app, &[&camp]).await.0, StatusCode::OK);
    // A board member invites another.
    let (s, inv) = board
        .send_json(&app, "POST", "/api/board/invites", &json!({"max_uses": 1}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    assert_eq!(inv["role"], "board");
    let second = app
        .join_client(inv["code"].as_str().unwrap(), "Máy chị Hà")
        .await;
    let (_, dash2) = second.get(&app, "/api/board/dashboard").await;
    assert_eq!(dash2["federation"], dash["federation"]);
    // Bad requests.
    for body in [
        json!({"name": "X", "decision": {"number": "1", "date": "2024-01-01", "issuer": "a"},
               "year": 2024, "units": [], "head_unit_index": 0}),
        json!({"name": "X", "decision": {"number": "1", "date": "2024-01-01", "issuer": "a"},
               "year": 2024, "units": ["A", "a"], "head_unit_index": 0}),
        json!({"name": "X", "decision": {"number": "1", "date": "2024-01-01", "issuer": "a"},
               "year": 2024, "units": ["A", "B"], "head_unit_index": 2}),
        json!({"name": "X", "decision": {"number": "1", "date": "2024-01-01", "issuer": "a"},
               "year": 2024, "units": ["A", "B"], "head_unit_index": 1, "deputy_unit_index": 1}),
        json!({"name": " ", "decision": {"number": "1", "date": "2024-01-01", "issuer": "a"},
               "year": 2024, "units": ["A"], "head_unit_index": 0}),
    ] {
        let (s, j) = board
            .send_json(&app, "POST", "/api/board/clusters", &body)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {j}");
    }
}

#[tokio::test]
async fn a_removed_board_member_stays_out() {
    let app = TestApp::new();
    let board = app.board("Liên đoàn Lao động tỉnh Thanh Hóa").await;
    let (s, inv) = board
        .send_json(&app, "POST", "/api/board/invites", &json!({"max_uses": 2}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    let code = inv["code"].as_str().unwrap().to_owned();
    let second = app.join_client(&code, "Máy chị Hà").await;
    // The board sees its links (uses, never codes) and its members' devices.
    let (s, links) = board.get(&app, "/api/board/invites").await;
    assert_eq!(s, StatusCode::OK, "{links}");
    let link = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == inv["id"])
        .unwrap()
        .clone();
    assert_eq!(
        (link["uses"].clone(), link["role"].clone()),
        (json!(1), json!("board"))
    );
    assert!(!links.to_string().contains(&code), "codes are never listed");
    let (s, devices) = board.get(&app, "/api/board/devices").await;
    assert_eq!(s, StatusCode::OK, "{devices}");
    let theirs = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Máy chị Hà")
        .unwrap()
        .clone();
    assert_eq!(theirs["invite_id"], inv["id"]);
    // A device cannot remove itself.
    let device = theirs["id"].as_str().unwrap();
    let (s, _) = delete(&app, &second, &format!("/api/board/devices/{device}")).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Removed with its link withdrawn: the device is refused and the link joins no one.
    let uri = format!("/api/board/devices/{device}?withdraw_invite=true");
    let (s, j) = delete(&app, &board, &uri).await;
    assert_eq!(s, StatusCode::OK, "{j}");
    assert_eq!(j["invite_withdrawn"], true);
    let (s, _) = second.get(&app, "/api/board/dashboard").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, j) = app.join(&code, "Máy chị Hà").await;
    assert_eq!(s, StatusCode::GONE, "{j}");
    // A link withdrawn on its own joins no one either; a cluster's head manages no board.
    let (_, inv2) = board
        .send_json(&app, "POST", "/api/board/invites", &json!({}))
        .await;
    let uri = format!("/api/board/invites/{}", inv2["id"].as_str().unwrap());
    let (s, _) = delete(&app, &board, &uri).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.join(inv2["code"].as_str().unwrap(), "X").await;
    assert_eq!(s, StatusCode::GONE);
    let f = form_cluster(&app, &board, "Cụm thi đua số 3").await;
    for uri in ["/api/board/invites", "/api/board/devices"] {
        let (s, _) = f.head.get(&app, uri).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{uri}");
    }
    // Nor does a second federation's board see the first's members.
    let other = app.board("Liên đoàn Lao động tỉnh Nghệ An").await;
    let (_, theirs) = other.get(&app, "/api/board/devices").await;
    assert_eq!(
        theirs.as_array().unwrap().len(),
        1,
        "only its own device: {theirs}"
    );
}
