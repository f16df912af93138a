//! Deciding what a push may change: pure functions over the cluster's current document,
//! shared by every store backend (which only loads the document and writes the result).
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use thidua_core::auth::changes_head;
use thidua_core::wire::{RefusalCode, Rejection, WireRecord};
use thidua_core::{
    authorize, validate_at, Actor, ClockOrder, DeviceId, Document, Kind, Record, RecordError,
    RecordId, Revision, Role,
};

use crate::store::DeviceAuth;

pub use thidua_core::wire::{DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_RECORDS};
/// Validation rounds per push (see [`plan_push`]).
pub const MAX_VALIDATION_ROUNDS: usize = 8;
/// Most concurrent versions a pushed record may carry, and a stored one keep after a merge.
/// Real conflicts have a handful (one per device that edited the record at the same time
/// offline). Normalising versions is quadratic in their number, so this bound is the factor
/// by which a hostile body can cost more than an honest one of the same size.
/// (Core reads up to `MAX_HEADS` from JSON, so older stored data still loads.)
pub const MAX_PUSH_HEADS: usize = 16;
/// Most devices one version's clock may name (a clock names the devices that wrote the record).
pub const MAX_CLOCK_ENTRIES: usize = 256;

/// Record kinds a store keeps in memory per cluster: few (one cluster record, its units,
/// roles and campaigns), referred to by nearly every push, and what rules about the cluster's
/// state read: the cluster record (its year) and the `Roles` records decide who holds which
/// role ([`plan_push`]).
pub const STRUCTURAL_KINDS: [Kind; 4] = [Kind::Cluster, Kind::Unit, Kind::Roles, Kind::Campaign];

/// Every id [`plan_push`] may read for `incoming`: the records and what their versions refer
/// to ([`Body::references`], the ids `validate` looks up).
///
/// [`plan_push`] only reads the document at these ids, so a store may hand it a partial
/// document: the structural records, the pushed records' stored states and their references
/// ([`push_view`]; `tests/partial_document.rs` checks that plans on it agree with plans on the
/// whole document).
pub fn ids_needed(incoming: &[Record]) -> BTreeSet<RecordId> {
    let mut ids = BTreeSet::new();
    for rec in incoming {
        ids.insert(rec.id.clone());
        for rev in rec.heads.iter() {
            if let Some(body) = &rev.body {
                ids.extend(body.references().into_iter().cloned());
            }
        }
    }
    ids
}

/// Where a store found a record id.
#[derive(Debug, Clone)]
pub enum Found {
    /// In this cluster, with its stored state.
    Here(Record),
    /// In another cluster.
    Elsewhere,
    Missing,
}

/// The part of the cluster's document a push of `incoming` reads: its structural records
/// (`structure`), plus the stored states of the pushed records and of what they refer to,
/// found with `find`. Also returns the pushed ids that belong to another cluster.
///
/// [`plan_push`] on this view decides exactly as on the whole document.
pub fn push_view<E>(
    structure: &Document,
    incoming: &[Record],
    mut find: impl FnMut(&RecordId) -> Result<Found, E>,
) -> Result<(Document, BTreeSet<RecordId>), E> {
    let mut doc = structure.clone();
    let pushed: BTreeSet<&RecordId> = incoming.iter().map(|r| &r.id).collect();
    let mut foreign = BTreeSet::new();
    for id in ids_needed(incoming) {
        if doc.records.contains_key(&id) {
            continue;
        }
        match find(&id)? {
            Found::Here(rec) => {
                doc.records.insert(id, rec);
            }
            // A reference to another cluster's record stays unresolved (it is invalid).
            Found::Elsewhere if pushed.contains(&id) => {
                foreign.insert(id);
            }
            Found::Elsewhere | Found::Missing => {}
        }
    }
    Ok((doc, foreign))
}

/// The structural records of `doc` (see [`STRUCTURAL_KINDS`]).
pub fn structure_of(doc: &Document) -> Document {
    let mut out = Document::new(doc.cluster.clone());
    out.records = doc
        .records
        .iter()
        .filter(|(_, r)| STRUCTURAL_KINDS.contains(&r.kind))
        .map(|(id, r)| (id.clone(), r.clone()))
        .collect();
    out
}

/// The outcome of checking a push against the current document.
#[derive(Debug, Default)]
pub struct PushPlan {
    pub accepted: Vec<RecordId>,
    pub rejected: Vec<Rejection>,
    /// New states of the records that changed, in id order.
    pub changed: Vec<Record>,
}

/// What [`admit`] lets through to [`plan_push`], and what it refused.
#[derive(Debug, Default)]
pub struct Admitted {
    pub records: Vec<Record>,
    pub refused: Vec<Rejection>,
}

/// Why a whole push is refused before it reaches the store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushRefused {
    #[error("a push may carry at most {MAX_PUSH_RECORDS} records, this one has {0}; split it")]
    TooManyRecords(usize),
    #[error("record {0} appears more than once in this push, in different versions; send each record once")]
    Repeated(RecordId),
    #[error("record {id}: {error}")]
    Malformed { id: RecordId, error: RecordError },
}

/// Checks a push's shape before anything costly: the record count, one copy per id (exact
/// copies are dropped, differing ones refuse the push: merging them pairwise is what let one
/// push stall the server), and per record at most [`MAX_PUSH_HEADS`] versions whose clocks
/// have at most [`MAX_CLOCK_ENTRIES`] devices each. A record over a bound is refused alone,
/// without normalising it; the others are normalised ([`Record::checked`], quadratic only in
/// the bounded version count).
pub fn admit(pushed: Vec<WireRecord>) -> Result<Admitted, PushRefused> {
    if pushed.len() > MAX_PUSH_RECORDS {
        return Err(PushRefused::TooManyRecords(pushed.len()));
    }
    let mut first: BTreeMap<&RecordId, &WireRecord> = BTreeMap::new();
    let mut copies = BTreeSet::new();
    for (i, rec) in pushed.iter().enumerate() {
        match first.get(&rec.id) {
            None => {
                first.insert(&rec.id, rec);
            }
            Some(earlier) if *earlier == rec => {
                copies.insert(i);
            }
            Some(_) => return Err(PushRefused::Repeated(rec.id.clone())),
        }
    }
    drop(first);
    let mut out = Admitted::default();
    for (_, rec) in pushed
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !copies.contains(i))
    {
        if let Some(why) = over_bounds(&rec.heads) {
            out.refused
                .push(Rejection::new(&rec.id, RefusalCode::Invalid, why));
            continue;
        }
        let id = rec.id.clone();
        let r = Record::checked(rec.id, rec.kind, rec.created_at, rec.heads)
            .map_err(|error| PushRefused::Malformed { id, error })?;
        out.records.push(r);
    }
    Ok(out)
}

fn over_bounds(heads: &[Revision]) -> Option<String> {
    if heads.len() > MAX_PUSH_HEADS {
        return Some(format!(
            "record has {} concurrent versions, more than the {MAX_PUSH_HEADS} allowed; \
             edit it to settle them",
            heads.len()
        ));
    }
    heads
        .iter()
        .map(|h| h.clock.iter().count())
        .find(|n| *n > MAX_CLOCK_ENTRIES)
        .map(|n| {
            format!(
                "a version's clock names {n} devices, more than the {MAX_CLOCK_ENTRIES} allowed"
            )
        })
}

/// Whether `rev` is already on the server: the same revision is a head, or a head's clock
/// strictly dominates it, or a head is the same revision with the time the server bounded it
/// to ([`bound_time`]). (An equal clock with other content counts as new, so it cannot slip
/// past authorization by copying a clock.)
fn known_as<'a>(existing: Option<&'a Record>, rev: &Revision) -> Option<&'a Revision> {
    existing.and_then(|r| {
        r.heads.iter().find(|h| {
            *h == rev
                || h.clock.compare(&rev.clock) == ClockOrder::After
                || (h.at < rev.at && same_but_time(h, rev))
        })
    })
}

fn same_but_time(a: &Revision, b: &Revision) -> bool {
    a.clock == b.clock && a.author == b.author && a.author_unit == b.author_unit && a.body == b.body
}

/// A version cannot have been written after the server received it: a later time (a wrong
/// phone clock, or one set ahead to win every conflict) is lowered to the server's clock.
/// The version itself is kept, so a phone with a wrong clock loses no entry.
fn bound_time(mut rev: Revision, now: DateTime<Utc>) -> Revision {
    if rev.at > now {
        rev.at = now;
    }
    rev
}

/// Checks the revisions of `rec` that are new to the server; `Err` names the first problem.
/// Returns the record as the server will merge it: known versions as the server has them,
/// new ones with their time bounded.
fn check_new_revisions(
    doc: &Document,
    pusher: &DeviceAuth,
    actor: &Actor,
    existing: Option<&Record>,
    rec: &Record,
    now: DateTime<Utc>,
) -> Result<Record, Rejection> {
    let known_clock = existing.map(Record::clock).unwrap_or_default();
    let mut heads = Vec::with_capacity(rec.heads.len());
    for rev in rec.heads.iter() {
        if let Some(known) = known_as(existing, rev) {
            heads.push(known.clone());
            continue;
        }
        if rev.author != pusher.device_id {
            return Err(Rejection::new(
                &rec.id,
                RefusalCode::Forbidden,
                format!(
                    "a new version is signed by device {} but this device is {}",
                    rev.author, pusher.device_id
                ),
            ));
        }
        if rev.clock.get(&rev.author) <= known_clock.get(&rev.author) {
            return Err(Rejection::new(
                &rec.id,
                RefusalCode::BadClock,
                "a new version does not advance its device's counter in the version clock",
            ));
        }
        // Other devices' counters must not run ahead of what the server has seen: a forged
        // clock would silently hide their future edits.
        if let Some((d, n)) = rev
            .clock
            .iter()
            .find(|(d, n)| *d != &rev.author && *n > known_clock.get(d))
        {
            return Err(Rejection::new(
                &rec.id,
                RefusalCode::BadClock,
                format!(
                    "a new version claims {n} writes by device {d}, more than the server knows of"
                ),
            ));
        }
        authorize(actor, existing, rev, doc).map_err(|denied| {
            Rejection::new(&rec.id, RefusalCode::Forbidden, denied.to_string())
        })?;
        heads.push(bound_time(rev.clone(), now));
    }
    // The pushed heads were an antichain; bounded times can only make equal clocks tie
    // differently, which `checked` settles.
    Record::checked(rec.id.clone(), rec.kind, rec.created_at.min(now), heads)
        .map_err(|e| Rejection::new(&rec.id, RefusalCode::Invalid, e.to_string()))
}

fn validation_error(doc: &Document, rec: &Record, now: DateTime<Utc>) -> Option<Rejection> {
    // Today as the cluster's people count days (an award decision is not dated after it).
    let today = thidua_core::reporting::local_day(now);
    rec.heads
        .iter()
        .filter_map(|rev| rev.body.as_ref())
        .find_map(|body| {
            validate_at(doc, body, today).err().map(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                Rejection::new(
                    &rec.id,
                    RefusalCode::Invalid,
                    format!("invalid {}: {}", rec.kind, list.join("; ")),
                )
            })
        })
}

/// Decides a push at server time `now`: `foreign` holds the incoming ids that already exist
/// in another cluster. `incoming` comes from [`admit`] (one copy per id, bounded versions).
///
/// A record the server does not have may only be created by the device whose id it carries
/// ([`RecordId::is_minted_by`]), or by another device of the same unit (`kin`: the unit's
/// devices in this cluster, revoked ones included): ids are predictable, so anyone else could
/// plant a record under an id that device will use next. The unit's own devices are the
/// exception because a phone restoring another's backup (a lost or broken phone of the same
/// officer) sends the results that phone never sent under their own ids, so that if the old
/// phone comes back and sends them too, each is still one result. Whether the id is used in another cluster is not
/// told: such ids are refused like any other id this device may not mint. A new record whose
/// every version is a deletion is accepted and not stored: the server then holds what it
/// would after a create and a delete, and nobody can plant a deletion.
///
/// Revisions new to the server must come from the pushing device, be authorized for its
/// actor and carry valid bodies; references may point at records of the same push. They are
/// checked before any merge, so a refused push costs about its size. Records passing every
/// check are merged (each at most [`MAX_PUSH_HEADS`] versions after the merge); the rest are
/// refused whole, with a reason.
///
/// The actor's role is the one in force in `doc` before the push (`pusher.role` is only its
/// invite's, see [`DeviceAuth::role_in`]): the `Roles` records for the cluster's year, read
/// from `doc`, which holds every structural record. A push that rotates the head is thus
/// judged by the rights its author had, and takes effect from the next push on. A non-head's
/// push whose records together would change who is head loses its `Roles` and cluster
/// records (nothing refers to those, so the rest stands).
pub fn plan_push(
    doc: &Document,
    pusher: &DeviceAuth,
    incoming: Vec<Record>,
    foreign: &BTreeSet<RecordId>,
    kin: &BTreeSet<DeviceId>,
    now: DateTime<Utc>,
) -> PushPlan {
    let actor = pusher.actor_in(doc);
    let may_mint = |id: &RecordId| {
        id.is_minted_by(&pusher.device_id) || kin.iter().any(|d| id.is_minted_by(d))
    };
    let mut plan = PushPlan::default();
    // Repeated ids (only from a caller that skipped `admit`) are refused, never merged.
    let mut count: BTreeMap<&RecordId, usize> = BTreeMap::new();
    for rec in &incoming {
        *count.entry(&rec.id).or_default() += 1;
    }
    let repeated: BTreeSet<RecordId> = count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.clone())
        .collect();
    // (pushed record, its state after the merge)
    let mut candidates: Vec<(RecordId, Record)> = Vec::new();
    for rec in incoming {
        let id = rec.id.clone();
        if repeated.contains(&id) {
            plan.rejected.push(Rejection::new(
                &id,
                RefusalCode::Invalid,
                "this record appears more than once in the push",
            ));
            continue;
        }
        if let Some(why) = over_bounds(&rec.heads) {
            plan.rejected
                .push(Rejection::new(&id, RefusalCode::Invalid, why));
            continue;
        }
        let existing = doc.get(&id);
        if existing.is_none() && (foreign.contains(&id) || !may_mint(&id)) {
            plan.rejected.push(Rejection::new(
                &id,
                RefusalCode::Forbidden,
                format!(
                    "record {id} is new to this cluster, and a device may only create records \
                     under ids made from its own device id ({}) or its unit's devices' ids",
                    pusher.device_id
                ),
            ));
            continue;
        }
        if existing.is_none() && rec.heads.iter().all(Revision::is_tombstone) {
            // Created and deleted before it was ever pushed: nothing to keep.
            plan.accepted.push(id);
            continue;
        }
        if rec.kind == Kind::Cluster && id != doc.cluster {
            plan.rejected.push(Rejection::new(
                &id,
                RefusalCode::Forbidden,
                format!(
                    "this cluster's record is {}; a push cannot add another cluster record",
                    doc.cluster
                ),
            ));
            continue;
        }
        if let Some(existing) = existing.filter(|e| e.kind != rec.kind) {
            plan.rejected.push(Rejection::new(
                &id,
                RefusalCode::KindMismatch,
                format!(
                    "record {id} is a {}, it cannot hold a {}",
                    existing.kind, rec.kind
                ),
            ));
            continue;
        }
        let pushed = match check_new_revisions(doc, pusher, &actor, existing, &rec, now) {
            Ok(pushed) => pushed,
            Err(rejection) => {
                plan.rejected.push(rejection);
                continue;
            }
        };
        // Authorized: only now merge (one pass over the stored heads, see Record::merge).
        let merged = match existing {
            Some(e) => e.merge(&pushed),
            None => pushed,
        };
        if merged.heads.len() > MAX_PUSH_HEADS {
            plan.rejected.push(Rejection::new(
                &id,
                RefusalCode::Invalid,
                format!(
                    "record would have {} concurrent versions, more than the {MAX_PUSH_HEADS} \
                     allowed; get the latest version and edit that",
                    merged.heads.len()
                ),
            ));
            continue;
        }
        if existing == Some(&merged) {
            // Nothing new: accepted, unchanged.
            plan.accepted.push(id);
            continue;
        }
        candidates.push((id, merged));
    }

    // Validate against the document as it would be after the push, so a push may add a
    // campaign and entries for it together. Dropping a refused record can invalidate
    // others that referred to it, hence the rounds; they are capped so a hostile chain of
    // references cannot make a push quadratic, and what is still undecided then is refused
    // (the device retries it with its next push). The merged states are computed once:
    // each round only swaps them in.
    let mut working = doc.clone();
    for (id, merged) in &candidates {
        working.records.insert(id.clone(), merged.clone());
    }
    let mut settled = false;
    for _ in 0..MAX_VALIDATION_ROUNDS {
        let before = candidates.len();
        let mut kept = Vec::with_capacity(before);
        let mut dropped = Vec::new();
        for (id, merged) in candidates {
            match validation_error(&working, &new_versions(doc.get(&id), &merged), now) {
                Some(rejection) => {
                    plan.rejected.push(rejection);
                    dropped.push(id);
                }
                None => kept.push((id, merged)),
            }
        }
        // The next round sees the document without what this one refused.
        for id in dropped {
            match doc.get(&id) {
                Some(old) => working.records.insert(id, old.clone()),
                None => working.records.remove(&id),
            };
        }
        candidates = kept;
        if candidates.len() == before {
            settled = true;
            break;
        }
    }
    if !settled {
        plan.rejected.extend(candidates.drain(..).map(|(id, _)| {
            Rejection::new(
                &id,
                RefusalCode::Retry,
                "records this one depends on were refused in the same push; push it again",
            )
        }));
    }

    // The head and the federation's board (which forms the cluster) may change who is head.
    if !matches!(actor.role, Role::Head | Role::Board) {
        refuse_head_change(doc, &mut candidates, &mut plan.rejected);
    }

    plan.accepted
        .extend(candidates.iter().map(|(id, _)| id.clone()));
    plan.accepted.sort();
    plan.changed = candidates.into_iter().map(|(_, merged)| merged).collect();
    plan.changed.sort_by(|a, b| a.id.cmp(&b.id));
    plan.rejected.sort_by(|a, b| a.id.cmp(&b.id));
    plan
}

/// `merged` with only the heads `old` does not have (what validation must look at).
fn new_versions(old: Option<&Record>, merged: &Record) -> Record {
    let Some(old) = old else {
        return merged.clone();
    };
    Record {
        heads: merged
            .heads
            .iter()
            .filter(|h| !old.heads.contains(h))
            .cloned()
            .collect(),
        ..merged.clone()
    }
}

/// Kinds whose records decide who is head.
fn decides_roles(kind: Kind) -> bool {
    matches!(kind, Kind::Roles | Kind::Cluster)
}

/// [`authorize`] checks a non-head's revisions one by one; this refuses the `Roles` and cluster
/// records of the push if together they would still change who is head (say, deleting two
/// records of a year that each alone would leave the other in force).
fn refuse_head_change(
    doc: &Document,
    candidates: &mut Vec<(RecordId, Record)>,
    rejected: &mut Vec<Rejection>,
) {
    if !candidates.iter().any(|(_, rec)| decides_roles(rec.kind)) {
        return;
    }
    let mut after = doc.clone();
    for (id, rec) in candidates.iter().filter(|(_, rec)| decides_roles(rec.kind)) {
        after.records.insert(id.clone(), rec.clone());
    }
    if !changes_head(doc, &after) {
        return;
    }
    let (refused, kept): (Vec<_>, Vec<_>) = std::mem::take(candidates)
        .into_iter()
        .partition(|(_, rec)| decides_roles(rec.kind));
    *candidates = kept;
    rejected.extend(refused.into_iter().map(|(id, _)| {
        Rejection::new(
            &id,
            RefusalCode::Forbidden,
            "only the cluster head may change who is head; together, the roles and cluster \
             records of this push would",
        )
    }));
}
