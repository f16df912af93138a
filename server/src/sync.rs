//! Deciding what a push may change: pure functions over the cluster's current document,
//! shared by every store backend (which only loads the document and writes the result).
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thidua_core::auth::changes_head;
use thidua_core::{
    authorize, validate, Actor, Body, ClockOrder, Document, Kind, Record, RecordId, Revision, Role,
};

use crate::store::DeviceAuth;

/// Most records one push may carry.
pub const MAX_PUSH_RECORDS: usize = 5000;
/// Default and largest page size of a pull.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
pub const MAX_PULL_LIMIT: u32 = 1000;
/// Validation rounds per push (see [`plan_push`]).
pub const MAX_VALIDATION_ROUNDS: usize = 8;

/// Record kinds a store keeps in memory per cluster: few (one cluster record, its units,
/// roles and campaigns), referred to by nearly every push, and what rules about the cluster's
/// state read: the cluster record (its year) and the `Roles` records decide who holds which
/// role ([`plan_push`]).
pub const STRUCTURAL_KINDS: [Kind; 4] = [Kind::Cluster, Kind::Unit, Kind::Roles, Kind::Campaign];

/// The ids `validate` may look up for `body`.
///
/// [`plan_push`] only reads the document at the pushed ids and at these, so a store may hand
/// it a partial document: the structural records, the pushed records' stored states and
/// their references ([`push_view`]; `tests/partial_document.rs` checks that plans on it
/// agree with plans on the whole document).
pub fn references(body: &Body) -> Vec<&RecordId> {
    match body {
        Body::Cluster(_) | Body::Unit(_) | Body::Campaign(_) => Vec::new(),
        Body::Roles(r) => std::iter::once(&r.head).chain(r.deputy.as_ref()).collect(),
        Body::Pledge(p) => vec![&p.campaign, &p.unit],
        Body::Entry(e) => [&e.unit, &e.campaign]
            .into_iter()
            .chain(e.corrects.as_ref())
            .collect(),
        Body::Review(r) => vec![&r.entry],
        Body::ReviewSession(s) => std::iter::once(&s.campaign)
            .chain(s.rows.iter().map(|row| &row.unit))
            .collect(),
        Body::AwardProposal(a) => a
            .campaign
            .iter()
            .chain(std::iter::once(a.nominee.unit()))
            .chain(a.entries.iter())
            .collect(),
    }
}

/// Every id [`plan_push`] may read for `incoming`: the records and what their versions refer to.
pub fn ids_needed(incoming: &[Record]) -> BTreeSet<RecordId> {
    let mut ids = BTreeSet::new();
    for rec in incoming {
        ids.insert(rec.id.clone());
        for rev in rec.heads.iter() {
            if let Some(body) = &rev.body {
                ids.extend(references(body).into_iter().cloned());
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub id: RecordId,
    /// Machine-readable: `forbidden`, `invalid`, `foreign_id`, `kind_mismatch`, `bad_clock`,
    /// `retry`.
    pub code: String,
    /// Plain English naming the problem.
    pub reason: String,
}

impl Rejection {
    fn new(id: &RecordId, code: &str, reason: impl Into<String>) -> Self {
        Self {
            id: id.clone(),
            code: code.to_owned(),
            reason: reason.into(),
        }
    }
}

/// What the server answers to a push (stored for replays of the same `push_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Set (with `message`) when every record of the push was refused; the status is then 422.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub accepted: Vec<RecordId>,
    pub rejected: Vec<Rejection>,
    /// The cluster's change cursor after this push.
    pub cursor: u64,
}

impl PushResponse {
    pub fn new(accepted: Vec<RecordId>, rejected: Vec<Rejection>, cursor: u64) -> Self {
        let (error, message) = match rejected.first() {
            Some(first) if accepted.is_empty() => (
                Some("rejected".to_owned()),
                Some(format!(
                    "{} of the pushed records {} refused; record {}: {}",
                    rejected.len(),
                    if rejected.len() == 1 { "was" } else { "were" },
                    first.id,
                    first.reason
                )),
            ),
            _ => (None, None),
        };
        Self {
            error,
            message,
            accepted,
            rejected,
            cursor,
        }
    }

    /// 422 when nothing was accepted and something was refused, else 200.
    pub fn status(&self) -> u16 {
        if self.error.is_some() {
            422
        } else {
            200
        }
    }
}

/// The outcome of checking a push against the current document.
#[derive(Debug, Default)]
pub struct PushPlan {
    pub accepted: Vec<RecordId>,
    pub rejected: Vec<Rejection>,
    /// New states of the records that changed, in id order.
    pub changed: Vec<Record>,
}

/// Whether the server already has `rev`: the same revision is a head, or a head's clock
/// strictly dominates it. (An equal clock with other content counts as new, so it cannot
/// slip past authorization by copying a clock.)
fn is_known(existing: Option<&Record>, rev: &Revision) -> bool {
    existing.is_some_and(|r| {
        r.heads
            .iter()
            .any(|h| h == rev || h.clock.compare(&rev.clock) == ClockOrder::After)
    })
}

/// Checks the revisions of `rec` that are new to the server; `Err` names the first problem.
fn check_new_revisions(
    doc: &Document,
    pusher: &DeviceAuth,
    actor: &Actor,
    existing: Option<&Record>,
    rec: &Record,
) -> Result<Vec<Revision>, Rejection> {
    let known_clock = existing.map(Record::clock).unwrap_or_default();
    let mut new = Vec::new();
    for rev in rec.heads.iter().filter(|rev| !is_known(existing, rev)) {
        if rev.author != pusher.device_id {
            return Err(Rejection::new(
                &rec.id,
                "forbidden",
                format!(
                    "a new version is signed by device {} but this device is {}",
                    rev.author, pusher.device_id
                ),
            ));
        }
        if rev.clock.get(&rev.author) <= known_clock.get(&rev.author) {
            return Err(Rejection::new(
                &rec.id,
                "bad_clock",
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
                "bad_clock",
                format!(
                    "a new version claims {n} writes by device {d}, more than the server knows of"
                ),
            ));
        }
        authorize(actor, existing, rev, doc)
            .map_err(|denied| Rejection::new(&rec.id, "forbidden", denied.to_string()))?;
        new.push(rev.clone());
    }
    Ok(new)
}

fn validation_error(doc: &Document, rec: &Record, new: &[Revision]) -> Option<Rejection> {
    new.iter()
        .filter_map(|rev| rev.body.as_ref())
        .find_map(|body| {
            validate(doc, body).err().map(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                Rejection::new(
                    &rec.id,
                    "invalid",
                    format!("invalid {}: {}", rec.kind, list.join("; ")),
                )
            })
        })
}

/// Decides a push: `foreign` holds the incoming ids that already exist in another cluster.
///
/// Revisions new to the server must come from the pushing device, be authorized for its
/// actor and carry valid bodies; references may point at records of the same push. Records
/// passing every check are merged; the rest are refused whole, with a reason.
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
) -> PushPlan {
    // The same id twice in one push: merge the copies first.
    let mut by_id: BTreeMap<RecordId, Record> = BTreeMap::new();
    for rec in incoming {
        let merged = match by_id.remove(&rec.id) {
            Some(prev) => prev.merge(&rec),
            None => rec,
        };
        by_id.insert(merged.id.clone(), merged);
    }

    let actor = pusher.actor_in(doc);
    let mut plan = PushPlan::default();
    let mut candidates: Vec<(Record, Vec<Revision>)> = Vec::new();
    for (id, rec) in by_id {
        let existing = doc.get(&id);
        if foreign.contains(&id) {
            plan.rejected.push(Rejection::new(
                &id,
                "foreign_id",
                format!("record id {id} belongs to another cluster"),
            ));
            continue;
        }
        if rec.kind == Kind::Cluster && id != doc.cluster {
            plan.rejected.push(Rejection::new(
                &id,
                "forbidden",
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
                "kind_mismatch",
                format!(
                    "record {id} is a {}, it cannot hold a {}",
                    existing.kind, rec.kind
                ),
            ));
            continue;
        }
        match check_new_revisions(doc, pusher, &actor, existing, &rec) {
            Ok(new) => candidates.push((rec, new)),
            Err(rejection) => plan.rejected.push(rejection),
        }
    }

    // Validate against the document as it would be after the push, so a push may add a
    // campaign and entries for it together. Dropping a refused record can invalidate
    // others that referred to it, hence the rounds; they are capped so a hostile chain of
    // references cannot make a push quadratic, and what is still undecided then is refused
    // (the device retries it with its next push).
    let mut working = Document::new(doc.cluster.clone());
    let mut settled = false;
    for _ in 0..MAX_VALIDATION_ROUNDS {
        working.clone_from(doc);
        working.apply(candidates.iter().map(|(rec, _)| rec.clone()));
        let before = candidates.len();
        let mut kept = Vec::with_capacity(before);
        for (rec, new) in candidates {
            match validation_error(&working, &rec, &new) {
                Some(rejection) => plan.rejected.push(rejection),
                None => kept.push((rec, new)),
            }
        }
        candidates = kept;
        if candidates.len() == before {
            settled = true;
            break;
        }
    }
    if !settled {
        plan.rejected.extend(candidates.drain(..).map(|(rec, _)| {
            Rejection::new(
                &rec.id,
                "retry",
                "records this one depends on were refused in the same push; push it again",
            )
        }));
    }

    if actor.role != Role::Head {
        refuse_head_change(doc, &mut candidates, &mut plan.rejected);
    }

    plan.accepted = candidates.iter().map(|(rec, _)| rec.id.clone()).collect();
    let mut after = doc.clone();
    let changed = after.apply(candidates.into_iter().map(|(rec, _)| rec));
    plan.changed = changed
        .iter()
        .filter_map(|id| after.get(id).cloned())
        .collect();
    plan.rejected.sort_by(|a, b| a.id.cmp(&b.id));
    plan
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
    candidates: &mut Vec<(Record, Vec<Revision>)>,
    rejected: &mut Vec<Rejection>,
) {
    if !candidates.iter().any(|(rec, _)| decides_roles(rec.kind)) {
        return;
    }
    let mut after = doc.clone();
    after.apply(
        candidates
            .iter()
            .filter(|(rec, _)| decides_roles(rec.kind))
            .map(|(rec, _)| rec.clone()),
    );
    if !changes_head(doc, &after) {
        return;
    }
    let (refused, kept): (Vec<_>, Vec<_>) = std::mem::take(candidates)
        .into_iter()
        .partition(|(rec, _)| decides_roles(rec.kind));
    *candidates = kept;
    rejected.extend(refused.into_iter().map(|(rec, _)| {
        Rejection::new(
            &rec.id,
            "forbidden",
            "only the cluster head may change who is head; together, the roles and cluster \
             records of this push would",
        )
    }));
}
