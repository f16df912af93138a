//! Entry status, derived from reviews and never stored.
//!
//! A review names the entry revision it looked at (`entry_clock`). It only counts while the
//! entry's winning revision is that one or older; editing an approved entry moves its clock past
//! the review, so the entry goes back to review. Among the reviews that count, the latest (by the
//! review revision's `at`, then review id) decides.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::RecordId;
use crate::model::{Body, Review, ReviewDecision};
use crate::sync::{Document, Record};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EntryStatus {
    /// Waiting for review (new, or edited since the last review).
    Submitted,
    Approved,
    Returned {
        reason: String,
    },
    /// Deleted, or not an entry this document knows.
    Deleted,
}

type ReviewRef<'a> = (&'a DateTime<Utc>, &'a RecordId, &'a Review);

/// Live reviews with the time of their winning revision.
fn live_reviews(doc: &Document) -> impl Iterator<Item = ReviewRef<'_>> {
    doc.records.iter().filter_map(|(id, r)| {
        let w = r.winner()?;
        match &w.body {
            Some(Body::Review(rv)) => Some((&w.at, id, rv)),
            _ => None,
        }
    })
}

fn decide<'a>(entry: Option<&Record>, reviews: impl Iterator<Item = ReviewRef<'a>>) -> EntryStatus {
    let Some(w) = entry.and_then(Record::winner) else {
        return EntryStatus::Deleted;
    };
    if !matches!(w.body, Some(Body::Entry(_))) {
        return EntryStatus::Deleted;
    }
    let latest = reviews
        .filter(|(_, _, rv)| rv.entry_clock.dominates(&w.clock))
        .max_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(b.1)));
    match latest.map(|(_, _, rv)| &rv.decision) {
        None => EntryStatus::Submitted,
        Some(ReviewDecision::Approve) => EntryStatus::Approved,
        Some(ReviewDecision::Return { reason }) => EntryStatus::Returned {
            reason: reason.clone(),
        },
    }
}

/// The status of one entry. Unknown ids and non-entries read as [`EntryStatus::Deleted`].
pub fn entry_status(doc: &Document, entry_id: &RecordId) -> EntryStatus {
    decide(
        doc.get(entry_id),
        live_reviews(doc).filter(|(_, _, rv)| &rv.entry == entry_id),
    )
}

/// The status of every live entry, in one pass over the reviews (for lists and scoring).
pub fn entry_statuses(doc: &Document) -> BTreeMap<RecordId, EntryStatus> {
    let mut by_entry: BTreeMap<&RecordId, Vec<ReviewRef<'_>>> = BTreeMap::new();
    for r in live_reviews(doc) {
        by_entry.entry(&r.2.entry).or_default().push(r);
    }
    doc.entries()
        .map(|(id, _)| {
            let reviews = by_entry.get(id).map(Vec::as_slice).unwrap_or(&[]);
            (id.clone(), decide(doc.get(id), reviews.iter().copied()))
        })
        .collect()
}

impl Document {
    /// Shorthand for [`entry_status`].
    pub fn entry_status(&self, entry_id: &RecordId) -> EntryStatus {
        entry_status(self, entry_id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::model::tests::{id, sample_entry};
    use crate::model::EntryDetails;
    use crate::sync::merge;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_714_000_000 + secs, 0).unwrap()
    }

    fn officer() -> DeviceId {
        DeviceId::new("phone").unwrap()
    }

    fn head() -> DeviceId {
        DeviceId::new("pc").unwrap()
    }

    fn with_entry() -> Document {
        let mut doc = Document::new(id("cl"));
        let e = Body::Entry(sample_entry(EntryDetails::Trees { count: 10 }));
        doc.put(id("e1"), e, &officer(), Some(id("u1")), t(0));
        doc
    }

    fn review(doc: &mut Document, rid: &str, decision: ReviewDecision, at: i64) {
        let clock = doc.get("e1").unwrap().winner().unwrap().clock.clone();
        let body = Body::Review(Review {
            entry: id("e1"),
            entry_clock: clock,
            decision,
        });
        doc.put(id(rid), body, &head(), Some(id("u9")), t(at));
    }

    fn edit(doc: &mut Document, at: i64) {
        let e = Body::Entry(sample_entry(EntryDetails::Trees { count: 11 }));
        doc.put(id("e1"), e, &officer(), Some(id("u1")), t(at));
    }

    #[test]
    fn new_entry_is_submitted() {
        let doc = with_entry();
        assert_eq!(entry_status(&doc, &id("e1")), EntryStatus::Submitted);
        assert_eq!(entry_status(&doc, &id("nope")), EntryStatus::Deleted);
    }

    #[test]
    fn approve_then_edit_goes_back_to_review() {
        let mut doc = with_entry();
        review(&mut doc, "r1", ReviewDecision::Approve, 10);
        assert_eq!(doc.entry_status(&id("e1")), EntryStatus::Approved);
        edit(&mut doc, 20);
        assert_eq!(doc.entry_status(&id("e1")), EntryStatus::Submitted);
        review(&mut doc, "r2", ReviewDecision::Approve, 30);
        assert_eq!(doc.entry_status(&id("e1")), EntryStatus::Approved);
    }

    #[test]
    fn returned_with_reason_then_latest_review_decides() {
        let mut doc = with_entry();
        let reason = "Thiếu ảnh minh chứng".to_string();
        review(
            &mut doc,
            "r1",
            ReviewDecision::Return {
                reason: reason.clone(),
            },
            10,
        );
        assert_eq!(
            doc.entry_status(&id("e1")),
            EntryStatus::Returned { reason }
        );
        review(&mut doc, "r2", ReviewDecision::Approve, 20);
        assert_eq!(doc.entry_status(&id("e1")), EntryStatus::Approved);
        // Deleting the later review brings the earlier one back into force.
        doc.delete(&id("r2"), &head(), None, t(30)).unwrap();
        assert!(matches!(
            doc.entry_status(&id("e1")),
            EntryStatus::Returned { .. }
        ));
    }

    #[test]
    fn edit_concurrent_with_review_is_not_approved() {
        let mut officer_doc = with_entry();
        let mut head_doc = officer_doc.clone();
        review(&mut head_doc, "r1", ReviewDecision::Approve, 10);
        edit(&mut officer_doc, 5);
        let m = merge(&officer_doc, &head_doc);
        assert_eq!(m.entry_status(&id("e1")), EntryStatus::Submitted);
    }

    #[test]
    fn deleted_entry() {
        let mut doc = with_entry();
        review(&mut doc, "r1", ReviewDecision::Approve, 10);
        doc.delete(&id("e1"), &officer(), Some(id("u1")), t(20))
            .unwrap();
        assert_eq!(doc.entry_status(&id("e1")), EntryStatus::Deleted);
        assert!(entry_statuses(&doc).is_empty());
    }

    #[test]
    fn bulk_statuses_match_single() {
        let mut doc = with_entry();
        let e2 = Body::Entry(sample_entry(EntryDetails::Model));
        doc.put(id("e2"), e2, &officer(), Some(id("u1")), t(1));
        review(&mut doc, "r1", ReviewDecision::Approve, 10);
        let all = entry_statuses(&doc);
        assert_eq!(all.len(), 2);
        for (eid, st) in &all {
            assert_eq!(st, &entry_status(&doc, eid));
        }
        assert_eq!(all[&id("e1")], EntryStatus::Approved);
        assert_eq!(all[&id("e2")], EntryStatus::Submitted);
        let json = serde_json::to_value(EntryStatus::Returned { reason: "x".into() }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "returned", "reason": "x"})
        );
    }
}
