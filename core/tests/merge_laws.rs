//! Property tests: the document merge is a join (commutative, associative, idempotent) over
//! documents built by random, possibly concurrent, histories, and `apply` agrees with it.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use thidua_core::*;

const DEVICES: usize = 3;
const IDS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    Put {
        dev: usize,
        id: usize,
        name: u8,
        at: i64,
    },
    Delete {
        dev: usize,
        id: usize,
        at: i64,
    },
    Resolve {
        dev: usize,
        id: usize,
        keep: usize,
        at: i64,
    },
    /// `to` receives everything `from` has (a sync in one direction).
    Sync {
        from: usize,
        to: usize,
    },
    /// The device loses its recent state and goes back to an earlier snapshot; its later
    /// edits then reuse clocks, giving equal clocks with different content.
    Restore {
        dev: usize,
        back: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let dev = 0..DEVICES;
    let id = 0..IDS;
    let at = 0i64..40;
    prop_oneof![
        5 => (dev.clone(), id.clone(), 0u8..4, at.clone())
            .prop_map(|(dev, id, name, at)| Op::Put { dev, id, name, at }),
        1 => (dev.clone(), id.clone(), at.clone()).prop_map(|(dev, id, at)| Op::Delete { dev, id, at }),
        1 => (dev.clone(), id.clone(), 0usize..3, at)
            .prop_map(|(dev, id, keep, at)| Op::Resolve { dev, id, keep, at }),
        2 => (dev.clone(), 0..DEVICES).prop_map(|(from, to)| Op::Sync { from, to }),
        1 => (dev, 1usize..4).prop_map(|(dev, back)| Op::Restore { dev, back }),
    ]
}

fn t(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_714_000_000 + s, 0).unwrap()
}

fn rid(i: usize) -> RecordId {
    RecordId::new(format!("r{i}")).unwrap()
}

fn body(id: usize, name: u8) -> Body {
    // Each id keeps one kind; ids 0–1 are units, 2–3 entries (with a nested tag).
    if id < 2 {
        Body::Unit(Unit {
            name: format!("unit {name}"),
            kind: UnitKind::Enterprise,
        })
    } else {
        Body::Entry(Entry {
            unit: RecordId::new("u1").unwrap(),
            campaign: RecordId::new("c1").unwrap(),
            criterion: None,
            date: chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            title: format!("entry {name}"),
            description: String::new(),
            details: EntryDetails::Trees {
                count: u32::from(name),
            },
            corrects: None,
            files: Vec::new(),
        })
    }
}

/// Runs the history and returns each device's document.
fn run(ops: &[Op]) -> Vec<Document> {
    let devs: Vec<DeviceId> = (0..DEVICES)
        .map(|i| DeviceId::new(format!("d{i}")).unwrap())
        .collect();
    let cluster = RecordId::new("cl").unwrap();
    let mut docs = vec![Document::new(cluster); DEVICES];
    let mut history: Vec<Vec<Document>> = vec![Vec::new(); DEVICES];
    for op in ops {
        match *op {
            Op::Put { dev, id, name, at } => {
                history[dev].push(docs[dev].clone());
                docs[dev].put(rid(id), body(id, name), &devs[dev], None, t(at));
            }
            Op::Delete { dev, id, at } => {
                history[dev].push(docs[dev].clone());
                let _ = docs[dev].delete(&rid(id), &devs[dev], None, t(at));
            }
            Op::Resolve { dev, id, keep, at } => {
                history[dev].push(docs[dev].clone());
                let _ = docs[dev].resolve(&rid(id), keep, &devs[dev], None, t(at));
            }
            Op::Sync { from, to } => {
                let incoming: Vec<Record> = docs[from].records.values().cloned().collect();
                docs[to].apply(incoming);
            }
            Op::Restore { dev, back } => {
                let h = &mut history[dev];
                if h.len() >= back {
                    let snapshot = h[h.len() - back].clone();
                    h.truncate(h.len() - back);
                    docs[dev] = snapshot;
                }
            }
        }
    }
    docs
}

/// Heads are an antichain with distinct clocks, winner first (latest `at`).
fn assert_canonical(doc: &Document) {
    for (id, r) in &doc.records {
        assert_eq!(&r.id, id);
        assert!(!r.heads.is_empty());
        for (i, a) in r.heads.iter().enumerate() {
            for b in &r.heads[i + 1..] {
                assert_eq!(
                    a.clock.compare(&b.clock),
                    ClockOrder::Concurrent,
                    "{id}: {r:?}"
                );
                assert!(a.at >= b.at, "{id}: heads not sorted");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_a_join(ops in prop::collection::vec(op(), 0..40)) {
        let docs = run(&ops);
        let (a, b, c) = (&docs[0], &docs[1], &docs[2]);
        for d in &docs {
            assert_canonical(d);
        }
        let ab = merge(a, b);
        assert_canonical(&ab);
        prop_assert_eq!(&ab, &merge(b, a), "commutative");
        prop_assert_eq!(merge(&ab, c), merge(a, &merge(b, c)), "associative");
        prop_assert_eq!(&merge(a, a), a, "idempotent");
        prop_assert_eq!(&merge(&ab, a), &ab, "absorbs its inputs");
    }

    #[test]
    fn apply_agrees_with_merge(ops in prop::collection::vec(op(), 0..40)) {
        let docs = run(&ops);
        let (a, b) = (&docs[0], &docs[1]);
        let mut x = a.clone();
        let changed = x.apply(b.records.values().cloned());
        prop_assert_eq!(&x, &merge(a, b));
        let expected: Vec<RecordId> = x
            .records
            .iter()
            .filter(|(id, r)| a.records.get(*id) != Some(*r))
            .map(|(id, _)| id.clone())
            .collect();
        prop_assert_eq!(changed, expected);
        prop_assert!(x.apply(b.records.values().cloned()).is_empty(), "re-apply is a no-op");
    }

    #[test]
    fn json_round_trip_preserves_documents(ops in prop::collection::vec(op(), 0..30)) {
        let docs = run(&ops);
        let m = merge(&docs[0], &merge(&docs[1], &docs[2]));
        let back = Document::from_json(&m.to_json().unwrap()).unwrap();
        prop_assert_eq!(back, m);
    }

    #[test]
    fn later_local_edit_dominates_what_device_saw(ops in prop::collection::vec(op(), 0..30)) {
        let mut docs = run(&ops);
        let seen = merge(&docs[0], &docs[1]);
        docs[0] = seen.clone();
        let d = DeviceId::new("d0").unwrap();
        for i in 0..IDS {
            docs[0].put(rid(i), body(i, 9), &d, None, t(0));
        }
        // The new edits win everywhere, whatever the older state had.
        let m = merge(&docs[0], &seen);
        for i in 0..IDS {
            let r = m.get(&rid(i)).unwrap();
            prop_assert_eq!(r.heads.len(), 1);
            prop_assert_eq!(r.body(), Some(&body(i, 9)));
        }
    }
}
