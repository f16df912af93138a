//! Record bodies: what the cluster writes down.
//!
//! Every record in the sync document has one [`Body`]. Bodies are plain data; their meaning
//! (who may write them, whether they are valid, what status an entry has) lives in the
//! `auth`, `validate` and `status` modules. The JSON shape is part of the sync protocol and the
//! stored document, so renaming a field or variant needs a schema migration.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{RecordId, UnitId};
use crate::sync::VersionVector;

/// An emulation cluster (cụm / khối thi đua), formed by a decision of an authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Cluster {
    pub name: String,
    pub decision: Decision,
    pub year: i32,
    /// Units that moved to another cluster (at the start of a year, by the board): their
    /// records stay for the history, but they are no longer members. Skipped when empty, so
    /// older cluster records keep their JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_units: Vec<UnitId>,
}

/// The formal decision establishing a cluster, e.g. "1197/QD-UBND of 27 March 2024".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Decision {
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

/// A member unit (đơn vị thành viên).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Unit {
    pub name: String,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    GrassrootsUnion,
    Enterprise,
    Agency,
}

/// The cluster head and deputy for one year; both are member units and rotate yearly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Roles {
    pub year: i32,
    pub head: UnitId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy: Option<UnitId>,
}

/// A movement or peak campaign (phong trào / đợt thi đua).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Campaign {
    pub title: String,
    pub occasion: String,
    pub slogan: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub criteria: Vec<Criterion>,
    /// Reporting deadlines (hạn báo cáo), e.g. the 6-month report due 15/06. Absent in older
    /// documents; skipped when empty, so those campaigns keep their old JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<Deadline>,
}

/// A reporting deadline of a campaign: "Báo cáo 6 tháng" due 15/06.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Deadline {
    pub name: String,
    pub due: NaiveDate,
}

impl Campaign {
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// Whether `date` is inside the campaign period (both ends included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A criterion (tiêu chí) of a campaign. `id` is local to the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub unit_of_measure: String,
    pub points: u32,
    /// How approved entries add up toward the target. Absent in older documents, where every
    /// criterion counted entries; skipped when it is the default, so such criteria keep their
    /// old JSON.
    #[serde(default, skip_serializing_if = "Measure::is_entries")]
    pub measure: Measure,
}

/// How an entry counts toward a criterion (see `crate::scoring`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Each approved entry linked to the criterion counts 1 (initiatives, advanced examples).
    #[default]
    Entries,
    /// The entry's main figure counts, see [`EntryDetails::figure`] (participants, trees,
    /// money). Entries of kinds without a figure add nothing.
    Figure,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::Entries, Measure::Figure];

    pub fn is_entries(&self) -> bool {
        *self == Measure::Entries
    }

    /// What one entry adds toward a criterion with this measure.
    pub fn amount(self, details: &EntryDetails) -> u64 {
        match self {
            Measure::Entries => 1,
            Measure::Figure => details.figure().unwrap_or(0),
        }
    }
}

/// A unit's registered targets and signed commitments for a campaign (đăng ký / giao ước).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Pledge {
    pub campaign: RecordId,
    pub unit: UnitId,
    pub targets: Vec<Target>,
    pub commitments: String,
    pub signed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Target {
    pub criterion: String,
    pub target: f64,
}

/// One reported result (kết quả): an initiative, a donation, a training course...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Entry {
    pub unit: UnitId,
    pub campaign: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub details: EntryDetails,
    /// Set on an entry that corrects a returned one, linking the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<RecordId>,
    /// The evidence it rests on (photos, documents), by reference; the bytes travel apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<crate::files::FileRef>,
}

/// What kind of result an entry reports, with the figures that kind carries.
// Read by `crate::tagged` (tag first, no buffering); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryDetails {
    /// Initiative or technical improvement (sáng kiến, cải tiến kỹ thuật).
    Initiative {
        value_vnd: u64,
    },
    /// Applied research topic.
    Research {
        value_vnd: u64,
    },
    /// Work or product dedicated to an occasion (công trình, sản phẩm chào mừng).
    Work,
    Training {
        participants: u32,
    },
    Donation {
        money_vnd: u64,
        items: String,
        item_count: u32,
    },
    Trees {
        count: u32,
    },
    /// Cultural or sports event.
    Event {
        participants: u32,
    },
    /// New model or club.
    Model,
    /// Typical advanced example or good deed (người tốt, việc tốt).
    AdvancedExample {
        nominee: String,
        collective: bool,
    },
    Other,
}

/// Fieldless mirror of [`EntryDetails`], for filters and menus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Initiative,
    Research,
    Work,
    Training,
    Donation,
    Trees,
    Event,
    Model,
    AdvancedExample,
    Other,
}

impl EntryKind {
    pub const ALL: [EntryKind; 10] = [
        EntryKind::Initiative,
        EntryKind::Research,
        EntryKind::Work,
        EntryKind::Training,
        EntryKind::Donation,
        EntryKind::Trees,
        EntryKind::Event,
        EntryKind::Model,
        EntryKind::AdvancedExample,
        EntryKind::Other,
    ];

    /// The one figure a result of this kind carries, and whether it is money or a count
    /// (what the form asks for, and how a typed figure is read).
    pub fn figure_kind(self) -> Option<crate::input::FigureKind> {
        use crate::input::FigureKind;
        match self {
            EntryKind::Initiative | EntryKind::Research | EntryKind::Donation => {
                Some(FigureKind::Money)
            }
            EntryKind::Training | EntryKind::Event | EntryKind::Trees => Some(FigureKind::Count),
            EntryKind::Work | EntryKind::Model | EntryKind::AdvancedExample | EntryKind::Other => {
                None
            }
        }
    }
}

impl EntryDetails {
    pub fn kind(&self) -> EntryKind {
        match self {
            EntryDetails::Initiative { .. } => EntryKind::Initiative,
            EntryDetails::Research { .. } => EntryKind::Research,
            EntryDetails::Work => EntryKind::Work,
            EntryDetails::Training { .. } => EntryKind::Training,
            EntryDetails::Donation { .. } => EntryKind::Donation,
            EntryDetails::Trees { .. } => EntryKind::Trees,
            EntryDetails::Event { .. } => EntryKind::Event,
            EntryDetails::Model => EntryKind::Model,
            EntryDetails::AdvancedExample { .. } => EntryKind::AdvancedExample,
            EntryDetails::Other => EntryKind::Other,
        }
    }

    /// The entry's main figure, what a [`Measure::Figure`] criterion adds up: the value in VND
    /// of an initiative or research topic, the participants of a training course or event, the
    /// money of a donation (items given in kind are listed in the summary, not added to money),
    /// the number of trees. Works, models, advanced examples and other results have none.
    pub fn figure(&self) -> Option<u64> {
        match self {
            EntryDetails::Initiative { value_vnd } | EntryDetails::Research { value_vnd } => {
                Some(*value_vnd)
            }
            EntryDetails::Training { participants } | EntryDetails::Event { participants } => {
                Some(u64::from(*participants))
            }
            EntryDetails::Donation { money_vnd, .. } => Some(*money_vnd),
            EntryDetails::Trees { count } => Some(u64::from(*count)),
            EntryDetails::Work
            | EntryDetails::Model
            | EntryDetails::AdvancedExample { .. }
            | EntryDetails::Other => None,
        }
    }
}

/// The cluster head's decision on one revision of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Review {
    pub entry: RecordId,
    /// The clock of the entry revision that was reviewed; a later edit of the entry moves past
    /// it and sends the entry back to review.
    pub entry_clock: VersionVector,
    pub decision: ReviewDecision,
}

// Read by `crate::tagged` (tag first, no buffering); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewDecision {
    Approve,
    Return { reason: String },
}

/// A dated snapshot of scores and ranking (sơ kết / tổng kết).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct ReviewSession {
    pub campaign: RecordId,
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub rows: Vec<ScoreRow>,
    /// The campaign's criteria as they stood when the session was frozen, so that renaming
    /// or removing one later does not change what the session shows. Absent in sessions
    /// frozen before it was kept (they show the campaign's current criteria).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    SixMonth,
    Annual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct ScoreRow {
    pub unit: UnitId,
    pub criteria: Vec<CriterionScore>,
    pub total: f64,
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct CriterionScore {
    pub criterion: String,
    pub pledged: f64,
    pub approved: f64,
    pub points: f64,
}

/// An award proposal (đề nghị khen thưởng) with the cluster's vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct AwardProposal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<RecordId>,
    pub kind: AwardKind,
    pub nominee: Nominee,
    pub reason: String,
    #[serde(default)]
    pub entries: Vec<RecordId>,
    pub votes: Votes,
    /// When the head last sent it up to the federation's board (`None`: not sent). Sending
    /// it again after a return sets a new time, which the board's next decision names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<DateTime<Utc>>,
}

/// The federation board's decision on a proposal sent up (quyết định khen thưởng, or a
/// return with a reason). It names the sending it decides on, so that a proposal sent again
/// after a return waits for a new decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct AwardDecision {
    pub proposal: RecordId,
    /// The proposal's `sent` this decides on.
    pub sent: DateTime<Utc>,
    pub outcome: AwardOutcome,
}

/// Accepted with the number and date of the award decision, or returned with a reason.
// Read by `crate::tagged` (tag first, no buffering); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AwardOutcome {
    /// e.g. number "2150/QĐ-LĐLĐ", dated 20/08/2024.
    Accepted {
        number: String,
        date: NaiveDate,
    },
    Returned {
        reason: String,
    },
}

/// A person pressed the share button to remind these units to report (the server sends
/// nothing); kept so the head and the board see who was reminded when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Reminder {
    pub campaign: RecordId,
    /// The due date of the deadline it reminds of, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    pub units: Vec<UnitId>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    EmulationFlag,
    CertificateOfMerit,
    LetterOfCommendation,
    AdvancedLabourCollective,
    EmulationFighter,
    TypicalAdvancedModel,
}

impl AwardKind {
    pub const ALL: [AwardKind; 6] = [
        AwardKind::EmulationFlag,
        AwardKind::CertificateOfMerit,
        AwardKind::LetterOfCommendation,
        AwardKind::AdvancedLabourCollective,
        AwardKind::EmulationFighter,
        AwardKind::TypicalAdvancedModel,
    ];
}

/// A collective (a member unit) or an individual of a unit.
// Read by `crate::tagged` (tag first, no buffering); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Nominee {
    Unit { unit: UnitId },
    Person { name: String, unit: UnitId },
}

impl Nominee {
    pub fn unit(&self) -> &UnitId {
        match self {
            Nominee::Unit { unit } | Nominee::Person { unit, .. } => unit,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub struct Votes {
    #[serde(rename = "for")]
    pub for_: u32,
    pub against: u32,
    pub abstain: u32,
}

/// The outcome of a vote on an award proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteResult {
    Passed,
    Failed,
    NoVotes,
}

impl Votes {
    /// All votes cast: for, against and abstaining.
    pub fn cast(&self) -> u64 {
        u64::from(self.for_) + u64::from(self.against) + u64::from(self.abstain)
    }

    /// [`VoteResult::Passed`] when the votes for are more than half of all votes cast
    /// (abstentions count as cast); [`VoteResult::NoVotes`] before anyone voted.
    pub fn result(&self) -> VoteResult {
        match self.cast() {
            0 => VoteResult::NoVotes,
            cast if 2 * u64::from(self.for_) > cast => VoteResult::Passed,
            _ => VoteResult::Failed,
        }
    }
}

/// The content of a record. Tagged by `type`; `EntryDetails` nests its own `kind` tag inside
/// the `details` object, so the two tags never collide.
// Read by `crate::tagged` (tag first, no buffering); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    Cluster(Cluster),
    Unit(Unit),
    Roles(Roles),
    Campaign(Campaign),
    Pledge(Pledge),
    Entry(Entry),
    Review(Review),
    ReviewSession(ReviewSession),
    AwardProposal(AwardProposal),
    AwardDecision(AwardDecision),
    Reminder(Reminder),
}

/// The kind of a record, its body's `type` (a fieldless mirror of `Body`); a record keeps its
/// kind even when deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Cluster,
    Unit,
    Roles,
    Campaign,
    Pledge,
    Entry,
    Review,
    ReviewSession,
    AwardProposal,
    AwardDecision,
    Reminder,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Cluster,
        Kind::Unit,
        Kind::Roles,
        Kind::Campaign,
        Kind::Pledge,
        Kind::Entry,
        Kind::Review,
        Kind::ReviewSession,
        Kind::AwardProposal,
        Kind::AwardDecision,
        Kind::Reminder,
    ];
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Cluster => "cluster",
            Kind::Unit => "unit",
            Kind::Roles => "roles",
            Kind::Campaign => "campaign",
            Kind::Pledge => "pledge",
            Kind::Entry => "entry",
            Kind::Review => "review",
            Kind::ReviewSession => "review_session",
            Kind::AwardProposal => "award_proposal",
            Kind::AwardDecision => "award_decision",
            Kind::Reminder => "reminder",
        })
    }
}

impl Body {
    /// The records this body refers to, which must exist for it to be valid (`validate`
    /// looks them up, and a record they name cannot be deleted from under it).
    pub fn references(&self) -> Vec<&RecordId> {
        match self {
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
            Body::AwardDecision(d) => vec![&d.proposal],
            Body::Reminder(r) => std::iter::once(&r.campaign).chain(&r.units).collect(),
        }
    }

    /// The evidence files this body lists (a result's; other kinds list none).
    pub fn files(&self) -> &[crate::files::FileRef] {
        match self {
            Body::Entry(e) => &e.files,
            _ => &[],
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Body::Cluster(_) => Kind::Cluster,
            Body::Unit(_) => Kind::Unit,
            Body::Roles(_) => Kind::Roles,
            Body::Campaign(_) => Kind::Campaign,
            Body::Pledge(_) => Kind::Pledge,
            Body::Entry(_) => Kind::Entry,
            Body::Review(_) => Kind::Review,
            Body::ReviewSession(_) => Kind::ReviewSession,
            Body::AwardProposal(_) => Kind::AwardProposal,
            Body::AwardDecision(_) => Kind::AwardDecision,
            Body::Reminder(_) => Kind::Reminder,
        }
    }

    /// The member unit that owns this record (and whose officers may write it): the unit of a
    /// pledge or entry. Cluster-level records have no owner unit.
    pub fn owner_unit(&self) -> Option<&UnitId> {
        match self {
            Body::Pledge(p) => Some(&p.unit),
            Body::Entry(e) => Some(&e.unit),
            _ => None,
        }
    }
}

macro_rules! body_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Body {
            fn from(b: $variant) -> Body {
                Body::$variant(b)
            }
        }
    )*};
}
body_from!(
    Cluster,
    Unit,
    Roles,
    Campaign,
    Pledge,
    Entry,
    Review,
    ReviewSession,
    AwardProposal,
    AwardDecision,
    Reminder
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::DeviceId;

    pub(crate) fn id(s: &str) -> RecordId {
        RecordId::new(s).unwrap()
    }

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(crate) fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        date(y, m, d).and_hms_opt(8, 0, 0).unwrap().and_utc()
    }

    pub(crate) fn sample_entry(details: EntryDetails) -> Entry {
        Entry {
            unit: id("u1"),
            campaign: id("c1"),
            criterion: Some("init".into()),
            date: date(2024, 5, 1),
            title: "Cải tiến máy bơm".into(),
            description: "Tiết kiệm 10% điện năng".into(),
            details,
            corrects: None,
            files: Vec::new(),
        }
    }

    pub(crate) fn all_details() -> Vec<EntryDetails> {
        vec![
            EntryDetails::Initiative {
                value_vnd: 2_000_000_000,
            },
            EntryDetails::Research {
                value_vnd: 105_000_000,
            },
            EntryDetails::Work,
            EntryDetails::Training { participants: 2100 },
            EntryDetails::Donation {
                money_vnd: 33_800_000,
                items: "sách".into(),
                item_count: 641,
            },
            EntryDetails::Trees { count: 1500 },
            EntryDetails::Event { participants: 300 },
            EntryDetails::Model,
            EntryDetails::AdvancedExample {
                nominee: "Nguyễn Văn A".into(),
                collective: false,
            },
            EntryDetails::Other,
        ]
    }

    pub(crate) fn all_bodies() -> Vec<Body> {
        let mut clock = VersionVector::default();
        clock.bump(&DeviceId::new("d1").unwrap());
        let mut v: Vec<Body> = vec![
            Cluster {
                name: "Cụm thi đua số 18".into(),
                decision: Decision {
                    number: "1197/QD-UBND".into(),
                    date: date(2024, 3, 27),
                    issuer: "UBND tỉnh Thanh Hóa".into(),
                },
                year: 2024,
                former_units: vec![id("u2")],
            }
            .into(),
            Unit {
                name: "Công ty TNHH MTV Thủy lợi Nam Sông Mã".into(),
                kind: UnitKind::Enterprise,
            }
            .into(),
            Roles {
                year: 2024,
                head: id("u1"),
                deputy: Some(id("u2")),
            }
            .into(),
            Roles {
                year: 2025,
                head: id("u2"),
                deputy: None,
            }
            .into(),
            Campaign {
                title: "Đợt thi đua cao điểm".into(),
                occasion: "95 năm ngày thành lập Công đoàn Việt Nam".into(),
                slogan: "Nâng cao năng suất, chất lượng, hiệu quả".into(),
                start: date(2024, 4, 15),
                end: date(2024, 7, 10),
                criteria: vec![Criterion {
                    id: "init".into(),
                    name: "Sáng kiến".into(),
                    unit_of_measure: "sáng kiến".into(),
                    points: 10,
                    measure: Measure::Entries,
                }],
                deadlines: vec![Deadline {
                    name: "Báo cáo 6 tháng".into(),
                    due: date(2024, 6, 15),
                }],
            }
            .into(),
            Pledge {
                campaign: id("c1"),
                unit: id("u1"),
                targets: vec![Target {
                    criterion: "init".into(),
                    target: 12.5,
                }],
                commitments: "Hoàn thành vượt mức".into(),
                signed_on: date(2024, 4, 15),
            }
            .into(),
            Review {
                entry: id("e1"),
                entry_clock: clock.clone(),
                decision: ReviewDecision::Approve,
            }
            .into(),
            Review {
                entry: id("e1"),
                entry_clock: clock,
                decision: ReviewDecision::Return {
                    reason: "Thiếu số liệu".into(),
                },
            }
            .into(),
            ReviewSession {
                campaign: id("c1"),
                kind: SessionKind::SixMonth,
                date: date(2024, 7, 1),
                criteria: Vec::new(),
                rows: vec![ScoreRow {
                    unit: id("u1"),
                    criteria: vec![CriterionScore {
                        criterion: "init".into(),
                        pledged: 10.0,
                        approved: 12.0,
                        points: 10.0,
                    }],
                    total: 10.0,
                    rank: 1,
                }],
            }
            .into(),
            AwardProposal {
                campaign: Some(id("c1")),
                kind: AwardKind::EmulationFlag,
                nominee: Nominee::Unit { unit: id("u1") },
                reason: "Dẫn đầu cụm".into(),
                entries: vec![id("e1")],
                votes: Votes {
                    for_: 6,
                    against: 0,
                    abstain: 1,
                },
                sent: Some(at(2024, 7, 20)),
            }
            .into(),
            AwardProposal {
                campaign: None,
                kind: AwardKind::EmulationFighter,
                nominee: Nominee::Person {
                    name: "Lê Thị B".into(),
                    unit: id("u2"),
                },
                reason: "Nhiều sáng kiến".into(),
                entries: vec![],
                votes: Votes::default(),
                sent: None,
            }
            .into(),
            AwardDecision {
                proposal: id("p1"),
                sent: at(2024, 7, 20),
                outcome: AwardOutcome::Accepted {
                    number: "2150/QĐ-LĐLĐ".into(),
                    date: date(2024, 8, 20),
                },
            }
            .into(),
            AwardDecision {
                proposal: id("p1"),
                sent: at(2024, 7, 20),
                outcome: AwardOutcome::Returned {
                    reason: "Thiếu biên bản họp".into(),
                },
            }
            .into(),
            Reminder {
                campaign: id("c1"),
                deadline: Some(date(2024, 6, 15)),
                units: vec![id("u1"), id("u2")],
                at: at(2024, 6, 10),
            }
            .into(),
        ];
        v.extend(
            all_details()
                .into_iter()
                .map(|d| Body::Entry(sample_entry(d))),
        );
        v
    }

    #[test]
    fn every_body_variant_round_trips() {
        let bodies = all_bodies();
        let kinds: std::collections::BTreeSet<Kind> = bodies.iter().map(Body::kind).collect();
        assert_eq!(kinds.len(), Kind::ALL.len(), "sample covers every kind");
        for b in bodies {
            let json = serde_json::to_string(&b).unwrap();
            let back: Body = serde_json::from_str(&json).unwrap();
            assert_eq!(back, b, "{json}");
        }
    }

    #[test]
    fn every_entry_kind_round_trips_inside_body() {
        let details = all_details();
        assert_eq!(details.len(), EntryKind::ALL.len());
        for (d, k) in details.into_iter().zip(EntryKind::ALL) {
            assert_eq!(d.kind(), k);
            let body = Body::Entry(sample_entry(d));
            let v = serde_json::to_value(&body).unwrap();
            assert_eq!(v["type"], "entry");
            assert_eq!(v["details"]["kind"], serde_json::to_value(k).unwrap());
            let back: Body = serde_json::from_value(v).unwrap();
            assert_eq!(back, body);
        }
    }

    #[test]
    fn json_shape_is_stable() {
        let body = Body::Entry(sample_entry(EntryDetails::Trees { count: 1500 }));
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(v["date"], "2024-05-01");
        assert_eq!(
            v["details"],
            serde_json::json!({"kind": "trees", "count": 1500})
        );
        assert!(
            v.get("corrects").is_none(),
            "None is skipped to keep pushes small"
        );
        let votes = serde_json::to_value(Votes {
            for_: 3,
            against: 1,
            abstain: 0,
        })
        .unwrap();
        assert_eq!(
            votes,
            serde_json::json!({"for": 3, "against": 1, "abstain": 0})
        );
        let unit = serde_json::to_value(Body::Unit(Unit {
            name: "x".into(),
            kind: UnitKind::GrassrootsUnion,
        }))
        .unwrap();
        assert_eq!(
            unit,
            serde_json::json!({"type": "unit", "name": "x", "kind": "grassroots_union"})
        );
    }

    #[test]
    fn unknown_variants_are_rejected() {
        assert!(serde_json::from_str::<Body>(r#"{"type":"nope"}"#).is_err());
        let bad = r#"{"type":"entry","unit":"u1","campaign":"c1","date":"2024-05-01",
            "title":"t","details":{"kind":"nope"}}"#;
        assert!(serde_json::from_str::<Body>(bad).is_err());
        let bad_id = r#"{"type":"roles","year":2024,"head":"a b"}"#;
        assert!(serde_json::from_str::<Body>(bad_id).is_err());
    }

    #[test]
    fn kind_and_owner() {
        for b in all_bodies() {
            match &b {
                Body::Entry(e) => assert_eq!(b.owner_unit(), Some(&e.unit)),
                Body::Pledge(p) => assert_eq!(b.owner_unit(), Some(&p.unit)),
                _ => assert_eq!(b.owner_unit(), None),
            }
            let k = serde_json::to_value(b.kind()).unwrap();
            assert_eq!(
                k,
                serde_json::to_value(&b).unwrap()["type"],
                "Kind names match tags"
            );
            assert_eq!(k, b.kind().to_string().as_str());
        }
    }

    /// Records written before deadlines, sending up, former units and decisions read and
    /// write back byte for byte.
    #[test]
    fn older_records_keep_their_json() {
        let old = [
            r#"{"type":"campaign","title":"Đợt","occasion":"","slogan":"","start":"2024-04-15","end":"2024-07-10","criteria":[]}"#,
            r#"{"type":"award_proposal","campaign":"c1","kind":"emulation_flag","nominee":{"type":"unit","unit":"u1"},"reason":"r","entries":[],"votes":{"for":6,"against":0,"abstain":1}}"#,
            r#"{"type":"cluster","name":"Cụm","decision":{"number":"1197/QD-UBND","date":"2024-03-27","issuer":"UBND"},"year":2024}"#,
        ];
        for text in old {
            let body: Body = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&body).unwrap(), text);
        }
        let decision = r#"{"type":"award_decision","proposal":"p1","sent":"2024-07-20T08:00:00Z","outcome":{"kind":"accepted","number":"2150/QĐ-LĐLĐ","date":"2024-08-20"}}"#;
        let body: Body = serde_json::from_str(decision).unwrap();
        assert_eq!(body.kind(), Kind::AwardDecision);
        assert_eq!(serde_json::to_string(&body).unwrap(), decision);
        assert_eq!(body.references(), vec![&id("p1")]);
        let returned: AwardOutcome =
            serde_json::from_str(r#"{"reason":"Thiếu","kind":"returned"}"#).unwrap();
        assert_eq!(
            returned,
            AwardOutcome::Returned {
                reason: "Thiếu".into()
            }
        );
        assert!(serde_json::from_str::<AwardOutcome>(r#"{"kind":"maybe"}"#).is_err());
        let reminder =
            r#"{"type":"reminder","campaign":"c1","units":["u1"],"at":"2024-06-10T08:00:00Z"}"#;
        let body: Body = serde_json::from_str(reminder).unwrap();
        assert_eq!(body.references(), vec![&id("c1"), &id("u1")]);
        assert_eq!(serde_json::to_string(&body).unwrap(), reminder);
    }

    #[test]
    fn measure_defaults_and_keeps_old_json() {
        // A criterion written before measures existed reads as counting entries...
        let old = r#"{"id":"init","name":"Sáng kiến","unit_of_measure":"sáng kiến","points":10}"#;
        let c: Criterion = serde_json::from_str(old).unwrap();
        assert_eq!(c.measure, Measure::Entries);
        // ...and writes back exactly as before.
        assert_eq!(serde_json::to_string(&c).unwrap(), old);
        let fig = Criterion {
            measure: Measure::Figure,
            ..c
        };
        let v = serde_json::to_value(&fig).unwrap();
        assert_eq!(v["measure"], "figure");
        assert_eq!(serde_json::from_value::<Criterion>(v).unwrap(), fig);
        assert!(serde_json::from_str::<Measure>(r#""sum""#).is_err());
    }

    #[test]
    fn main_figures() {
        let figures: Vec<Option<u64>> = all_details().iter().map(EntryDetails::figure).collect();
        assert_eq!(
            figures,
            vec![
                Some(2_000_000_000), // initiative value
                Some(105_000_000),   // research value
                None,                // work
                Some(2_100),         // training participants
                Some(33_800_000),    // donation money (the 641 books are not money)
                Some(1_500),         // trees
                Some(300),           // event participants
                None,                // model
                None,                // advanced example
                None,                // other
            ]
        );
        let training = EntryDetails::Training { participants: 2100 };
        assert_eq!(Measure::Entries.amount(&training), 1);
        assert_eq!(Measure::Figure.amount(&training), 2100);
        assert_eq!(Measure::Figure.amount(&EntryDetails::Model), 0);
        assert_eq!(Measure::Entries.amount(&EntryDetails::Model), 1);
    }

    #[test]
    fn vote_results() {
        let v = |for_, against, abstain| Votes {
            for_,
            against,
            abstain,
        };
        assert_eq!(v(0, 0, 0).result(), VoteResult::NoVotes);
        assert_eq!(v(6, 0, 1).result(), VoteResult::Passed);
        assert_eq!(v(1, 0, 0).result(), VoteResult::Passed);
        // Exactly half is not more than half.
        assert_eq!(v(2, 2, 0).result(), VoteResult::Failed);
        assert_eq!(
            v(3, 0, 3).result(),
            VoteResult::Failed,
            "abstentions count as cast"
        );
        assert_eq!(v(4, 1, 2).result(), VoteResult::Passed);
        assert_eq!(v(0, 0, 5).result(), VoteResult::Failed);
        let max = v(u32::MAX, u32::MAX, u32::MAX);
        assert_eq!(max.cast(), 3 * u64::from(u32::MAX));
        assert_eq!(max.result(), VoteResult::Failed);
        assert_eq!(
            serde_json::to_value(VoteResult::NoVotes).unwrap(),
            "no_votes"
        );
    }

    #[test]
    fn campaign_helpers() {
        let Body::Campaign(c) = &all_bodies()[4] else {
            panic!("campaign expected")
        };
        assert!(c.contains(date(2024, 4, 15)) && c.contains(date(2024, 7, 10)));
        assert!(!c.contains(date(2024, 7, 11)));
        assert_eq!(c.criterion("init").map(|c| c.points), Some(10));
        assert!(c.criterion("x").is_none());
    }
}
