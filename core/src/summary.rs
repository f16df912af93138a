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
use crate::format::{date, decimal, money_words, number, plural, vi_cmp, Lang};
use crate::ids::{RecordId, UnitId};
use crate::model::{
    AwardKind, Cluster, Criterion, EntryDetails, EntryKind, Nominee, ScoreRow, SessionKind,
    VoteResult, Votes,
};
use crate::scoring::score;
use crate::status::{entry_statuses, EntryStatus};
use crate::sync::Document;

/// A number of results and their value in VND (initiatives, research topics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountValue {
    pub count: u64,
    pub value_vnd: u64,
}

/// A number of courses or events and their participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountPeople {
    pub count: u64,
    pub participants: u64,
}

/// Items given in kind under one name, e.g. 641 "sách".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Items {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donations {
    /// Donation entries.
    pub count: u64,
    pub money_vnd: u64,
    /// Items by name (names compared without case and surrounding spaces), most first.
    pub items: Vec<Items>,
}

/// Advanced examples and good deeds, split into collectives and individuals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| vi_cmp(&a.name, &b.name)));
    t.donations.items = items;
    examples.sort_by(|a, b| {
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
    awards.sort_by(|a, b| {
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

// ---------------------------------------------------------------------------------------------
// Labels

/// The name of an entry kind, as in lists and the CSV export.
pub fn kind_label(kind: EntryKind, lang: Lang) -> &'static str {
    use EntryKind as K;
    match (lang, kind) {
        (Lang::Vi, K::Initiative) => "Sáng kiến, cải tiến kỹ thuật",
        (Lang::Vi, K::Research) => "Đề tài nghiên cứu khoa học",
        (Lang::Vi, K::Work) => "Công trình, sản phẩm",
        (Lang::Vi, K::Training) => "Tập huấn",
        (Lang::Vi, K::Donation) => "Ủng hộ, quyên góp",
        (Lang::Vi, K::Trees) => "Trồng cây",
        (Lang::Vi, K::Event) => "Hoạt động văn hoá, thể thao",
        (Lang::Vi, K::Model) => "Mô hình, câu lạc bộ",
        (Lang::Vi, K::AdvancedExample) => "Điển hình tiên tiến, người tốt việc tốt",
        (Lang::Vi, K::Other) => "Khác",
        (Lang::En, K::Initiative) => "Initiative or technical improvement",
        (Lang::En, K::Research) => "Research topic",
        (Lang::En, K::Work) => "Work or product",
        (Lang::En, K::Training) => "Training course",
        (Lang::En, K::Donation) => "Donation",
        (Lang::En, K::Trees) => "Tree planting",
        (Lang::En, K::Event) => "Cultural or sports event",
        (Lang::En, K::Model) => "Model or club",
        (Lang::En, K::AdvancedExample) => "Advanced example or good deed",
        (Lang::En, K::Other) => "Other",
    }
}

/// The name of an award kind.
pub fn award_label(kind: AwardKind, lang: Lang) -> &'static str {
    use AwardKind as A;
    match (lang, kind) {
        (Lang::Vi, A::EmulationFlag) => "Cờ thi đua",
        (Lang::Vi, A::CertificateOfMerit) => "Bằng khen",
        (Lang::Vi, A::LetterOfCommendation) => "Giấy khen",
        (Lang::Vi, A::AdvancedLabourCollective) => "Tập thể lao động tiên tiến",
        (Lang::Vi, A::EmulationFighter) => "Chiến sĩ thi đua",
        (Lang::Vi, A::TypicalAdvancedModel) => "Điển hình tiên tiến",
        (Lang::En, A::EmulationFlag) => "Emulation Flag",
        (Lang::En, A::CertificateOfMerit) => "Certificate of Merit",
        (Lang::En, A::LetterOfCommendation) => "Letter of Commendation",
        (Lang::En, A::AdvancedLabourCollective) => "Advanced labour collective",
        (Lang::En, A::EmulationFighter) => "Emulation fighter",
        (Lang::En, A::TypicalAdvancedModel) => "Typical advanced model",
    }
}

/// The outcome of a vote in words.
pub fn vote_label(result: VoteResult, lang: Lang) -> &'static str {
    match (lang, result) {
        (Lang::Vi, VoteResult::Passed) => "thông qua",
        (Lang::Vi, VoteResult::Failed) => "không thông qua",
        (Lang::Vi, VoteResult::NoVotes) => "chưa biểu quyết",
        (Lang::En, VoteResult::Passed) => "passed",
        (Lang::En, VoteResult::Failed) => "not passed",
        (Lang::En, VoteResult::NoVotes) => "not voted yet",
    }
}

/// English names of common donated items (singular, plural); other names are printed as
/// written.
const ITEMS_EN: [(&str, &str, &str); 14] = [
    ("sách", "book", "books"),
    ("quyển sách", "book", "books"),
    ("cuốn sách", "book", "books"),
    ("vở", "notebook", "notebooks"),
    ("quyển vở", "notebook", "notebooks"),
    ("cặp sách", "school bag", "school bags"),
    ("áo ấm", "warm coat", "warm coats"),
    ("quần áo", "item of clothing", "items of clothing"),
    ("chăn", "blanket", "blankets"),
    ("suất quà", "gift package", "gift packages"),
    ("phần quà", "gift package", "gift packages"),
    ("thùng mì", "box of noodles", "boxes of noodles"),
    ("xe đạp", "bicycle", "bicycles"),
    ("học bổng", "scholarship", "scholarships"),
];

fn items_phrase(it: &Items, lang: Lang) -> String {
    let n = number(it.count, lang);
    let name = it.name.trim();
    match lang {
        Lang::Vi if name.is_empty() => format!("{n} hiện vật"),
        Lang::Vi => format!("{n} {name}"),
        Lang::En if name.is_empty() => format!("{n} {}", plural(it.count, "item", "items")),
        Lang::En => {
            let lower = name.to_lowercase();
            match ITEMS_EN.iter().find(|(vi, _, _)| *vi == lower) {
                Some((_, one, many)) => format!("{n} {}", plural(it.count, one, many)),
                None => format!("{n} {name}"),
            }
        }
    }
}

/// `a`, `a và b`, `a, b và c` (`and` in English).
fn join_and(parts: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::Vi => " và ",
        Lang::En => " and ",
    };
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Text

impl Totals {
    /// One phrase per kind with results, in the order the reports use: initiatives, research,
    /// works, training, trees, donations, events, models, advanced examples, other.
    pub fn phrases(&self, lang: Lang) -> Vec<String> {
        let n = |x: u64| number(x, lang);
        let money = |x: u64| money_words(x, lang);
        let vi = lang == Lang::Vi;
        let mut out = Vec::new();
        let worth = |cv: &CountValue, what: String| {
            if cv.value_vnd == 0 {
                what
            } else if vi {
                format!("{what} trị giá {}", money(cv.value_vnd))
            } else {
                format!("{what} worth {}", money(cv.value_vnd))
            }
        };
        let i = &self.initiatives;
        if i.count > 0 {
            out.push(worth(
                i,
                if vi {
                    format!("{} sáng kiến, cải tiến kỹ thuật", n(i.count))
                } else {
                    format!(
                        "{} {}",
                        n(i.count),
                        plural(i.count, "initiative", "initiatives")
                    )
                },
            ));
        }
        let r = &self.research;
        if r.count > 0 {
            out.push(worth(
                r,
                if vi {
                    format!("{} đề tài nghiên cứu khoa học được ứng dụng", n(r.count))
                } else {
                    let what = plural(r.count, "applied research topic", "applied research topics");
                    format!("{} {what}", n(r.count))
                },
            ));
        }
        if self.works > 0 {
            out.push(if vi {
                format!("{} công trình, sản phẩm chào mừng", n(self.works))
            } else {
                let what = plural(
                    self.works,
                    "work or product dedicated to the occasion",
                    "works and products dedicated to the occasion",
                );
                format!("{} {what}", n(self.works))
            });
        }
        let tr = &self.trainings;
        if tr.count > 0 {
            let courses = if vi {
                format!("{} lớp tập huấn", n(tr.count))
            } else {
                let what = plural(tr.count, "training course", "training courses");
                format!("{} {what}", n(tr.count))
            };
            out.push(match (tr.participants, vi) {
                (0, _) => courses,
                (p, true) => format!("{courses} cho {} người", n(p)),
                (p, false) => format!("{courses} for {} {}", n(p), plural(p, "person", "people")),
            });
        }
        if self.trees > 0 {
            out.push(if vi {
                format!("trồng {} cây xanh", n(self.trees))
            } else {
                let what = plural(self.trees, "tree", "trees");
                format!("{} {what} planted", n(self.trees))
            });
        }
        let d = &self.donations;
        if d.count > 0 {
            let mut gifts = Vec::new();
            if d.money_vnd > 0 {
                gifts.push(money(d.money_vnd));
            }
            gifts.extend(d.items.iter().map(|it| items_phrase(it, lang)));
            out.push(match (gifts.is_empty(), vi) {
                (true, true) => format!("{} lượt ủng hộ", n(d.count)),
                (true, false) => format!(
                    "{} {}",
                    n(d.count),
                    plural(d.count, "donation", "donations")
                ),
                (false, true) => format!("ủng hộ {}", join_and(&gifts, lang)),
                (false, false) => format!("donations of {}", join_and(&gifts, lang)),
            });
        }
        let ev = &self.events;
        if ev.count > 0 {
            let events = if vi {
                format!("{} hoạt động văn hoá, thể thao", n(ev.count))
            } else {
                let what = plural(
                    ev.count,
                    "cultural or sports event",
                    "cultural and sports events",
                );
                format!("{} {what}", n(ev.count))
            };
            out.push(match (ev.participants, vi) {
                (0, _) => events,
                (p, true) => format!("{events} với {} người tham gia", n(p)),
                (p, false) => {
                    let who = plural(p, "participant", "participants");
                    format!("{events} with {} {who}", n(p))
                }
            });
        }
        if self.models > 0 {
            out.push(if vi {
                format!("{} mô hình, câu lạc bộ mới", n(self.models))
            } else {
                let what = plural(self.models, "new model or club", "new models and clubs");
                format!("{} {what}", n(self.models))
            });
        }
        let ex = &self.examples;
        if ex.total() > 0 {
            let mut split = Vec::new();
            if ex.collectives > 0 {
                split.push(if vi {
                    format!("{} tập thể", n(ex.collectives))
                } else {
                    let what = plural(ex.collectives, "collective", "collectives");
                    format!("{} {what}", n(ex.collectives))
                });
            }
            if ex.individuals > 0 {
                split.push(if vi {
                    format!("{} cá nhân", n(ex.individuals))
                } else {
                    let what = plural(ex.individuals, "individual", "individuals");
                    format!("{} {what}", n(ex.individuals))
                });
            }
            let what = if vi {
                "điển hình tiên tiến, người tốt việc tốt"
            } else {
                plural(
                    ex.total(),
                    "advanced example or good deed",
                    "advanced examples and good deeds",
                )
            };
            out.push(format!("{} {what} ({})", n(ex.total()), split.join(", ")));
        }
        if self.other > 0 {
            out.push(if vi {
                format!("{} kết quả khác", n(self.other))
            } else {
                let what = plural(self.other, "other result", "other results");
                format!("{} {what}", n(self.other))
            });
        }
        out
    }

    /// The phrases joined with `; `, as one sentence without its final full stop.
    pub fn line(&self, lang: Lang) -> String {
        self.phrases(lang).join("; ")
    }
}

impl AwardCounts {
    /// `khen thưởng 22 tập thể và 80 cá nhân` / `awards for 22 collectives and 80 individuals`;
    /// empty when nothing was proposed.
    pub fn phrase(&self, lang: Lang) -> String {
        let n = |x: u64| number(x, lang);
        let mut who = Vec::new();
        if self.collectives > 0 {
            who.push(match lang {
                Lang::Vi => format!("{} tập thể", n(self.collectives)),
                Lang::En => {
                    let what = plural(self.collectives, "collective", "collectives");
                    format!("{} {what}", n(self.collectives))
                }
            });
        }
        if self.individuals > 0 {
            who.push(match lang {
                Lang::Vi => format!("{} cá nhân", n(self.individuals)),
                Lang::En => {
                    let what = plural(self.individuals, "individual", "individuals");
                    format!("{} {what}", n(self.individuals))
                }
            });
        }
        if who.is_empty() {
            return String::new();
        }
        match lang {
            Lang::Vi => format!("khen thưởng {}", join_and(&who, lang)),
            Lang::En => format!("awards for {}", join_and(&who, lang)),
        }
    }
}

impl Summary {
    /// The summary as plain text, one paragraph or list item a line: title, period, results,
    /// ranking, advanced examples, award proposals with their votes.
    pub fn text(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut out: Vec<String> = Vec::new();
        if !self.title.is_empty() {
            out.push(self.title.clone());
        }
        if let Some((start, end)) = self.period {
            let label = if vi { "Thời gian" } else { "Period" };
            out.push(format!("{label}: {} – {}.", date(start), date(end)));
        }
        let line = self.totals.line(lang);
        out.push(match (line.is_empty(), vi) {
            (true, true) => "Chưa có kết quả được duyệt.".into(),
            (true, false) => "No approved results yet.".into(),
            (false, true) => format!("Kết quả (theo các báo cáo đã được duyệt): {line}."),
            (false, false) => format!("Results (approved reports): {line}."),
        });
        if !self.units.is_empty() {
            out.push(if vi { "Xếp hạng:" } else { "Ranking:" }.into());
            for u in &self.units {
                let pts = decimal(u.score.total, 2, lang);
                out.push(if vi {
                    format!("{}. {} – {pts} điểm", u.score.rank, u.name)
                } else {
                    let what = if u.score.total == 1.0 {
                        "point"
                    } else {
                        "points"
                    };
                    format!("{}. {} – {pts} {what}", u.score.rank, u.name)
                });
            }
        }
        if !self.examples.is_empty() {
            out.push(
                if vi {
                    "Điển hình tiên tiến, người tốt việc tốt:"
                } else {
                    "Advanced examples and good deeds:"
                }
                .into(),
            );
            for e in &self.examples {
                let kind = match (e.collective, vi) {
                    (true, true) => "tập thể, ",
                    (true, false) => "collective, ",
                    (false, _) => "",
                };
                out.push(format!("- {} ({kind}{})", e.nominee, e.unit_name));
            }
        }
        let awards = self.award_counts.phrase(lang);
        if !awards.is_empty() {
            let passed = number(self.award_counts.passed(), lang);
            out.push(if vi {
                format!("Đề nghị {awards}; biểu quyết thông qua {passed} đề nghị:")
            } else {
                let what = plural(self.award_counts.passed(), "proposal", "proposals");
                format!("Proposed {awards}; {passed} {what} passed by vote:")
            });
            for a in &self.awards {
                let v = &a.votes;
                let tally = if vi {
                    format!(
                        "{} tán thành, {} không tán thành, {} không biểu quyết",
                        v.for_, v.against, v.abstain
                    )
                } else {
                    format!(
                        "{} for, {} against, {} abstaining",
                        v.for_, v.against, v.abstain
                    )
                };
                let nominee = if a.collective {
                    a.nominee.clone()
                } else {
                    format!("{} ({})", a.nominee, a.unit_name)
                };
                out.push(format!(
                    "- {}: {nominee} – {} ({tally})",
                    award_label(a.kind, lang),
                    vote_label(a.result, lang)
                ));
            }
        }
        out.join("\n")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use crate::model::{AwardProposal, Body};
    use Lang::{En, Vi};

    fn seed_totals() -> Totals {
        // Tan Yen district, 2020–2025 (seeds/002): 720 initiatives worth more than 2 billion,
        // 65 research topics worth over 105 million, 30 works, 20 safety courses for nearly
        // 2,100 people, nearly 1,500 trees.
        Totals {
            initiatives: CountValue {
                count: 720,
                value_vnd: 2_050_000_000,
            },
            research: CountValue {
                count: 65,
                value_vnd: 105_000_000,
            },
            works: 30,
            trainings: CountPeople {
                count: 20,
                participants: 2_100,
            },
            trees: 1_500,
            tree_plantings: 1,
            ..Totals::default()
        }
    }

    #[test]
    fn seed_figures_in_the_reports_words() {
        let t = seed_totals();
        assert_eq!(
            t.phrases(Vi),
            vec![
                "720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng",
                "65 đề tài nghiên cứu khoa học được ứng dụng trị giá 105 triệu đồng",
                "30 công trình, sản phẩm chào mừng",
                "20 lớp tập huấn cho 2.100 người",
                "trồng 1.500 cây xanh",
            ]
        );
        assert_eq!(
            t.phrases(En),
            vec![
                "720 initiatives worth 2.05 billion VND",
                "65 applied research topics worth 105 million VND",
                "30 works and products dedicated to the occasion",
                "20 training courses for 2,100 people",
                "1,500 trees planted",
            ]
        );
        assert_eq!(
            t.line(Vi),
            "720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng; 65 đề tài nghiên cứu khoa \
             học được ứng dụng trị giá 105 triệu đồng; 30 công trình, sản phẩm chào mừng; 20 lớp \
             tập huấn cho 2.100 người; trồng 1.500 cây xanh"
        );
        let awards = AwardCounts {
            collectives: 22,
            individuals: 80,
            passed_collectives: 0,
            passed_individuals: 0,
        };
        assert_eq!(awards.phrase(Vi), "khen thưởng 22 tập thể và 80 cá nhân");
        assert_eq!(
            awards.phrase(En),
            "awards for 22 collectives and 80 individuals"
        );
        assert_eq!(AwardCounts::default().phrase(Vi), "");
    }

    #[test]
    fn singulars_and_edge_cases() {
        let t = Totals {
            initiatives: CountValue {
                count: 1,
                value_vnd: 0,
            },
            trainings: CountPeople {
                count: 1,
                participants: 1,
            },
            trees: 1,
            donations: Donations {
                count: 2,
                money_vnd: 950_000,
                items: vec![
                    Items {
                        name: "Sách".into(),
                        count: 1,
                    },
                    Items {
                        name: "thùng mì".into(),
                        count: 20,
                    },
                    Items {
                        name: "bánh chưng".into(),
                        count: 50,
                    },
                ],
            },
            examples: ExampleCounts {
                collectives: 1,
                individuals: 0,
            },
            other: 1,
            ..Totals::default()
        };
        assert_eq!(
            t.line(En),
            "1 initiative; 1 training course for 1 person; 1 tree planted; donations of \
             950,000 VND, 1 book, 20 boxes of noodles and 50 bánh chưng; 1 advanced example or \
             good deed (1 collective); 1 other result"
        );
        assert_eq!(
            t.line(Vi),
            "1 sáng kiến, cải tiến kỹ thuật; 1 lớp tập huấn cho 1 người; trồng 1 cây xanh; ủng \
             hộ 950.000 đồng, 1 Sách, 20 thùng mì và 50 bánh chưng; 1 điển hình tiên tiến, \
             người tốt việc tốt (1 tập thể); 1 kết quả khác"
        );
        let only_count = Totals {
            donations: Donations {
                count: 3,
                ..Donations::default()
            },
            ..Totals::default()
        };
        assert_eq!(only_count.line(Vi), "3 lượt ủng hộ");
        assert_eq!(only_count.line(En), "3 donations");
        assert_eq!(Totals::default().line(Vi), "");
    }

    #[test]
    fn demo_summary_counts_approved_only() {
        let mut d = demo_fixture();
        let s = summarize(&d.document, &d.campaign);
        assert_eq!(s.totals, Totals::default());
        assert!(s.text(Vi).contains("Chưa có kết quả được duyệt."));
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
        assert_eq!(
            t.line(Vi),
            "4 sáng kiến, cải tiến kỹ thuật trị giá 475 triệu đồng; 2 lớp tập huấn cho 305 \
             người; trồng 1.500 cây xanh; ủng hộ 33,8 triệu đồng và 641 sách; 1 hoạt động văn \
             hoá, thể thao với 120 người tham gia; 2 mô hình, câu lạc bộ mới; 1 điển hình tiên \
             tiến, người tốt việc tốt (1 cá nhân)"
        );
        assert_eq!(
            t.line(En),
            "4 initiatives worth 475 million VND; 2 training courses for 305 people; 1,500 trees \
             planted; donations of 33.8 million VND and 641 books; 1 cultural or sports event \
             with 120 participants; 2 new models and clubs; 1 advanced example or good deed \
             (1 individual)"
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
        assert!(!s.totals.line(Vi).contains("cây xanh"));
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
        let line = s.totals.line(Vi);
        assert!(
            line.starts_with(
                "720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng; 20 lớp tập huấn cho \
                 2.100 người; trồng 1.500 cây xanh"
            ),
            "{line}"
        );
        assert!(s
            .totals
            .line(En)
            .starts_with("720 initiatives worth 2.05 billion VND; 20 training courses for 2,100 people; 1,500 trees planted"));
        assert_eq!(s.totals.initiatives.value_vnd, 2_050_000_000);
        assert_eq!(
            (s.award_counts.collectives, s.award_counts.individuals),
            (22, 80)
        );
        // i % 17 == 0 for i in 0..102: 0, 17, 34, 51, 68, 85 → 6 pass with 7 of 7; the rest
        // (3 for of 7) fail.
        assert_eq!(s.award_counts.passed(), 6);
        let text = s.text(Vi);
        assert!(
            text.contains(
                "Đề nghị khen thưởng 22 tập thể và 80 cá nhân; biểu quyết thông qua 6 đề nghị:"
            ),
            "{text}"
        );
        let text = s.text(En);
        assert!(
            text.contains("Proposed awards for 22 collectives and 80 individuals; 6 proposals passed by vote:"),
            "{text}"
        );
    }

    #[test]
    fn awards_with_votes_in_the_text() {
        let mut d = demo_fixture();
        approve_all(&mut d.document);
        let lam_son = rid("lam-son");
        put(
            &mut d.document,
            "kt-1",
            proposal(
                Nominee::Person {
                    name: "Phan Quốc Tùng".into(),
                    unit: lam_son.clone(),
                },
                AwardKind::EmulationFighter,
                (4, 3, 0),
            ),
        );
        put(
            &mut d.document,
            "kt-2",
            proposal(
                Nominee::Unit {
                    unit: rid("nam-song-ma"),
                },
                AwardKind::EmulationFlag,
                (5, 1, 1),
            ),
        );
        put(
            &mut d.document,
            "kt-3",
            proposal(
                Nominee::Unit { unit: lam_son },
                AwardKind::CertificateOfMerit,
                (3, 1, 3),
            ),
        );
        // A proposal without a campaign is not part of this campaign's summary.
        let mut other = proposal(
            Nominee::Unit {
                unit: rid("medlatec"),
            },
            AwardKind::EmulationFlag,
            (7, 0, 0),
        );
        if let Body::AwardProposal(p) = &mut other {
            p.campaign = None;
        }
        put(&mut d.document, "kt-4", other);
        let s = summarize(&d.document, &d.campaign);
        assert_eq!(
            s.awards
                .iter()
                .map(|a| (a.proposal.as_str(), a.result))
                .collect::<Vec<_>>(),
            vec![
                ("kt-2", VoteResult::Passed),
                ("kt-3", VoteResult::Failed),
                ("kt-1", VoteResult::Passed),
            ]
        );
        assert_eq!(
            s.award_counts,
            AwardCounts {
                collectives: 2,
                individuals: 1,
                passed_collectives: 1,
                passed_individuals: 1,
            }
        );
        let vi = s.text(Vi);
        let expected_vi = "Đề nghị khen thưởng 2 tập thể và 1 cá nhân; biểu quyết thông qua 2 đề nghị:\n\
            - Cờ thi đua: Công ty TNHH MTV Thủy lợi Nam Sông Mã – thông qua (5 tán thành, 1 không tán thành, 1 không biểu quyết)\n\
            - Bằng khen: Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa – không thông qua (3 tán thành, 1 không tán thành, 3 không biểu quyết)\n\
            - Chiến sĩ thi đua: Phan Quốc Tùng (Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa) – thông qua (4 tán thành, 3 không tán thành, 0 không biểu quyết)";
        assert!(vi.ends_with(expected_vi), "{vi}");
        assert!(vi.starts_with("Đợt thi đua cao điểm 95 ngày"), "{vi}");
        assert!(
            vi.contains("\nThời gian: 15/04/2024 – 18/07/2024.\n"),
            "{vi}"
        );
        assert!(
            vi.contains("\n1. Công ty TNHH MTV Thủy lợi Nam Sông Mã – 30,67 điểm\n"),
            "{vi}"
        );
        assert!(vi.contains("\n5. Công ty TNHH MTV Sông Chu – 5 điểm\n5. Công ty TNHH MTV Thủy lợi Bắc Sông Mã – 5 điểm\n7. "), "{vi}");
        assert!(
            vi.contains("\n- Lê Văn Hùng (Công ty TNHH MTV Sông Chu)\n"),
            "{vi}"
        );
        let en = s.text(En);
        assert!(
            en.contains("\n1. Công ty TNHH MTV Thủy lợi Nam Sông Mã – 30.67 points\n"),
            "{en}"
        );
        assert!(en.contains("Proposed awards for 2 collectives and 1 individual; 2 proposals passed by vote:\n- Emulation Flag: "), "{en}");
        assert!(
            en.contains("passed (5 for, 1 against, 1 abstaining)"),
            "{en}"
        );
        assert!(
            en.contains("– not passed (3 for, 1 against, 3 abstaining)"),
            "{en}"
        );
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
        assert_eq!(s.text(En), "No approved results yet.");
    }
}
