//! Authorization through the real router, table-driven:
//! - every record kind × create/update/delete × head, deputy and an officer of unit A (own
//!   unit and another unit), expected outcomes written out from core's rules;
//! - every endpoint × every kind of caller (head, deputy, officer, revoked device, no token,
//!   garbage token, malformed header, another cluster's head), expected statuses in one table
//!   that must cover every operation of the OpenAPI document;
//! - nothing of one cluster is ever visible to another's devices.
#![allow(clippy::unwrap_used)]
mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::{json, Value};
use thidua_core::*;

// ---- records ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Head,
    Deputy,
    Officer,
    /// A board member of the cluster's federation, pushing through `/api/board/…`.
    Board,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Delete,
    /// Create under an id another device of the cluster mints (ids are predictable).
    CreateUnderAnothersId,
    /// Create a new record (own id) whose only version is a deletion: created and deleted
    /// before its first push.
    CreateDeleted,
}

/// Whose record: unit A (the officer's) or unit B (another member unit). Only pledges and
/// entries belong to a unit; other kinds are cluster records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    UnitA,
    UnitB,
    Cluster,
}

/// Core's rules, written out: managers write anything, except that a deputy may not change
/// who is head (deleting the year's only roles record, or the cluster record with the year in
/// force, would); officers write only their own unit's pledges and entries; nobody adds a
/// second cluster record. Nobody creates under another device's id; a new record that is
/// only a deletion is accepted from anyone and not stored (so it cannot hide anything).
fn expected(who: Who, kind: Kind, action: Action, scope: Scope) -> bool {
    match action {
        Action::CreateUnderAnothersId => return false,
        Action::CreateDeleted => return true,
        _ => {}
    }
    if kind == Kind::Cluster && action == Action::Create {
        return false;
    }
    match who {
        Who::Head => kind != Kind::AwardDecision,
        Who::Deputy => {
            kind != Kind::AwardDecision
                && !(action == Action::Delete && matches!(kind, Kind::Roles | Kind::Cluster))
        }
        Who::Officer => matches!(kind, Kind::Pledge | Kind::Entry) && scope == Scope::UnitA,
        Who::Board => thidua_core::auth::BOARD_KINDS.contains(&kind),
    }
}

/// A cluster with one record of every kind already on the server.
struct World {
    app: TestApp,
    c: common::Cluster,
    board: Client,
    unit_a: RecordId,
    unit_b: RecordId,
    camp: RecordId,
    existing: Vec<(Kind, Scope, RecordId)>,
}

fn pledge(camp: &RecordId, unit: &RecordId, target: f64) -> Pledge {
    Pledge {
        campaign: camp.clone(),
        unit: unit.clone(),
        targets: vec![Target {
            criterion: "init".into(),
            target,
        }],
        commitments: "Hoàn thành".into(),
        signed_on: date(2024, 4, 20),
    }
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new();
        let (fed, board_code) = app.create_federation("Liên đoàn Lao động tỉnh X").await;
        let mut c = app.cluster_in("Cụm X", Some(&fed)).await;
        let mut board = app.join_client(&board_code, "Máy Ban thi đua").await;
        let (unit_a, unit_b) = (c.unit2.clone(), c.unit3.clone());
        let cluster_id = c.id.clone();
        let roles_id = c.head.doc.roles().map(|(id, _)| id.clone()).next().unwrap();
        let head_unit = c.head.unit.clone();
        let camp = c.head.put(campaign());
        let e_b = c.head.put(entry(&unit_b, &camp));
        let p_b = c.head.put(pledge(&camp, &unit_b, 2.0));
        let extra_unit = c.head.put(Unit {
            name: "Công đoàn Xí nghiệp".into(),
            kind: UnitKind::Enterprise,
        });
        let session = c.head.put(session(&camp, &unit_a));
        // Sent up to the board, so that the board's decisions decide on a waiting sending.
        let award = c.head.put(AwardProposal {
            sent: Some(Client::now()),
            ..award(&camp, &head_unit, 5)
        });
        let reminder = c.head.put(reminder(&camp, &unit_b));
        let (s, j) = c
            .head
            .push(
                &app,
                &[&camp, &e_b, &p_b, &extra_unit, &session, &award, &reminder],
            )
            .await;
        assert_eq!((s, j["rejected"].clone()), (StatusCode::OK, json!([])));
        c.officer.sync(&app).await;
        let e_a = c.officer.put(entry(&unit_a, &camp));
        let p_a = c.officer.put(pledge(&camp, &unit_a, 3.0));
        let (s, j) = c.officer.push(&app, &[&e_a, &p_a]).await;
        assert_eq!((s, j["rejected"].clone()), (StatusCode::OK, json!([])));
        c.head.sync(&app).await;
        let review = c.head.put(review(&c.head.doc, &e_a, None));
        let (s, _) = c.head.push(&app, &[&review]).await;
        assert_eq!(s, StatusCode::OK);
        board.enter(&app, &c.id).await;
        let decision = board.put(AwardDecision {
            proposal: award.clone(),
            sent: Client::now(),
            outcome: AwardOutcome::Returned {
                reason: "Thiếu hồ sơ".into(),
            },
        });
        let (s, j) = board.push(&app, &[&decision]).await;
        assert_eq!(
            (s, j["rejected"].clone()),
            (StatusCode::OK, json!([])),
            "{j}"
        );
        for client in [&mut c.head, &mut c.deputy, &mut c.officer, &mut board] {
            client.sync(&app).await;
        }
        let existing = vec![
            (Kind::Cluster, Scope::Cluster, cluster_id),
            (Kind::Unit, Scope::Cluster, extra_unit),
            (Kind::Roles, Scope::Cluster, roles_id),
            (Kind::Campaign, Scope::Cluster, camp.clone()),
            (Kind::Pledge, Scope::UnitA, p_a),
            (Kind::Pledge, Scope::UnitB, p_b),
            (Kind::Entry, Scope::UnitA, e_a),
            (Kind::Entry, Scope::UnitB, e_b),
            (Kind::Review, Scope::Cluster, review),
            (Kind::ReviewSession, Scope::Cluster, session),
            (Kind::AwardProposal, Scope::Cluster, award),
            (Kind::Reminder, Scope::Cluster, reminder),
            (Kind::AwardDecision, Scope::Cluster, decision),
        ];
        let kinds: BTreeSet<Kind> = existing.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(kinds.len(), Kind::ALL.len());
        Self {
            app,
            c,
            board,
            unit_a,
            unit_b,
            camp,
            existing,
        }
    }

    fn client(&mut self, who: Who) -> &mut Client {
        match who {
            Who::Head => &mut self.c.head,
            Who::Deputy => &mut self.c.deputy,
            Who::Officer => &mut self.c.officer,
            Who::Board => &mut self.board,
        }
    }

    fn existing(&self, kind: Kind, scope: Scope) -> RecordId {
        self.existing
            .iter()
            .find(|(k, s, _)| *k == kind && *s == scope)
            .unwrap()
            .2
            .clone()
    }

    /// A valid body of `kind` for `scope`; `n` varies its content.
    fn body(&self, kind: Kind, scope: Scope, n: u32) -> Body {
        let unit = match scope {
            Scope::UnitB => &self.unit_b,
            _ => &self.unit_a,
        };
        let doc = &self.c.head.doc;
        match kind {
            Kind::Cluster => thidua_core::Cluster {
                name: format!("Cụm X ({n})"),
                decision: Decision {
                    number: "1197/QĐ-UBND".into(),
                    date: date(2024, 3, 27),
                    issuer: "UBND tỉnh".into(),
                },
                year: 2024,
                former_units: Vec::new(),
            }
            .into(),
            Kind::Unit => Unit {
                name: format!("Công đoàn số {n}"),
                kind: UnitKind::Agency,
            }
            .into(),
            Kind::Roles => Roles {
                year: 2024,
                head: self.c.head.unit.clone(),
                deputy: Some(if n.is_multiple_of(2) {
                    self.unit_b.clone()
                } else {
                    self.unit_a.clone()
                }),
            }
            .into(),
            Kind::Campaign => {
                let mut c = campaign();
                c.title = format!("Đợt thi đua {n}");
                c.into()
            }
            Kind::Pledge => pledge(&self.camp, unit, f64::from(n)).into(),
            Kind::Entry => {
                let mut e = entry(unit, &self.camp);
                e.title = format!("Kết quả {n}");
                e.into()
            }
            Kind::Review => review(
                doc,
                &self.existing(Kind::Entry, Scope::UnitA),
                (n % 2 == 1).then_some("Thiếu số liệu"),
            )
            .into(),
            Kind::ReviewSession => {
                let mut s = session(&self.camp, &self.unit_a);
                s.rows[0].rank = n.max(1);
                s.into()
            }
            Kind::AwardProposal => award(&self.camp, unit, n).into(),
            Kind::AwardDecision => AwardDecision {
                proposal: self.existing(Kind::AwardProposal, Scope::Cluster),
                sent: Client::now(),
                outcome: AwardOutcome::Returned {
                    reason: format!("Thiếu hồ sơ {n}"),
                },
            }
            .into(),
            Kind::Reminder => {
                let mut r = reminder(&self.camp, &self.unit_b);
                r.units.push(self.unit_a.clone());
                r.into()
            }
        }
    }
}

fn reminder(camp: &RecordId, unit: &RecordId) -> Reminder {
    Reminder {
        campaign: camp.clone(),
        deadline: Some(date(2024, 6, 15)),
        units: vec![unit.clone()],
        at: Client::now(),
    }
}

fn session(camp: &RecordId, unit: &RecordId) -> ReviewSession {
    ReviewSession {
        campaign: camp.clone(),
        kind: SessionKind::SixMonth,
        date: date(2024, 7, 1),
        criteria: Vec::new(),
        rows: vec![ScoreRow {
            unit: unit.clone(),
            criteria: vec![CriterionScore {
                criterion: "init".into(),
                pledged: 3.0,
                approved: 1.0,
                points: 10.0,
            }],
            total: 10.0,
            rank: 1,
        }],
    }
}

fn award(camp: &RecordId, unit: &RecordId, votes: u32) -> AwardProposal {
    AwardProposal {
        campaign: Some(camp.clone()),
        kind: AwardKind::CertificateOfMerit,
        nominee: Nominee::Unit { unit: unit.clone() },
        reason: "Dẫn đầu phong trào".into(),
        entries: vec![],
        votes: Votes {
            for_: votes,
            against: 0,
            abstain: 1,
        },
        sent: None,
    }
}

fn review(doc: &Document, entry: &RecordId, returned: Option<&str>) -> Review {
    Review {
        entry: entry.clone(),
        entry_clock: doc.get(entry).unwrap().clock(),
        decision: match returned {
            Some(r) => ReviewDecision::Return { reason: r.into() },
            None => ReviewDecision::Approve,
        },
    }
}

#[tokio::test]
async fn record_writes_follow_core_rules_for_every_role_kind_and_action() {
    let mut cases = Vec::new();
    for who in [Who::Head, Who::Deputy, Who::Officer, Who::Board] {
        for kind in Kind::ALL {
            let scopes: &[Scope] = if matches!(kind, Kind::Pledge | Kind::Entry) {
                &[Scope::UnitA, Scope::UnitB]
            } else {
                &[Scope::Cluster]
            };
            for &scope in scopes {
                for action in [
                    Action::Create,
                    Action::Update,
                    Action::Delete,
                    Action::CreateUnderAnothersId,
                    Action::CreateDeleted,
                ] {
                    cases.push((who, kind, scope, action));
                }
            }
        }
    }
    assert_eq!(cases.len(), 4 * (11 + 2) * 5);
    let mut failures = Vec::new();
    let (mut allowed, mut refused) = (0, 0);
    for (i, &(who, kind, scope, action)) in cases.iter().enumerate() {
        // A fresh cluster per case, so earlier cases (a deleted campaign...) cannot interfere.
        let mut w = World::new().await;
        let n = u32::try_from(i).unwrap() + 2;
        let body = w.body(kind, scope, n);
        let existing = w.existing(kind, scope);
        let app = std::mem::replace(&mut w.app, TestApp::new());
        // Another device of the cluster, whose next ids are easy to guess.
        let other = match who {
            Who::Head => w.c.officer.device.clone(),
            _ => w.c.head.device.clone(),
        };
        let client = w.client(who);
        let id = match action {
            Action::CreateUnderAnothersId => {
                let id = RecordId::derive(&other, 1_000);
                client.put_at(id.clone(), body);
                id
            }
            Action::CreateDeleted => {
                let id = client.put(body);
                let (device, unit) = (client.device.clone(), client.unit.clone());
                client
                    .doc
                    .delete(&id, &device, Some(unit), Client::now())
                    .unwrap();
                id
            }
            Action::Create => client.put(body),
            Action::Update => {
                client.put_at(existing.clone(), body);
                existing
            }
            Action::Delete => {
                let (device, unit) = (client.device.clone(), client.unit.clone());
                client
                    .doc
                    .delete(&existing, &device, Some(unit), Client::now())
                    .unwrap();
                existing
            }
        };
        let sent = client.doc.get(&id).unwrap().clone();
        let (status, j) = client.push(&app, &[&id]).await;
        let want = expected(who, kind, action, scope);
        let case = format!("{who:?} {action:?} {kind} ({scope:?})");
        let accepted = j["accepted"] == json!([id]);
        if accepted != want {
            failures.push(format!("{case}: expected allowed={want}, got {status} {j}"));
            continue;
        }
        // The server's state agrees with the answer.
        let path = match &client.scope {
            Some(cluster) => format!("/api/board/clusters/{cluster}/snapshot"),
            None => "/api/snapshot".to_owned(),
        };
        let (_, snap) = client.get(&app, &path).await;
        let doc = Document::from_json(&snap.to_string()).unwrap();
        let stored = doc.get(&id);
        let sent_clock = sent.clock();
        let has_it = stored.is_some_and(|r| r.covers(&sent_clock));
        if want && action == Action::CreateDeleted {
            allowed += 1;
            assert_eq!(status, StatusCode::OK, "{case}: {j}");
            assert!(
                stored.is_none(),
                "{case}: a record that is only a deletion was stored"
            );
        } else if want {
            allowed += 1;
            assert_eq!(status, StatusCode::OK, "{case}: {j}");
            assert!(has_it, "{case}: accepted but not stored");
            if action == Action::Delete {
                assert!(stored.unwrap().is_deleted(), "{case}");
            }
        } else {
            refused += 1;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {j}");
            assert_eq!(j["rejected"][0]["code"], "forbidden", "{case}: {j}");
            assert!(!has_it, "{case}: refused but stored");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Officer: pledge/entry of unit A × 3 actions allowed; every manager case but the two
    // "create a second cluster record" ones, the deputy's two deletions that change who is
    // head and the three on award decisions (the board's) allowed; the board's six kinds ×
    // 3 actions but a second cluster record; for everyone, every "created deleted" case (13
    // each) and no "under another's id" case.
    assert_eq!(allowed, 6 + 2 * (13 * 3 - 1 - 3) - 2 + (6 * 3 - 1) + 4 * 13);
    assert_eq!(refused, cases.len() - allowed);
}

// ---- endpoints --------------------------------------------------------------------------

/// Callers, in the column order of [`ENDPOINTS`].
const CALLERS: [&str; 10] = [
    "head",
    "deputy",
    "officer",
    "revoked",
    "no token",
    "garbage token",
    "basic auth",
    "other cluster head",
    "board",
    "other federation board",
];

/// What each endpoint answers each caller; `target` names the resource a path or body uses.
struct Row {
    method: &'static str,
    path: &'static str,
    target: &'static str,
    expect: [u16; 10],
}

const fn row(
    method: &'static str,
    path: &'static str,
    target: &'static str,
    expect: [u16; 10],
) -> Row {
    Row {
        method,
        path,
        target,
        expect,
    }
}

#[rustfmt::skip]
const ENDPOINTS: &[Row] = &[
    //                                                        head deputy officer revoked none garbage basic other
    row("GET",    "/api/health",       "",                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    row("GET",    "/api/openapi.json", "",                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    row("POST",   "/api/join",         "officer invite",     [201, 201, 201, 201, 201, 201, 201, 201, 201, 201]),
    row("POST",   "/api/join",         "bad code",           [403, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    row("POST",   "/api/sync/push",    "nothing",            [200, 200, 200, 401, 401, 401, 401, 200, 403, 403]),
    row("GET",    "/api/sync/pull",    "",                   [200, 200, 200, 401, 401, 401, 401, 200, 403, 403]),
    row("GET",    "/api/sync/wait",    "",                   [200, 200, 200, 401, 401, 401, 401, 200, 403, 403]),
    row("GET",    "/api/snapshot",     "",                   [200, 200, 200, 401, 401, 401, 401, 200, 403, 403]),
    row("PUT",    "/api/me",           "a name",             [204, 204, 204, 401, 401, 401, 401, 204, 403, 403]),
    row("POST",   "/api/invites",      "officer of unit A",  [201, 201, 403, 401, 401, 401, 401, 400, 403, 403]),
    row("POST",   "/api/invites",      "head of unit A",     [201, 403, 403, 401, 401, 401, 401, 400, 403, 403]),
    row("GET",    "/api/invites",      "",                   [200, 200, 403, 401, 401, 401, 401, 200, 403, 403]),
    row("DELETE", "/api/invites/{id}", "officer invite",     [204, 204, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("DELETE", "/api/invites/{id}", "head invite",        [204, 403, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("DELETE", "/api/invites/{id}", "unknown",            [404, 404, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("GET",    "/api/devices",      "",                   [200, 200, 403, 401, 401, 401, 401, 200, 403, 403]),
    row("DELETE", "/api/devices/{id}", "spare officer",      [200, 200, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("DELETE", "/api/devices/{id}", "second head device", [200, 403, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("DELETE", "/api/devices/{id}", "unknown",            [404, 404, 403, 401, 401, 401, 401, 404, 403, 403]),
    row("GET",    "/api/export/summary.xlsx", "campaign of X", [200, 200, 200, 401, 401, 401, 401, 404, 403, 403]),
    row("GET",    "/api/export/summary.xlsx", "unknown",       [404, 404, 404, 401, 401, 401, 401, 404, 403, 403]),
    // Evidence files: only a cluster whose records list the file (403 file_not_referenced
    // otherwise, the same for another cluster's file as for nobody's).
    row("PUT",    "/api/files/{hash}",        "file of X",     [200, 200, 200, 401, 401, 401, 401, 403, 403, 403]),
    row("PUT",    "/api/files/{hash}",        "unlisted",      [403, 403, 403, 401, 401, 401, 401, 403, 403, 403]),
    row("GET",    "/api/files/{hash}",        "file of X",     [200, 200, 200, 401, 401, 401, 401, 403, 403, 403]),
    row("GET",    "/api/files/{hash}",        "unlisted",      [403, 403, 403, 401, 401, 401, 401, 403, 403, 403]),
    row("GET",    "/api/files/{hash}/upload", "file of X",     [200, 200, 200, 401, 401, 401, 401, 403, 403, 403]),
    row("POST",   "/api/files/status",        "file of X",     [200, 200, 200, 401, 401, 401, 401, 200, 403, 403]),
    // The board: cluster X is of the board's federation, not of the other board's (404, the
    // same as for a cluster that exists nowhere).
    row("GET",    "/api/board/clusters",      "",              [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    row("POST",   "/api/board/clusters",      "new cluster",   [403, 403, 403, 401, 401, 401, 401, 403, 201, 201]),
    row("POST",   "/api/board/clusters/{id}/archive", "cluster X", [403, 403, 403, 401, 401, 401, 401, 403, 204, 404]),
    row("POST",   "/api/board/clusters/{id}/head-invite", "cluster X", [403, 403, 403, 401, 401, 401, 401, 403, 201, 404]),
    row("POST",   "/api/board/clusters/{id}/push", "cluster X",  [403, 403, 403, 401, 401, 401, 401, 403, 200, 404]),
    row("GET",    "/api/board/clusters/{id}/pull", "cluster X",  [403, 403, 403, 401, 401, 401, 401, 403, 200, 404]),
    row("GET",    "/api/board/clusters/{id}/snapshot", "cluster X", [403, 403, 403, 401, 401, 401, 401, 403, 200, 404]),
    row("POST",   "/api/board/units/move",    "unit of X to X", [403, 403, 403, 401, 401, 401, 401, 403, 400, 404]),
    row("GET",    "/api/board/dashboard",     "",              [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    row("GET",    "/api/board/awards",        "",              [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    row("POST",   "/api/board/invites",       "",              [403, 403, 403, 401, 401, 401, 401, 403, 201, 201]),
    row("GET",    "/api/board/invites",       "",              [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    row("DELETE", "/api/board/invites/{id}",  "board invite",  [403, 403, 403, 401, 401, 401, 401, 403, 204, 404]),
    row("DELETE", "/api/board/invites/{id}",  "unknown",       [403, 403, 403, 401, 401, 401, 401, 403, 404, 404]),
    row("GET",    "/api/board/devices",       "",              [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    row("DELETE", "/api/board/devices/{id}",  "second board device", [403, 403, 403, 401, 401, 401, 401, 403, 200, 404]),
    row("DELETE", "/api/board/devices/{id}",  "unknown",       [403, 403, 403, 401, 401, 401, 401, 403, 404, 404]),
    row("GET",    "/api/board/dashboard.xlsx", "",             [403, 403, 403, 401, 401, 401, 401, 403, 200, 200]),
    // History: the officer's own unit's entry; another cluster or federation: as unknown.
    row("GET",    "/api/history/{record_id}", "entry of X",    [200, 200, 200, 401, 401, 401, 401, 404, 200, 404]),
    row("GET",    "/api/history/{record_id}", "unknown",       [404, 404, 404, 401, 401, 401, 401, 404, 404, 404]),
];

/// The photo an entry of cluster X lists (and X sent), as a JPEG's bytes.
fn photo() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    bytes[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    bytes
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Fixture {
    app: TestApp,
    x: common::Cluster,
    /// The officer's entry in X.
    entry: RecordId,
    campaign: RecordId,
    /// Tokens per caller column.
    tokens: Vec<Option<String>>,
    officer_code: String,
    officer_invite: String,
    head_invite: String,
    spare: String,
    head2: String,
    board_invite: String,
    board2: String,
}

async fn fixture() -> Fixture {
    let app = TestApp::new();
    let (fed, board_code) = app.create_federation("Liên đoàn Lao động tỉnh X").await;
    let mut x = app.cluster_in("Cụm X", Some(&fed)).await;
    let board = app.join_client(&board_code, "Máy Ban thi đua").await;
    let other_board = app.board("Liên đoàn Lao động tỉnh Y").await;
    // A second board member, and the board's invite they joined with.
    let (s, inv) = board
        .send_json(&app, "POST", "/api/board/invites", &json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let board2 = app
        .join_client(inv["code"].as_str().unwrap(), "Máy chị Hà")
        .await;
    let camp = x.head.put(campaign());
    let (s, _) = x.head.push(&app, &[&camp]).await;
    assert_eq!(s, StatusCode::OK);
    // An entry of X listing a photo, and the photo sent.
    x.officer.sync(&app).await;
    let mut e = entry(&x.officer.unit, &camp);
    let bytes = photo();
    e.files = vec![thidua_core::files::FileRef {
        hash: sha(&bytes),
        size: bytes.len() as u64,
        file_type: thidua_core::files::FileType::Jpeg,
        name: "anh.jpg".into(),
    }];
    let e = x.officer.put(e);
    let (s, _) = x.officer.push(&app, &[&e]).await;
    assert_eq!(s, StatusCode::OK);
    let res = app
        .send(
            axum::http::Request::put(format!(
                "/api/files/{}?offset=0&size={}&type=image/jpeg",
                sha(&bytes),
                bytes.len()
            ))
            .header("authorization", format!("Bearer {}", x.officer.token))
            .header("content-type", "application/octet-stream")
            .body(Body_::from(bytes))
            .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let y = app.cluster("Cụm Y").await;
    let officer_code = app.invite(&x.head, &x.unit2, "officer").await;
    let revoked = app.join_client(&officer_code, "Máy cũ").await;
    let spare = app.join_client(&officer_code, "Máy dự phòng").await;
    let head_code = app.invite(&x.head, &x.head.unit, "head").await;
    let head2 = app.join_client(&head_code, "Máy thứ hai").await;
    let (s, _) = x
        .head
        .send_json(
            &app,
            "DELETE",
            &format!("/api/devices/{}", revoked.device),
            &Value::Null,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, invites) = x.head.get(&app, "/api/invites").await;
    let invite_id = |role: &str| {
        invites
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|i| i["role"] == role)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (officer_invite, head_invite) = (invite_id("officer"), invite_id("head"));
    let tokens = vec![
        Some(x.head.token.clone()),
        Some(x.deputy.token.clone()),
        Some(x.officer.token.clone()),
        Some(revoked.token.clone()),
        None,
        Some("garbage-token-that-was-never-issued".into()),
        None,
        Some(y.head.token.clone()),
        Some(board.token.clone()),
        Some(other_board.token.clone()),
    ];
    Fixture {
        app,
        x,
        entry: e,
        campaign: camp,
        tokens,
        officer_code,
        officer_invite,
        head_invite,
        spare: spare.device.to_string(),
        head2: head2.device.to_string(),
        board_invite: inv["id"].as_str().unwrap().to_owned(),
        board2: board2.device.to_string(),
    }
}

impl Fixture {
    fn request(&self, r: &Row, caller: usize, n: usize) -> axum::http::Request<Body_> {
        let id = match r.target {
            "officer invite" => self.officer_invite.clone(),
            "head invite" => self.head_invite.clone(),
            "spare officer" => self.spare.clone(),
            "second head device" => self.head2.clone(),
            "board invite" => self.board_invite.clone(),
            "second board device" => self.board2.clone(),
            "cluster X" => self.x.id.to_string(),
            "entry of X" => self.entry.to_string(),
            _ => "unknown-id".to_owned(),
        };
        let hash = match r.target {
            "file of X" => sha(&photo()),
            _ => sha(b"a file nobody lists"),
        };
        let mut uri = r
            .path
            .replace("{id}", &id)
            .replace("{record_id}", &id)
            .replace("{hash}", &hash);
        if r.method == "PUT" && r.path == "/api/files/{hash}" {
            uri.push_str(&format!("?offset=0&size={}&type=image/jpeg", photo().len()));
        }
        if r.path == "/api/export/summary.xlsx" {
            let campaign = match r.target {
                "campaign of X" => self.campaign.to_string(),
                _ => "unknown-id".to_owned(),
            };
            uri.push_str(&format!("?campaign={campaign}"));
        }
        let body = match (r.path, r.target) {
            ("/api/join", "officer invite") => {
                json!({"code": self.officer_code, "device_name": format!("Máy {n}")})
            }
            ("/api/join", _) => json!({"code": "not-a-code", "device_name": "Máy"}),
            ("/api/sync/push", _) => json!({"push_id": format!("p{n}"), "records": []}),
            ("/api/me", _) => json!({"name": format!("Chị Lan {n}")}),
            ("/api/invites", "head of unit A") => json!({"unit_id": self.x.unit2, "role": "head"}),
            ("/api/invites", _) => json!({"unit_id": self.x.unit2, "role": "officer"}),
            ("/api/files/status", _) => json!({"hashes": [hash]}),
            ("/api/board/clusters", _) => json!({
                "name": format!("Cụm mới {n}"),
                "decision": {"number": "1/QĐ", "date": "2024-01-02", "issuer": "LĐLĐ tỉnh"},
                "year": 2024, "units": ["Công đoàn A", "Công đoàn B"], "head_unit_index": 0
            }),
            (p, _) if p.ends_with("/archive") => json!({"archived": false}),
            (p, _) if p.ends_with("/push") => json!({"push_id": format!("p{n}"), "records": []}),
            ("/api/board/units/move", _) => {
                json!({"from_cluster": self.x.id, "unit_id": self.x.unit2, "to_cluster": self.x.id})
            }
            ("/api/board/invites", _) => json!({}),
            _ => Value::Null,
        };
        let mut b = axum::http::Request::builder()
            .method(r.method)
            .uri(uri)
            .header("content-type", "application/json")
            // Distinct client addresses are not needed: failed joins are 8 per row at most.
            ;
        if CALLERS[caller] == "basic auth" {
            b = b.header("authorization", "Basic aGVhZDpzZWNyZXQ=");
        } else if let Some(t) = &self.tokens[caller] {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let bytes = if r.method == "GET" || r.method == "DELETE" {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        b.body(Body_::from(bytes)).unwrap()
    }
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_as_the_table_says() {
    // The table covers every documented operation.
    let spec = thidua_server::api::openapi::spec();
    let mut documented = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    let tabled: BTreeSet<(String, String)> = ENDPOINTS
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(tabled, documented, "the table must list every endpoint");

    let mut failures = Vec::new();
    let mut n = 0;
    for r in ENDPOINTS {
        // A fresh fixture per row: revocations and failed joins of one row do not leak.
        let f = fixture().await;
        for (caller, &want) in r.expect.iter().enumerate() {
            n += 1;
            let res = f.app.send(f.request(r, caller, n)).await;
            let status = res.status().as_u16();
            let bytes = body_bytes(res).await;
            let what = format!(
                "{} {} [{}] as {}",
                r.method, r.path, r.target, CALLERS[caller]
            );
            if status != want {
                failures.push(format!(
                    "{what}: expected {want}, got {status} {}",
                    String::from_utf8_lossy(&bytes)
                ));
                continue;
            }
            if status >= 400 {
                let j: Value = serde_json::from_slice(&bytes).unwrap();
                let code = match status {
                    400 => "bad_request",
                    401 => "unauthorized",
                    403 if r.path.starts_with("/api/files/") && caller < 8 => "file_not_referenced",
                    403 => "forbidden",
                    404 => "not_found",
                    _ => "",
                };
                if j["error"] != code || !j["message"].is_string() {
                    failures.push(format!("{what}: error body {j}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(n, ENDPOINTS.len() * CALLERS.len());
}

#[tokio::test]
async fn revoked_devices_get_401_on_every_authenticated_endpoint_at_once() {
    let f = fixture().await;
    let revoked = 3;
    for r in ENDPOINTS {
        let res = f.app.send(f.request(r, revoked, 0)).await;
        let public =
            r.path == "/api/health" || r.path == "/api/openapi.json" || r.path == "/api/join";
        if !public {
            assert_eq!(
                res.status(),
                StatusCode::UNAUTHORIZED,
                "{} {}",
                r.method,
                r.path
            );
            let j = body_json(res).await;
            assert!(j["message"].as_str().unwrap().contains("removed"), "{j}");
        }
    }
}

// ---- isolation between clusters ---------------------------------------------------------

/// Every id that identifies something of cluster `c` (records, devices, invites).
async fn identifiers(app: &TestApp, c: &common::Cluster) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = c.head.doc.records.keys().map(ToString::to_string).collect();
    for client in [&c.head, &c.deputy, &c.officer] {
        ids.insert(client.device.to_string());
    }
    for path in ["/api/invites", "/api/devices"] {
        let (_, list) = c.head.get(app, path).await;
        for item in list.as_array().unwrap() {
            ids.insert(item["id"].as_str().unwrap().to_owned());
        }
    }
    ids
}

/// Everything a device of `c` can read.
async fn readable(app: &TestApp, c: &common::Cluster) -> String {
    let mut out = String::new();
    for client in [&c.head, &c.deputy, &c.officer] {
        for path in ["/api/snapshot", "/api/invites", "/api/devices"] {
            let (_, j) = client.get(app, path).await;
            out.push_str(&j.to_string());
        }
        let mut since = 0;
        loop {
            let (s, j) = client
                .get(app, &format!("/api/sync/pull?since={since}&limit=2"))
                .await;
            assert_eq!(s, StatusCode::OK);
            out.push_str(&j.to_string());
            since = j["cursor"].as_u64().unwrap();
            if j["more"] != json!(true) {
                break;
            }
        }
    }
    out
}

#[tokio::test]
async fn no_endpoint_shows_another_clusters_data() {
    let app = TestApp::new();
    let mut x = app.cluster("Cụm X").await;
    let mut y = app.cluster("Cụm Y").await;
    for c in [&mut x, &mut y] {
        let camp = c.head.put(campaign());
        let unit = c.officer.unit.clone();
        let (s, _) = c.head.push(&app, &[&camp]).await;
        assert_eq!(s, StatusCode::OK);
        c.officer.sync(&app).await;
        let e = c.officer.put(entry(&unit, &camp));
        let (s, _) = c.officer.push(&app, &[&e]).await;
        assert_eq!(s, StatusCode::OK);
        app.invite(&c.head, &unit, "officer").await;
        c.head.sync(&app).await;
    }
    let x_ids = identifiers(&app, &x).await;
    let y_ids = identifiers(&app, &y).await;
    assert!(x_ids.len() > 10 && y_ids.len() > 10);
    assert!(x_ids.is_disjoint(&y_ids));
    let seen_by_x = readable(&app, &x).await;
    let seen_by_y = readable(&app, &y).await;
    for id in &y_ids {
        assert!(!seen_by_x.contains(id.as_str()), "cluster X sees {id} of Y");
    }
    for id in &x_ids {
        assert!(!seen_by_y.contains(id.as_str()), "cluster Y sees {id} of X");
    }
    // ...and each sees its own.
    for id in &x_ids {
        assert!(seen_by_x.contains(id.as_str()), "cluster X misses its {id}");
    }
    assert!(!seen_by_x.contains(&y.head.token) && !seen_by_x.contains(&x.head.token));

    // Y's head cannot write into X: X's ids are refused like ids that exist nowhere, so the
    // refusal does not tell that X has them.
    let x_camp = x
        .head
        .doc
        .campaigns()
        .map(|(id, _)| id.clone())
        .next()
        .unwrap();
    let mut c = campaign();
    c.title = "Chiếm".into();
    y.head.put_at(x_camp.clone(), c);
    let (s, j) = y.head.push(&app, &[&x_camp]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(j["rejected"][0]["code"], "forbidden");
    let nowhere = RecordId::new(format!(
        "{}x",
        &x_camp.as_str()[..x_camp.as_str().len() - 1]
    ))
    .unwrap();
    let mut c = campaign();
    c.title = "Không có".into();
    y.head.put_at(nowhere.clone(), c);
    let (s, k) = y.head.push(&app, &[&nowhere]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(k["rejected"][0]["code"], "forbidden");
    assert_eq!(
        first_refusal(&j).replace(x_camp.as_str(), "ID"),
        first_refusal(&k).replace(nowhere.as_str(), "ID"),
        "an id of another cluster is refused in the same words as one that exists nowhere"
    );
    assert_eq!(
        j["message"]
            .as_str()
            .unwrap()
            .replace(x_camp.as_str(), "ID"),
        k["message"]
            .as_str()
            .unwrap()
            .replace(nowhere.as_str(), "ID")
    );
    x.head.sync(&app).await;
    assert_eq!(
        x.head.doc.get_campaign(&x_camp).unwrap().title,
        campaign().title
    );
}
