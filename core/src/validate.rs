//! Validation of record bodies against the document they are written into.
//!
//! The app validates before saving and the server validates every pushed revision, returning the
//! errors in 4xx bodies. Each [`FieldError`] names a field and a [`Problem`]; the app translates
//! by variant, and `Display` gives a plain English sentence for logs and API clients.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::RecordId;
use crate::model::{
    AwardDecision, AwardOutcome, AwardProposal, Body, Campaign, Cluster, Criterion, Entry,
    EntryDetails, Kind, Nominee, Pledge, Reminder, Review, ReviewDecision, ReviewSession, Roles,
    Unit, VoteResult,
};
use crate::sync::Document;

pub const MAX_TITLE: usize = 200;
pub const MAX_NAME: usize = 200;
pub const MAX_SHORT_TEXT: usize = 100;
pub const MAX_DESCRIPTION: usize = 5000;
pub const MAX_CRITERION_ID: usize = 64;
pub const MAX_MONEY_VND: u64 = 1_000_000_000_000_000;
pub const MAX_COUNT: u64 = 10_000_000;
pub const MAX_POINTS: u64 = 10_000;
pub const MAX_CRITERIA: usize = 200;
pub const MAX_LIST: usize = 1000;
pub const MIN_YEAR: i32 = 1945;
pub const MAX_YEAR: i32 = 2100;

/// What is wrong with a field. Serialised as `{"problem": "too_long", "max": 200}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    Negative,
    NotFinite,
    TooLarge {
        max: u64,
    },
    TooSmall {
        min: u64,
    },
    TooMany {
        max: usize,
    },
    YearOutOfRange {
        min: i32,
        max: i32,
    },
    DateOutsideCampaign {
        start: NaiveDate,
        end: NaiveDate,
    },
    EndBeforeStart,
    /// The referenced record does not exist, is deleted, or is of another kind.
    UnknownReference,
    DuplicateCriterion,
    DuplicateUnit,
    /// The deputy head is the same unit as the head.
    SameAsHead,
    /// A date after today: a result cannot be reported, nor a review held, before it happens.
    InFuture,
    /// An evidence file's reference is not one (bad hash, empty, too big, listed twice).
    BadFile,
    /// An award proposal is sent up to the board before its vote passed.
    VoteNotPassed,
    /// A decision on a sending of a proposal that no longer waits for one (sent again since,
    /// or taken back).
    NotWaiting,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => write!(f, "is required"),
            Problem::TooLong { max } => write!(f, "is longer than {max} characters"),
            Problem::Negative => write!(f, "must not be negative"),
            Problem::NotFinite => write!(f, "must be a finite number"),
            Problem::TooLarge { max } => write!(f, "must be at most {max}"),
            Problem::TooSmall { min } => write!(f, "must be at least {min}"),
            Problem::TooMany { max } => write!(f, "has more than {max} items"),
            Problem::YearOutOfRange { min, max } => {
                write!(f, "must be a year between {min} and {max}")
            }
            Problem::DateOutsideCampaign { start, end } => write!(
                f,
                "must be within the campaign period, {} to {}",
                start.format("%d/%m/%Y"),
                end.format("%d/%m/%Y")
            ),
            Problem::EndBeforeStart => write!(f, "must not be before the start date"),
            Problem::UnknownReference => write!(f, "refers to a record that does not exist"),
            Problem::DuplicateCriterion => write!(f, "lists the same criterion twice"),
            Problem::DuplicateUnit => write!(f, "lists the same unit twice"),
            Problem::SameAsHead => write!(f, "must be a different unit from the head"),
            Problem::InFuture => write!(f, "must not be after today"),
            Problem::BadFile => write!(f, "lists a file that is not valid evidence"),
            Problem::VoteNotPassed => {
                write!(f, "cannot be set before the cluster's vote passed")
            }
            Problem::NotWaiting => write!(
                f,
                "is not the sending that waits for a decision (the proposal was sent again or taken back)"
            ),
        }
    }
}

/// One problem with one field. `field` is a dotted path without indices, e.g. `targets.target`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    #[serde(flatten)]
    pub problem: Problem,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.problem)
    }
}

impl std::error::Error for FieldError {}

/// Collects errors; methods check one field each.
struct Check<'d> {
    doc: &'d Document,
    errors: Vec<FieldError>,
}

impl<'d> Check<'d> {
    fn fail(&mut self, field: &'static str, problem: Problem) {
        self.errors.push(FieldError { field, problem });
    }

    /// Length in characters, not bytes: Vietnamese letters are multi-byte.
    fn text(&mut self, field: &'static str, s: &str, max: usize, required: bool) {
        if required && s.trim().is_empty() {
            self.fail(field, Problem::Required);
        } else if s.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
    }

    fn at_most(&mut self, field: &'static str, n: u64, max: u64) {
        if n > max {
            self.fail(field, Problem::TooLarge { max });
        }
    }

    /// A count that must be there: zero trees or zero participants is no result.
    fn between(&mut self, field: &'static str, n: u64, min: u64, max: u64) {
        if n < min {
            self.fail(field, Problem::TooSmall { min });
        }
        self.at_most(field, n, max);
    }

    fn number(&mut self, field: &'static str, x: f64, max: u64) {
        if !x.is_finite() {
            self.fail(field, Problem::NotFinite);
        } else if x < 0.0 {
            self.fail(field, Problem::Negative);
        } else if x > max as f64 {
            self.fail(field, Problem::TooLarge { max });
        }
    }

    fn year(&mut self, field: &'static str, y: i32) {
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            self.fail(
                field,
                Problem::YearOutOfRange {
                    min: MIN_YEAR,
                    max: MAX_YEAR,
                },
            );
        }
    }

    fn list(&mut self, field: &'static str, len: usize, max: usize) {
        if len > max {
            self.fail(field, Problem::TooMany { max });
        }
    }

    /// A live record of the given kind.
    fn reference(&mut self, field: &'static str, id: &RecordId, kind: Kind) -> Option<&'d Body> {
        match self.doc.body(id) {
            Some(b) if b.kind() == kind => Some(b),
            _ => {
                self.fail(field, Problem::UnknownReference);
                None
            }
        }
    }

    fn campaign(&mut self, field: &'static str, id: &RecordId) -> Option<&'d Campaign> {
        match self.reference(field, id, Kind::Campaign) {
            Some(Body::Campaign(c)) => Some(c),
            _ => None,
        }
    }

    fn criterion(&mut self, field: &'static str, campaign: Option<&Campaign>, criterion: &str) {
        if let Some(c) = campaign {
            if c.criterion(criterion).is_none() {
                self.fail(field, Problem::UnknownReference);
            }
        }
    }
}

/// The check that needs a clock, which `validate` has not (the server and each phone have
/// their own): a result's date or a review session's date must not be after `today`.
pub fn not_in_future(field: &'static str, date: NaiveDate, today: NaiveDate) -> Option<FieldError> {
    (date > today).then_some(FieldError {
        field,
        problem: Problem::InFuture,
    })
}

/// [`validate`], and the checks that need today's date or the state of the moment: an award
/// decision is not dated after `today` and decides on the sending that waits now (a decision
/// made on an earlier sending is refused, not kept to confuse the history). What the server
/// runs on every pushed revision.
pub fn validate_at(doc: &Document, body: &Body, today: NaiveDate) -> Result<(), Vec<FieldError>> {
    let mut errors = validate(doc, body).err().unwrap_or_default();
    if let Body::AwardDecision(d) = body {
        if let Some(Body::AwardProposal(p)) = doc.body(&d.proposal) {
            if p.sent != Some(d.sent) {
                errors.push(FieldError {
                    field: "sent",
                    problem: Problem::NotWaiting,
                });
            }
        }
    }
    if let Body::AwardDecision(AwardDecision {
        outcome: AwardOutcome::Accepted { date, .. },
        ..
    }) = body
    {
        errors.extend(not_in_future("outcome.date", *date, today));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks `body` against `doc` (references must exist there and not be deleted).
pub fn validate(doc: &Document, body: &Body) -> Result<(), Vec<FieldError>> {
    let mut c = Check {
        doc,
        errors: Vec::new(),
    };
    match body {
        Body::Cluster(b) => cluster(&mut c, b),
        Body::Unit(b) => unit(&mut c, b),
        Body::Roles(b) => roles(&mut c, b),
        Body::Campaign(b) => campaign(&mut c, b),
        Body::Pledge(b) => pledge(&mut c, b),
        Body::Entry(b) => entry(&mut c, b),
        Body::Review(b) => review(&mut c, b),
        Body::ReviewSession(b) => review_session(&mut c, b),
        Body::AwardProposal(b) => award_proposal(&mut c, b),
        Body::AwardDecision(b) => award_decision(&mut c, b),
        Body::Reminder(b) => reminder(&mut c, b),
    }
    if c.errors.is_empty() {
        Ok(())
    } else {
        Err(c.errors)
    }
}

fn cluster(c: &mut Check, b: &Cluster) {
    c.text("name", &b.name, MAX_NAME, true);
    c.text("decision.number", &b.decision.number, MAX_SHORT_TEXT, true);
    c.text("decision.issuer", &b.decision.issuer, MAX_NAME, true);
    c.year("year", b.year);
    c.list("former_units", b.former_units.len(), MAX_LIST);
    for u in &b.former_units {
        // A unit that moved away may since have been deleted; it must at least have existed.
        if c.doc.get(u).map(|r| r.kind) != Some(Kind::Unit) {
            c.fail("former_units", Problem::UnknownReference);
        }
    }
}

fn unit(c: &mut Check, b: &Unit) {
    c.text("name", &b.name, MAX_NAME, true);
}

fn roles(c: &mut Check, b: &Roles) {
    c.year("year", b.year);
    c.reference("head", &b.head, Kind::Unit);
    if let Some(d) = &b.deputy {
        if d == &b.head {
            c.fail("deputy", Problem::SameAsHead);
        } else {
            c.reference("deputy", d, Kind::Unit);
        }
    }
}

fn campaign(c: &mut Check, b: &Campaign) {
    c.text("title", &b.title, MAX_TITLE, true);
    c.text("occasion", &b.occasion, MAX_TITLE, false);
    c.text("slogan", &b.slogan, MAX_TITLE, false);
    if b.end < b.start {
        c.fail("end", Problem::EndBeforeStart);
    }
    criteria(c, &b.criteria);
    c.list("deadlines", b.deadlines.len(), MAX_CRITERIA);
    for d in &b.deadlines {
        c.text("deadlines.name", &d.name, MAX_NAME, true);
        // After the end is fine: the annual report is often due after the campaign closes.
        if d.due < b.start {
            c.fail("deadlines.due", Problem::EndBeforeStart);
        }
    }
}

/// A campaign's criteria, and the copy a review session freezes of them.
fn criteria(c: &mut Check, list: &[Criterion]) {
    c.list("criteria", list.len(), MAX_CRITERIA);
    let mut seen = BTreeSet::new();
    for cr in list {
        c.text("criteria.id", &cr.id, MAX_CRITERION_ID, true);
        if !seen.insert(cr.id.as_str()) {
            c.fail("criteria.id", Problem::DuplicateCriterion);
        }
        c.text("criteria.name", &cr.name, MAX_NAME, true);
        c.text(
            "criteria.unit_of_measure",
            &cr.unit_of_measure,
            MAX_SHORT_TEXT,
            false,
        );
        c.at_most("criteria.points", u64::from(cr.points), MAX_POINTS);
    }
}

fn pledge(c: &mut Check, b: &Pledge) {
    let camp = c.campaign("campaign", &b.campaign);
    c.reference("unit", &b.unit, Kind::Unit);
    c.list("targets", b.targets.len(), MAX_CRITERIA);
    let mut seen = BTreeSet::new();
    for t in &b.targets {
        c.criterion("targets.criterion", camp, &t.criterion);
        if !seen.insert(t.criterion.as_str()) {
            c.fail("targets.criterion", Problem::DuplicateCriterion);
        }
        c.number("targets.target", t.target, MAX_MONEY_VND);
    }
    c.text("commitments", &b.commitments, MAX_DESCRIPTION, false);
}

fn entry(c: &mut Check, b: &Entry) {
    c.text("title", &b.title, MAX_TITLE, true);
    c.text("description", &b.description, MAX_DESCRIPTION, false);
    c.reference("unit", &b.unit, Kind::Unit);
    let camp = c.campaign("campaign", &b.campaign);
    if let Some(camp) = camp {
        if !camp.contains(b.date) {
            c.fail(
                "date",
                Problem::DateOutsideCampaign {
                    start: camp.start,
                    end: camp.end,
                },
            );
        }
    }
    if let Some(cr) = &b.criterion {
        c.criterion("criterion", camp, cr);
    }
    match crate::files::check_list(&b.files, crate::files::DEFAULT_MAX_FILE_BYTES) {
        Ok(()) => {}
        Err(crate::files::FileProblem::TooMany { max }) => {
            c.fail("files", Problem::TooMany { max })
        }
        Err(_) => c.fail("files", Problem::BadFile),
    }
    if let Some(corrected) = &b.corrects {
        // The returned entry may since have been deleted; it must at least have existed.
        if c.doc.get(corrected).map(|r| r.kind) != Some(Kind::Entry) {
            c.fail("corrects", Problem::UnknownReference);
        }
    }
    match &b.details {
        EntryDetails::Initiative { value_vnd } | EntryDetails::Research { value_vnd } => {
            c.at_most("details.value_vnd", *value_vnd, MAX_MONEY_VND);
        }
        EntryDetails::Training { participants } | EntryDetails::Event { participants } => {
            c.between(
                "details.participants",
                u64::from(*participants),
                1,
                MAX_COUNT,
            );
        }
        EntryDetails::Donation {
            money_vnd,
            items,
            item_count,
        } => {
            c.at_most("details.money_vnd", *money_vnd, MAX_MONEY_VND);
            c.text("details.items", items, MAX_TITLE, false);
            c.at_most("details.item_count", u64::from(*item_count), MAX_COUNT);
            // A donation of nothing: no money and no items.
            if *money_vnd == 0 && *item_count == 0 {
                c.fail("details.money_vnd", Problem::Required);
            }
        }
        EntryDetails::Trees { count } => {
            c.between("details.count", u64::from(*count), 1, MAX_COUNT)
        }
        EntryDetails::AdvancedExample { nominee, .. } => {
            c.text("details.nominee", nominee, MAX_NAME, true);
        }
        EntryDetails::Work | EntryDetails::Model | EntryDetails::Other => {}
    }
}

fn review(c: &mut Check, b: &Review) {
    c.reference("entry", &b.entry, Kind::Entry);
    if b.entry_clock.is_empty() {
        c.fail("entry_clock", Problem::Required);
    }
    if let ReviewDecision::Return { reason } = &b.decision {
        c.text("decision.reason", reason, MAX_DESCRIPTION, true);
    }
}

fn review_session(c: &mut Check, b: &ReviewSession) {
    let camp = c.campaign("campaign", &b.campaign);
    c.list("rows", b.rows.len(), MAX_LIST);
    criteria(c, &b.criteria);
    let mut units = BTreeSet::new();
    for row in &b.rows {
        c.reference("rows.unit", &row.unit, Kind::Unit);
        if !units.insert(&row.unit) {
            c.fail("rows.unit", Problem::DuplicateUnit);
        }
        if row.rank == 0 {
            c.fail("rows.rank", Problem::TooSmall { min: 1 });
        }
        c.number("rows.total", row.total, MAX_MONEY_VND);
        c.list("rows.criteria", row.criteria.len(), MAX_CRITERIA);
        let mut seen = BTreeSet::new();
        for s in &row.criteria {
            c.criterion("rows.criteria.criterion", camp, &s.criterion);
            if !seen.insert(s.criterion.as_str()) {
                c.fail("rows.criteria.criterion", Problem::DuplicateCriterion);
            }
            c.number("rows.criteria.pledged", s.pledged, MAX_MONEY_VND);
            c.number("rows.criteria.approved", s.approved, MAX_MONEY_VND);
            c.number("rows.criteria.points", s.points, MAX_MONEY_VND);
        }
    }
}

fn award_proposal(c: &mut Check, b: &AwardProposal) {
    if let Some(camp) = &b.campaign {
        c.reference("campaign", camp, Kind::Campaign);
    }
    match &b.nominee {
        Nominee::Unit { unit } => {
            c.reference("nominee.unit", unit, Kind::Unit);
        }
        Nominee::Person { name, unit } => {
            c.text("nominee.name", name, MAX_NAME, true);
            c.reference("nominee.unit", unit, Kind::Unit);
        }
    }
    c.text("reason", &b.reason, MAX_DESCRIPTION, true);
    c.list("entries", b.entries.len(), MAX_LIST);
    for e in &b.entries {
        c.reference("entries", e, Kind::Entry);
    }
    let votes = [b.votes.for_, b.votes.against, b.votes.abstain];
    let total: u64 = votes.iter().map(|v| u64::from(*v)).sum();
    c.at_most("votes", total, MAX_COUNT);
    // Only what the cluster voted for goes up to the board.
    if b.sent.is_some() && b.votes.result() != VoteResult::Passed {
        c.fail("sent", Problem::VoteNotPassed);
    }
}

fn award_decision(c: &mut Check, b: &AwardDecision) {
    c.reference("proposal", &b.proposal, Kind::AwardProposal);
    match &b.outcome {
        AwardOutcome::Accepted { number, .. } => {
            c.text("outcome.number", number, MAX_SHORT_TEXT, true);
        }
        AwardOutcome::Returned { reason } => {
            c.text("outcome.reason", reason, MAX_DESCRIPTION, true);
        }
    }
}

fn reminder(c: &mut Check, b: &Reminder) {
    c.campaign("campaign", &b.campaign);
    if b.units.is_empty() {
        c.fail("units", Problem::Required);
    }
    c.list("units", b.units.len(), MAX_LIST);
    let mut seen = BTreeSet::new();
    for u in &b.units {
        c.reference("units", u, Kind::Unit);
        if !seen.insert(u) {
            c.fail("units", Problem::DuplicateUnit);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::model::tests::{all_bodies, date, id, sample_entry};
    use crate::model::{
        AwardKind, Criterion, CriterionScore, Decision, Measure, ScoreRow, SessionKind, Target,
        UnitKind, Votes,
    };
    use crate::sync::VersionVector;
    use chrono::{TimeZone, Utc};

    fn dev() -> DeviceId {
        DeviceId::new("d").unwrap()
    }

    /// A cluster with units u1, u2, campaign c1 (criterion "init", 15/04–10/07/2024), entry e1.
    fn doc() -> Document {
        let mut doc = Document::new(id("cl"));
        let now = Utc.timestamp_opt(1_714_000_000, 0).unwrap();
        let mut campaign_found = false;
        for b in all_bodies() {
            let rid = match &b {
                Body::Campaign(_) => {
                    campaign_found = true;
                    "c1"
                }
                _ => continue,
            };
            doc.put(id(rid), b, &dev(), None, now);
        }
        assert!(campaign_found);
        for u in ["u1", "u2"] {
            let b = Body::Unit(Unit {
                name: u.into(),
                kind: UnitKind::Agency,
            });
            doc.put(id(u), b, &dev(), None, now);
        }
        doc.put(
            id("e1"),
            Body::Entry(sample_entry(EntryDetails::Work)),
            &dev(),
            None,
            now,
        );
        doc.put(
            id("gone"),
            Body::Unit(Unit {
                name: "x".into(),
                kind: UnitKind::Agency,
            }),
            &dev(),
            None,
            now,
        );
        doc.delete(&id("gone"), &dev(), None, now).unwrap();
        // The first sample proposal (voted, sent), which the sample decisions name.
        let p1 = all_bodies()
            .into_iter()
            .find(|b| matches!(b, Body::AwardProposal(_)))
            .unwrap();
        doc.put(id("p1"), p1, &dev(), None, now);
        doc
    }

    fn errs(body: impl Into<Body>) -> Vec<(&'static str, Problem)> {
        match validate(&doc(), &body.into()) {
            Ok(()) => vec![],
            Err(v) => v.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn samples_are_valid() {
        let d = doc();
        for b in all_bodies() {
            assert_eq!(validate(&d, &b), Ok(()), "{b:?}");
        }
    }

    #[test]
    fn entry_title_and_lengths() {
        let mut e = sample_entry(EntryDetails::Work);
        e.title = "  ".into();
        e.description = "đ".repeat(MAX_DESCRIPTION + 1);
        assert_eq!(
            errs(e.clone()),
            vec![
                ("title", Problem::Required),
                (
                    "description",
                    Problem::TooLong {
                        max: MAX_DESCRIPTION
                    }
                )
            ]
        );
        // Characters, not bytes: 200 Vietnamese letters are fine.
        e.title = "ă".repeat(MAX_TITLE);
        e.description = "đ".repeat(MAX_DESCRIPTION);
        assert_eq!(errs(e), vec![]);
    }

    #[test]
    fn entry_date_and_references() {
        let mut e = sample_entry(EntryDetails::Work);
        e.date = date(2024, 7, 11);
        e.criterion = Some("nope".into());
        e.unit = id("gone");
        e.corrects = Some(id("u1"));
        let got = errs(e.clone());
        assert_eq!(
            got,
            vec![
                ("unit", Problem::UnknownReference),
                (
                    "date",
                    Problem::DateOutsideCampaign {
                        start: date(2024, 4, 15),
                        end: date(2024, 7, 10)
                    }
                ),
                ("criterion", Problem::UnknownReference),
                ("corrects", Problem::UnknownReference),
            ]
        );
        e.campaign = id("u1");
        e.date = date(1999, 1, 1);
        e.unit = id("u1");
        e.corrects = Some(id("e1"));
        // Without a campaign, date and criterion cannot be checked; only the campaign fails.
        assert_eq!(errs(e), vec![("campaign", Problem::UnknownReference)]);
    }

    #[test]
    fn a_result_of_nothing_is_refused() {
        let nothing = [
            (EntryDetails::Trees { count: 0 }, "details.count"),
            (
                EntryDetails::Training { participants: 0 },
                "details.participants",
            ),
            (
                EntryDetails::Event { participants: 0 },
                "details.participants",
            ),
        ];
        for (details, field) in nothing {
            assert_eq!(
                errs(sample_entry(details)),
                vec![(field, Problem::TooSmall { min: 1 })]
            );
        }
        let empty_gift = EntryDetails::Donation {
            money_vnd: 0,
            items: String::new(),
            item_count: 0,
        };
        assert_eq!(
            errs(sample_entry(empty_gift)),
            vec![("details.money_vnd", Problem::Required)]
        );
        // Books with no money, or money with no books, are a donation.
        let books = EntryDetails::Donation {
            money_vnd: 0,
            items: "sách".into(),
            item_count: 641,
        };
        assert!(errs(sample_entry(books)).is_empty());
        // An initiative whose value is not yet known is still one.
        assert!(errs(sample_entry(EntryDetails::Initiative { value_vnd: 0 })).is_empty());
    }

    #[test]
    fn dates_after_today_are_refused_where_a_clock_is_known() {
        let today = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        assert_eq!(not_in_future("date", today, today), None);
        assert_eq!(
            not_in_future("date", today.succ_opt().unwrap(), today),
            Some(FieldError {
                field: "date",
                problem: Problem::InFuture
            })
        );
    }

    #[test]
    fn entry_detail_caps() {
        let cases = [
            (
                EntryDetails::Initiative {
                    value_vnd: MAX_MONEY_VND + 1,
                },
                "details.value_vnd",
                MAX_MONEY_VND,
            ),
            (
                EntryDetails::Research {
                    value_vnd: u64::MAX,
                },
                "details.value_vnd",
                MAX_MONEY_VND,
            ),
            (
                EntryDetails::Training {
                    participants: 10_000_001,
                },
                "details.participants",
                MAX_COUNT,
            ),
            (
                EntryDetails::Event {
                    participants: u32::MAX,
                },
                "details.participants",
                MAX_COUNT,
            ),
            (
                EntryDetails::Trees { count: u32::MAX },
                "details.count",
                MAX_COUNT,
            ),
            (
                EntryDetails::Donation {
                    money_vnd: u64::MAX,
                    items: String::new(),
                    item_count: 1,
                },
                "details.money_vnd",
                MAX_MONEY_VND,
            ),
        ];
        for (d, field, max) in cases {
            assert_eq!(
                errs(sample_entry(d)),
                vec![(field, Problem::TooLarge { max })]
            );
        }
        let d = EntryDetails::AdvancedExample {
            nominee: String::new(),
            collective: true,
        };
        assert_eq!(
            errs(sample_entry(d)),
            vec![("details.nominee", Problem::Required)]
        );
        let ok = EntryDetails::Initiative {
            value_vnd: MAX_MONEY_VND,
        };
        assert_eq!(errs(sample_entry(ok)), vec![]);
    }

    #[test]
    fn campaign_rules() {
        let cr = |id: &str| Criterion {
            id: id.into(),
            name: "n".into(),
            unit_of_measure: String::new(),
            points: 10,
            measure: Measure::Entries,
        };
        let mut c = Campaign {
            title: String::new(),
            occasion: String::new(),
            slogan: String::new(),
            start: date(2024, 5, 1),
            end: date(2024, 4, 1),
            criteria: vec![cr("a"), cr("a"), cr("")],
            deadlines: Vec::new(),
        };
        c.criteria[2].points = 20_000;
        assert_eq!(
            errs(c),
            vec![
                ("title", Problem::Required),
                ("end", Problem::EndBeforeStart),
                ("criteria.id", Problem::DuplicateCriterion),
                ("criteria.id", Problem::Required),
                ("criteria.points", Problem::TooLarge { max: MAX_POINTS }),
            ]
        );
    }

    #[test]
    fn pledge_targets() {
        let p = Pledge {
            campaign: id("c1"),
            unit: id("u3"),
            targets: vec![
                Target {
                    criterion: "init".into(),
                    target: -1.0,
                },
                Target {
                    criterion: "init".into(),
                    target: f64::NAN,
                },
                Target {
                    criterion: "x".into(),
                    target: f64::INFINITY,
                },
                Target {
                    criterion: "y".into(),
                    target: 1e16,
                },
            ],
            commitments: String::new(),
            signed_on: date(2024, 4, 15),
        };
        assert_eq!(
            errs(p),
            vec![
                ("unit", Problem::UnknownReference),
                ("targets.target", Problem::Negative),
                ("targets.criterion", Problem::DuplicateCriterion),
                ("targets.target", Problem::NotFinite),
                ("targets.criterion", Problem::UnknownReference),
                ("targets.target", Problem::NotFinite),
                ("targets.criterion", Problem::UnknownReference),
                ("targets.target", Problem::TooLarge { max: MAX_MONEY_VND }),
            ]
        );
    }

    #[test]
    fn roles_cluster_unit() {
        let r = Roles {
            year: 1900,
            head: id("u1"),
            deputy: Some(id("u1")),
        };
        assert_eq!(
            errs(r),
            vec![
                (
                    "year",
                    Problem::YearOutOfRange {
                        min: MIN_YEAR,
                        max: MAX_YEAR
                    }
                ),
                ("deputy", Problem::SameAsHead)
            ]
        );
        let r = Roles {
            year: 2024,
            head: id("e1"),
            deputy: Some(id("zz")),
        };
        assert_eq!(
            errs(r),
            vec![
                ("head", Problem::UnknownReference),
                ("deputy", Problem::UnknownReference)
            ]
        );
        let cl = Cluster {
            name: "x".repeat(MAX_NAME + 1),
            decision: Decision {
                number: String::new(),
                date: date(2024, 1, 1),
                issuer: "a".into(),
            },
            year: 2024,
            former_units: Vec::new(),
        };
        assert_eq!(
            errs(cl),
            vec![
                ("name", Problem::TooLong { max: MAX_NAME }),
                ("decision.number", Problem::Required)
            ]
        );
        assert_eq!(
            errs(Unit {
                name: String::new(),
                kind: UnitKind::Agency
            }),
            vec![("name", Problem::Required)]
        );
    }

    #[test]
    fn review_rules() {
        let r = Review {
            entry: id("gone"),
            entry_clock: VersionVector::new(),
            decision: ReviewDecision::Return { reason: " ".into() },
        };
        assert_eq!(
            errs(r),
            vec![
                ("entry", Problem::UnknownReference),
                ("entry_clock", Problem::Required),
                ("decision.reason", Problem::Required)
            ]
        );
    }

    #[test]
    fn session_and_award_rules() {
        let row = ScoreRow {
            unit: id("u1"),
            criteria: vec![CriterionScore {
                criterion: "zz".into(),
                pledged: -1.0,
                approved: f64::NAN,
                points: 1.0,
            }],
            total: 1.0,
            rank: 0,
        };
        let s = ReviewSession {
            campaign: id("c1"),
            kind: SessionKind::Annual,
            date: date(2024, 12, 20),
            criteria: Vec::new(),
            rows: vec![row.clone(), row],
        };
        let got = errs(s);
        assert!(
            got.contains(&("rows.unit", Problem::DuplicateUnit)),
            "{got:?}"
        );
        assert!(got.contains(&("rows.rank", Problem::TooSmall { min: 1 })));
        assert!(got.contains(&("rows.criteria.criterion", Problem::UnknownReference)));
        assert!(got.contains(&("rows.criteria.pledged", Problem::Negative)));
        assert!(got.contains(&("rows.criteria.approved", Problem::NotFinite)));
        let a = AwardProposal {
            campaign: Some(id("e1")),
            kind: AwardKind::CertificateOfMerit,
            nominee: Nominee::Person {
                name: String::new(),
                unit: id("u9"),
            },
            reason: String::new(),
            entries: vec![id("e1"), id("c1")],
            votes: Votes {
                for_: u32::MAX,
                against: 0,
                abstain: 0,
            },
            sent: None,
        };
        assert_eq!(
            errs(a),
            vec![
                ("campaign", Problem::UnknownReference),
                ("nominee.name", Problem::Required),
                ("nominee.unit", Problem::UnknownReference),
                ("reason", Problem::Required),
                ("entries", Problem::UnknownReference),
                ("votes", Problem::TooLarge { max: MAX_COUNT }),
            ]
        );
    }

    fn proposal(votes: (u32, u32, u32), sent: bool) -> AwardProposal {
        AwardProposal {
            campaign: Some(id("c1")),
            kind: AwardKind::EmulationFlag,
            nominee: Nominee::Unit { unit: id("u1") },
            reason: "Dẫn đầu".into(),
            entries: Vec::new(),
            votes: Votes {
                for_: votes.0,
                against: votes.1,
                abstain: votes.2,
            },
            sent: sent.then(|| Utc.timestamp_opt(1_714_000_000, 0).unwrap()),
        }
    }

    #[test]
    fn only_a_passed_vote_goes_up_to_the_board() {
        assert_eq!(errs(proposal((5, 1, 1), true)), vec![]);
        assert_eq!(errs(proposal((0, 0, 0), false)), vec![]);
        for votes in [(0, 0, 0), (2, 2, 0), (1, 1, 1)] {
            assert_eq!(
                errs(proposal(votes, true)),
                vec![("sent", Problem::VoteNotPassed)],
                "{votes:?}"
            );
        }
    }

    #[test]
    fn decisions_reminders_and_deadlines() {
        let mut d = doc();
        let now = Utc.timestamp_opt(1_714_000_000, 0).unwrap();
        d.put(
            id("p1"),
            proposal((5, 0, 0), true).into(),
            &dev(),
            None,
            now,
        );
        let decision = |proposal: &str, outcome: AwardOutcome| {
            Body::AwardDecision(AwardDecision {
                proposal: id(proposal),
                sent: now,
                outcome,
            })
        };
        let accepted = |number: &str, date| AwardOutcome::Accepted {
            number: number.into(),
            date,
        };
        let today = date(2024, 8, 20);
        let ok = decision("p1", accepted("2150/QĐ-LĐLĐ", today));
        assert_eq!(validate_at(&d, &ok, today), Ok(()));
        // A decision on an earlier sending of a proposal sent again since is refused.
        let mut again = proposal((5, 0, 0), true);
        again.sent = Some(now + chrono::Duration::days(2));
        let mut resent = d.clone();
        resent.put(id("p1"), again.into(), &dev(), None, now);
        assert_eq!(
            validate_at(&resent, &ok, today),
            Err(vec![FieldError {
                field: "sent",
                problem: Problem::NotWaiting
            }])
        );
        let fields = |body: &Body| -> Vec<(&'static str, Problem)> {
            validate_at(&d, body, today)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.problem))
                .collect()
        };
        assert_eq!(
            fields(&decision("e1", accepted(" ", date(2024, 8, 21)))),
            vec![
                ("proposal", Problem::UnknownReference),
                ("outcome.number", Problem::Required),
                ("outcome.date", Problem::InFuture),
            ]
        );
        assert_eq!(
            fields(&decision(
                "p1",
                AwardOutcome::Returned {
                    reason: String::new()
                }
            )),
            vec![("outcome.reason", Problem::Required)]
        );
        // Reminders name an existing campaign and at least one existing unit, once each.
        let reminder = |campaign: &str, units: &[&str]| {
            Body::Reminder(Reminder {
                campaign: id(campaign),
                deadline: None,
                units: units.iter().map(|u| id(u)).collect(),
                at: now,
            })
        };
        assert_eq!(fields(&reminder("c1", &["u1", "u2"])), vec![]);
        assert_eq!(
            fields(&reminder("u1", &[])),
            vec![
                ("campaign", Problem::UnknownReference),
                ("units", Problem::Required)
            ]
        );
        assert_eq!(
            fields(&reminder("c1", &["u1", "u1", "gone"])),
            vec![
                ("units", Problem::DuplicateUnit),
                ("units", Problem::UnknownReference)
            ]
        );
        // Deadlines: named, and not due before the campaign starts (after its end is fine).
        let Some(Body::Campaign(mut c)) = d.body("c1").cloned() else {
            panic!("campaign c1")
        };
        c.deadlines = vec![
            crate::model::Deadline {
                name: "Báo cáo 6 tháng".into(),
                due: date(2024, 6, 15),
            },
            crate::model::Deadline {
                name: "Báo cáo năm".into(),
                due: date(2024, 12, 15),
            },
        ];
        assert_eq!(errs(c.clone()), vec![]);
        c.deadlines[0].name = " ".into();
        c.deadlines[1].due = date(2024, 4, 1);
        assert_eq!(
            errs(c),
            vec![
                ("deadlines.name", Problem::Required),
                ("deadlines.due", Problem::EndBeforeStart)
            ]
        );
    }

    #[test]
    fn messages_name_the_field() {
        let e = FieldError {
            field: "title",
            problem: Problem::Required,
        };
        assert_eq!(e.to_string(), "title is required");
        let e = FieldError {
            field: "date",
            problem: Problem::DateOutsideCampaign {
                start: date(2024, 4, 15),
                end: date(2024, 7, 10),
            },
        };
        assert_eq!(
            e.to_string(),
            "date must be within the campaign period, 15/04/2024 to 10/07/2024"
        );
        let e = FieldError {
            field: "description",
            problem: Problem::TooLong { max: 5000 },
        };
        assert_eq!(e.to_string(), "description is longer than 5000 characters");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field": "description", "problem": "too_long", "max": 5000})
        );
        let p: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(p, Problem::TooLong { max: 5000 });
    }
}
