//! Deterministic simulation of the sync protocol: one server replica and several devices
//! editing offline, over a network that loses, duplicates, delays and reorders messages, with
//! partitions and device restarts. After a heal every replica must hold the same document and
//! no edit may be lost.
//!
//! The protocol mirrors what the app and server do: a device pushes the records that changed
//! locally since the server last acknowledged them (as JSON `Vec<Record>`), the server
//! authorizes and `apply`s them, and devices pull the records the server changed since a cursor.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use thidua_core::*;

/// xorshift64*: tiny, seeded, good enough to drive a simulation.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            v.get(self.below(v.len()))
        }
    }
}

fn id(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.timestamp_opt(1_714_000_000, 0).unwrap()
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap()
}

/// Request ids survive restarts thanks to the persisted epoch, so a stale ack can never be
/// mistaken for the ack of a newer push.
type Req = (u64, u64);

#[derive(Clone)]
enum Msg {
    Push {
        from: usize,
        req: Req,
        body: String,
    },
    Ack {
        to: usize,
        req: Req,
    },
    Pull {
        from: usize,
        since: u64,
    },
    Pulled {
        to: usize,
        body: String,
        cursor: u64,
    },
}

impl Msg {
    fn device(&self) -> usize {
        match self {
            Msg::Push { from, .. } | Msg::Pull { from, .. } => *from,
            Msg::Ack { to, .. } | Msg::Pulled { to, .. } => *to,
        }
    }
}

struct Server {
    doc: Document,
    seq: u64,
    changed_at: BTreeMap<RecordId, u64>,
    actors: Vec<Actor>,
    noop_pushes: u64,
}

impl Server {
    fn push(&mut self, from: usize, body: &str) {
        let records: Vec<Record> = serde_json::from_str(body).unwrap();
        let actor = &self.actors[from];
        for r in &records {
            let existing = self.doc.get(&r.id);
            for h in r.heads.iter() {
                if existing.is_some_and(|e| e.covers(&h.clock)) {
                    continue; // already known: a retry or another device's version
                }
                if let Err(e) = authorize(actor, existing, h, &self.doc) {
                    panic!("server denied device {from} on {}: {e}", r.id);
                }
            }
        }
        let changed = self.doc.apply(records);
        if changed.is_empty() {
            self.noop_pushes += 1;
        }
        for id in changed {
            self.seq += 1;
            self.changed_at.insert(id, self.seq);
        }
    }

    fn pull(&self, since: u64) -> (String, u64) {
        let ids: Vec<&RecordId> = self
            .changed_at
            .iter()
            .filter(|(_, s)| **s > since)
            .map(|(id, _)| id)
            .collect();
        let records = self.doc.changed_records(ids);
        (serde_json::to_string(&records).unwrap(), self.seq)
    }
}

/// What a device keeps in durable storage (the app: IndexedDB / localStorage).
#[derive(Clone)]
struct Persisted {
    doc: String,
    meta: String,
}

struct Device {
    dev: DeviceId,
    actor: Actor,
    skew: i64,
    // Durable state (written to `saved` at persist points).
    doc: Document,
    dirty: BTreeSet<RecordId>,
    cursor: u64,
    counter: u64,
    epoch: u64,
    saved: Persisted,
    // Memory only: lost on restart.
    next_req: u64,
    inflight: BTreeMap<Req, Vec<Record>>,
}

impl Device {
    fn persist(&mut self) {
        let meta = serde_json::json!({
            "dirty": self.dirty,
            "cursor": self.cursor,
            "counter": self.counter,
            "epoch": self.epoch,
        });
        self.saved = Persisted {
            doc: self.doc.to_json().unwrap(),
            meta: meta.to_string(),
        };
    }

    fn restart(&mut self) {
        let v: serde_json::Value = serde_json::from_str(&self.saved.meta).unwrap();
        self.doc = Document::from_json(&self.saved.doc).unwrap();
        self.dirty = serde_json::from_value(v["dirty"].clone()).unwrap();
        self.cursor = v["cursor"].as_u64().unwrap();
        self.counter = v["counter"].as_u64().unwrap();
        self.epoch = v["epoch"].as_u64().unwrap() + 1;
        self.next_req = 0;
        self.inflight.clear();
        // The new epoch must be durable before any request uses it.
        self.persist();
    }

    fn now(&self, step: u64) -> DateTime<Utc> {
        t0() + chrono::Duration::seconds(step as i64 * 7 + self.skew)
    }

    fn push(&mut self) -> Option<Msg> {
        if self.dirty.is_empty() {
            return None;
        }
        let records = self.doc.changed_records(&self.dirty);
        let req = (self.epoch, self.next_req);
        self.next_req += 1;
        let body = serde_json::to_string(&records).unwrap();
        self.inflight.insert(req, records);
        Some(Msg::Push { from: 0, req, body })
    }

    /// Returns the records whose pushed state the server acknowledged.
    fn acked(&mut self, req: Req) -> Vec<Record> {
        let Some(pushed) = self.inflight.remove(&req) else {
            return vec![];
        };
        for r in &pushed {
            // Still dirty if edited (or merged) since that push.
            if self.doc.get(&r.id) == Some(r) {
                self.dirty.remove(&r.id);
            }
        }
        pushed
    }
}

struct Sim {
    rng: Rng,
    server: Server,
    devices: Vec<Device>,
    net: Vec<Msg>,
    partitioned: Vec<bool>,
    /// Every revision a device wrote, and those the server acknowledged.
    made: Vec<(RecordId, Revision)>,
    acked: Vec<(RecordId, Revision)>,
    stats: BTreeMap<&'static str, u64>,
}

const N_DEVICES: usize = 6;

fn campaign() -> Body {
    Body::Campaign(Campaign {
        title: "Đợt thi đua cao điểm".into(),
        occasion: "95 năm Công đoàn Việt Nam".into(),
        slogan: "Nâng cao năng suất".into(),
        start: date(4, 15),
        end: date(7, 10),
        criteria: vec![Criterion {
            id: "init".into(),
            name: "Sáng kiến".into(),
            unit_of_measure: "sáng kiến".into(),
            points: 10,
            measure: Measure::Entries,
        }],
        deadlines: Vec::new(),
    })
}

impl Sim {
    fn new(seed: u64) -> Sim {
        let mut rng = Rng::new(seed);
        // Device 0 is the cluster head's PC (unit u0); 1–5 are officers' phones, and devices 1
        // and 5 belong to the same unit so they edit the same entries concurrently.
        let unit_of = |d: usize| if d == 5 { 1 } else { d };
        let actors: Vec<Actor> = (0..N_DEVICES)
            .map(|d| Actor {
                unit: id(&format!("u{}", unit_of(d))),
                role: if d == 0 { Role::Head } else { Role::Officer },
            })
            .collect();
        // The head set up the cluster before the campaign; everyone starts from that.
        let head = DeviceId::new("pc0").unwrap();
        let mut doc = Document::new(id("cl"));
        for u in 0..5 {
            let b = Body::Unit(Unit {
                name: format!("Đơn vị {u}"),
                kind: UnitKind::Enterprise,
            });
            doc.put(id(&format!("u{u}")), b, &head, Some(id("u0")), t0());
        }
        doc.put(id("c1"), campaign(), &head, Some(id("u0")), t0());
        let server = Server {
            changed_at: doc.records.keys().map(|k| (k.clone(), 1)).collect(),
            seq: 1,
            doc: doc.clone(),
            actors: actors.clone(),
            noop_pushes: 0,
        };
        let devices = (0..N_DEVICES)
            .map(|d| {
                let mut dev = Device {
                    dev: DeviceId::new(format!("dev{d}")).unwrap(),
                    actor: actors[d].clone(),
                    skew: rng.below(600) as i64 - 300,
                    doc: doc.clone(),
                    dirty: BTreeSet::new(),
                    cursor: 1,
                    counter: 0,
                    epoch: 0,
                    saved: Persisted {
                        doc: String::new(),
                        meta: String::new(),
                    },
                    next_req: 0,
                    inflight: BTreeMap::new(),
                };
                dev.persist();
                dev
            })
            .collect();
        Sim {
            rng,
            server,
            devices,
            net: Vec::new(),
            partitioned: vec![false; N_DEVICES],
            made: Vec::new(),
            acked: Vec::new(),
            stats: BTreeMap::new(),
        }
    }

    fn count(&mut self, what: &'static str) {
        *self.stats.entry(what).or_insert(0) += 1;
    }

    /// One random local edit by device `d`, as the app would do it.
    fn edit(&mut self, d: usize, step: u64) {
        let rng = &mut self.rng;
        let dev = &mut self.devices[d];
        let now = dev.now(step);
        let unit = dev.actor.unit.clone();
        let is_head = dev.actor.role == Role::Head;
        let live_entries: Vec<RecordId> = dev
            .doc
            .entries()
            .filter(|(_, e)| is_head || e.unit == unit)
            .map(|(id, _)| id.clone())
            .collect();
        let conflicted: Vec<RecordId> = dev
            .doc
            .conflicted()
            .filter(|r| is_head || r.owner_unit() == Some(&unit))
            .map(|r| r.id.clone())
            .collect();
        let roll = rng.below(100);
        let target = rng.pick(&live_entries).cloned();
        let (rid, body): (RecordId, Option<Body>) = match (roll, target) {
            (0..10, _) if !conflicted.is_empty() => {
                // Resolve: keep a random version.
                let rid = rng.pick(&conflicted).cloned().unwrap();
                let rec = dev.doc.get(&rid).unwrap();
                let keep = rng.below(rec.heads.len());
                (rid, rec.heads[keep].body.clone())
            }
            (0..20, Some(rid)) => (rid, None),
            (0..35, Some(rid)) if is_head => {
                let entry_clock = dev.doc.get(&rid).unwrap().winner().unwrap().clock.clone();
                let decision = if rng.chance(70) {
                    ReviewDecision::Approve
                } else {
                    ReviewDecision::Return {
                        reason: "Thiếu minh chứng".into(),
                    }
                };
                dev.counter += 1;
                let review = RecordId::derive(&dev.dev, dev.counter);
                (
                    review,
                    Some(Body::Review(Review {
                        entry: rid,
                        entry_clock,
                        decision,
                    })),
                )
            }
            (0..60, Some(rid)) => {
                let mut e = dev.doc.get_entry(&rid).unwrap().clone();
                e.title = format!("{} (sửa {step})", e.title.split(" (").next().unwrap_or(""));
                e.details = EntryDetails::Trees {
                    count: rng.below(5000) as u32,
                };
                (rid, Some(Body::Entry(e)))
            }
            _ => {
                dev.counter += 1;
                let rid = RecordId::derive(&dev.dev, dev.counter);
                let owner = if is_head {
                    id(&format!("u{}", rng.below(5)))
                } else {
                    unit.clone()
                };
                let e = Entry {
                    unit: owner,
                    campaign: id("c1"),
                    criterion: Some("init".into()),
                    date: date(5, 1 + rng.below(28) as u32),
                    title: format!("Sáng kiến {step}"),
                    description: "Cải tiến quy trình vận hành trạm bơm".into(),
                    details: EntryDetails::Initiative {
                        value_vnd: rng.below(1_000_000) as u64 * 1000,
                    },
                    corrects: None,
                    files: Vec::new(),
                };
                (rid, Some(Body::Entry(e)))
            }
        };
        // The app checks validity and authorization before writing, as the server will.
        if let Some(b) = &body {
            assert_eq!(validate(&dev.doc, b), Ok(()), "{b:?}");
        }
        let mut probe_clock = dev.doc.get(&rid).map(Record::clock).unwrap_or_default();
        probe_clock.bump(&dev.dev);
        let probe = Revision {
            clock: probe_clock,
            author: dev.dev.clone(),
            author_unit: Some(unit.clone()),
            at: now,
            body: body.clone(),
        };
        if authorize(&dev.actor, dev.doc.get(&rid), &probe, &dev.doc).is_err() {
            self.count("edit refused locally");
            return;
        }
        let rec = match body {
            Some(b) => dev
                .doc
                .try_put(rid.clone(), b, &dev.dev, Some(unit), now)
                .unwrap(),
            None => dev.doc.delete(&rid, &dev.dev, Some(unit), now).unwrap(),
        };
        let rev = rec.winner().unwrap().clone();
        assert_eq!(rev, probe);
        dev.dirty.insert(rid.clone());
        // Local edits are durable before the UI confirms them.
        dev.persist();
        self.made.push((rid, rev));
        self.count("edits");
    }

    fn send(&mut self, d: usize) {
        // Like the app: at most two pushes in flight; older ones time out and are forgotten
        // (their acks, if they come, are ignored and the records stay dirty).
        let dev = &mut self.devices[d];
        if dev.inflight.len() >= 2 {
            dev.inflight.clear();
            self.count("timeouts");
        }
        if let Some(Msg::Push { req, body, .. }) = self.devices[d].push() {
            self.net.push(Msg::Push { from: d, req, body });
            self.count("pushes");
        }
        let since = self.devices[d].cursor;
        self.net.push(Msg::Pull { from: d, since });
    }

    fn deliver(&mut self, msg: Msg) {
        match msg {
            Msg::Push { from, req, body } => {
                self.server.push(from, &body);
                self.net.push(Msg::Ack { to: from, req });
            }
            Msg::Pull { from, since } => {
                let (body, cursor) = self.server.pull(since);
                self.net.push(Msg::Pulled {
                    to: from,
                    body,
                    cursor,
                });
            }
            Msg::Ack { to, req } => {
                let pushed = self.devices[to].acked(req);
                let author = self.devices[to].dev.clone();
                for r in pushed {
                    for h in r.heads.iter().filter(|h| h.author == author) {
                        self.acked.push((r.id.clone(), h.clone()));
                    }
                }
                if self.rng.chance(50) {
                    self.devices[to].persist();
                }
            }
            Msg::Pulled { to, body, cursor } => {
                let records: Vec<Record> = serde_json::from_str(&body).unwrap();
                let dev = &mut self.devices[to];
                dev.doc.apply(records);
                // A stale response arriving late must not move the cursor back.
                dev.cursor = dev.cursor.max(cursor);
                if self.rng.chance(50) {
                    dev.persist();
                }
            }
        }
    }

    /// One step of chaos: edits, syncs, partitions, restarts and a few deliveries.
    fn step(&mut self, step: u64) {
        for d in 0..N_DEVICES {
            if self.rng.chance(20) {
                self.edit(d, step);
            }
            // The app mostly knows when it is offline and does not try then.
            let online = !self.partitioned[d] || self.rng.chance(10);
            if online && self.rng.chance(20) {
                self.send(d);
            }
            if self.rng.chance(3) {
                self.partitioned[d] = !self.partitioned[d];
            }
            if self.rng.chance(1) {
                self.devices[d].restart();
                self.count("restarts");
            }
        }
        for _ in 0..self.rng.below(6) {
            if self.net.is_empty() {
                break;
            }
            let i = self.rng.below(self.net.len());
            let d = self.net[i].device();
            if self.partitioned[d] {
                // Held back while the device is offline; sometimes lost outright.
                if self.rng.chance(20) {
                    self.net.swap_remove(i);
                    self.count("lost in partition");
                }
                continue;
            }
            let msg = self.net.swap_remove(i);
            if self.rng.chance(8) {
                self.count("lost");
                continue;
            }
            if matches!(msg, Msg::Ack { .. }) && self.rng.chance(15) {
                self.count("acks lost");
                continue;
            }
            if self.rng.chance(8) {
                self.net.push(msg.clone());
                self.count("duplicated");
            }
            self.deliver(msg);
        }
    }

    /// Network heals: reliable, in-order rounds until nothing is dirty or in flight.
    fn heal(&mut self) {
        self.partitioned = vec![false; N_DEVICES];
        for _ in 0..20 {
            for d in 0..N_DEVICES {
                self.send(d);
            }
            while !self.net.is_empty() {
                let msg = self.net.remove(0);
                self.deliver(msg);
            }
            if self.devices.iter().all(|d| d.dirty.is_empty()) {
                // One last pull so everyone sees the last pushes.
                for d in 0..N_DEVICES {
                    self.send(d);
                }
                while !self.net.is_empty() {
                    let msg = self.net.remove(0);
                    self.deliver(msg);
                }
                return;
            }
        }
        panic!("did not quiesce after healing");
    }
}

/// The revision is in `doc`: a head has it, or dominates it (it is in that head's past).
fn present(doc: &Document, rid: &RecordId, rev: &Revision) -> bool {
    let Some(r) = doc.get(rid) else { return false };
    r.heads.iter().any(|h| match h.clock.compare(&rev.clock) {
        ClockOrder::Equal => h == rev,
        ClockOrder::After => true,
        _ => false,
    })
}

fn run(seed: u64, steps: u64) -> Sim {
    let mut sim = Sim::new(seed);
    for s in 0..steps {
        sim.step(s);
    }
    sim.heal();
    let server = &sim.server.doc;
    for (d, dev) in sim.devices.iter().enumerate() {
        assert!(
            dev.doc == *server,
            "seed {seed}: device {d} differs from the server after heal"
        );
    }
    for (rid, rev) in &sim.acked {
        assert!(
            present(server, rid, rev),
            "seed {seed}: acknowledged edit lost on {rid}"
        );
    }
    for (rid, rev) in &sim.made {
        assert!(present(server, rid, rev), "seed {seed}: edit lost on {rid}");
    }
    // Every replica reloads from JSON to the same document.
    let reloaded = Document::from_json(&server.to_json().unwrap()).unwrap();
    assert!(reloaded == *server);
    sim
}

#[test]
fn replicas_converge_and_keep_every_edit() {
    let mut totals: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut conflicts = 0;
    let mut noop = 0;
    for seed in 1..=6 {
        let sim = run(seed, 250);
        for (k, v) in &sim.stats {
            *totals.entry(k).or_insert(0) += v;
        }
        conflicts += sim.server.doc.conflicted().count();
        noop += sim.server.noop_pushes;
        assert!(!sim.acked.is_empty());
    }
    eprintln!("simulation totals: {totals:?}, conflicts left: {conflicts}, no-op pushes: {noop}");
    // The chaos must actually have happened for the test to mean anything.
    for what in [
        "restarts",
        "lost",
        "acks lost",
        "duplicated",
        "lost in partition",
        "timeouts",
        "edits",
    ] {
        assert!(
            totals.get(what).copied().unwrap_or(0) > 0,
            "no {what} in the simulation"
        );
    }
    assert!(noop > 0, "some pushes were retries that changed nothing");
    assert!(conflicts > 0, "concurrent edits left some conflicts");
}

#[test]
fn two_concurrent_edits_both_survive() {
    let mut sim = Sim::new(99);
    // Device 1 creates an entry and syncs it; device 5 (same unit) pulls it.
    sim.edit_entry_create(1);
    sim.heal();
    let rid = sim.devices[1]
        .doc
        .entries()
        .next()
        .map(|(id, _)| id.clone())
        .unwrap();
    // Both phones edit it offline.
    for (d, title) in [(1, "bản của máy 1"), (5, "bản của máy 5")] {
        let dev = &mut sim.devices[d];
        let mut e = dev.doc.get_entry(&rid).unwrap().clone();
        e.title = title.into();
        let now = t0() + chrono::Duration::seconds(100 + d as i64);
        let unit = dev.actor.unit.clone();
        dev.doc
            .put(rid.clone(), Body::Entry(e), &dev.dev, Some(unit), now);
        dev.dirty.insert(rid.clone());
    }
    sim.heal();
    let rec = sim.server.doc.get(&rid).unwrap();
    let titles: Vec<&str> = rec
        .heads
        .iter()
        .map(|h| match &h.body {
            Some(Body::Entry(e)) => e.title.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(
        titles,
        vec!["bản của máy 5", "bản của máy 1"],
        "winner then conflict"
    );
    for dev in &sim.devices {
        assert!(dev.doc == sim.server.doc);
    }
    assert_eq!(sim.server.doc.entry_status(&rid), EntryStatus::Submitted);
}

impl Sim {
    fn edit_entry_create(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        dev.counter += 1;
        let rid = RecordId::derive(&dev.dev, dev.counter);
        let e = Entry {
            unit: dev.actor.unit.clone(),
            campaign: id("c1"),
            criterion: None,
            date: date(5, 2),
            title: "Trồng cây".into(),
            description: String::new(),
            details: EntryDetails::Trees { count: 1500 },
            corrects: None,
            files: Vec::new(),
        };
        let unit = dev.actor.unit.clone();
        dev.doc
            .put(rid.clone(), Body::Entry(e), &dev.dev, Some(unit), t0());
        dev.dirty.insert(rid);
    }
}
