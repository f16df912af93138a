//! The campaign summary (báo cáo tổng kết): totals of the approved results by kind, the per-unit
//! scores and ranking, the advanced examples and the award proposals with their votes, and the
//! text for the conference and the press in the style of the news reports:
//!
//! > 720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng; 20 lớp tập huấn cho 2.100 người;
//! > trồng 1.500 cây xanh
//!
//! > 720 initiatives worth 2.05 billion VND; 20 training courses for 2,100 people;
//! > 1,500 trees planted
//!
//! Only approved entries count; entries waiting for review or returned are left out.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::{role_of, roles_year, Role};
use crate::format::vi_cmp;
use crate::ids::{RecordId, UnitId};
use crate::model::Entry;
use crate::model::{
    AwardKind, Cluster, Criterion, EntryDetails, Nominee, ScoreRow, SessionKind, VoteResult, Votes,
};
use crate::scoring::score;
use crate::status::{entry_statuses, EntryStatus};
use crate::sync::Document;

/// A number of results and their value in VND (initiatives, research topics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountValue {
    pub count: u64,
    pub value_vnd: u64,
}

/// A number of courses or events and their participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountPeople {
    pub count: u64,
    pub participants: u64,
}

/// Items given in kind under one name, e.g. 641 "sách".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Items {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Donations {
    /// Donation entries.
    pub count: u64,
    pub money_vnd: u64,
    /// Items by name (names compared without case and surrounding spaces), most first.
    pub items: Vec<Items>,
}

/// Advanced examples and good deeds, split into collectives and individuals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExampleCounts {
    pub collectives: u64,
    pub individuals: u64,
}

impl ExampleCounts {
    pub fn total(&self) -> u64 {
        self.collectives + self.individuals
    }
}

/// Totals of the approved results of a campaign, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    /// All approved entries.
    pub entries: u64,
    pub initiatives: CountValue,
    pub research: CountValue,
    pub works: u64,
    pub trainings: CountPeople,
    pub donations: Donations,
    /// Trees planted (the sum of the counts), and the planting entries.
    pub trees: u64,
    pub tree_plantings: u64,
    pub events: CountPeople,
    pub models: u64,
    pub examples: ExampleCounts,
    pub other: u64,
}

/// One advanced example or good deed (người tốt, việc tốt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub entry: RecordId,
    pub nominee: String,
    pub collective: bool,
    pub unit: UnitId,
    pub unit_name: String,
    pub title: String,
}

/// One award proposal with its vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub proposal: RecordId,
    pub kind: AwardKind,
    /// The unit's name for a collective, the person's name for an individual.
    pub nominee: String,
    pub collective: bool,
    pub unit: UnitId,
    pub unit_name: String,
    /// Why the unit or person is proposed, as the head wrote it.
    pub reason: String,
    pub votes: Votes,
    pub result: VoteResult,
}

/// How many collectives and individuals were proposed, and how many of each passed the vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardCounts {
    pub collectives: u64,
    pub individuals: u64,
    pub passed_collectives: u64,
    pub passed_individuals: u64,
}

impl AwardCounts {
    pub fn passed(&self) -> u64 {
        self.passed_collectives + self.passed_individuals
    }
}

/// A unit's line in the results table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub name: String,
    pub score: ScoreRow,
}

/// Everything the summary of one campaign reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub campaign: RecordId,
    /// Empty when the campaign does not exist (or was deleted).
    pub title: String,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub criteria: Vec<Criterion>,
    pub totals: Totals,
    /// In ranking order, from [`score`].
    pub units: Vec<UnitResult>,
    /// Collectives first, then individuals, each in Vietnamese alphabetical order.
    pub examples: Vec<Example>,
    /// Proposals for this campaign, by award kind (flags first), collectives first, by name.
    pub awards: Vec<Award>,
    pub award_counts: AwardCounts,
    /// The frozen review session it reports (kind and date), or `None` for today's figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<(SessionKind, NaiveDate)>,
}

fn unit_name(doc: &Document, unit: &UnitId) -> String {
    doc.get_unit(unit)
        .map_or_else(|| unit.to_string(), |u| u.name.clone())
}

/// Adds up the approved entries of the campaign, scores the units and lists the advanced
/// examples and award proposals (those naming this campaign).
pub fn summarize(doc: &Document, campaign: &RecordId) -> Summary {
    summarize_results(doc, doc, campaign)
}

/// The summary of a frozen review session (sơ kết / tổng kết), to print it as it was decided:
/// the ranking and criteria it froze, and the results as they stood when it was frozen
/// (records made later, by the device clocks, are left out, as the frozen ranking left them
/// out). Award proposals are all the campaign's: they are voted on at the review, often after
/// the scores are frozen. `None` when there is no such session.
pub fn summarize_session(doc: &Document, session: &RecordId) -> Option<Summary> {
    let frozen = doc.get_review_session(session)?;
    let frozen_at = doc.get(session)?.created_at;
    let mut then = Document::new(doc.cluster.clone());
    // Inserted one by one, in order: collecting would compile a sort into the app's wasm.
    for (id, r) in doc
        .records
        .iter()
        .filter(|(_, r)| r.created_at <= frozen_at)
    {
        then.records.insert(id.clone(), r.clone());
    }
    let mut s = summarize_results(doc, &then, &frozen.campaign);
    s.units = frozen
        .rows
        .iter()
        .map(|row| UnitResult {
            name: unit_name(doc, &row.unit),
            score: row.clone(),
        })
        .collect();
    // Sessions frozen before criteria were kept show the campaign's current ones.
    if !frozen.criteria.is_empty() {
        s.criteria = frozen.criteria.clone();
    }
    s.session = Some((frozen.kind, frozen.date));
    Some(s)
}

/// The summary with the totals and advanced examples of `results` (the document, or the part
/// of it a frozen session saw); names, the campaign and award proposals from `doc`.
fn summarize_results(doc: &Document, results: &Document, campaign: &RecordId) -> Summary {
    let camp = doc.get_campaign(campaign);
    let statuses = entry_statuses(results);
    let mut t = Totals::default();
    let mut items: BTreeMap<String, Items> = BTreeMap::new();
    let mut examples = Vec::new();
    let approved = results.entries().filter(|(id, e)| {
        &e.campaign == campaign && statuses.get(*id) == Some(&EntryStatus::Approved)
    });
    for (id, e) in approved {
        t.entries += 1;
        match &e.details {
            EntryDetails::Initiative { value_vnd } => add_value(&mut t.initiatives, *value_vnd),
            EntryDetails::Research { value_vnd } => add_value(&mut t.research, *value_vnd),
            EntryDetails::Work => t.works += 1,
            EntryDetails::Training { participants } => add_people(&mut t.trainings, *participants),
            EntryDetails::Donation {
                money_vnd,
                items: name,
                item_count,
            } => {
                t.donations.count += 1;
                t.donations.money_vnd = t.donations.money_vnd.saturating_add(*money_vnd);
                if *item_count > 0 {
                    let name = name.trim();
                    let it = items.entry(name.to_lowercase()).or_insert_with(|| Items {
                        name: name.to_owned(),
                        count: 0,
                    });
                    it.count += u64::from(*item_count);
                }
            }
            EntryDetails::Trees { count } => {
                t.tree_plantings += 1;
                t.trees += u64::from(*count);
            }
            EntryDetails::Event { participants } => add_people(&mut t.events, *participants),
            EntryDetails::Model => t.models += 1,
            EntryDetails::AdvancedExample {
                nominee,
                collective,
            } => {
                if *collective {
                    t.examples.collectives += 1;
                } else {
                    t.examples.individuals += 1;
                }
                examples.push(Example {
                    entry: id.clone(),
                    nominee: nominee.clone(),
                    collective: *collective,
                    unit: e.unit.clone(),
                    unit_name: unit_name(doc, &e.unit),
                    title: e.title.clone(),
                });
            }
            EntryDetails::Other => t.other += 1,
        }
    }
    let mut items: Vec<Items> = items.into_values().collect();
    crate::order::sort_by(&mut items, |a, b| {
        b.count.cmp(&a.count).then_with(|| vi_cmp(&a.name, &b.name))
    });
    t.donations.items = items;
    crate::order::sort_by(&mut examples, |a, b| {
        b.collective
            .cmp(&a.collective)
            .then_with(|| vi_cmp(&a.nominee, &b.nominee))
            .then_with(|| a.entry.cmp(&b.entry))
    });

    let mut awards: Vec<Award> = doc
        .award_proposals()
        .filter(|(_, p)| p.campaign.as_ref() == Some(campaign))
        .map(|(id, p)| {
            let unit = p.nominee.unit().clone();
            let uname = unit_name(doc, &unit);
            let (nominee, collective) = match &p.nominee {
                Nominee::Unit { .. } => (uname.clone(), true),
                Nominee::Person { name, .. } => (name.clone(), false),
            };
            Award {
                proposal: id.clone(),
                kind: p.kind,
                nominee,
                collective,
                unit,
                unit_name: uname,
                reason: p.reason.clone(),
                votes: p.votes,
                result: p.votes.result(),
            }
        })
        .collect();
    crate::order::sort_by(&mut awards, |a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| b.collective.cmp(&a.collective))
            .then_with(|| vi_cmp(&a.nominee, &b.nominee))
            .then_with(|| a.proposal.cmp(&b.proposal))
    });
    let mut award_counts = AwardCounts::default();
    for a in &awards {
        let passed = u64::from(a.result == VoteResult::Passed);
        if a.collective {
            award_counts.collectives += 1;
            award_counts.passed_collectives += passed;
        } else {
            award_counts.individuals += 1;
            award_counts.passed_individuals += passed;
        }
    }

    let units = score(doc, campaign)
        .into_iter()
        .map(|row| UnitResult {
            name: unit_name(doc, &row.unit),
            score: row,
        })
        .collect();
    Summary {
        campaign: campaign.clone(),
        title: camp.map(|c| c.title.clone()).unwrap_or_default(),
        period: camp.map(|c| (c.start, c.end)),
        criteria: camp.map(|c| c.criteria.clone()).unwrap_or_default(),
        totals: t,
        units,
        examples,
        awards,
        award_counts,
        session: None,
    }
}

fn add_value(cv: &mut CountValue, value: u64) {
    cv.count += 1;
    cv.value_vnd = cv.value_vnd.saturating_add(value);
}

fn add_people(cp: &mut CountPeople, participants: u32) {
    cp.count += 1;
    cp.participants += u64::from(participants);
}

// ---------------------------------------------------------------------------------------------
// The printed document

/// What the printed summary is headed and signed with, as an official document of the
/// cluster: the cluster's name, the place written before the date, and the signer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub cluster: String,
    /// The province or city of the cluster ("Thanh Hóa"); empty when its records do not say.
    pub place: String,
    /// This year's recorded head unit, who signs; `None` when no head is recorded.
    pub head_unit: Option<(UnitId, String)>,
    /// A bloc (khối thi đua) rather than a cluster (cụm thi đua): its head is "trưởng khối".
    pub bloc: bool,
}

/// The cluster's letterhead, from its record and this year's roles.
pub fn letterhead(doc: &Document) -> Letterhead {
    let cluster = doc.get_cluster(&doc.cluster);
    let head_unit = roles_year(doc).and_then(|year| {
        doc.units()
            .find(|(id, _)| role_of(doc, id, year) == Role::Head)
            .map(|(id, u)| (id.clone(), u.name.clone()))
    });
    Letterhead {
        cluster: cluster.map(|c| c.name.clone()).unwrap_or_default(),
        place: cluster.map(place_of).unwrap_or_default(),
        head_unit,
        bloc: cluster.is_some_and(|c| {
            let name = c.name.trim_start();
            name.starts_with("Khối") || name.starts_with("khối")
        }),
    }
}

/// Where the cluster's documents are dated from: the province, city or district named by the
/// authority that formed it ("Chủ tịch UBND tỉnh Thanh Hóa" → "Thanh Hóa"), else by the
/// cluster's own name ("Cụm thi đua số 18 tỉnh Thanh Hóa"); empty when neither names one.
pub fn place_of(cluster: &Cluster) -> String {
    place_in(&cluster.decision.issuer)
        .or_else(|| place_in(&cluster.name))
        .unwrap_or_default()
}

/// The words after the last administrative word in `text` ("tỉnh", "thành phố", "TP.",
/// "huyện", "thị xã", "quận"), up to punctuation (a dash may be inside a name: "Bà Rịa - Vũng
/// Tàu").
fn place_in(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut start = None;
    for (i, word) in words.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|b| words.get(b));
        let after_word = |w: &str| before.is_some_and(|b| b.to_lowercase() == w);
        match word.to_lowercase().as_str() {
            "tỉnh" | "tp." | "tp" | "huyện" | "quận" => start = Some(i + 1),
            "phố" if after_word("thành") => start = Some(i + 1),
            "xã" if after_word("thị") => start = Some(i + 1),
            _ => {}
        }
    }
    let mut place: Vec<&str> = Vec::new();
    for word in words.get(start?..)? {
        let stop = |c: char| matches!(c, ',' | ';' | '(' | ')' | '/');
        match word.find(stop) {
            Some(at) => {
                place.push(&word[..at]);
                break;
            }
            None => place.push(word),
        }
    }
    let place = place.join(" ").trim().to_owned();
    (!place.is_empty()).then_some(place)
}

/// The approved entries of a campaign, each with its unit's name (the record id when the unit
/// is unknown), in no particular order: the results every export lists.
pub fn approved_entries<'d>(
    doc: &'d Document,
    campaign: &RecordId,
) -> Vec<(&'d RecordId, &'d Entry, String)> {
    let statuses = entry_statuses(doc);
    doc.entries()
        .filter(|(id, e)| {
            &e.campaign == campaign && statuses.get(*id) == Some(&EntryStatus::Approved)
        })
        .map(|(id, e)| {
            let unit = doc
                .get_unit(&e.unit)
                .map_or_else(|| e.unit.to_string(), |u| u.name.clone());
            (id, e, unit)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use crate::model::{AwardProposal, Body};

    #[test]
    fn demo_summary_counts_approved_only() {
        let mut d = demo_fixture();
        let s = summarize(&d.document, &d.campaign);
        assert_eq!(s.totals, Totals::default());
        assert_eq!(s.units.len(), 7);

        approve_all(&mut d.document);
        return_entry(&mut d.document, "ket-qua-12", "Thiếu minh chứng"); // 60 million initiative
        approve(&mut d.document, "ket-qua-12");
        let s = summarize(&d.document, &d.campaign);
        let t = &s.totals;
        assert_eq!(t.entries, 12);
        assert_eq!(
            t.initiatives,
            CountValue {
                count: 4,
                value_vnd: 475_000_000
            }
        );
        assert_eq!(
            t.trainings,
            CountPeople {
                count: 2,
                participants: 305
            }
        );
        assert_eq!((t.trees, t.tree_plantings, t.models), (1_500, 1, 2));
        assert_eq!(t.donations.money_vnd, 33_800_000);
        assert_eq!(
            t.donations.items,
            vec![Items {
                name: "sách".into(),
                count: 641
            }]
        );
        assert_eq!(s.examples.len(), 1);
        assert_eq!(s.examples[0].nominee, "Lê Văn Hùng");
        assert_eq!(s.examples[0].unit_name, "Công ty TNHH MTV Sông Chu");
        assert_eq!(s.units[0].name, "Công ty TNHH MTV Thủy lợi Nam Sông Mã");
        assert_eq!(s.units[0].score.total, 30.67);

        // A returned entry drops out of the totals.
        return_entry(&mut d.document, "ket-qua-3", "Ảnh không rõ");
        let s = summarize(&d.document, &d.campaign);
        assert_eq!((s.totals.trees, s.totals.entries), (0, 11));
    }

    fn proposal(nominee: Nominee, kind: AwardKind, votes: (u32, u32, u32)) -> Body {
        Body::AwardProposal(AwardProposal {
            campaign: Some(rid("dot-95-ngay")),
            kind,
            nominee,
            reason: "Dẫn đầu cụm".into(),
            entries: vec![],
            votes: Votes {
                for_: votes.0,
                against: votes.1,
                abstain: votes.2,
            },
            sent: None,
        })
    }

    #[test]
    fn seed_scale_document() {
        // The seed's five years in one document: 720 initiatives totalling 2,050,000,000 VND,
        // 20 courses for 2,100 people, 1,500 trees, 22 collectives and 80 individuals proposed,
        // 18 of them passed.
        let mut d = demo_fixture();
        let units: Vec<String> = d.units.iter().map(|u| u.to_string()).collect();
        for i in 0..720u64 {
            let value = if i == 0 {
                2_050_000_000 - 719 * 2_847_000
            } else {
                2_847_000
            };
            let unit = &units[i as usize % 7];
            let e = entry(
                unit,
                "sang-kien",
                EntryDetails::Initiative { value_vnd: value },
            );
            let id = format!("sk-{i}");
            put(&mut d.document, &id, Body::Entry(e));
            approve(&mut d.document, &id);
        }
        for i in 0..20 {
            let e = entry(
                &units[i % 7],
                "tap-huan",
                EntryDetails::Training { participants: 105 },
            );
            let id = format!("th-{i}");
            put(&mut d.document, &id, Body::Entry(e));
            approve(&mut d.document, &id);
        }
        approve(&mut d.document, "ket-qua-3");
        for i in 0..102u32 {
            let unit = rid(&units[i as usize % 7]);
            let nominee = if i < 22 {
                Nominee::Unit { unit }
            } else {
                Nominee::Person {
                    name: format!("Người lao động {i}"),
                    unit,
                }
            };
            let votes = if i % 17 == 0 { (7, 0, 0) } else { (3, 2, 2) };
            let body = proposal(nominee, AwardKind::TypicalAdvancedModel, votes);
            put(&mut d.document, &format!("kt-{i}"), body);
        }
        let s = summarize(&d.document, &d.campaign);
        assert_eq!(s.totals.initiatives.value_vnd, 2_050_000_000);
        assert_eq!(
            (s.award_counts.collectives, s.award_counts.individuals),
            (22, 80)
        );
        // i % 17 == 0 for i in 0..102: 0, 17, 34, 51, 68, 85 → 6 pass with 7 of 7; the rest
        // (3 for of 7) fail.
        assert_eq!(s.award_counts.passed(), 6);
    }

    #[test]
    fn a_frozen_session_prints_as_it_was_frozen() {
        let mut d = demo_fixture();
        approve_all(&mut d.document);
        let live = summarize(&d.document, &d.campaign);
        let day = day0();
        let frozen =
            crate::scoring::snapshot_session(&d.document, &d.campaign, SessionKind::SixMonth, day);
        put(
            &mut d.document,
            "so-ket",
            Body::ReviewSession(frozen.clone()),
        );
        // After the session: a criterion renamed and a later result approved.
        let mut camp = d.document.get_campaign(&d.campaign).unwrap().clone();
        camp.criteria[0].name = "Sáng kiến (đổi tên)".into();
        put(&mut d.document, "dot-95-ngay", Body::Campaign(camp));
        // Reported after the freeze, though dated before it: not in the frozen figures.
        let later = entry(
            "medlatec",
            "sang-kien",
            EntryDetails::Initiative { value_vnd: 1_000 },
        );
        put(&mut d.document, "sau-so-ket", Body::Entry(later));
        approve(&mut d.document, "sau-so-ket");
        // Awards voted at the review, after the freeze, are in its summary.
        let vote = proposal(
            Nominee::Unit {
                unit: rid("medlatec"),
            },
            AwardKind::EmulationFlag,
            (7, 0, 0),
        );
        put(&mut d.document, "kt-sau", vote);

        let s = summarize_session(&d.document, &rid("so-ket")).unwrap();
        assert_eq!(s.session, Some((SessionKind::SixMonth, day)));
        assert_eq!(s.title, live.title);
        let frozen_rows: Vec<_> = s.units.iter().map(|u| u.score.clone()).collect();
        assert_eq!(frozen_rows, frozen.rows);
        assert_eq!(s.criteria[0].name, "Sáng kiến, cải tiến kỹ thuật");
        assert_eq!(s.totals, live.totals, "the later result is left out");
        assert_eq!(s.examples, live.examples);
        assert_eq!(s.units[0].name, live.units[0].name);
        assert_eq!(s.awards.len(), 1);
        // Today's summary has it.
        let now = summarize(&d.document, &d.campaign);
        assert_eq!(
            now.totals.initiatives.count,
            live.totals.initiatives.count + 1
        );
        assert_eq!(now.session, None);
        assert!(summarize_session(&d.document, &rid("khong-co")).is_none());
    }

    #[test]
    fn the_letterhead_names_the_place_and_this_years_head() {
        let mut d = demo_fixture();
        let h = letterhead(&d.document);
        assert_eq!(h.cluster, "Cụm thi đua số 18 tỉnh Thanh Hóa");
        assert_eq!(h.place, "Thanh Hóa");
        assert_eq!(
            h.head_unit,
            Some((
                rid("lam-son"),
                "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa".into()
            ))
        );
        assert!(!h.bloc);
        // The head rotates: the record for the cluster's year decides.
        let (roles_id, roles) = d.document.roles().next().unwrap();
        let (roles_id, mut roles) = (roles_id.clone(), roles.clone());
        roles.head = rid("medlatec");
        put(&mut d.document, roles_id.as_str(), Body::Roles(roles));
        assert_eq!(
            letterhead(&d.document).head_unit.map(|(id, _)| id),
            Some(rid("medlatec"))
        );

        let place = |issuer: &str, name: &str| {
            let mut c = d.document.get_cluster(&d.cluster).unwrap().clone();
            c.decision.issuer = issuer.into();
            c.name = name.into();
            place_of(&c)
        };
        assert_eq!(place("UBND thành phố Hà Nội", "Cụm thi đua số 3"), "Hà Nội");
        assert_eq!(place("UBND huyện Tân Yên", "Khối thi đua"), "Tân Yên");
        assert_eq!(
            place("Liên đoàn Lao động tỉnh Bắc Giang (Ban Thi đua)", ""),
            "Bắc Giang"
        );
        assert_eq!(
            place("Chủ tịch UBND", "Cụm thi đua số 18 tỉnh Thanh Hóa"),
            "Thanh Hóa"
        );
        assert_eq!(place("UBND TP. Hồ Chí Minh", ""), "Hồ Chí Minh");
        assert_eq!(
            place("UBND tỉnh Bà Rịa - Vũng Tàu", ""),
            "Bà Rịa - Vũng Tàu"
        );
        assert_eq!(
            place("UBND thị xã Nghi Sơn, tỉnh Thanh Hóa", ""),
            "Thanh Hóa"
        );
        // A place cannot be made up: nothing named, nothing printed.
        assert_eq!(place("Chủ tịch UBND", "Cụm thi đua số 18"), "");
        assert_eq!(place("Sở Xây dựng", "Cụm các tỉnhthành"), "");
        let mut c = d.document.get_cluster(&d.cluster).unwrap().clone();
        c.name = "Khối thi đua các doanh nghiệp".into();
        put(&mut d.document, "cum-18", Body::Cluster(c));
        assert!(letterhead(&d.document).bloc);
    }

    #[test]
    fn missing_campaign_gives_an_empty_summary() {
        let d = demo_fixture();
        let s = summarize(&d.document, &rid("khong-co"));
        assert_eq!(s.title, "");
        assert!(s.units.is_empty() && s.criteria.is_empty() && s.period.is_none());
    }
}
