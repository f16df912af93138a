//! Test helpers shared by the scoring, summary and export tests: the demo cluster on a fixed
//! day, and reviews written the way the cluster head's app writes them.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::demo::{demo, Demo};
use crate::ids::{DeviceId, RecordId};
use crate::model::{Body, Entry, EntryDetails, Review, ReviewDecision};
use crate::sync::Document;

pub fn rid(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

pub fn device() -> DeviceId {
    DeviceId::new("may-truong-cum").unwrap()
}

/// 25/05/2024: the demo campaign then starts on 15/04/2024, as in the seed report.
pub fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 25).unwrap()
}

pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 25, 8, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

/// Strictly increasing write times, so a later review always wins over an earlier one.
fn tick() -> DateTime<Utc> {
    static CLOCK: AtomicI64 = AtomicI64::new(1);
    at(CLOCK.fetch_add(1, Ordering::Relaxed))
}

pub fn demo_fixture() -> Demo {
    demo(day0(), &device(), at(0)).unwrap()
}

pub fn put(doc: &mut Document, id: &str, body: Body) {
    doc.put(rid(id), body, &device(), None, tick());
}

/// An entry of the demo campaign dated on [`day0`].
pub fn entry(unit: &str, criterion: &str, details: EntryDetails) -> Entry {
    Entry {
        unit: rid(unit),
        campaign: rid("dot-95-ngay"),
        criterion: (!criterion.is_empty()).then(|| criterion.to_owned()),
        date: day0(),
        title: format!("Kết quả {unit}"),
        description: String::new(),
        details,
        corrects: None,
        files: Vec::new(),
    }
}

fn review(doc: &mut Document, entry: &str, decision: ReviewDecision) {
    let entry_clock = doc
        .get(&rid(entry))
        .unwrap()
        .winner()
        .unwrap()
        .clock
        .clone();
    let n = doc.len();
    let body = Body::Review(Review {
        entry: rid(entry),
        entry_clock,
        decision,
    });
    put(doc, &format!("duyet-{entry}-{n}"), body);
}

pub fn approve(doc: &mut Document, entry: &str) {
    review(doc, entry, ReviewDecision::Approve);
}

pub fn return_entry(doc: &mut Document, entry: &str, reason: &str) {
    let reason = reason.to_owned();
    review(doc, entry, ReviewDecision::Return { reason });
}

pub fn approve_all(doc: &mut Document) {
    let ids: Vec<String> = doc.entries().map(|(id, _)| id.to_string()).collect();
    for id in ids {
        approve(doc, &id);
    }
}
