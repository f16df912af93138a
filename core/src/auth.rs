//! Authorization of pushed revisions; pure, so the server and tests share it.
//!
//! The server calls [`authorize`] for every revision a push adds. Cluster heads and deputies
//! run the cluster and may write anything; officers of member units report for their own unit
//! only (pledges and entries). Tombstones follow the rules of the record they delete.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::UnitId;
use crate::model::{Body, Kind};
use crate::sync::{Document, Record, Revision};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Head,
    Deputy,
    Officer,
}

impl Role {
    /// Heads and deputies manage the cluster.
    pub fn manages_cluster(self) -> bool {
        matches!(self, Role::Head | Role::Deputy)
    }
}

/// Who is pushing: a member unit and that person's role in the cluster.
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
}

/// Whether `actor` may add `incoming` to the record `existing` (None for a new record).
///
/// The server must also check that `incoming.author` is the device that is pushing; the
/// clock rule below relies on it.
///
/// `doc` is the server's current document; the rules below do not need it yet, but it is part
/// of the signature so that rules depending on cluster state can be added without API churn.
pub fn authorize(
    actor: &Actor,
    existing: Option<&Record>,
    incoming: &Revision,
    doc: &Document,
) -> Result<(), Denied> {
    let _ = doc;
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
    if actor.role.manages_cluster() {
        return Ok(());
    }
    if let Some(kind) = kind {
        if !matches!(kind, Kind::Pledge | Kind::Entry) {
            return Err(Denied::KindNotAllowed(kind));
        }
    }
    // A record the server has never seen was only ever on its author's device, so its clock
    // can only count that device's writes. This stops an officer from planting a version with a
    // forged clock under an id another device will create, which would hide that device's data.
    if existing.is_none() && incoming.clock.iter().any(|(d, _)| d != &incoming.author) {
        return Err(Denied::ForeignClock);
    }
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

/// The role of `unit` in `year` according to the document's live `Roles` records (the most
/// recently written one wins if several name the same year). Everyone else is an officer.
pub fn role_of(doc: &Document, unit: &UnitId, year: i32) -> Role {
    let roles = doc
        .records
        .iter()
        .filter_map(|(id, r)| {
            let w = r.winner()?;
            match &w.body {
                Some(Body::Roles(roles)) if roles.year == year => Some((w.at, id, roles)),
                _ => None,
            }
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    match roles {
        Some((_, _, r)) if &r.head == unit => Role::Head,
        Some((_, _, r)) if r.deputy.as_ref() == Some(unit) => Role::Deputy,
        _ => Role::Officer,
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Head => "cluster head",
            Role::Deputy => "deputy head",
            Role::Officer => "unit officer",
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
    fn managers_write_everything() {
        let mut doc = Document::new(id("cl"));
        let existing = record_of(&mut doc, "e1", entry_for("u2"), "u2");
        for role in [Role::Head, Role::Deputy] {
            let a = Actor {
                unit: id("u9"),
                role,
            };
            for b in all_bodies() {
                assert_eq!(authorize(&a, None, &rev(Some(b), "u9"), &doc), Ok(()));
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
}
