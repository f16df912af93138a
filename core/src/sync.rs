//! The sync document: a map of records, each a multi-value register with version vectors.
//!
//! Every write makes a [`Revision`] whose clock dominates every version the writer had seen.
//! A [`Record`] keeps only its *heads*, the revisions no other known revision dominates, so two
//! offline edits of the same record both survive a sync: one wins (deterministically, the same
//! on every replica) and the other stays visible as a conflict until someone edits or resolves
//! the record. Merging is a join in a semilattice (commutative, associative, idempotent), so
//! replicas can exchange records in any order, any number of times, and still converge.
//!
//! The order behind the join: revision `a` is above `b` when `a.clock` strictly dominates
//! `b.clock`, or the clocks are equal and `a` is greater in a fixed total order on revisions
//! (equal clocks with different content happen only when a device lost state and reused a
//! counter; picking by a total order keeps the merge laws). Heads are the maximal elements of
//! the union, and `max(A ∪ B) = max(max(A) ∪ max(B))` is what makes the merge a join.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::btree_map::Entry as MapEntry;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{DeviceId, RecordId, UnitId};
use crate::model::{
    AwardProposal, Body, Campaign, Cluster, Entry, Kind, Pledge, Review, ReviewSession, Roles, Unit,
};

/// Version of the stored document shape; bump it (and add a migration) when it changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Most heads a record read from JSON may have; bounds the quadratic head normalisation for
/// hostile input while staying far above any real number of concurrent edits.
pub const MAX_HEADS: usize = 1024;

// ---------------------------------------------------------------------------------------------
// Version vectors

/// A version vector: for each device, how many of its writes to this record are included.
/// Zero entries are never stored, so equal vectors have equal representations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct VersionVector(BTreeMap<DeviceId, u64>);

/// How two version vectors relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockOrder {
    /// `self` is strictly dominated by the other.
    Before,
    /// `self` strictly dominates the other.
    After,
    Equal,
    Concurrent,
}

impl VersionVector {
    pub fn new() -> Self {
        Self::default()
    }

    /// The counter of `device` (0 when absent).
    pub fn get(&self, device: &DeviceId) -> u64 {
        self.0.get(device).copied().unwrap_or(0)
    }

    /// Counts one more write by `device`; returns the new counter.
    pub fn bump(&mut self, device: &DeviceId) -> u64 {
        let c = self.0.entry(device.clone()).or_insert(0);
        // Saturating: a hostile clock at u64::MAX must not panic the app.
        *c = c.saturating_add(1);
        *c
    }

    /// Point-wise maximum.
    pub fn join(&self, other: &VersionVector) -> VersionVector {
        let mut out = self.clone();
        out.join_assign(other);
        out
    }

    pub fn join_assign(&mut self, other: &VersionVector) {
        for (d, &n) in &other.0 {
            let c = self.0.entry(d.clone()).or_insert(0);
            *c = (*c).max(n);
        }
    }

    /// `self ≥ other` point-wise (true for equal vectors).
    pub fn dominates(&self, other: &VersionVector) -> bool {
        matches!(self.compare(other), ClockOrder::After | ClockOrder::Equal)
    }

    pub fn compare(&self, other: &VersionVector) -> ClockOrder {
        let (mut less, mut greater) = (false, false);
        let mut a = self.0.iter().peekable();
        let mut b = other.0.iter().peekable();
        loop {
            match (a.peek(), b.peek()) {
                (None, None) => break,
                // Stored counters are never zero, so a key on one side only means "bigger".
                (Some(_), None) => {
                    greater = true;
                    break;
                }
                (None, Some(_)) => {
                    less = true;
                    break;
                }
                (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                    Ordering::Less => {
                        greater = true;
                        a.next();
                    }
                    Ordering::Greater => {
                        less = true;
                        b.next();
                    }
                    Ordering::Equal => {
                        match va.cmp(vb) {
                            Ordering::Less => less = true,
                            Ordering::Greater => greater = true,
                            Ordering::Equal => {}
                        }
                        a.next();
                        b.next();
                    }
                },
            }
            if less && greater {
                break;
            }
        }
        match (less, greater) {
            (false, false) => ClockOrder::Equal,
            (true, false) => ClockOrder::Before,
            (false, true) => ClockOrder::After,
            (true, true) => ClockOrder::Concurrent,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&DeviceId, u64)> {
        self.0.iter().map(|(d, n)| (d, *n))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An arbitrary but fixed total order, used only to break ties deterministically.
    fn total_cmp(&self, other: &VersionVector) -> Ordering {
        self.0.iter().cmp(other.0.iter())
    }
}

/// The causal partial order: `None` for concurrent clocks. Consistent with `==` because zero
/// counters are never stored.
impl PartialOrd for VersionVector {
    fn partial_cmp(&self, other: &VersionVector) -> Option<Ordering> {
        match self.compare(other) {
            ClockOrder::Before => Some(Ordering::Less),
            ClockOrder::After => Some(Ordering::Greater),
            ClockOrder::Equal => Some(Ordering::Equal),
            ClockOrder::Concurrent => None,
        }
    }
}

impl From<BTreeMap<DeviceId, u64>> for VersionVector {
    fn from(mut m: BTreeMap<DeviceId, u64>) -> Self {
        m.retain(|_, n| *n > 0);
        VersionVector(m)
    }
}

impl FromIterator<(DeviceId, u64)> for VersionVector {
    fn from_iter<I: IntoIterator<Item = (DeviceId, u64)>>(iter: I) -> Self {
        let mut out = VersionVector::default();
        for (d, n) in iter {
            if n > 0 {
                let c = out.0.entry(d).or_insert(0);
                *c = (*c).max(n);
            }
        }
        out
    }
}

impl Serialize for VersionVector {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for VersionVector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::<DeviceId, u64>::deserialize(d).map(VersionVector::from)
    }
}

// Serialised by hand (a map of device ids to counters), so described by hand.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for VersionVector {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        let counter = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::UInt64)))
            .minimum(Some(0));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("Writes seen per device: device id → counter."))
            .property_names(Some(DeviceId::schema_object()))
            .additional_properties(Some(counter))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for VersionVector {}

// ---------------------------------------------------------------------------------------------
// Revisions

/// One version of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    pub clock: VersionVector,
    pub author: DeviceId,
    /// The member unit of the person who wrote it (checked by the server against the login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_unit: Option<UnitId>,
    /// Wall-clock time on the author's device; only used to pick a winner among concurrent
    /// versions, never for causality.
    pub at: DateTime<Utc>,
    /// The content; `null` or absent marks a deletion (a tombstone).
    #[serde(default)]
    pub body: Option<Body>,
}

impl Revision {
    pub fn is_tombstone(&self) -> bool {
        self.body.is_none()
    }
}

/// A total order on revisions: later `at` first matters most, so that among concurrent
/// versions the most recent edit wins; the rest only breaks ties.
fn rev_cmp(a: &Revision, b: &Revision) -> Ordering {
    a.at.cmp(&b.at)
        .then_with(|| a.author.cmp(&b.author))
        .then_with(|| a.clock.total_cmp(&b.clock))
        .then_with(|| a.author_unit.cmp(&b.author_unit))
        .then_with(|| body_cmp(&a.body, &b.body))
}

fn body_cmp(a: &Option<Body>, b: &Option<Body>) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    // Reached only for equal clocks, times and authors with different content: rare enough
    // that serialising is fine. Serialising our own types cannot fail.
    let sa = serde_json::to_string(a).unwrap_or_default();
    let sb = serde_json::to_string(b).unwrap_or_default();
    sa.cmp(&sb)
}

/// `a` is strictly above `b` in the join order (see module docs).
fn supersedes(a: &Revision, b: &Revision) -> bool {
    match a.clock.compare(&b.clock) {
        ClockOrder::After => true,
        ClockOrder::Equal => rev_cmp(a, b) == Ordering::Greater,
        ClockOrder::Before | ClockOrder::Concurrent => false,
    }
}

/// The maximal elements of `revs`, without duplicates, winner first.
fn normalize_heads(revs: impl IntoIterator<Item = Revision>) -> Vec<Revision> {
    let mut kept: Vec<Revision> = Vec::new();
    'next: for c in revs {
        for k in &kept {
            match k.clock.compare(&c.clock) {
                ClockOrder::After => continue 'next,
                ClockOrder::Equal if rev_cmp(k, &c) != Ordering::Less => continue 'next,
                _ => {}
            }
        }
        kept.retain(|k| !supersedes(&c, k));
        kept.push(c);
    }
    crate::order::sort_by(&mut kept, |a, b| rev_cmp(b, a));
    kept
}

/// The maximal elements of two antichains (two records' normalised heads), winner first.
/// Within each side nothing supersedes anything, so only comparisons across the sides are
/// needed: O(|a|·|b|) instead of normalising the union, O((|a|+|b|)²). A push merging one
/// new version into a record with many conflicts thus costs one pass over them.
fn join_heads(a: &[Revision], b: &[Revision]) -> Vec<Revision> {
    let mut out: Vec<Revision> = a
        .iter()
        .filter(|x| !b.iter().any(|y| supersedes(y, x)))
        .cloned()
        .collect();
    out.extend(
        b.iter()
            .filter(|y| !a.iter().any(|x| x == *y || supersedes(x, y)))
            .cloned(),
    );
    crate::order::sort_by(&mut out, |x, y| rev_cmp(y, x));
    out
}

// ---------------------------------------------------------------------------------------------
// Records

/// Why a record read from JSON was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("record has no versions")]
    NoHeads,
    #[error("record has {0} versions, more than the {MAX_HEADS} allowed")]
    TooManyHeads(usize),
    #[error("record is a {record} but one version holds a {body}")]
    KindMismatch { record: Kind, body: Kind },
}

/// A record: its id, kind, and current heads (`heads[0]` is the winner, the rest conflicts).
///
/// Records read through serde are checked and normalised; records built by hand should come
/// from [`Document`] methods so that `heads` stays a sorted antichain. `heads` is shared and
/// immutable, so cloning a record (and a document) copies no revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WireRecord")]
pub struct Record {
    pub id: RecordId,
    pub kind: Kind,
    pub created_at: DateTime<Utc>,
    pub heads: Arc<[Revision]>,
}

/// A record as it travels and is stored: [`Record`]'s JSON, read without checking or
/// normalising its versions. The server reads pushes this way so that it checks its limits
/// before any work that grows faster than the body ([`Record::checked`] is quadratic in the
/// number of versions), and reads back the records it stored itself without normalising them
/// again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        as = Record,
        description = "A record: its id, kind, when it was created and its current versions."
    )
)]
pub struct WireRecord {
    pub id: RecordId,
    pub kind: Kind,
    pub created_at: DateTime<Utc>,
    /// Current versions, winner first; more than one is a conflict.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 1024))]
    pub heads: Vec<Revision>,
}

impl TryFrom<WireRecord> for Record {
    type Error = RecordError;
    fn try_from(w: WireRecord) -> Result<Record, RecordError> {
        Record::checked(w.id, w.kind, w.created_at, w.heads)
    }
}

// A record's JSON is a [`WireRecord`]'s: one description for both.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Record {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <WireRecord as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Record {
    fn name() -> std::borrow::Cow<'static, str> {
        <WireRecord as utoipa::ToSchema>::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <WireRecord as utoipa::ToSchema>::schemas(schemas);
    }
}

impl Record {
    /// Builds a record from untrusted parts: checks kinds and head count, normalises heads.
    pub fn checked(
        id: RecordId,
        kind: Kind,
        created_at: DateTime<Utc>,
        heads: Vec<Revision>,
    ) -> Result<Record, RecordError> {
        if heads.is_empty() {
            return Err(RecordError::NoHeads);
        }
        if heads.len() > MAX_HEADS {
            return Err(RecordError::TooManyHeads(heads.len()));
        }
        if let Some(body) = heads
            .iter()
            .filter_map(|h| h.body.as_ref())
            .find(|b| b.kind() != kind)
        {
            return Err(RecordError::KindMismatch {
                record: kind,
                body: body.kind(),
            });
        }
        Ok(Record {
            id,
            kind,
            created_at,
            heads: normalize_heads(heads).into(),
        })
    }

    /// The deterministic winner (`None` only for a hand-built record without heads).
    pub fn winner(&self) -> Option<&Revision> {
        self.heads.first()
    }

    /// Concurrent versions that lost to the winner.
    pub fn conflicts(&self) -> &[Revision] {
        self.heads.get(1..).unwrap_or(&[])
    }

    pub fn has_conflicts(&self) -> bool {
        self.heads.len() > 1
    }

    /// The winner's body; `None` when the record is deleted.
    pub fn body(&self) -> Option<&Body> {
        self.winner().and_then(|w| w.body.as_ref())
    }

    /// Whether the winner is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.body().is_none()
    }

    /// The owner unit of the winner's body, or of any head's body if the winner is a tombstone.
    pub fn owner_unit(&self) -> Option<&UnitId> {
        self.body().and_then(Body::owner_unit).or_else(|| {
            self.heads
                .iter()
                .filter_map(|h| h.body.as_ref()?.owner_unit())
                .next()
        })
    }

    /// Join of all heads' clocks: everything this replica knows about the record.
    pub fn clock(&self) -> VersionVector {
        let mut c = VersionVector::default();
        for h in self.heads.iter() {
            c.join_assign(&h.clock);
        }
        c
    }

    /// Whether a revision with this clock is included: a head has it or has it in its past.
    pub fn covers(&self, clock: &VersionVector) -> bool {
        self.heads.iter().any(|h| h.clock.dominates(clock))
    }

    /// The join of two replicas of the same record (`other.id` should equal `self.id`).
    ///
    /// Records of different kinds under one id only arise from a bug or a forged push (the
    /// server refuses those); they still merge deterministically: the smaller kind wins whole.
    pub fn merge(&self, other: &Record) -> Record {
        debug_assert_eq!(self.id, other.id, "merging different records");
        match self.kind.cmp(&other.kind) {
            Ordering::Less => return self.clone(),
            Ordering::Greater => return other.clone(),
            Ordering::Equal => {}
        }
        // Fast path: replicas that already agree (most records during a sync).
        let heads = if Arc::ptr_eq(&self.heads, &other.heads) || self.heads == other.heads {
            Arc::clone(&self.heads)
        } else {
            join_heads(&self.heads, &other.heads).into()
        };
        Record {
            id: self.id.clone(),
            kind: self.kind,
            created_at: self.created_at.min(other.created_at),
            heads,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Documents

/// Why a document operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("invalid document JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("document schema {found} is newer than this version understands ({supported}); update the app")]
    TooNew { found: u32, supported: u32 },
    #[error("record {id}: {source}")]
    InvalidRecord { id: RecordId, source: RecordError },
    #[error("no record {0}")]
    UnknownRecord(RecordId),
    #[error("record {id} has {len} versions, there is no version {index}")]
    NoSuchHead {
        id: RecordId,
        index: usize,
        len: usize,
    },
    #[error("record {id} is a {existing}, it cannot hold a {incoming}")]
    KindMismatch {
        id: RecordId,
        existing: Kind,
        incoming: Kind,
    },
}

/// One cluster's shared state: every record, keyed by id.
///
/// Two documents are equal exactly when they hold the same information (heads are kept sorted
/// and deduplicated), so `==` is meaningful for tests and for "did anything change".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub schema: u32,
    /// Id of the cluster record this document belongs to.
    pub cluster: RecordId,
    /// Stored as a JSON array of records (their ids are inside).
    #[serde(with = "records_as_seq")]
    pub records: BTreeMap<RecordId, Record>,
}

mod records_as_seq {
    use super::*;
    use serde::ser::SerializeSeq;

    pub fn serialize<S: Serializer>(
        m: &BTreeMap<RecordId, Record>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(m.len()))?;
        for r in m.values() {
            seq.serialize_element(r)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<RecordId, Record>, D::Error> {
        let v = Vec::<Record>::deserialize(d)?;
        Ok(collect_records(v))
    }
}

/// Duplicated ids (only in hand-edited files) are merged rather than refused.
fn collect_records(v: Vec<Record>) -> BTreeMap<RecordId, Record> {
    let mut m: BTreeMap<RecordId, Record> = BTreeMap::new();
    for r in v {
        match m.entry(r.id.clone()) {
            MapEntry::Vacant(e) => {
                e.insert(r);
            }
            MapEntry::Occupied(mut e) => {
                let merged = e.get().merge(&r);
                e.insert(merged);
            }
        }
    }
    m
}

/// The join of two documents: record-wise [`Record::merge`]. Pure; neither input changes.
pub fn merge(a: &Document, b: &Document) -> Document {
    let mut out: Vec<(RecordId, Record)> = Vec::with_capacity(a.records.len().max(b.records.len()));
    let mut ia = a.records.iter().peekable();
    let mut ib = b.records.iter().peekable();
    // Both maps are sorted, so one linear pass pairs up equal ids.
    loop {
        let next = match (ia.peek(), ib.peek()) {
            (None, None) => break,
            (Some(_), None) => ia.next().map(|(k, r)| (k.clone(), r.clone())),
            (None, Some(_)) => ib.next().map(|(k, r)| (k.clone(), r.clone())),
            (Some((ka, _)), Some((kb, _))) => match ka.cmp(kb) {
                Ordering::Less => ia.next().map(|(k, r)| (k.clone(), r.clone())),
                Ordering::Greater => ib.next().map(|(k, r)| (k.clone(), r.clone())),
                Ordering::Equal => match (ia.next(), ib.next()) {
                    (Some((k, ra)), Some((_, rb))) => Some((k.clone(), ra.merge(rb))),
                    _ => None,
                },
            },
        };
        if let Some(kv) = next {
            out.push(kv);
        }
    }
    Document {
        schema: a.schema.max(b.schema),
        // Documents of different clusters should never meet; if they do, stay deterministic.
        cluster: a.cluster.clone().min(b.cluster.clone()),
        records: out.into_iter().collect(),
    }
}

impl Document {
    pub fn new(cluster: RecordId) -> Document {
        Document {
            schema: SCHEMA_VERSION,
            cluster,
            records: BTreeMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn get<Q>(&self, id: &Q) -> Option<&Record>
    where
        RecordId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.records.get(id)
    }

    /// The winner's body of a record that exists and is not deleted.
    pub fn body<Q>(&self, id: &Q) -> Option<&Body>
    where
        RecordId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(id).and_then(Record::body)
    }

    /// All records that are not deleted, with their winning bodies.
    pub fn live(&self) -> impl Iterator<Item = (&RecordId, &Body)> + '_ {
        self.records
            .iter()
            .filter_map(|(id, r)| Some((id, r.body()?)))
    }

    /// Records with concurrent versions waiting to be resolved.
    pub fn conflicted(&self) -> impl Iterator<Item = &Record> + '_ {
        self.records.values().filter(|r| r.has_conflicts())
    }

    /// Writes `body` as a new revision that dominates every current head, so an edit made
    /// after seeing a conflict resolves it. A body of another kind than the existing record
    /// is ignored (the record is returned unchanged); use [`Document::try_put`] to see that.
    pub fn put(
        &mut self,
        id: RecordId,
        body: Body,
        device: &DeviceId,
        unit: Option<UnitId>,
        now: DateTime<Utc>,
    ) -> &Record {
        let kind = body.kind();
        match self.records.entry(id) {
            MapEntry::Occupied(e) if e.get().kind != kind => e.into_mut(),
            e => write(e, kind, Some(body), device, unit, now),
        }
    }

    /// Like [`Document::put`] but refuses a body whose kind differs from the record's.
    pub fn try_put(
        &mut self,
        id: RecordId,
        body: Body,
        device: &DeviceId,
        unit: Option<UnitId>,
        now: DateTime<Utc>,
    ) -> Result<&Record, DocError> {
        let kind = body.kind();
        if let Some(r) = self.records.get(&id) {
            if r.kind != kind {
                return Err(DocError::KindMismatch {
                    id,
                    existing: r.kind,
                    incoming: kind,
                });
            }
        }
        Ok(self.put(id, body, device, unit, now))
    }

    /// Writes a tombstone that dominates every current head.
    pub fn delete(
        &mut self,
        id: &RecordId,
        device: &DeviceId,
        unit: Option<UnitId>,
        now: DateTime<Utc>,
    ) -> Result<&Record, DocError> {
        let kind = self
            .get(id)
            .ok_or_else(|| DocError::UnknownRecord(id.clone()))?
            .kind;
        Ok(write(
            self.records.entry(id.clone()),
            kind,
            None,
            device,
            unit,
            now,
        ))
    }

    /// Keeps `heads[keep]` (body or tombstone) as a new revision dominating all heads.
    pub fn resolve(
        &mut self,
        id: &RecordId,
        keep: usize,
        device: &DeviceId,
        unit: Option<UnitId>,
        now: DateTime<Utc>,
    ) -> Result<&Record, DocError> {
        let rec = self
            .get(id)
            .ok_or_else(|| DocError::UnknownRecord(id.clone()))?;
        let kept = rec.heads.get(keep).ok_or(DocError::NoSuchHead {
            id: id.clone(),
            index: keep,
            len: rec.heads.len(),
        })?;
        let (kind, body) = (rec.kind, kept.body.clone());
        Ok(write(
            self.records.entry(id.clone()),
            kind,
            body,
            device,
            unit,
            now,
        ))
    }

    /// Merges incoming records in place; returns the ids whose stored state changed, sorted.
    /// Applying the same records again returns nothing, which makes retried pushes no-ops.
    /// Hand-built records without heads are skipped (deserialised ones always have heads).
    pub fn apply(&mut self, incoming: impl IntoIterator<Item = Record>) -> Vec<RecordId> {
        let mut changed = BTreeSet::new();
        for rec in incoming {
            if rec.heads.is_empty() {
                continue;
            }
            match self.records.entry(rec.id.clone()) {
                MapEntry::Vacant(e) => {
                    changed.insert(rec.id.clone());
                    let heads = normalize_heads(rec.heads.iter().cloned()).into();
                    e.insert(Record { heads, ..rec });
                }
                MapEntry::Occupied(mut e) => {
                    if *e.get() == rec {
                        continue;
                    }
                    let merged = e.get().merge(&rec);
                    if merged != *e.get() {
                        changed.insert(rec.id.clone());
                        e.insert(merged);
                    }
                }
            }
        }
        changed.into_iter().collect()
    }

    /// Copies of the given records (unknown ids are skipped), e.g. the dirty ones to push.
    pub fn changed_records<'a>(&self, ids: impl IntoIterator<Item = &'a RecordId>) -> Vec<Record> {
        ids.into_iter()
            .filter_map(|id| self.records.get(id).cloned())
            .collect()
    }

    /// Serialises the document (current schema).
    pub fn to_json(&self) -> Result<String, DocError> {
        Ok(serde_json::to_string(self)?)
    }

    /// Reads a document of this or an older schema, migrating old ones.
    pub fn from_json(json: &str) -> Result<Document, DocError> {
        use serde_json::value::RawValue;
        // Read the schema first: a newer document may not even parse as this version's shape.
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(default)]
            schema: Option<u32>,
            #[serde(borrow)]
            cluster: &'a RawValue,
            #[serde(borrow)]
            records: &'a RawValue,
        }
        let env: Envelope = serde_json::from_str(json)?;
        let schema = env.schema.unwrap_or(0);
        if schema > SCHEMA_VERSION {
            return Err(DocError::TooNew {
                found: schema,
                supported: SCHEMA_VERSION,
            });
        }
        let cluster: RecordId = serde_json::from_str(env.cluster.get())?;
        let records = match schema {
            0 => migrate_v0(serde_json::from_str(env.records.get())?)?,
            _ => collect_records(serde_json::from_str(env.records.get())?),
        };
        Ok(Document {
            schema: SCHEMA_VERSION,
            cluster,
            records,
        })
    }
}

fn write<'a>(
    slot: MapEntry<'a, RecordId, Record>,
    kind: Kind,
    body: Option<Body>,
    device: &DeviceId,
    unit: Option<UnitId>,
    now: DateTime<Utc>,
) -> &'a Record {
    let rev = |clock| Revision {
        clock,
        author: device.clone(),
        author_unit: unit,
        at: now,
        body,
    };
    match slot {
        MapEntry::Vacant(e) => {
            let mut clock = VersionVector::default();
            clock.bump(device);
            let id = e.key().clone();
            e.insert(Record {
                id,
                kind,
                created_at: now,
                heads: Arc::new([rev(clock)]),
            })
        }
        MapEntry::Occupied(e) => {
            let rec = e.into_mut();
            let mut clock = rec.clock();
            clock.bump(device);
            // The new clock strictly dominates every head, so it is the only head left.
            rec.heads = Arc::new([rev(clock)]);
            rec
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schema 0: records in a map keyed by id, each with a single `rev` and no `author_unit`.

#[derive(Deserialize)]
struct V0Record {
    kind: Kind,
    created_at: DateTime<Utc>,
    rev: V0Revision,
}

#[derive(Deserialize)]
struct V0Revision {
    clock: VersionVector,
    author: DeviceId,
    at: DateTime<Utc>,
    #[serde(default)]
    body: Option<Body>,
}

fn migrate_v0(v0: BTreeMap<RecordId, V0Record>) -> Result<BTreeMap<RecordId, Record>, DocError> {
    v0.into_iter()
        .map(|(id, r)| {
            // v0 had no author unit; the owner unit is the best guess and only matters for
            // pledges and entries, which officers write for their own unit.
            let author_unit = r.rev.body.as_ref().and_then(Body::owner_unit).cloned();
            let rev = Revision {
                clock: r.rev.clock,
                author: r.rev.author,
                author_unit,
                at: r.rev.at,
                body: r.rev.body,
            };
            Record::checked(id.clone(), r.kind, r.created_at, vec![rev])
                .map(|rec| (id.clone(), rec))
                .map_err(|source| DocError::InvalidRecord { id, source })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Typed accessors

macro_rules! accessors {
    ($($plural:ident, $single:ident, $variant:ident;)*) => {
        impl Document {$(
            #[doc = concat!("Live (non-deleted) `", stringify!($variant), "` records with their winning bodies.")]
            pub fn $plural(&self) -> impl Iterator<Item = (&RecordId, &$variant)> + '_ {
                self.records.iter().filter_map(|(id, r)| match r.body() {
                    Some(Body::$variant(x)) => Some((id, x)),
                    _ => None,
                })
            }

            #[doc = concat!("The winning body of a live `", stringify!($variant), "` record.")]
            pub fn $single<Q>(&self, id: &Q) -> Option<&$variant>
            where
                RecordId: Borrow<Q>,
                Q: Ord + ?Sized,
            {
                match self.body(id) {
                    Some(Body::$variant(x)) => Some(x),
                    _ => None,
                }
            }
        )*}
    };
}

accessors! {
    clusters, get_cluster, Cluster;
    units, get_unit, Unit;
    roles, get_roles, Roles;
    campaigns, get_campaign, Campaign;
    pledges, get_pledge, Pledge;
    entries, get_entry, Entry;
    reviews, get_review, Review;
    review_sessions, get_review_session, ReviewSession;
    award_proposals, get_award_proposal, AwardProposal;
}

impl Document {
    /// The live campaigns in the order the officer's screens list them: those running on
    /// `today` first, then the others; newest start first within each.
    /// How many live records refer to `id` (entries of a campaign, reviews of an entry…):
    /// a record something depends on is not deleted from under it.
    pub fn dependents(&self, id: &RecordId) -> usize {
        self.records
            .values()
            .filter_map(|r| r.winner()?.body.as_ref())
            .filter(|body| body.references().contains(&id))
            .count()
    }

    /// The member units: live units that have not moved to another cluster
    /// ([`crate::model::Cluster::former_units`]).
    pub fn member_units(&self) -> impl Iterator<Item = (&RecordId, &Unit)> + '_ {
        let former: &[RecordId] = self
            .get_cluster(&self.cluster)
            .map_or(&[], |c| c.former_units.as_slice());
        self.units().filter(move |(id, _)| !former.contains(id))
    }

    pub fn campaigns_running_first(&self, today: NaiveDate) -> Vec<(RecordId, Campaign)> {
        let mut list: Vec<(RecordId, Campaign)> = self
            .campaigns()
            .map(|(id, c)| (id.clone(), c.clone()))
            .collect();
        let key = |c: &Campaign| (!c.contains(today), std::cmp::Reverse(c.start));
        crate::order::sort_by(&mut list, |(_, a), (_, b)| key(a).cmp(&key(b)));
        list
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::tests::{all_bodies, id, sample_entry};
    use crate::model::{EntryDetails, UnitKind};
    use chrono::TimeZone;

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_714_000_000 + secs, 0).unwrap()
    }

    fn vv(pairs: &[(&str, u64)]) -> VersionVector {
        pairs.iter().map(|(d, n)| (dev(d), *n)).collect()
    }

    fn unit_body(name: &str) -> Body {
        Body::Unit(Unit {
            name: name.into(),
            kind: UnitKind::Enterprise,
        })
    }

    fn name_of(r: &Revision) -> &str {
        match &r.body {
            Some(Body::Unit(u)) => &u.name,
            _ => "",
        }
    }

    #[test]
    fn clock_compare() {
        let a = vv(&[("a", 1), ("b", 2)]);
        assert_eq!(a.compare(&a), ClockOrder::Equal);
        assert_eq!(a.compare(&vv(&[("a", 1)])), ClockOrder::After);
        assert_eq!(vv(&[("a", 1)]).compare(&a), ClockOrder::Before);
        assert_eq!(a.compare(&vv(&[("a", 2)])), ClockOrder::Concurrent);
        assert_eq!(a.compare(&vv(&[("c", 1)])), ClockOrder::Concurrent);
        assert_eq!(VersionVector::new().compare(&a), ClockOrder::Before);
        assert!(a.dominates(&a) && a.dominates(&vv(&[("b", 1)])));
        assert!(!vv(&[("b", 1)]).dominates(&a));
        assert!(vv(&[("a", 1)]) < a && a > vv(&[("b", 2)]) && a <= a);
        assert_eq!(a.partial_cmp(&vv(&[("c", 1)])), None);
    }

    #[test]
    fn clock_join_bump_and_zeros() {
        let mut a = vv(&[("a", 1), ("b", 5)]);
        let j = a.join(&vv(&[("a", 3), ("c", 1)]));
        assert_eq!(j, vv(&[("a", 3), ("b", 5), ("c", 1)]));
        assert_eq!(a.bump(&dev("a")), 2);
        assert_eq!(a.bump(&dev("z")), 1);
        assert_eq!(a.get(&dev("z")), 1);
        assert_eq!(a.get(&dev("q")), 0);
        // Zero counters are dropped so that equal clocks compare equal structurally.
        let parsed: VersionVector = serde_json::from_str(r#"{"a":0,"b":2}"#).unwrap();
        assert_eq!(parsed, vv(&[("b", 2)]));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), r#"{"b":2}"#);
        assert!(serde_json::from_str::<VersionVector>(r#"{"bad id":1}"#).is_err());
        let mut max = vv(&[("a", u64::MAX)]);
        assert_eq!(max.bump(&dev("a")), u64::MAX);
    }

    #[test]
    fn put_creates_then_supersedes() {
        let mut doc = Document::new(id("cl"));
        let d = dev("d1");
        let r = doc.put(id("u1"), unit_body("A"), &d, None, t(0));
        assert_eq!(r.heads.len(), 1);
        assert_eq!(r.created_at, t(0));
        assert_eq!(r.winner().unwrap().clock, vv(&[("d1", 1)]));
        let r = doc.put(id("u1"), unit_body("B"), &d, None, t(5));
        assert_eq!(r.heads.len(), 1);
        assert_eq!(r.winner().unwrap().clock, vv(&[("d1", 2)]));
        assert_eq!(r.created_at, t(0));
        assert_eq!(doc.get_unit("u1").unwrap().name, "B");
    }

    #[test]
    fn put_refuses_other_kind() {
        let mut doc = Document::new(id("cl"));
        let d = dev("d1");
        doc.put(id("x"), unit_body("A"), &d, None, t(0));
        let before = doc.clone();
        let entry = Body::Entry(sample_entry(EntryDetails::Work));
        doc.put(id("x"), entry.clone(), &d, None, t(1));
        assert_eq!(doc, before);
        let err = doc.try_put(id("x"), entry, &d, None, t(1)).unwrap_err();
        assert!(
            matches!(
                err,
                DocError::KindMismatch {
                    existing: Kind::Unit,
                    ..
                }
            ),
            "{err}"
        );
    }

    /// Two replicas that edited the same record concurrently.
    fn concurrent_pair() -> (Document, Document) {
        let mut a = Document::new(id("cl"));
        a.put(id("u1"), unit_body("base"), &dev("a"), None, t(0));
        let mut b = a.clone();
        a.put(id("u1"), unit_body("from a"), &dev("a"), None, t(10));
        b.put(id("u1"), unit_body("from b"), &dev("b"), None, t(20));
        (a, b)
    }

    #[test]
    fn concurrent_edits_both_survive_latest_wins() {
        let (a, b) = concurrent_pair();
        let m = merge(&a, &b);
        assert_eq!(m, merge(&b, &a));
        let r = m.get("u1").unwrap();
        assert_eq!(r.heads.len(), 2);
        assert_eq!(name_of(r.winner().unwrap()), "from b", "later `at` wins");
        assert_eq!(name_of(&r.conflicts()[0]), "from a");
        assert_eq!(m.conflicted().count(), 1);
    }

    #[test]
    fn edit_after_conflict_resolves_it() {
        let (a, b) = concurrent_pair();
        let mut m = merge(&a, &b);
        let r = m.put(id("u1"), unit_body("merged"), &dev("c"), None, t(30));
        assert_eq!(r.heads.len(), 1);
        assert_eq!(
            r.winner().unwrap().clock,
            vv(&[("a", 2), ("b", 1), ("c", 1)])
        );
        // The old replicas' versions are in its past: merging them back changes nothing.
        let before = m.clone();
        assert!(m.apply(a.records.into_values()).is_empty());
        assert!(m.apply(b.records.into_values()).is_empty());
        assert_eq!(m, before);
    }

    #[test]
    fn resolve_keeps_chosen_version() {
        let (a, b) = concurrent_pair();
        let mut m = merge(&a, &b);
        let r = m.resolve(&id("u1"), 1, &dev("a"), None, t(40)).unwrap();
        assert_eq!(r.heads.len(), 1);
        assert_eq!(name_of(r.winner().unwrap()), "from a");
        assert!(matches!(
            m.resolve(&id("u1"), 3, &dev("a"), None, t(40)),
            Err(DocError::NoSuchHead {
                index: 3,
                len: 1,
                ..
            })
        ));
        assert!(matches!(
            m.resolve(&id("nope"), 0, &dev("a"), None, t(40)),
            Err(DocError::UnknownRecord(_))
        ));
    }

    #[test]
    fn delete_writes_tombstone_that_merges() {
        let mut a = Document::new(id("cl"));
        a.put(id("u1"), unit_body("A"), &dev("a"), None, t(0));
        let b = a.clone();
        let r = a.delete(&id("u1"), &dev("a"), None, t(1)).unwrap();
        assert!(r.is_deleted());
        assert!(r.winner().unwrap().is_tombstone());
        assert_eq!(a.units().count(), 0);
        assert_eq!(a.live().count(), 0);
        let m = merge(&a, &b);
        assert!(
            m.get("u1").unwrap().is_deleted(),
            "tombstone dominates the older body"
        );
        assert!(a.delete(&id("zz"), &dev("a"), None, t(1)).is_err());
    }

    #[test]
    fn concurrent_delete_and_edit_keep_both() {
        let mut a = Document::new(id("cl"));
        a.put(id("u1"), unit_body("A"), &dev("a"), None, t(0));
        let mut b = a.clone();
        a.delete(&id("u1"), &dev("a"), None, t(5)).unwrap();
        b.put(id("u1"), unit_body("edited"), &dev("b"), None, t(3));
        let m = merge(&a, &b);
        let r = m.get("u1").unwrap();
        assert!(r.is_deleted(), "the later tombstone wins");
        assert_eq!(r.heads.len(), 2);
        assert_eq!(name_of(&r.conflicts()[0]), "edited", "the edit is not lost");
        let mut m2 = m.clone();
        m2.resolve(&id("u1"), 1, &dev("c"), None, t(9)).unwrap();
        assert_eq!(m2.get_unit("u1").unwrap().name, "edited");
    }

    #[test]
    fn equal_clocks_different_content_merge_deterministically() {
        let mut a = Document::new(id("cl"));
        let mut b = Document::new(id("cl"));
        // Same device, same counter, different content: a device that lost its state.
        a.put(id("u1"), unit_body("one"), &dev("d"), None, t(0));
        b.put(id("u1"), unit_body("two"), &dev("d"), None, t(0));
        let m1 = merge(&a, &b);
        let m2 = merge(&b, &a);
        assert_eq!(m1, m2);
        assert_eq!(m1.get("u1").unwrap().heads.len(), 1);
        assert_eq!(merge(&m1, &a), m1);
    }

    #[test]
    fn apply_reports_changes_and_is_idempotent() {
        let (a, b) = concurrent_pair();
        let mut x = a.clone();
        let changed = x.apply(b.records.values().cloned());
        assert_eq!(changed, vec![id("u1")]);
        assert_eq!(x, merge(&a, &b));
        assert!(
            x.apply(b.records.values().cloned()).is_empty(),
            "retry is a no-op"
        );
        assert!(x.apply(a.records.values().cloned()).is_empty());
        let mut empty = Document::new(id("cl"));
        assert_eq!(
            empty.apply(x.changed_records([&id("u1"), &id("missing")])),
            vec![id("u1")]
        );
        assert_eq!(empty, x);
    }

    #[test]
    fn apply_skips_headless_and_normalises() {
        let (a, b) = concurrent_pair();
        let mut r = merge(&a, &b).records.remove("u1").unwrap();
        let mut heads = r.heads.to_vec();
        heads.reverse();
        heads.push(heads[0].clone());
        r.heads = heads.into();
        let mut doc = Document::new(id("cl"));
        doc.apply([
            r.clone(),
            Record {
                id: id("h"),
                heads: Arc::new([]),
                ..r.clone()
            },
        ]);
        assert_eq!(doc, merge(&a, &b));
    }

    #[test]
    fn merge_of_different_kinds_is_deterministic() {
        let mut a = Document::new(id("cl"));
        let mut b = Document::new(id("cl"));
        a.put(id("x"), unit_body("A"), &dev("a"), None, t(0));
        b.put(
            id("x"),
            Body::Entry(sample_entry(EntryDetails::Work)),
            &dev("b"),
            None,
            t(0),
        );
        assert_eq!(merge(&a, &b), merge(&b, &a));
        assert_eq!(merge(&a, &b).get("x").unwrap().kind, Kind::Unit);
    }

    #[test]
    fn record_json_is_checked() {
        let mut doc = Document::new(id("cl"));
        doc.put(id("u1"), unit_body("A"), &dev("a"), Some(id("u1")), t(0));
        let rec = doc.get("u1").unwrap();
        let json = serde_json::to_string(rec).unwrap();
        assert_eq!(&serde_json::from_str::<Record>(&json).unwrap(), rec);
        let no_heads = json.replace(r#""heads":[{"#, r#""heads":[],"x":[{"#);
        assert!(serde_json::from_str::<Record>(&no_heads).is_err());
        let wrong_kind = json.replace(r#""kind":"unit""#, r#""kind":"entry""#);
        let err = serde_json::from_str::<Record>(&wrong_kind).unwrap_err();
        assert!(
            err.to_string().contains("one version holds a unit"),
            "{err}"
        );
    }

    #[test]
    fn owner_unit_falls_back_to_any_head() {
        let mut a = Document::new(id("cl"));
        let e = Body::Entry(sample_entry(EntryDetails::Work));
        a.put(id("e1"), e, &dev("a"), Some(id("u1")), t(0));
        let mut b = a.clone();
        a.delete(&id("e1"), &dev("a"), Some(id("u1")), t(5))
            .unwrap();
        assert_eq!(a.get("e1").unwrap().owner_unit(), None);
        b.put(
            id("e1"),
            Body::Entry(sample_entry(EntryDetails::Model)),
            &dev("b"),
            None,
            t(1),
        );
        let m = merge(&a, &b);
        assert!(m.get("e1").unwrap().is_deleted());
        assert_eq!(m.get("e1").unwrap().owner_unit(), Some(&id("u1")));
    }

    #[test]
    fn document_json_round_trip_all_bodies() {
        let mut doc = Document::new(id("cl"));
        for (i, b) in all_bodies().into_iter().enumerate() {
            doc.put(
                RecordId::derive(&dev("d"), i as u64),
                b,
                &dev("d"),
                Some(id("u1")),
                t(0),
            );
        }
        doc.delete(&RecordId::derive(&dev("d"), 0), &dev("d"), None, t(1))
            .unwrap();
        let json = doc.to_json().unwrap();
        assert!(
            json.starts_with(r#"{"schema":1,"cluster":"cl","records":["#),
            "{json}"
        );
        assert_eq!(Document::from_json(&json).unwrap(), doc);
        // Plain serde also works (without migration).
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), doc);
    }

    #[test]
    fn newer_schema_is_refused() {
        let json = r#"{"schema":2,"cluster":{"changed":"shape"},"records":{}}"#;
        assert!(matches!(
            Document::from_json(json),
            Err(DocError::TooNew {
                found: 2,
                supported: SCHEMA_VERSION
            })
        ));
        assert!(matches!(Document::from_json("[]"), Err(DocError::Json(_))));
        assert!(matches!(
            Document::from_json(r#"{"schema":1}"#),
            Err(DocError::Json(_))
        ));
    }

    #[test]
    fn v0_document_is_migrated() {
        let v0 = r#"{
          "cluster": "cl",
          "records": {
            "u1": {"kind": "unit", "created_at": "2024-04-01T00:00:00Z",
                   "rev": {"clock": {"d1": 2}, "author": "d1", "at": "2024-04-02T00:00:00Z",
                           "body": {"type": "unit", "name": "Công ty A", "kind": "enterprise"}}},
            "e1": {"kind": "entry", "created_at": "2024-04-01T00:00:00Z",
                   "rev": {"clock": {"d2": 1}, "author": "d2", "at": "2024-04-03T00:00:00Z",
                           "body": {"type": "entry", "unit": "u1", "campaign": "c1",
                                    "date": "2024-05-01", "title": "Trồng cây",
                                    "details": {"kind": "trees", "count": 1500}}}},
            "x1": {"kind": "unit", "created_at": "2024-04-01T00:00:00Z",
                   "rev": {"clock": {"d1": 1}, "author": "d1", "at": "2024-04-02T00:00:00Z"}}
          }
        }"#;
        let doc = Document::from_json(v0).unwrap();
        assert_eq!(doc.schema, SCHEMA_VERSION);
        assert_eq!(doc.cluster, id("cl"));
        assert_eq!(doc.get_unit("u1").unwrap().name, "Công ty A");
        let e = doc.get("e1").unwrap();
        assert_eq!(e.winner().unwrap().author_unit, Some(id("u1")));
        assert_eq!(e.winner().unwrap().clock, vv(&[("d2", 1)]));
        assert!(doc.get("x1").unwrap().is_deleted());
        assert_eq!(doc.entries().count(), 1);
        // Explicit schema 0 works too, and the result re-serialises as the current schema.
        let explicit = v0.replacen('{', r#"{"schema": 0,"#, 1);
        assert_eq!(Document::from_json(&explicit).unwrap(), doc);
        let again = Document::from_json(&doc.to_json().unwrap()).unwrap();
        assert_eq!(again, doc);
        // A v0 record whose body contradicts its kind is refused with its id.
        let bad = v0.replacen(r#""kind": "unit""#, r#""kind": "pledge""#, 1);
        let err = Document::from_json(&bad).unwrap_err();
        assert!(
            matches!(&err, DocError::InvalidRecord { id: i, .. } if i.as_str() == "u1"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_records_in_json_are_merged() {
        let (a, b) = concurrent_pair();
        let ra = serde_json::to_string(a.get("u1").unwrap()).unwrap();
        let rb = serde_json::to_string(b.get("u1").unwrap()).unwrap();
        let json = format!(r#"{{"schema":1,"cluster":"cl","records":[{ra},{rb}]}}"#);
        assert_eq!(Document::from_json(&json).unwrap(), merge(&a, &b));
    }

    #[test]
    fn running_campaigns_come_first_then_newest() {
        let campaign = all_bodies()
            .into_iter()
            .find_map(|b| match b {
                Body::Campaign(c) => Some(c),
                _ => None,
            })
            .unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut doc = Document::new(id("cl"));
        for (name, start, end) in [
            ("ended", day(1, 1), day(3, 31)),
            ("running", day(10, 22), day(12, 31)),
            ("later", day(12, 15), day(12, 20)),
            ("long-ago", day(2, 1), day(2, 28)),
        ] {
            let body = Body::Campaign(Campaign {
                start,
                end,
                ..campaign.clone()
            });
            doc.put(id(name), body, &dev("d"), None, t(0));
        }
        let order: Vec<String> = doc
            .campaigns_running_first(day(12, 1))
            .into_iter()
            .map(|(id, _)| id.to_string())
            .collect();
        assert_eq!(order, ["running", "later", "long-ago", "ended"]);
    }

    #[test]
    fn dependents_count_the_live_records_that_refer_to_one() {
        let mut doc = Document::new(id("cl"));
        let entry = |corrects: Option<RecordId>| {
            Body::Entry(crate::model::Entry {
                corrects,
                ..sample_entry(EntryDetails::Trees { count: 300 })
            })
        };
        doc.put(id("e1"), entry(None), &dev("d"), None, t(0));
        doc.put(id("e2"), entry(Some(id("e1"))), &dev("d"), None, t(1));
        // The campaign "c1" has two entries; "e1" has its correction; "e2" has nothing.
        assert_eq!(doc.dependents(&id("c1")), 2);
        assert_eq!(doc.dependents(&id("e1")), 1);
        assert_eq!(doc.dependents(&id("e2")), 0);
        // A deleted record no longer holds what it referred to.
        doc.delete(&id("e2"), &dev("d"), None, t(2)).unwrap();
        assert_eq!(doc.dependents(&id("e1")), 0);
        assert_eq!(doc.dependents(&id("c1")), 1);
    }

    #[test]
    fn typed_accessors() {
        let mut doc = Document::new(id("cl"));
        for (i, b) in all_bodies().into_iter().enumerate() {
            doc.put(
                RecordId::derive(&dev("d"), i as u64),
                b,
                &dev("d"),
                None,
                t(0),
            );
        }
        assert_eq!(doc.clusters().count(), 1);
        assert_eq!(doc.units().count(), 1);
        assert_eq!(doc.roles().count(), 2);
        assert_eq!(doc.campaigns().count(), 1);
        assert_eq!(doc.pledges().count(), 1);
        assert_eq!(doc.entries().count(), 10);
        assert_eq!(doc.reviews().count(), 2);
        assert_eq!(doc.review_sessions().count(), 1);
        assert_eq!(doc.award_proposals().count(), 2);
        assert_eq!(doc.live().count(), doc.len());
        let (cid, _) = doc.campaigns().next().unwrap();
        let cid = cid.clone();
        assert!(doc.get_campaign(&cid).is_some());
        assert!(doc.get_entry(&cid).is_none(), "wrong kind");
    }
}
