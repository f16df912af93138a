//! The latest changes of the busiest clusters, kept in memory so that the pulls of devices
//! that are nearly up to date are answered without reading the database.
//!
//! A cluster's [`Ring`] holds every change with a sequence number above `covered_from`, in
//! order, each as the JSON stored for it. A change that a later one of the same record
//! supersedes is kept as a gap (its JSON dropped), exactly as the database keeps only a
//! record's latest state: a pull from the ring returns what the database would. Changes are
//! appended only after their transaction committed.
use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use thidua_core::RecordId;

use super::{PullPage, RawRecords};

/// Clusters with a ring; appending to another drops the least recently appended one.
pub const RING_CLUSTERS: usize = 4;
/// Bytes of stored JSON a ring holds at most (about 4,500 entries of 900 bytes).
pub const RING_BYTES: usize = 4 * 1024 * 1024;
/// Changes a ring holds at most, live or superseded.
pub const RING_CHANGES: usize = 16 * 1024;

/// One committed change: the record's new state and its sequence number.
#[derive(Debug, Clone)]
pub struct Change {
    pub seq: u64,
    pub id: RecordId,
    pub json: Bytes,
}

#[derive(Debug)]
struct Slot {
    seq: u64,
    id: RecordId,
    /// `None` once a later change of the same record superseded it.
    json: Option<Bytes>,
}

#[derive(Debug)]
struct Ring {
    /// Every change with a greater sequence number is in `slots`.
    covered_from: u64,
    /// Sequence number of the last change (the cluster's cursor).
    last: u64,
    slots: VecDeque<Slot>,
    /// Record id → sequence number of its live slot.
    live: HashMap<RecordId, u64>,
    bytes: usize,
    appended: u64,
}

impl Ring {
    fn new(after: u64) -> Self {
        Self {
            covered_from: after,
            last: after,
            slots: VecDeque::new(),
            live: HashMap::new(),
            bytes: 0,
            appended: 0,
        }
    }

    fn slot_of(&mut self, seq: u64) -> Option<&mut Slot> {
        let i = self.slots.partition_point(|s| s.seq < seq);
        self.slots.get_mut(i).filter(|s| s.seq == seq)
    }

    fn push(&mut self, change: Change) {
        if let Some(old) = self.live.insert(change.id.clone(), change.seq) {
            if let Some(json) = self.slot_of(old).and_then(|s| s.json.take()) {
                self.bytes = self.bytes.saturating_sub(json.len());
            }
        }
        self.bytes += change.json.len();
        self.last = change.seq;
        self.slots.push_back(Slot {
            seq: change.seq,
            id: change.id,
            json: Some(change.json),
        });
        while self.bytes > RING_BYTES || self.slots.len() > RING_CHANGES {
            let Some(old) = self.slots.pop_front() else {
                break;
            };
            if let Some(json) = old.json {
                self.bytes = self.bytes.saturating_sub(json.len());
                self.live.remove(&old.id);
            }
            self.covered_from = old.seq;
        }
    }
}

/// The rings of a few clusters.
#[derive(Debug, Default)]
pub struct Recent {
    rings: HashMap<RecordId, Ring>,
    appended: u64,
}

impl Recent {
    /// Appends the committed `changes` of `cluster` (in sequence order).
    pub fn append(&mut self, cluster: &RecordId, changes: Vec<Change>) {
        let Some(first) = changes.first().map(|c| c.seq) else {
            return;
        };
        self.appended += 1;
        let after = first.saturating_sub(1);
        let fresh = match self.rings.get(cluster) {
            None => true,
            // Something changed the cluster without coming through here: start over.
            Some(ring) => ring.last != after,
        };
        if fresh {
            if !self.rings.contains_key(cluster) && self.rings.len() >= RING_CLUSTERS {
                if let Some(oldest) = self
                    .rings
                    .iter()
                    .min_by_key(|(_, r)| r.appended)
                    .map(|(id, _)| id.clone())
                {
                    self.rings.remove(&oldest);
                }
            }
            self.rings.insert(cluster.clone(), Ring::new(after));
        }
        if let Some(ring) = self.rings.get_mut(cluster) {
            ring.appended = self.appended;
            for change in changes {
                ring.push(change);
            }
        }
    }

    /// Forgets a cluster (its changes no longer come through [`Recent::append`]).
    pub fn forget(&mut self, cluster: &RecordId) {
        self.rings.remove(cluster);
    }

    /// The pull of `limit` changes after `since`, if the ring covers it.
    pub fn pull(&self, cluster: &RecordId, since: u64, limit: u32) -> Option<PullPage> {
        let ring = self.rings.get(cluster)?;
        if since < ring.covered_from || since > ring.last {
            return None;
        }
        let start = ring.slots.partition_point(|s| s.seq <= since);
        let mut records = RawRecords::new();
        let mut cursor = since;
        let mut more = false;
        for slot in ring.slots.range(start..) {
            let Some(json) = &slot.json else { continue };
            if records.len() == limit as usize {
                more = true;
                break;
            }
            records.push(json);
            cursor = slot.seq;
        }
        if !more {
            cursor = ring.last;
        }
        Some(PullPage {
            records,
            cursor,
            more,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn id(s: &str) -> RecordId {
        RecordId::new(s).unwrap()
    }

    fn change(seq: u64, rid: &str, body: &str) -> Change {
        Change {
            seq,
            id: id(rid),
            json: Bytes::from(format!("\"{rid}:{body}\"")),
        }
    }

    fn pulled(page: &PullPage) -> Vec<String> {
        let json = page.records.clone().into_chunks().concat();
        serde_json::from_slice(&json).unwrap()
    }

    #[test]
    fn answers_like_the_database_latest_state_once() {
        let c = id("c");
        let mut r = Recent::default();
        assert!(r.pull(&c, 0, 10).is_none(), "no ring yet");
        r.append(&c, vec![change(5, "a", "1"), change(6, "b", "1")]);
        r.append(&c, vec![change(7, "a", "2")]);
        // Below what the ring covers: the database answers.
        assert!(r.pull(&c, 3, 10).is_none());
        assert!(r.pull(&c, 8, 10).is_none(), "a cursor from the future");
        let p = r.pull(&c, 4, 10).unwrap();
        assert_eq!(pulled(&p), ["b:1", "a:2"]);
        assert_eq!((p.cursor, p.more), (7, false));
        let p = r.pull(&c, 4, 1).unwrap();
        assert_eq!(pulled(&p), ["b:1"]);
        assert_eq!((p.cursor, p.more), (6, true));
        let p = r.pull(&c, 6, 1).unwrap();
        assert_eq!(
            (pulled(&p), p.cursor, p.more),
            (vec!["a:2".to_owned()], 7, false)
        );
        let p = r.pull(&c, 7, 10).unwrap();
        assert!(p.records.is_empty());
        assert_eq!((p.cursor, p.more), (7, false));
        // The superseded change leaves a gap: "more" only counts live changes.
        let p = r.pull(&c, 5, 1).unwrap();
        assert_eq!(
            (pulled(&p), p.cursor, p.more),
            (vec!["b:1".to_owned()], 6, true)
        );
    }

    #[test]
    fn a_gap_in_sequence_numbers_starts_the_ring_over() {
        let c = id("c");
        let mut r = Recent::default();
        r.append(&c, vec![change(1, "a", "1")]);
        r.append(&c, vec![change(5, "b", "1")]);
        assert!(r.pull(&c, 0, 10).is_none());
        assert_eq!(pulled(&r.pull(&c, 4, 10).unwrap()), ["b:1"]);
        r.forget(&c);
        assert!(r.pull(&c, 4, 10).is_none());
    }

    #[test]
    fn rings_stay_within_their_budget() {
        let mut r = Recent::default();
        let c = id("c");
        let big = "x".repeat(100_000);
        for seq in 1..=200u64 {
            r.append(&c, vec![change(seq, &format!("r{seq}"), &big)]);
        }
        let ring = &r.rings[&c];
        assert!(ring.bytes <= RING_BYTES);
        assert!(ring.covered_from > 100);
        assert!(r.pull(&c, 10, 10).is_none());
        let p = r.pull(&c, ring.covered_from, 1000).unwrap();
        assert_eq!(p.records.len() as u64, 200 - ring.covered_from);
        // At most RING_CLUSTERS clusters; the least recently appended one goes.
        for n in 0..RING_CLUSTERS {
            r.append(&id(&format!("k{n}")), vec![change(1, "a", "1")]);
        }
        assert_eq!(r.rings.len(), RING_CLUSTERS);
        assert!(!r.rings.contains_key(&c));
    }
}
