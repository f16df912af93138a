//! A push is decided on a partial document (structural records + the pushed records + what
//! they refer to, see `thidua_server::sync::push_view`), not on the cluster's whole document.
//! This checks, over many random pushes of every kind by every role, that both decide alike.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use thidua_core::*;
use thidua_server::store::DeviceAuth;
use thidua_server::sync::{plan_push, push_view, structure_of, Found};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn id(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

struct Pusher {
    auth: DeviceAuth,
    counter: u64,
}

fn ids_of(doc: &Document, kind: Kind) -> Vec<RecordId> {
    doc.records
        .values()
        .filter(|r| r.kind == kind)
        .map(|r| r.id.clone())
        .collect()
}

/// A reference that may exist, be deleted, be of another kind, be missing or be foreign.
fn reference(rng: &mut Rng, doc: &Document, kind: Kind, fresh: &[RecordId]) -> RecordId {
    match rng.below(10) {
        0 => id("missing-record"),
        1 => id("foreign-1"),
        2 => rng.pick(&ids_of(doc, Kind::Entry)).clone(),
        3 if !fresh.is_empty() => rng.pick(fresh).clone(),
        _ => {
            let ids = ids_of(doc, kind);
            if ids.is_empty() {
                id("missing-record")
            } else {
                rng.pick(&ids).clone()
            }
        }
    }
}

fn body(rng: &mut Rng, doc: &Document, kind: Kind, me: &DeviceAuth, fresh: &[RecordId]) -> Body {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 5, 20).unwrap();
    let unit = |rng: &mut Rng| {
        if rng.chance(50) {
            me.unit_id.clone()
        } else {
            reference(rng, doc, Kind::Unit, fresh)
        }
    };
    match kind {
        Kind::Cluster | Kind::Unit => Unit {
            name: format!("Đơn vị {}", rng.below(1000)),
            kind: UnitKind::Agency,
        }
        .into(),
        Kind::Roles => Roles {
            year: 2024,
            head: unit(rng),
            deputy: rng.chance(50).then(|| unit(rng)),
        }
        .into(),
        Kind::Campaign => Campaign {
            title: "Đợt mới".into(),
            occasion: String::new(),
            slogan: String::new(),
            start: today - chrono::Days::new(30),
            end: today + chrono::Days::new(30),
            criteria: vec![Criterion {
                id: "sang-kien".into(),
                name: "Sáng kiến".into(),
                unit_of_measure: String::new(),
                points: 10,
                measure: Measure::Entries,
            }],
            deadlines: Vec::new(),
        }
        .into(),
        Kind::Pledge => Pledge {
            campaign: reference(rng, doc, Kind::Campaign, fresh),
            unit: unit(rng),
            targets: vec![Target {
                criterion: "sang-kien".into(),
                target: 3.0,
            }],
            commitments: String::new(),
            signed_on: today,
        }
        .into(),
        Kind::Entry => Entry {
            unit: unit(rng),
            campaign: reference(rng, doc, Kind::Campaign, fresh),
            criterion: rng.chance(70).then(|| "sang-kien".to_owned()),
            date: today,
            title: "Kết quả".into(),
            description: String::new(),
            details: EntryDetails::Work,
            corrects: rng
                .chance(30)
                .then(|| reference(rng, doc, Kind::Entry, fresh)),
            files: Vec::new(),
        }
        .into(),
        Kind::Review => {
            let entry = reference(rng, doc, Kind::Entry, fresh);
            let mut clock = doc.get(&entry).map(Record::clock).unwrap_or_default();
            if clock.is_empty() {
                clock.bump(&me.device_id);
            }
            Review {
                entry,
                entry_clock: clock,
                decision: ReviewDecision::Approve,
            }
            .into()
        }
        Kind::ReviewSession => ReviewSession {
            campaign: reference(rng, doc, Kind::Campaign, fresh),
            kind: SessionKind::SixMonth,
            date: today,
            criteria: Vec::new(),
            rows: vec![ScoreRow {
                unit: unit(rng),
                criteria: vec![],
                total: 1.0,
                rank: 1,
            }],
        }
        .into(),
        Kind::AwardProposal => AwardProposal {
            campaign: rng
                .chance(70)
                .then(|| reference(rng, doc, Kind::Campaign, fresh)),
            kind: AwardKind::CertificateOfMerit,
            nominee: Nominee::Unit { unit: unit(rng) },
            reason: "Lý do".into(),
            entries: (0..rng.below(3))
                .map(|_| reference(rng, doc, Kind::Entry, fresh))
                .collect(),
            votes: Votes::default(),
            sent: None,
        }
        .into(),
        Kind::AwardDecision => AwardDecision {
            proposal: reference(rng, doc, Kind::AwardProposal, fresh),
            sent: Utc.with_ymd_and_hms(2024, 5, 19, 8, 0, 0).unwrap(),
            outcome: AwardOutcome::Returned {
                reason: "Thiếu hồ sơ".into(),
            },
        }
        .into(),
        Kind::Reminder => Reminder {
            campaign: reference(rng, doc, Kind::Campaign, fresh),
            deadline: None,
            units: vec![unit(rng)],
            at: Utc.with_ymd_and_hms(2024, 5, 19, 8, 0, 0).unwrap(),
        }
        .into(),
    }
}

/// A random push by `p` against its replica of `doc`.
fn random_push(rng: &mut Rng, doc: &Document, p: &mut Pusher) -> Vec<Record> {
    let now = Utc.with_ymd_and_hms(2024, 5, 20, 8, 0, 0).unwrap();
    let mut replica = doc.clone();
    let mut touched: Vec<RecordId> = Vec::new();
    let me = p.auth.clone();
    for _ in 0..1 + rng.below(4) {
        let kind = *rng.pick(&Kind::ALL);
        match rng.below(4) {
            // New record.
            0 | 1 => {
                p.counter += 1;
                let new = RecordId::derive(&me.device_id, p.counter);
                let b = body(rng, &replica, kind, &me, &touched);
                replica.put(new.clone(), b, &me.device_id, Some(me.unit_id.clone()), now);
                touched.push(new);
            }
            // Edit an existing record of that kind.
            2 => {
                let ids = ids_of(&replica, kind);
                if let Some(target) = (!ids.is_empty()).then(|| rng.pick(&ids).clone()) {
                    let b = body(rng, &replica, kind, &me, &touched);
                    replica.put(
                        target.clone(),
                        b,
                        &me.device_id,
                        Some(me.unit_id.clone()),
                        now,
                    );
                    touched.push(target);
                }
            }
            // Delete one.
            _ => {
                let ids = ids_of(&replica, kind);
                if let Some(target) = (!ids.is_empty()).then(|| rng.pick(&ids).clone()) {
                    replica
                        .delete(&target, &me.device_id, Some(me.unit_id.clone()), now)
                        .unwrap();
                    touched.push(target);
                }
            }
        }
    }
    // One copy per id, as a device sends (a push repeating an id is refused).
    touched.sort();
    touched.dedup();
    let mut records = replica.changed_records(touched.iter());
    // Now and then, a record under another cluster's id.
    if rng.chance(10) {
        let mut foreign = Document::new(id("other"));
        foreign.put(
            id("foreign-1"),
            body(rng, doc, Kind::Unit, &me, &[]),
            &me.device_id,
            Some(me.unit_id.clone()),
            now,
        );
        records.extend(foreign.records.into_values());
    }
    records
}

/// The server's clock when it plans the pushes.
fn server_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
}

#[test]
fn plans_on_the_partial_document_equal_plans_on_the_whole_document() {
    let now = Utc.with_ymd_and_hms(2024, 5, 20, 8, 0, 0).unwrap();
    let server = DeviceId::new("server").unwrap();
    let demo = thidua_core::demo::demo(now.date_naive(), &server, now).unwrap();
    let mut doc = demo.document;
    let foreign_ids: BTreeSet<RecordId> = [id("foreign-1")].into();
    let auth = |device: &str, unit: &str, role: Role| Pusher {
        auth: DeviceAuth {
            device_id: DeviceId::new(device).unwrap(),
            cluster_id: demo.cluster.clone(),
            unit_id: id(unit),
            role,
            name: device.into(),
        },
        counter: 0,
    };
    let mut pushers = [
        auth("head-phone", "lam-son", Role::Head),
        auth("deputy-pc", "bac-song-ma", Role::Deputy),
        auth("officer-a", "medlatec", Role::Officer),
        auth("officer-b", "cap-nuoc", Role::Officer),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected, mut referencing) = (0, 0, 0);
    for round in 0..800 {
        let p = rng.below(pushers.len());
        let records = random_push(&mut rng, &doc, &mut pushers[p]);
        let auth = pushers[p].auth.clone();
        let whole_foreign: BTreeSet<RecordId> = records
            .iter()
            .filter(|r| !doc.records.contains_key(&r.id) && foreign_ids.contains(&r.id))
            .map(|r| r.id.clone())
            .collect();
        let whole = plan_push(
            &doc,
            &auth,
            records.clone(),
            &whole_foreign,
            &Default::default(),
            server_now(),
        );

        let structure = structure_of(&doc);
        let (view, view_foreign) = push_view(&structure, &records, |rid| {
            Ok::<_, ()>(match doc.get(rid) {
                Some(r) => Found::Here(r.clone()),
                None if foreign_ids.contains(rid) => Found::Elsewhere,
                None => Found::Missing,
            })
        })
        .unwrap();
        assert!(view.len() <= structure.len() + 40, "the view stays small");
        assert_eq!(view_foreign, whole_foreign, "round {round}");
        let partial = plan_push(
            &view,
            &auth,
            records,
            &view_foreign,
            &Default::default(),
            server_now(),
        );
        assert_eq!(partial.accepted, whole.accepted, "round {round}");
        assert_eq!(partial.rejected, whole.rejected, "round {round}");
        assert_eq!(partial.changed, whole.changed, "round {round}");
        accepted += whole.accepted.len();
        rejected += whole.rejected.len();
        referencing += whole
            .rejected
            .iter()
            .filter(|r| r.reason.contains("refers to"))
            .count();
        doc.apply(whole.changed);
    }
    // The random pushes exercised both outcomes, including refused references.
    assert!(accepted > 300, "{accepted} accepted");
    assert!(rejected > 300, "{rejected} rejected");
    assert!(referencing > 30, "{referencing} refused for references");
}
