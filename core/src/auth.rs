//! Authorization of pushed revisions; pure, so the server and tests share it.
//!
//! The server calls [`authorize`] for every revision a push adds. Cluster heads and deputies
//! run the cluster; officers of member units report for their own unit only (pledges and
//! entries); the federation's board (ban thi đua) forms clusters and decides on the award
//! proposals they send up, and never writes a unit's results or a head's reviews.
//! Tombstones follow the rules of the record they delete.
//!
//! Who is head or deputy is decided by the cluster's own records: each year's `Roles` record
//! names the head unit and the deputy unit ([`effective_role`]), for the emulation year on the
//! cluster record ([`roles_year`]). The role on a device's invite only applies while no roles
//! are recorded for that year. Since the roles decide every other right, only the head may
//! change who is head: a deputy may change the deputy or re-save the roles but never names
//! another head nor moves the cluster's year, and officers write neither record.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{RecordId, UnitId};
use crate::model::{Body, Kind, Roles};
use crate::sync::{Document, Record, Revision};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Head,
    Deputy,
    Officer,
    /// A member of the federation's emulation board (ban thi đua): above every cluster of its
    /// federation, not a member unit of any.
    Board,
}

impl Role {
    /// Heads and deputies manage the cluster.
    pub fn manages_cluster(self) -> bool {
        matches!(self, Role::Head | Role::Deputy)
    }

    /// The federation's board, whose devices belong to a federation rather than a cluster.
    pub fn is_board(self) -> bool {
        self == Role::Board
    }
}

/// The kinds a board member writes into a cluster: its structure (the cluster, its units and
/// roles, campaigns and their deadlines), decisions on proposals, and reminders.
pub const BOARD_KINDS: [Kind; 6] = [
    Kind::Cluster,
    Kind::Unit,
    Kind::Roles,
    Kind::Campaign,
    Kind::AwardDecision,
    Kind::Reminder,
];

/// Who is pushing: a member unit and that person's role in the cluster (the role in force,
/// see [`role_in_force`], not the one on the invite).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub unit: UnitId,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("the revision's author unit ({claimed:?}) is not your unit ({actual})")]
    WrongAuthorUnit {
        claimed: Option<UnitId>,
        actual: UnitId,
    },
    #[error("record is a {existing}, it cannot hold a {incoming}")]
    KindMismatch { existing: Kind, incoming: Kind },
    #[error("a unit officer cannot write {0} records")]
    KindNotAllowed(Kind),
    #[error("this record belongs to another unit")]
    NotOwner,
    #[error("a new record's version may only count writes of its author device")]
    ForeignClock,
    #[error("only the cluster head may change who is head for {year}")]
    HeadOnly { year: i32 },
    #[error("only the cluster head may change the cluster's year: it decides whose roles apply")]
    ClusterYearHeadOnly,
    #[error("only the federation's board decides on award proposals")]
    BoardOnly,
    #[error("the federation's board does not write {0} records")]
    BoardMayNot(Kind),
}

/// Whether `actor` may add `incoming` to the record `existing` (None for a new record).
///
/// The server must also check that `incoming.author` is the device that is pushing; the
/// clock rule below relies on it. `actor.role` must be the role in force before the push
/// ([`role_in_force`] on `doc`), so that a push rotating the head is judged by the rights its
/// author had, not by those it is about to give.
///
/// `doc` is the current document (or any part of it holding `existing`, the cluster record
/// and every `Roles` record). Rules by role:
/// - the board writes the kinds of [`BOARD_KINDS`] only ([`Denied::BoardMayNot`]), and only
///   the board writes award decisions ([`Denied::BoardOnly`] for anyone else);
/// - the head writes anything else;
/// - a deputy writes anything else but a change of who is head ([`Denied::HeadOnly`]: every `Roles`
///   version it writes names the head already in force for its year, and the write leaves the
///   head in force of every year as it was) or of the cluster's year
///   ([`Denied::ClusterYearHeadOnly`]);
/// - an officer writes the own unit's pledges and entries only.
///
/// Checked one revision at a time; several revisions of one push may still change who is head
/// together, so a server also compares the whole outcome of a deputy's push with
/// [`changes_head`].
pub fn authorize(
    actor: &Actor,
    existing: Option<&Record>,
    incoming: &Revision,
    doc: &Document,
) -> Result<(), Denied> {
    if incoming.author_unit.as_ref() != Some(&actor.unit) {
        return Err(Denied::WrongAuthorUnit {
            claimed: incoming.author_unit.clone(),
            actual: actor.unit.clone(),
        });
    }
    let kind = match (existing, &incoming.body) {
        (Some(r), Some(b)) if r.kind != b.kind() => {
            return Err(Denied::KindMismatch {
                existing: r.kind,
                incoming: b.kind(),
            })
        }
        (Some(r), _) => Some(r.kind),
        (None, Some(b)) => Some(b.kind()),
        // Created and deleted offline before the first push: the kind is gone with the body.
        (None, None) => None,
    };
    if actor.role.is_board() {
        if let Some(kind) = kind.filter(|k| !BOARD_KINDS.contains(k)) {
            return Err(Denied::BoardMayNot(kind));
        }
        return fresh_clock(existing, incoming);
    }
    if actor.role.manages_cluster() && kind == Some(Kind::AwardDecision) {
        return Err(Denied::BoardOnly);
    }
    match actor.role {
        Role::Head => return Ok(()),
        Role::Deputy => return deputy_may_write(doc, kind, existing, incoming),
        Role::Officer | Role::Board => {}
    }
    if let Some(kind) = kind {
        if !matches!(kind, Kind::Pledge | Kind::Entry) {
            return Err(Denied::KindNotAllowed(kind));
        }
    }
    fresh_clock(existing, incoming)?;
    if let Some(b) = &incoming.body {
        if b.owner_unit() != Some(&actor.unit) {
            return Err(Denied::NotOwner);
        }
    }
    if let Some(r) = existing {
        if !may_officer_write(r, incoming, &actor.unit) {
            return Err(Denied::NotOwner);
        }
    }
    Ok(())
}

/// A record the server has never seen was only ever on its author's device, so its clock can
/// only count that device's writes. This stops an officer (or a board member) from planting a
/// version with a forged clock under an id another device will create, which would hide that
/// device's data.
fn fresh_clock(existing: Option<&Record>, incoming: &Revision) -> Result<(), Denied> {
    if existing.is_none() && incoming.clock.iter().any(|(d, _)| d != &incoming.author) {
        return Err(Denied::ForeignClock);
    }
    Ok(())
}

/// Officer rules on an existing record:
/// - every version with a body must belong to the officer's unit, so that another unit's record
///   cannot be taken over, not even by adding a concurrent version that wins on time;
/// - a deletion the new revision overwrites must be the unit's own: an officer may undo their
///   own deletion but not a manager's. A deletion that is merely concurrent stays as a conflict
///   for a manager to resolve, so an officer's offline edit is never refused because of it.
fn may_officer_write(r: &Record, incoming: &Revision, unit: &UnitId) -> bool {
    r.heads.iter().all(|h| match &h.body {
        Some(b) => b.owner_unit() == Some(unit),
        None => !incoming.clock.dominates(&h.clock) || h.author_unit.as_ref() == Some(unit),
    })
}

/// Deputy rules: everything but changing who is head or the cluster's year (see [`authorize`]).
fn deputy_may_write(
    doc: &Document,
    kind: Option<Kind>,
    existing: Option<&Record>,
    incoming: &Revision,
) -> Result<(), Denied> {
    match kind {
        Some(Kind::Roles) => {
            // No version that names someone else, not even one that loses now: it could win
            // later, when the head edits or deletes the record in force.
            if let Some(Body::Roles(r)) = &incoming.body {
                if head_in_force(doc, r.year) != Some(&r.head) {
                    return Err(Denied::HeadOnly { year: r.year });
                }
            }
            // Nor a deletion or a newer version that hands the year to another record.
            if let Some(e) = existing {
                let after = with_revision(e, incoming);
                let years = [e, &after].into_iter().filter_map(|r| match r.body() {
                    Some(Body::Roles(roles)) => Some(roles.year),
                    _ => None,
                });
                for year in years {
                    let before = in_force(doc.records.iter(), year).map(|r| &r.head);
                    let now = in_force(replaced(doc, &after), year).map(|r| &r.head);
                    if before != now {
                        return Err(Denied::HeadOnly { year });
                    }
                }
            }
            Ok(())
        }
        Some(Kind::Cluster) => {
            let year = roles_year(doc);
            if let Some(Body::Cluster(c)) = &incoming.body {
                if Some(c.year) != year {
                    return Err(Denied::ClusterYearHeadOnly);
                }
            }
            if let Some(e) = existing.filter(|e| e.id == doc.cluster) {
                let after = with_revision(e, incoming);
                let after_year = match after.body() {
                    Some(Body::Cluster(c)) => Some(c.year),
                    _ => None,
                };
                if after_year != year {
                    return Err(Denied::ClusterYearHeadOnly);
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `existing` once `rev` is merged into it.
fn with_revision(existing: &Record, rev: &Revision) -> Record {
    existing.merge(&Record {
        id: existing.id.clone(),
        kind: existing.kind,
        created_at: existing.created_at,
        heads: Arc::from([rev.clone()]),
    })
}

/// The records of `doc` with `record` in place of the stored one of the same id.
fn replaced<'a>(
    doc: &'a Document,
    record: &'a Record,
) -> impl Iterator<Item = (&'a RecordId, &'a Record)> + 'a {
    doc.records
        .iter()
        .filter(move |(id, _)| **id != record.id)
        .chain(std::iter::once((&record.id, record)))
}

/// A record's winning `Roles` body, with what orders records of the same year: the winner's
/// time, then the record id.
fn live_roles<'a>(
    (id, r): (&'a RecordId, &'a Record),
) -> Option<((DateTime<Utc>, &'a RecordId), &'a Roles)> {
    let w = r.winner()?;
    match &w.body {
        Some(Body::Roles(roles)) => Some(((w.at, id), roles)),
        _ => None,
    }
}

/// The `Roles` record in force for `year`: of the live ones naming it, the one written last
/// (by the winner's time, then by record id).
fn in_force<'a>(
    records: impl Iterator<Item = (&'a RecordId, &'a Record)>,
    year: i32,
) -> Option<&'a Roles> {
    records
        .filter_map(live_roles)
        .filter(|(_, roles)| roles.year == year)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, roles)| roles)
}

fn head_in_force(doc: &Document, year: i32) -> Option<&UnitId> {
    in_force(doc.records.iter(), year).map(|r| &r.head)
}

/// The head in force of every year that has a live `Roles` record.
fn heads_by_year(doc: &Document) -> BTreeMap<i32, &UnitId> {
    let mut best: BTreeMap<i32, ((DateTime<Utc>, &RecordId), &Roles)> = BTreeMap::new();
    for (key, roles) in doc.records.iter().filter_map(live_roles) {
        match best.get(&roles.year) {
            Some((k, _)) if *k >= key => {}
            _ => {
                best.insert(roles.year, (key, roles));
            }
        }
    }
    best.into_iter()
        .map(|(year, (_, roles))| (year, &roles.head))
        .collect()
}

fn role_in(roles: &Roles, unit: &UnitId) -> Role {
    if &roles.head == unit {
        Role::Head
    } else if roles.deputy.as_ref() == Some(unit) {
        Role::Deputy
    } else {
        Role::Officer
    }
}

/// The role of `unit` in `year` according to the document's live `Roles` records (the most
/// recently written one wins if several name the same year). Everyone else is an officer.
pub fn role_of(doc: &Document, unit: &UnitId, year: i32) -> Role {
    in_force(doc.records.iter(), year).map_or(Role::Officer, |r| role_in(r, unit))
}

/// The role a device of `unit` holds in `year`: the one the year's `Roles` record gives the
/// unit ([`role_of`]) when the document holds a live `Roles` record for `year`, else
/// `invite_role`, the role on the invite the device joined with.
///
/// Heads and deputies rotate every year and the head records the rotation as a `Roles`
/// record, so that record, not an invite handed out in an earlier year, decides what every
/// device of the cluster may do: after a rotation the new head unit's devices manage the
/// cluster whatever their invite said, and the old head's become officers. Clusters that never
/// recorded roles for the year keep the roles of their invites. Roles are per unit: every
/// device of the head unit is a head.
pub fn effective_role(doc: &Document, unit: &UnitId, invite_role: Role, year: i32) -> Role {
    // The board is above the cluster: no cluster record changes it.
    if invite_role.is_board() {
        return Role::Board;
    }
    in_force(doc.records.iter(), year).map_or(invite_role, |r| role_in(r, unit))
}

/// The year whose roles are in force: the emulation year on the cluster record (`None` when
/// the document has no live cluster record).
///
/// The cluster's year rather than the calendar: the app records each rotation for that year,
/// and an emulation year ends with the annual summary (tổng kết) its head runs, often in the
/// next January; the head moves the cluster to the new year once its roles are settled.
pub fn roles_year(doc: &Document) -> Option<i32> {
    doc.get_cluster(&doc.cluster).map(|c| c.year)
}

/// The role in force for a device of `unit` that joined with `invite_role`:
/// [`effective_role`] for the cluster's year ([`roles_year`]); the invite's role when the
/// document has no cluster record.
pub fn role_in_force(doc: &Document, unit: &UnitId, invite_role: Role) -> Role {
    roles_year(doc).map_or(invite_role, |year| {
        effective_role(doc, unit, invite_role, year)
    })
}

/// Whether `after` has another head than `before`: a different cluster year, or another head
/// in force for some year (including a year gaining or losing its `Roles` records).
///
/// A change only the head may make; [`authorize`] checks revisions one by one, this checks
/// what a whole push of a non-head would do.
pub fn changes_head(before: &Document, after: &Document) -> bool {
    roles_year(before) != roles_year(after) || heads_by_year(before) != heads_by_year(after)
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Head => "cluster head",
            Role::Deputy => "deputy head",
            Role::Officer => "unit officer",
            Role::Board => "federation board",
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::{DeviceId, RecordId};
    use crate::model::tests::{all_bodies, id, sample_entry};
    use crate::model::{EntryDetails, Roles, Unit, UnitKind};
    use crate::sync::VersionVector;
    use chrono::{DateTime, TimeZone, Utc};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_714_000_000 + s, 0).unwrap()
    }

    fn officer(u: &str) -> Actor {
        Actor {
            unit: id(u),
            role: Role::Officer,
        }
    }

    fn rev(body: Option<Body>, unit: &str) -> Revision {
        let d = DeviceId::new("d").unwrap();
        let mut clock = VersionVector::new();
        clock.bump(&d);
        Revision {
            clock,
            author: d,
            author_unit: Some(id(unit)),
            at: t(0),
            body,
        }
    }

    fn entry_for(unit: &str) -> Body {
        let mut e = sample_entry(EntryDetails::Work);
        e.unit = id(unit);
        Body::Entry(e)
    }

    fn record_of(doc: &mut Document, rid: &str, body: Body, unit: &str) -> Record {
        let d = DeviceId::new("x").unwrap();
        doc.put(id(rid), body, &d, Some(id(unit)), t(0)).clone()
    }

    #[test]
    fn officer_writes_own_entries_and_pledges_only() {
        let doc = Document::new(id("cl"));
        let me = officer("u1");
        assert_eq!(
            authorize(&me, None, &rev(Some(entry_for("u1")), "u1"), &doc),
            Ok(())
        );
        assert_eq!(
            authorize(&me, None, &rev(Some(entry_for("u2")), "u1"), &doc),
            Err(Denied::NotOwner)
        );
        for b in all_bodies() {
            let r = rev(Some(b.clone()), "u1");
            let got = authorize(&me, None, &r, &doc);
            match b.kind() {
                Kind::Entry | Kind::Pledge => assert_eq!(got, Ok(()), "{b:?}"),
                k => assert_eq!(got, Err(Denied::KindNotAllowed(k))),
            }
        }
    }

    #[test]
    fn managers_write_everything_but_decisions() {
        let mut doc = Document::new(id("cl"));
        let existing = record_of(&mut doc, "e1", entry_for("u2"), "u2");
        for role in [Role::Head, Role::Deputy] {
            let a = Actor {
                unit: id("u9"),
                role,
            };
            for b in all_bodies() {
                let got = authorize(&a, None, &rev(Some(b.clone()), "u9"), &doc);
                // With no roles recorded, naming a head or setting the year is the head's.
                let want = match (role, &b) {
                    (Role::Deputy, Body::Roles(r)) => Err(Denied::HeadOnly { year: r.year }),
                    (Role::Deputy, Body::Cluster(_)) => Err(Denied::ClusterYearHeadOnly),
                    // Only the board decides on proposals sent up.
                    (_, Body::AwardDecision(_)) => Err(Denied::BoardOnly),
                    _ => Ok(()),
                };
                assert_eq!(got, want, "{role:?} {b:?}");
            }
            assert_eq!(
                authorize(&a, Some(&existing), &rev(None, "u9"), &doc),
                Ok(())
            );
            assert_eq!(authorize(&a, None, &rev(None, "u9"), &doc), Ok(()));
        }
    }

    #[test]
    fn author_unit_must_match() {
        let doc = Document::new(id("cl"));
        let head = Actor {
            unit: id("u1"),
            role: Role::Head,
        };
        let mut r = rev(Some(entry_for("u1")), "u2");
        assert!(matches!(
            authorize(&head, None, &r, &doc),
            Err(Denied::WrongAuthorUnit { .. })
        ));
        r.author_unit = None;
        assert!(authorize(&officer("u1"), None, &r, &doc).is_err());
    }

    #[test]
    fn existing_record_rules() {
        let mut doc = Document::new(id("cl"));
        let theirs = record_of(&mut doc, "e2", entry_for("u2"), "u2");
        let mine = record_of(&mut doc, "e1", entry_for("u1"), "u1");
        let unit = record_of(
            &mut doc,
            "un",
            Body::Unit(Unit {
                name: "A".into(),
                kind: UnitKind::Agency,
            }),
            "u9",
        );
        let me = officer("u1");
        // Taking over another unit's entry by rewriting its unit is refused.
        let r = rev(Some(entry_for("u1")), "u1");
        assert_eq!(
            authorize(&me, Some(&theirs), &r, &doc),
            Err(Denied::NotOwner)
        );
        assert_eq!(authorize(&me, Some(&mine), &r, &doc), Ok(()));
        // Tombstones follow the kind and owner of the record they delete.
        assert_eq!(authorize(&me, Some(&mine), &rev(None, "u1"), &doc), Ok(()));
        assert_eq!(
            authorize(&me, Some(&theirs), &rev(None, "u1"), &doc),
            Err(Denied::NotOwner)
        );
        assert_eq!(
            authorize(&me, Some(&unit), &rev(None, "u1"), &doc),
            Err(Denied::KindNotAllowed(Kind::Unit))
        );
        // Created and deleted before the first push: a tombstone for an unknown record.
        assert_eq!(authorize(&me, None, &rev(None, "u1"), &doc), Ok(()));
        let mut forged = rev(Some(entry_for("u1")), "u1");
        forged.clock.bump(&DeviceId::new("pc").unwrap());
        assert_eq!(
            authorize(&me, None, &forged, &doc),
            Err(Denied::ForeignClock)
        );
        forged.body = None;
        assert_eq!(
            authorize(&me, None, &forged, &doc),
            Err(Denied::ForeignClock)
        );
        let head = Actor {
            unit: id("u1"),
            role: Role::Head,
        };
        assert_eq!(
            authorize(&head, None, &forged, &doc),
            Ok(()),
            "managers are trusted"
        );
        // Kind mismatch is refused for everyone.
        let head = Actor {
            unit: id("u1"),
            role: Role::Head,
        };
        let pledge = all_bodies()
            .into_iter()
            .find(|b| b.kind() == Kind::Pledge)
            .unwrap();
        assert_eq!(
            authorize(&head, Some(&mine), &rev(Some(pledge), "u1"), &doc),
            Err(Denied::KindMismatch {
                existing: Kind::Entry,
                incoming: Kind::Pledge
            })
        );
    }

    #[test]
    fn deletions_and_officers() {
        let mut doc = Document::new(id("cl"));
        let (phone, pc) = (
            DeviceId::new("phone").unwrap(),
            DeviceId::new("pc").unwrap(),
        );
        doc.put(id("e1"), entry_for("u1"), &phone, Some(id("u1")), t(0));
        let before = doc.clone();
        let mine = |doc: &Document| {
            let r = doc.get("e1").unwrap();
            let mut clock = r.clock();
            clock.bump(&phone);
            Revision {
                clock,
                author: phone.clone(),
                author_unit: Some(id("u1")),
                at: t(9),
                body: Some(entry_for("u1")),
            }
        };
        // The officer may undo their own deletion.
        let mut own = before.clone();
        let deleted = own
            .delete(&id("e1"), &phone, Some(id("u1")), t(1))
            .unwrap()
            .clone();
        assert_eq!(
            authorize(&officer("u1"), Some(&deleted), &mine(&own), &own),
            Ok(())
        );
        // Another unit may not overwrite it (a merely concurrent version would only add a
        // conflict to a record whose content is already gone).
        let mut steal = mine(&own);
        steal.author_unit = Some(id("u2"));
        steal.body = Some(entry_for("u2"));
        assert_eq!(
            authorize(&officer("u2"), Some(&deleted), &steal, &own),
            Err(Denied::NotOwner)
        );
        // ...but not overwrite a manager's deletion.
        let mut managed = before.clone();
        let deleted = managed
            .delete(&id("e1"), &pc, Some(id("u9")), t(1))
            .unwrap()
            .clone();
        assert_eq!(
            authorize(&officer("u1"), Some(&deleted), &mine(&managed), &managed),
            Err(Denied::NotOwner)
        );
        // An offline edit concurrent with that deletion is accepted and becomes a conflict.
        let offline = mine(&before);
        assert_eq!(
            authorize(&officer("u1"), Some(&deleted), &offline, &managed),
            Ok(())
        );
    }

    #[test]
    fn roles_come_from_latest_roles_record() {
        let mut doc = Document::new(id("cl"));
        let d = DeviceId::new("x").unwrap();
        let roles = |head: &str, deputy: Option<&str>| {
            Body::Roles(Roles {
                year: 2024,
                head: id(head),
                deputy: deputy.map(id),
            })
        };
        doc.put(id("r1"), roles("u1", Some("u2")), &d, None, t(0));
        assert_eq!(role_of(&doc, &id("u1"), 2024), Role::Head);
        assert_eq!(role_of(&doc, &id("u2"), 2024), Role::Deputy);
        assert_eq!(role_of(&doc, &id("u3"), 2024), Role::Officer);
        assert_eq!(role_of(&doc, &id("u1"), 2025), Role::Officer);
        doc.put(
            RecordId::new("r2").unwrap(),
            roles("u3", None),
            &d,
            None,
            t(5),
        );
        assert_eq!(role_of(&doc, &id("u1"), 2024), Role::Officer);
        assert_eq!(role_of(&doc, &id("u3"), 2024), Role::Head);
        assert_eq!(Role::Deputy.to_string(), "deputy head");
        assert!(Denied::KindNotAllowed(Kind::Review)
            .to_string()
            .contains("review"));
    }

    fn roles_body(year: i32, head: &str, deputy: Option<&str>) -> Body {
        Body::Roles(Roles {
            year,
            head: id(head),
            deputy: deputy.map(id),
        })
    }

    fn cluster_body(year: i32) -> Body {
        all_bodies()
            .into_iter()
            .find_map(|b| match b {
                Body::Cluster(mut c) => {
                    c.year = year;
                    Some(Body::Cluster(c))
                }
                _ => None,
            })
            .unwrap()
    }

    /// A document of cluster `cl` (year 2024) whose 2024 roles name u1 head and u2 deputy.
    fn rotated() -> Document {
        let mut doc = Document::new(id("cl"));
        let d = DeviceId::new("x").unwrap();
        doc.put(id("cl"), cluster_body(2024), &d, Some(id("u1")), t(0));
        doc.put(
            id("r24"),
            roles_body(2024, "u1", Some("u2")),
            &d,
            Some(id("u1")),
            t(1),
        );
        doc
    }

    fn actor(unit: &str, role: Role) -> Actor {
        Actor {
            unit: id(unit),
            role,
        }
    }

    /// A revision by device `d` of `unit` that follows every version of `existing`.
    /// Whether `actor` may delete `existing` (a tombstone written after it).
    fn delete_as(actor: &Actor, existing: &Record, doc: &Document) -> Result<(), Denied> {
        let unit = actor.unit.as_str();
        authorize(
            actor,
            Some(existing),
            &next_rev(Some(existing), None, unit, 5),
            doc,
        )
    }

    fn next_rev(existing: Option<&Record>, body: Option<Body>, unit: &str, at: i64) -> Revision {
        let d = DeviceId::new("d").unwrap();
        let mut clock = existing.map(Record::clock).unwrap_or_default();
        clock.bump(&d);
        Revision {
            clock,
            author: d,
            author_unit: Some(id(unit)),
            at: t(at),
            body,
        }
    }

    #[test]
    fn effective_role_is_the_recorded_one_else_the_invites() {
        let doc = rotated();
        // Roles recorded for the year: they decide, whatever the invite said.
        assert_eq!(
            effective_role(&doc, &id("u1"), Role::Officer, 2024),
            Role::Head
        );
        assert_eq!(
            effective_role(&doc, &id("u2"), Role::Officer, 2024),
            Role::Deputy
        );
        assert_eq!(
            effective_role(&doc, &id("u3"), Role::Head, 2024),
            Role::Officer
        );
        assert_eq!(
            effective_role(&doc, &id("u3"), Role::Deputy, 2024),
            Role::Officer
        );
        // No roles for the year: the invite's role.
        for role in [Role::Head, Role::Deputy, Role::Officer] {
            assert_eq!(effective_role(&doc, &id("u3"), role, 2025), role);
            assert_eq!(effective_role(&doc, &id("u1"), role, 2025), role);
        }
        // A deleted Roles record counts for nothing.
        let mut gone = doc.clone();
        gone.delete(&id("r24"), &DeviceId::new("x").unwrap(), None, t(2))
            .unwrap();
        assert_eq!(
            effective_role(&gone, &id("u3"), Role::Head, 2024),
            Role::Head
        );
        assert_eq!(
            effective_role(&gone, &id("u1"), Role::Officer, 2024),
            Role::Officer
        );
        // The year in force is the cluster's.
        assert_eq!(roles_year(&doc), Some(2024));
        assert_eq!(role_in_force(&doc, &id("u1"), Role::Officer), Role::Head);
        assert_eq!(role_in_force(&doc, &id("u3"), Role::Head), Role::Officer);
        let mut next = doc.clone();
        next.put(
            id("cl"),
            cluster_body(2025),
            &DeviceId::new("x").unwrap(),
            None,
            t(3),
        );
        assert_eq!(roles_year(&next), Some(2025));
        assert_eq!(role_in_force(&next, &id("u3"), Role::Head), Role::Head);
        assert_eq!(
            role_in_force(&next, &id("u1"), Role::Officer),
            Role::Officer
        );
        // No cluster record: the invite's role.
        let bare = Document::new(id("cl"));
        assert_eq!(roles_year(&bare), None);
        assert_eq!(role_in_force(&bare, &id("u1"), Role::Deputy), Role::Deputy);
    }

    #[test]
    fn only_the_head_changes_who_is_head() {
        let doc = rotated();
        let r24 = doc.get("r24").unwrap().clone();
        let head = actor("u1", Role::Head);
        let deputy = actor("u2", Role::Deputy);
        let officer = officer("u3");
        // The head hands over to u3, for this year or the next.
        let handover = next_rev(
            Some(&r24),
            Some(roles_body(2024, "u3", Some("u1"))),
            "u1",
            5,
        );
        assert_eq!(authorize(&head, Some(&r24), &handover, &doc), Ok(()));
        let next_year = next_rev(None, Some(roles_body(2025, "u3", None)), "u1", 5);
        assert_eq!(authorize(&head, None, &next_year, &doc), Ok(()));
        let delete = next_rev(Some(&r24), None, "u1", 5);
        assert_eq!(authorize(&head, Some(&r24), &delete, &doc), Ok(()));

        // A deputy cannot make itself head, nor anyone else, in this record or a new one.
        for (body, year) in [
            (roles_body(2024, "u2", None), 2024),
            (roles_body(2024, "u3", Some("u2")), 2024),
            (roles_body(2025, "u2", None), 2025),
            (roles_body(2025, "u1", Some("u2")), 2025),
        ] {
            let existing = next_rev(Some(&r24), Some(body.clone()), "u2", 5);
            assert_eq!(
                authorize(&deputy, Some(&r24), &existing, &doc),
                Err(Denied::HeadOnly { year }),
                "{body:?}"
            );
            let new = next_rev(None, Some(body.clone()), "u2", 5);
            assert_eq!(
                authorize(&deputy, None, &new, &doc),
                Err(Denied::HeadOnly { year }),
                "{body:?}"
            );
            // ...not even in a version that loses now (it would win once the head's is gone).
            let old = next_rev(None, Some(body.clone()), "u2", -100);
            assert_eq!(
                authorize(&deputy, None, &old, &doc),
                Err(Denied::HeadOnly { year }),
                "{body:?}"
            );
        }
        // Nor delete the roles in force, nor move them to another year.
        assert_eq!(
            delete_as(&deputy, &r24, &doc),
            Err(Denied::HeadOnly { year: 2024 })
        );
        // But it may change the deputy, or re-save the roles, under the same head.
        for body in [
            roles_body(2024, "u1", Some("u3")),
            roles_body(2024, "u1", None),
            roles_body(2024, "u1", Some("u2")),
        ] {
            let r = next_rev(Some(&r24), Some(body.clone()), "u2", 5);
            assert_eq!(authorize(&deputy, Some(&r24), &r, &doc), Ok(()), "{body:?}");
            let r = next_rev(None, Some(body.clone()), "u2", 5);
            assert_eq!(authorize(&deputy, None, &r, &doc), Ok(()), "{body:?}");
        }
        // An officer writes no Roles record at all.
        for body in [
            roles_body(2024, "u1", Some("u2")),
            roles_body(2024, "u3", None),
        ] {
            let r = next_rev(Some(&r24), Some(body), "u3", 5);
            assert_eq!(
                authorize(&officer, Some(&r24), &r, &doc),
                Err(Denied::KindNotAllowed(Kind::Roles))
            );
        }
        assert_eq!(
            delete_as(&officer, &r24, &doc),
            Err(Denied::KindNotAllowed(Kind::Roles))
        );
    }

    #[test]
    fn a_deputy_may_delete_roles_that_are_not_in_force() {
        let mut doc = rotated();
        let d = DeviceId::new("x").unwrap();
        // An older record for 2024 naming the same head, superseded by r24.
        doc.put(
            id("r-old"),
            roles_body(2024, "u1", None),
            &d,
            Some(id("u1")),
            t(-10),
        );
        // And one naming another head, also superseded.
        doc.put(
            id("r-other"),
            roles_body(2024, "u3", None),
            &d,
            Some(id("u1")),
            t(-5),
        );
        let deputy = actor("u2", Role::Deputy);
        let old = doc.get("r-old").unwrap().clone();
        let other = doc.get("r-other").unwrap().clone();
        let r24 = doc.get("r24").unwrap().clone();
        assert_eq!(delete_as(&deputy, &old, &doc), Ok(()));
        assert_eq!(delete_as(&deputy, &other, &doc), Ok(()));
        // Deleting r24 would hand 2024 to u3's record.
        assert_eq!(
            delete_as(&deputy, &r24, &doc),
            Err(Denied::HeadOnly { year: 2024 })
        );
        // Re-dating r24 behind r-other would too.
        let behind = next_rev(
            Some(&r24),
            Some(roles_body(2024, "u1", Some("u2"))),
            "u2",
            -7,
        );
        assert_eq!(
            authorize(&deputy, Some(&r24), &behind, &doc),
            Err(Denied::HeadOnly { year: 2024 })
        );
        // Moving r24 to 2025 empties 2024 of its head (and 2025 has none to keep).
        let moved = next_rev(Some(&r24), Some(roles_body(2025, "u1", None)), "u2", 5);
        assert_eq!(
            authorize(&deputy, Some(&r24), &moved, &doc),
            Err(Denied::HeadOnly { year: 2025 })
        );
    }

    #[test]
    fn only_the_head_moves_the_cluster_year() {
        let doc = rotated();
        let cl = doc.get("cl").unwrap().clone();
        let head = actor("u1", Role::Head);
        let deputy = actor("u2", Role::Deputy);
        let moved = |unit: &str| next_rev(Some(&cl), Some(cluster_body(2025)), unit, 5);
        assert_eq!(authorize(&head, Some(&cl), &moved("u1"), &doc), Ok(()));
        assert_eq!(
            authorize(&deputy, Some(&cl), &moved("u2"), &doc),
            Err(Denied::ClusterYearHeadOnly)
        );
        assert_eq!(
            delete_as(&deputy, &cl, &doc),
            Err(Denied::ClusterYearHeadOnly)
        );
        // Other fields of the cluster record stay the deputy's to edit.
        let mut renamed = cluster_body(2024);
        if let Body::Cluster(c) = &mut renamed {
            c.name = "Cụm thi đua số 18 (mới)".into();
        }
        let r = next_rev(Some(&cl), Some(renamed.clone()), "u2", 5);
        assert_eq!(authorize(&deputy, Some(&cl), &r, &doc), Ok(()));
        let r = next_rev(Some(&cl), Some(renamed), "u3", 5);
        assert_eq!(
            authorize(&officer("u3"), Some(&cl), &r, &doc),
            Err(Denied::KindNotAllowed(Kind::Cluster))
        );
    }

    /// The matrix of who writes which kind: create, update and delete of a cluster record of
    /// every kind, by the head, the deputy, an officer and the board.
    #[test]
    fn the_board_writes_structure_and_decisions_only() {
        let doc = rotated();
        let board = actor("fed-th", Role::Board);
        let samples = all_bodies();
        for kind in Kind::ALL {
            let body = samples.iter().find(|b| b.kind() == kind).unwrap().clone();
            let existing = Record {
                id: id("x1"),
                kind,
                created_at: t(0),
                heads: Arc::from([next_rev(None, Some(body.clone()), "u1", 0)]),
            };
            let board_may = BOARD_KINDS.contains(&kind);
            let as_board = |existing: Option<&Record>, body: Option<Body>| {
                authorize(
                    &board,
                    existing,
                    &next_rev(existing, body, "fed-th", 5),
                    &doc,
                )
            };
            let want = if board_may {
                Ok(())
            } else {
                Err(Denied::BoardMayNot(kind))
            };
            assert_eq!(as_board(None, Some(body.clone())), want, "create {kind}");
            assert_eq!(
                as_board(Some(&existing), Some(body.clone())),
                want,
                "update {kind}"
            );
            assert_eq!(as_board(Some(&existing), None), want, "delete {kind}");
            // Managers write everything but decisions; officers neither decisions nor
            // reminders.
            for (who, unit) in [(Role::Head, "u1"), (Role::Deputy, "u2")] {
                let r = next_rev(Some(&existing), Some(body.clone()), unit, 5);
                let got = authorize(&actor(unit, who), Some(&existing), &r, &doc);
                if kind == Kind::AwardDecision {
                    assert_eq!(got, Err(Denied::BoardOnly), "{who} {kind}");
                } else if kind != Kind::Roles && kind != Kind::Cluster {
                    assert_eq!(got, Ok(()), "{who} {kind}");
                }
            }
            if matches!(kind, Kind::AwardDecision | Kind::Reminder) {
                let r = next_rev(None, Some(body.clone()), "u3", 5);
                assert!(authorize(&officer("u3"), None, &r, &doc).is_err(), "{kind}");
            }
        }
        // A board member's author unit must be the board's, and a new record's clock only
        // its own device's.
        let decision = samples
            .iter()
            .find(|b| b.kind() == Kind::AwardDecision)
            .unwrap()
            .clone();
        let mut wrong = next_rev(None, Some(decision.clone()), "u1", 5);
        assert!(matches!(
            authorize(&board, None, &wrong, &doc),
            Err(Denied::WrongAuthorUnit { .. })
        ));
        wrong.author_unit = Some(id("fed-th"));
        wrong.clock.bump(&DeviceId::new("someone-else").unwrap());
        assert_eq!(
            authorize(&board, None, &wrong, &doc),
            Err(Denied::ForeignClock)
        );
        // The board names any head: it forms the cluster.
        let r24 = doc.get("r24").unwrap().clone();
        let handover = next_rev(
            Some(&r24),
            Some(roles_body(2024, "u3", Some("u2"))),
            "fed-th",
            5,
        );
        assert_eq!(authorize(&board, Some(&r24), &handover, &doc), Ok(()));
        // No cluster record changes a board member's role.
        assert_eq!(role_in_force(&doc, &id("fed-th"), Role::Board), Role::Board);
        assert!(Role::Board.is_board() && !Role::Board.manages_cluster());
        assert_eq!(Role::Board.to_string(), "federation board");
        assert_eq!(serde_json::to_value(Role::Board).unwrap(), "board");
    }

    #[test]
    fn changes_head_compares_whole_outcomes() {
        let mut doc = rotated();
        let d = DeviceId::new("x").unwrap();
        doc.put(id("r-old"), roles_body(2024, "u1", None), &d, None, t(-10));
        assert!(!changes_head(&doc, &doc));
        // Each deletion alone keeps u1 head; both together leave 2024 without roles.
        let mut one = doc.clone();
        one.delete(&id("r24"), &d, None, t(5)).unwrap();
        assert!(!changes_head(&doc, &one));
        let mut both = one.clone();
        both.delete(&id("r-old"), &d, None, t(5)).unwrap();
        assert!(changes_head(&doc, &both));
        // A new deputy is not a new head; a new head, a new year or next year's head are.
        let mut deputy = doc.clone();
        deputy.put(
            id("r24"),
            roles_body(2024, "u1", Some("u3")),
            &d,
            None,
            t(5),
        );
        assert!(!changes_head(&doc, &deputy));
        let mut head = doc.clone();
        head.put(id("r24"), roles_body(2024, "u3", None), &d, None, t(5));
        assert!(changes_head(&doc, &head));
        let mut year = doc.clone();
        year.put(id("cl"), cluster_body(2025), &d, None, t(5));
        assert!(changes_head(&doc, &year));
        let mut later = doc.clone();
        later.put(id("r25"), roles_body(2025, "u1", None), &d, None, t(5));
        assert!(changes_head(&doc, &later));
    }
}
