//! Scoring and ranking the member units of a campaign, and the officers' progress bars.
//!
//! The rule (said in words next to the scoreboard by the catalogue, `thidua_i18n::report::
//! scoring_rule`): for each criterion a unit scores
//! `criterion.points × min(approved / pledged, 1.2)`, rounded to 2 decimals, and 0 when it
//! pledged nothing or has nothing approved. `pledged` is the target in the unit's latest pledge
//! for the campaign; `approved` adds up the unit's approved entries linked to the criterion,
//! per the criterion's [`Measure`]. Units are ranked by total, highest first, with competition
//! ranking (1, 2, 2, 4); equal totals are listed in Vietnamese alphabetical order.
//!
//! Scores are always derived from the document, never stored, except in a
//! [`ReviewSession`], which freezes them at the 6-month review or the annual summary.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::format::vi_cmp;
use crate::ids::{RecordId, UnitId};
use crate::model::{
    Campaign, CriterionScore, EntryKind, Measure, Pledge, ReviewSession, ScoreRow, SessionKind,
};
use crate::status::{entry_statuses, EntryStatus};
use crate::sync::Document;

/// Completion above the target counts up to this ratio (120%).
pub const MAX_COMPLETION: f64 = 1.2;

/// Rounds to 2 decimals (half away from zero).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The points of one criterion: `points × min(approved / pledged, 1.2)`, rounded to
/// 2 decimals; 0 when nothing (or nothing sensible) was pledged or approved.
pub fn criterion_points(points: u32, pledged: f64, approved: f64) -> f64 {
    if !(pledged.is_finite() && approved.is_finite()) || pledged <= 0.0 || approved <= 0.0 {
        return 0.0;
    }
    round2(f64::from(points) * (approved / pledged).min(MAX_COMPLETION))
}

/// The latest pledge of each unit for the campaign: latest `signed_on`, then latest write,
/// then record id, so every replica picks the same one.
pub fn latest_pledges<'d>(
    doc: &'d Document,
    campaign: &RecordId,
) -> BTreeMap<&'d UnitId, &'d Pledge> {
    let mut best: BTreeMap<&UnitId, (&Pledge, _, &RecordId)> = BTreeMap::new();
    for (id, p) in doc.pledges().filter(|(_, p)| &p.campaign == campaign) {
        let at = doc.get(id).and_then(|r| r.winner()).map(|w| w.at);
        let key = (p.signed_on, at, id);
        match best.get(&p.unit) {
            Some((old, old_at, old_id)) if (old.signed_on, *old_at, *old_id) >= key => {}
            _ => {
                best.insert(&p.unit, (p, at, id));
            }
        }
    }
    best.into_iter().map(|(u, (p, _, _))| (u, p)).collect()
}

fn pledged(pledge: Option<&&Pledge>, criterion: &str) -> f64 {
    pledge
        .and_then(|p| p.targets.iter().find(|t| t.criterion == criterion))
        .map_or(0.0, |t| t.target)
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    approved: u64,
    submitted: u64,
}

/// Per (unit, criterion id): what approved and submitted entries add up to.
fn tallies<'d>(
    doc: &'d Document,
    campaign_id: &RecordId,
    campaign: &Campaign,
) -> BTreeMap<(&'d UnitId, &'d str), Sums> {
    let statuses = entry_statuses(doc);
    let mut out: BTreeMap<(&UnitId, &str), Sums> = BTreeMap::new();
    for (id, e) in doc.entries().filter(|(_, e)| &e.campaign == campaign_id) {
        let Some(cid) = e.criterion.as_deref() else {
            continue;
        };
        let Some(criterion) = campaign.criterion(cid) else {
            continue;
        };
        let amount = criterion.measure.amount(&e.details);
        let sums = out.entry((&e.unit, cid)).or_default();
        match statuses.get(id) {
            Some(EntryStatus::Approved) => sums.approved = sums.approved.saturating_add(amount),
            Some(EntryStatus::Submitted) => {
                sums.submitted = sums.submitted.saturating_add(amount);
            }
            _ => {}
        }
    }
    out
}

/// Scores and ranks every live member unit on the campaign's criteria; empty when the campaign
/// does not exist. Rows come in ranking order; `criteria` follow the campaign's order.
///
/// A unit that moved to another cluster (a former unit) is ranked only in the campaigns it
/// took part in here (it pledged or has counted results), so last year's ranking keeps it and
/// this year's does not.
pub fn score(doc: &Document, campaign_id: &RecordId) -> Vec<ScoreRow> {
    let Some(campaign) = doc.get_campaign(campaign_id) else {
        return Vec::new();
    };
    let sums = tallies(doc, campaign_id, campaign);
    let pledges = latest_pledges(doc, campaign_id);
    let former: &[UnitId] = doc
        .get_cluster(&doc.cluster)
        .map_or(&[], |c| c.former_units.as_slice());
    let took_part = |uid: &UnitId| {
        pledges.contains_key(uid)
            || sums
                .range((uid, "")..)
                .take_while(|((u, _), _)| *u == uid)
                .any(|(_, s)| s.approved > 0 || s.submitted > 0)
    };
    let mut rows: Vec<(&str, ScoreRow)> = doc
        .units()
        .filter(|(uid, _)| !former.contains(uid) || took_part(uid))
        .map(|(uid, unit)| {
            let pledge = pledges.get(uid);
            let criteria: Vec<CriterionScore> = campaign
                .criteria
                .iter()
                .map(|c| {
                    let pledged = pledged(pledge, &c.id);
                    let approved = sums
                        .get(&(uid, c.id.as_str()))
                        .map_or(0.0, |s| s.approved as f64);
                    CriterionScore {
                        criterion: c.id.clone(),
                        pledged,
                        approved,
                        points: criterion_points(c.points, pledged, approved),
                    }
                })
                .collect();
            let total = round2(criteria.iter().map(|c| c.points).sum());
            let row = ScoreRow {
                unit: uid.clone(),
                criteria,
                total,
                rank: 0,
            };
            (unit.name.as_str(), row)
        })
        .collect();
    // Compare totals in hundredths, so that float noise never splits or joins a tie.
    let cents = |r: &ScoreRow| (r.total * 100.0).round() as i64;
    crate::order::sort_by(&mut rows, |(na, a), (nb, b)| {
        cents(b)
            .cmp(&cents(a))
            .then_with(|| vi_cmp(na, nb))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let mut prev: Option<(i64, u32)> = None;
    for (i, (_, row)) in rows.iter_mut().enumerate() {
        let c = cents(row);
        row.rank = match prev {
            Some((pc, rank)) if pc == c => rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        prev = Some((c, row.rank));
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

/// A unit's progress on one criterion, for the officer's progress bars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct CriterionProgress {
    pub criterion: String,
    pub measure: Measure,
    /// The target in the unit's latest pledge (0 when none).
    pub pledged: f64,
    /// What approved entries add up to.
    pub approved: f64,
    /// What entries waiting for review add up to (returned entries are not counted).
    pub submitted: f64,
}

impl CriterionProgress {
    /// The approved part of the bar, 0–1 of the target.
    pub fn approved_fraction(&self) -> f64 {
        fraction(self.approved, self.pledged)
    }

    /// The part of the bar waiting for review, stacked after the approved part: 0–1, and never
    /// past the end of the bar.
    pub fn submitted_fraction(&self) -> f64 {
        fraction(self.submitted, self.pledged).min(1.0 - self.approved_fraction())
    }
}

fn fraction(x: f64, of: f64) -> f64 {
    if of > 0.0 && x.is_finite() && of.is_finite() {
        (x / of).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// A unit's progress on every criterion of the campaign, in the campaign's order; empty when
/// the campaign does not exist.
pub fn progress(doc: &Document, campaign_id: &RecordId, unit: &UnitId) -> Vec<CriterionProgress> {
    let Some(campaign) = doc.get_campaign(campaign_id) else {
        return Vec::new();
    };
    let sums = tallies(doc, campaign_id, campaign);
    let pledges = latest_pledges(doc, campaign_id);
    let pledge = pledges.get(unit);
    campaign
        .criteria
        .iter()
        .map(|c| {
            let s = sums
                .get(&(unit, c.id.as_str()))
                .copied()
                .unwrap_or_default();
            CriterionProgress {
                criterion: c.id.clone(),
                measure: c.measure,
                pledged: pledged(pledge, &c.id),
                approved: s.approved as f64,
                submitted: s.submitted as f64,
            }
        })
        .collect()
}

/// Freezes the current scores into a review session (sơ kết / tổng kết) to be stored as a
/// record: later reviews and edits change [`score`] but not the stored session.
pub fn snapshot_session(
    doc: &Document,
    campaign: &RecordId,
    kind: SessionKind,
    date: NaiveDate,
) -> ReviewSession {
    ReviewSession {
        campaign: campaign.clone(),
        kind,
        date,
        rows: score(doc, campaign),
        criteria: doc
            .get_campaign(campaign)
            .map(|c| c.criteria.clone())
            .unwrap_or_default(),
    }
}

/// The criterion a new entry of `kind` most likely counts toward in a campaign: the one the
/// unit's latest entry of that kind used, else the one the cluster's latest entry of that kind
/// used. Saves the officer a pick on every report; `None` when nothing of that kind is known.
pub fn suggest_criterion(
    doc: &Document,
    campaign: &RecordId,
    unit: &UnitId,
    kind: EntryKind,
) -> Option<String> {
    let latest = |own: bool| {
        doc.entries()
            .filter(|(_, e)| {
                &e.campaign == campaign
                    && e.details.kind() == kind
                    && (!own || &e.unit == unit)
                    && e.criterion.is_some()
            })
            .max_by_key(|(id, e)| (e.date, *id))
            .and_then(|(_, e)| e.criterion.clone())
    };
    let criterion = latest(true).or_else(|| latest(false))?;
    // Only a criterion the campaign still has.
    doc.get_campaign(campaign)
        .filter(|c| c.criteria.iter().any(|k| k.id == criterion))
        .map(|_| criterion)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use crate::model::{Body, EntryDetails, Pledge, Target, Unit, UnitKind};
    use crate::validate::validate;

    fn totals(rows: &[ScoreRow]) -> Vec<(&str, f64, u32)> {
        rows.iter()
            .map(|r| (r.unit.as_str(), r.total, r.rank))
            .collect()
    }

    fn row<'a>(rows: &'a [ScoreRow], unit: &str) -> &'a ScoreRow {
        rows.iter().find(|r| r.unit.as_str() == unit).unwrap()
    }

    /// An eighth unit, "Ánh Dương" (`moi`), that never pledged.
    fn put_new_unit(doc: &mut Document) {
        let unit = Unit {
            name: "Ánh Dương".into(),
            kind: UnitKind::Agency,
        };
        put(doc, "moi", Body::Unit(unit));
    }

    /// An approved initiative of that unit (`sk-moi`).
    fn approve_new_units_initiative(doc: &mut Document) {
        let e = entry(
            "moi",
            "sang-kien",
            EntryDetails::Initiative { value_vnd: 5 },
        );
        put(doc, "sk-moi", Body::Entry(e));
        approve(doc, "sk-moi");
    }

    fn cs<'a>(r: &'a ScoreRow, criterion: &str) -> &'a CriterionScore {
        r.criteria
            .iter()
            .find(|c| c.criterion == criterion)
            .unwrap()
    }

    #[test]
    fn nothing_approved_scores_nothing() {
        let d = demo_fixture();
        let rows = score(&d.document, &d.campaign);
        assert_eq!(rows.len(), 7);
        assert!(
            rows.iter().all(|r| r.total == 0.0 && r.rank == 1),
            "{rows:?}"
        );
        // Ties are listed in Vietnamese alphabetical order.
        let names: Vec<_> = rows
            .iter()
            .map(|r| d.document.get_unit(&r.unit).unwrap().name.as_str())
            .collect();
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| vi_cmp(a, b));
        assert_eq!(names, sorted);
        assert_eq!(names[0], "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa");
        assert!(score(&d.document, &rid("no-such-campaign")).is_empty());
    }

    #[test]
    fn demo_fully_approved() {
        let mut d = demo_fixture();
        approve_all(&mut d.document);
        let rows = score(&d.document, &d.campaign);
        // Worked by hand from the demo's pledges (scale 1, 1.5, 2 by unit index) and entries.
        assert_eq!(
            totals(&rows),
            vec![
                // 1,500 trees of 200 pledged: capped at 120% → 15 × 1.2 = 18;
                // 95 trained of 150 → 20 × 0.6333 = 12.67.
                ("nam-song-ma", 30.67, 1),
                // 1 initiative of 4 → 7.5; 120 at the badminton event of 100 → capped 12.
                ("medlatec", 19.5, 2),
                // 33.8 million of 15 million pledged → capped 18.
                ("moi-truong-do-thi", 18.0, 3),
                // 1 initiative of 8 → 3.75; 210 trained of 300 → 14.
                ("lam-son", 17.75, 4),
                // Tie at 5: Sông Chu (1 advanced example of 2) before Thủy lợi Bắc Sông Mã
                // (1 initiative of 6) by name; both rank 5 and the next is 7.
                ("song-chu", 5.0, 5),
                ("bac-song-ma", 5.0, 5),
                ("cap-nuoc", 3.75, 7),
            ]
        );
        let top = row(&rows, "nam-song-ma");
        let trees = cs(top, "trong-cay");
        assert_eq!(
            (trees.pledged, trees.approved, trees.points),
            (200.0, 1500.0, 18.0)
        );
        assert_eq!(
            cs(top, "sang-kien").points,
            0.0,
            "pledged 4, nothing approved"
        );
        // Initiatives count entries, not their value.
        let lam_son = row(&rows, "lam-son");
        assert_eq!(cs(lam_son, "sang-kien").approved, 1.0);
        assert_eq!(cs(lam_son, "tap-huan").approved, 210.0);
        // The "3V" model entry has no criterion and adds nothing.
        assert_eq!(lam_son.criteria.len(), 6);
        assert_eq!(
            lam_son.criteria.iter().map(|c| c.points).sum::<f64>(),
            17.75
        );
        let donor = row(&rows, "moi-truong-do-thi");
        assert_eq!(cs(donor, "ung-ho").approved, 33_800_000.0);
        assert_eq!(cs(donor, "ung-ho").pledged, 15_000_000.0);
    }

    #[test]
    fn only_approved_entries_count() {
        let mut d = demo_fixture();
        approve(&mut d.document, "ket-qua-3"); // 1,500 trees, Nam Sông Mã
        return_entry(&mut d.document, "ket-qua-11", "Thiếu danh sách học viên"); // 95 trained
        let rows = score(&d.document, &d.campaign);
        let top = row(&rows, "nam-song-ma");
        assert_eq!(top.total, 18.0);
        assert_eq!(cs(top, "tap-huan").approved, 0.0);
        assert_eq!(top.rank, 1);
        assert!(rows[1..].iter().all(|r| r.total == 0.0 && r.rank == 2));
        // Editing the approved entry sends it back to review, and out of the score.
        let mut e = d.document.get_entry(&rid("ket-qua-3")).unwrap().clone();
        e.details = EntryDetails::Trees { count: 1_600 };
        put(&mut d.document, "ket-qua-3", Body::Entry(e));
        assert_eq!(
            row(&score(&d.document, &d.campaign), "nam-song-ma").total,
            0.0
        );
        // Deleting an approved entry removes it too.
        approve(&mut d.document, "ket-qua-3");
        assert_eq!(
            row(&score(&d.document, &d.campaign), "nam-song-ma").total,
            18.0
        );
        d.document
            .delete(&rid("ket-qua-3"), &device(), None, at(99))
            .unwrap();
        assert_eq!(
            row(&score(&d.document, &d.campaign), "nam-song-ma").total,
            0.0
        );
    }

    #[test]
    fn a_moved_unit_is_ranked_only_where_it_took_part() {
        let mut d = demo_fixture();
        let cluster = d.document.cluster.clone();
        let mut record = d.document.get_cluster(&cluster).unwrap().clone();
        put_new_unit(&mut d.document);
        record.former_units.push(rid("moi"));
        put(&mut d.document, cluster.as_str(), Body::Cluster(record));
        let campaign = d.campaign.clone();
        let listed = |doc: &Document| {
            score(doc, &campaign)
                .iter()
                .any(|r| r.unit.as_str() == "moi")
        };
        assert!(!listed(&d.document), "moved away, took no part: not ranked");
        approve_new_units_initiative(&mut d.document);
        assert!(
            listed(&d.document),
            "its counted result keeps it in that ranking"
        );
        assert_eq!(score(&d.document, &d.campaign).len(), 8);
    }

    #[test]
    fn points_formula() {
        assert_eq!(criterion_points(20, 150.0, 95.0), 12.67);
        assert_eq!(criterion_points(15, 200.0, 1_500.0), 18.0);
        assert_eq!(criterion_points(15, 200.0, 240.0), 18.0);
        assert_eq!(criterion_points(15, 200.0, 230.0), 17.25);
        assert_eq!(criterion_points(30, 3.0, 1.0), 10.0);
        assert_eq!(criterion_points(10, 3.0, 2.0), 6.67);
        assert_eq!(criterion_points(10, 0.0, 5.0), 0.0, "nothing pledged");
        assert_eq!(criterion_points(10, 5.0, 0.0), 0.0, "nothing approved");
        assert_eq!(criterion_points(10, f64::NAN, 5.0), 0.0);
        assert_eq!(criterion_points(10, -1.0, 5.0), 0.0);
    }

    #[test]
    fn competition_ranking_and_unpledged_units() {
        let mut d = demo_fixture();
        // Three units each with one approved initiative against a pledge of 4 → 7.5 each.
        for (n, unit) in [(0, "nam-song-ma"), (1, "song-chu"), (2, "medlatec")] {
            let eid = format!("sk-{n}");
            let e = entry(unit, "sang-kien", EntryDetails::Initiative { value_vnd: 1 });
            put(&mut d.document, &eid, Body::Entry(e));
            approve(&mut d.document, &eid);
        }
        approve(&mut d.document, "ket-qua-1"); // Lam Sơn: 1 of 8 → 3.75
                                               // An eighth unit that never pledged: its approved entry scores nothing.
        put_new_unit(&mut d.document);
        approve_new_units_initiative(&mut d.document);
        let rows = score(&d.document, &d.campaign);
        let ranks: Vec<u32> = rows.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, vec![1, 1, 1, 4, 5, 5, 5, 5]);
        assert_eq!(rows[3].unit.as_str(), "lam-son");
        // Units tied at 0: "Ánh Dương" sorts with A, first of the zeros.
        assert_eq!(rows[4].unit.as_str(), "moi");
        assert_eq!(cs(&rows[4], "sang-kien").approved, 1.0);
        assert_eq!(cs(&rows[4], "sang-kien").pledged, 0.0);
    }

    #[test]
    fn latest_pledge_counts() {
        let mut d = demo_fixture();
        approve(&mut d.document, "ket-qua-3");
        let old = d.document.get_pledge(&rid("giao-uoc-nam-song-ma")).unwrap();
        let mut newer = old.clone();
        newer.signed_on = old.signed_on.succ_opt().unwrap();
        newer.targets = vec![Target {
            criterion: "trong-cay".into(),
            target: 3_000.0,
        }];
        put(&mut d.document, "giao-uoc-2", Body::Pledge(newer));
        let rows = score(&d.document, &d.campaign);
        let top = row(&rows, "nam-song-ma");
        assert_eq!(cs(top, "trong-cay").pledged, 3_000.0);
        assert_eq!(cs(top, "trong-cay").points, 7.5);
        assert_eq!(
            cs(top, "tap-huan").pledged,
            0.0,
            "the newer pledge dropped it"
        );
        // A pledge for another campaign is ignored.
        let mut other: Pledge = d.document.get_pledge(&rid("giao-uoc-2")).unwrap().clone();
        other.campaign = rid("khac");
        other.signed_on = other.signed_on.succ_opt().unwrap();
        put(&mut d.document, "giao-uoc-3", Body::Pledge(other));
        let rows = score(&d.document, &d.campaign);
        assert_eq!(cs(row(&rows, "nam-song-ma"), "trong-cay").pledged, 3_000.0);
    }

    #[test]
    fn progress_shows_approved_and_waiting() {
        let mut d = demo_fixture();
        let unit = rid("nam-song-ma");
        let p = progress(&d.document, &d.campaign, &unit);
        assert_eq!(p.len(), 6);
        let trees = p.iter().find(|c| c.criterion == "trong-cay").unwrap();
        assert_eq!(
            (trees.pledged, trees.approved, trees.submitted),
            (200.0, 0.0, 1500.0)
        );
        assert_eq!(trees.measure, Measure::Figure);
        assert_eq!(trees.submitted_fraction(), 1.0);
        approve(&mut d.document, "ket-qua-3");
        // A second training course, waiting for review, next to the first one approved.
        let e = entry(
            "nam-song-ma",
            "tap-huan",
            EntryDetails::Training { participants: 30 },
        );
        put(&mut d.document, "th-2", Body::Entry(e));
        approve(&mut d.document, "ket-qua-11");
        let p = progress(&d.document, &d.campaign, &unit);
        let training = p.iter().find(|c| c.criterion == "tap-huan").unwrap();
        assert_eq!((training.approved, training.submitted), (95.0, 30.0));
        assert!((training.approved_fraction() - 95.0 / 150.0).abs() < 1e-9);
        assert!((training.submitted_fraction() - 0.2).abs() < 1e-9);
        let trees = p.iter().find(|c| c.criterion == "trong-cay").unwrap();
        assert_eq!((trees.approved, trees.submitted), (1500.0, 0.0));
        assert_eq!(
            (trees.approved_fraction(), trees.submitted_fraction()),
            (1.0, 0.0)
        );
        // Returned entries are neither approved nor waiting.
        return_entry(&mut d.document, "th-2", "Sai số người");
        let p = progress(&d.document, &d.campaign, &unit);
        assert_eq!(p[1].submitted, 0.0);
        assert!(progress(&d.document, &rid("nope"), &unit).is_empty());
    }

    #[test]
    fn session_snapshot_is_frozen() {
        let mut d = demo_fixture();
        approve(&mut d.document, "ket-qua-3");
        let session = snapshot_session(&d.document, &d.campaign, SessionKind::SixMonth, day0());
        assert_eq!(session.rows, score(&d.document, &d.campaign));
        assert_eq!(
            validate(&d.document, &Body::ReviewSession(session.clone())),
            Ok(())
        );
        put(
            &mut d.document,
            "so-ket",
            Body::ReviewSession(session.clone()),
        );
        // A later approval changes the live scores, not the stored session.
        approve(&mut d.document, "ket-qua-11");
        let stored = d.document.get_review_session(&rid("so-ket")).unwrap();
        assert_eq!(stored, &session);
        assert_eq!(row(&stored.rows, "nam-song-ma").total, 18.0);
        assert_eq!(
            row(&score(&d.document, &d.campaign), "nam-song-ma").total,
            30.67
        );
        // And it survives the JSON round trip of the document.
        let back = Document::from_json(&d.document.to_json().unwrap()).unwrap();
        assert_eq!(back.get_review_session(&rid("so-ket")), Some(&session));
        // Renaming a criterion afterwards leaves the session's own copy as it was.
        let mut camp = d.document.get_campaign(&d.campaign).unwrap().clone();
        let before = session.criteria.clone();
        assert_eq!(before, camp.criteria);
        camp.criteria[0].name = "Tên mới".into();
        let camp_id = d.campaign.clone();
        put(&mut d.document, camp_id.as_str(), Body::Campaign(camp));
        let stored = d.document.get_review_session(&rid("so-ket")).unwrap();
        assert_eq!(stored.criteria, before);
        assert_ne!(stored.criteria[0].name, "Tên mới");
    }

    #[test]
    fn criterion_suggested_from_the_units_then_the_clusters_latest_entry_of_a_kind() {
        let demo = demo_fixture();
        let (doc, camp) = (&demo.document, &demo.campaign);
        let medlatec = &demo.units[crate::demo::DEMO_OFFICER];
        let suggest = |kind| suggest_criterion(doc, camp, medlatec, kind);
        // Its own badminton tournament counted toward culture and sports.
        assert_eq!(suggest(EntryKind::Event).as_deref(), Some("van-the"));
        // It never reported a training; the cluster's trainings count toward "tap-huan".
        assert_eq!(suggest(EntryKind::Training).as_deref(), Some("tap-huan"));
        // Models were reported without a criterion; nothing is known of research topics.
        assert_eq!(suggest(EntryKind::Model), None);
        assert_eq!(suggest(EntryKind::Research), None);
        // Another campaign knows nothing.
        assert_eq!(
            suggest_criterion(doc, &rid("khac"), medlatec, EntryKind::Event),
            None
        );
    }
}
