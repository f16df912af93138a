//! The federation board's dashboard across its clusters, from each cluster's document with
//! the same functions the cluster's own screens use ([`summarize`], [`entry_statuses`],
//! [`completeness`]): per cluster its units, results reported, approved and waiting (and the
//! oldest wait), the units silent in the running campaign, the last review session, the
//! reporting rate of the current deadline, the totals and the proposals waiting for the
//! board; the federation's totals; and a ranking of clusters on the criteria they share.
//!
//! Figures and structure only: the catalogue words them ("Toàn tỉnh: …") and states the
//! ranking's rule. Pure, so the server computes it and the board's phone never downloads a
//! cluster's whole document.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::format::vi_cmp;
use crate::ids::RecordId;
use crate::model::{AwardKind, Measure, Nominee, SessionKind};
use crate::proposal::waiting_for_board;
use crate::reporting::{completeness, current_deadline, local_day, Completeness};
use crate::status::{entry_statuses, EntryStatus};
use crate::summary::{summarize, Totals};
use crate::sync::Document;

/// The campaign a cluster's figures are about: the one running today, else the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRef {
    pub id: RecordId,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Whether it runs today.
    pub running: bool,
}

/// The reporting rate of one deadline (the current one: next not yet due, else the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineRate {
    pub name: String,
    pub due: NaiveDate,
    pub counts: Completeness,
    /// Names of the units that have not reported for it (missing, or not yet when not due).
    pub not_reported: Vec<String>,
}

/// A proposal sent up and waiting for the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentProposal {
    pub proposal: RecordId,
    pub kind: AwardKind,
    /// The unit's name for a collective, the person's for an individual.
    pub nominee: String,
    pub collective: bool,
    pub unit_name: String,
    pub reason: String,
    /// The proposal's `sent`, which the board's decision names.
    pub sent: chrono::DateTime<Utc>,
}

/// One cluster's line on the board's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClusterRollup {
    pub cluster: RecordId,
    pub name: String,
    /// The cluster's emulation year (`None`: no cluster record yet).
    pub year: Option<i32>,
    /// Member units.
    pub units: u32,
    /// `None` when the cluster has no campaign; the counts below are then zero.
    pub campaign: Option<CampaignRef>,
    /// Live results of the campaign, whatever their review.
    pub reported: u64,
    pub approved: u64,
    /// Waiting for review.
    pub waiting: u64,
    pub returned: u64,
    /// Days the longest-waiting result has waited (since it was last written).
    pub oldest_wait_days: Option<i64>,
    /// Member units with no result in the campaign, by name.
    pub silent_units: Vec<String>,
    /// The last review session (sơ kết / tổng kết) of the campaign.
    pub last_session: Option<LastSession>,
    pub deadline: Option<DeadlineRate>,
    /// Approved results added up, from the cluster summary's own function.
    pub totals: Totals,
    /// Per criterion of the campaign: id, measure and what approved results add up to.
    pub criteria: Vec<CriterionAmount>,
    pub proposals_waiting: Vec<SentProposal>,
}

/// A review session's kind and date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastSession {
    pub kind: SessionKind,
    pub date: NaiveDate,
}

/// What a cluster's approved results add up to on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionAmount {
    pub id: String,
    pub name: String,
    pub unit_of_measure: String,
    pub measure: Measure,
    pub amount: f64,
}

/// How clusters are ranked on a shared criterion; the catalogue writes it out next to the
/// ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RankingRule {
    /// Only clusters whose campaigns have a criterion of the same template id and measure are
    /// compared, by what their approved results add up to per member unit (clusters differ in
    /// size); equal amounts share a rank.
    SameCriterionPerUnit,
}

/// One cluster's place on a shared criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClusterRank {
    pub cluster: RecordId,
    pub name: String,
    pub amount: f64,
    pub per_unit: f64,
    pub rank: u32,
}

/// The ranking of the clusters that share one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedRanking {
    /// The template criterion id, e.g. `sang-kien`.
    pub criterion: String,
    /// The name in the first cluster that has it (names may differ slightly).
    pub name: String,
    pub unit_of_measure: String,
    pub measure: Measure,
    pub rows: Vec<ClusterRank>,
}

/// The board's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rollup {
    pub today: NaiveDate,
    /// In Vietnamese order of names.
    pub clusters: Vec<ClusterRollup>,
    /// Every cluster's totals added up ("Toàn tỉnh: …").
    pub totals: Totals,
    pub units: u32,
    pub reported: u64,
    pub approved: u64,
    pub waiting: u64,
    pub rule: RankingRule,
    /// Criteria shared by at least two clusters, by id.
    pub rankings: Vec<SharedRanking>,
}

/// One cluster's line, on `today`.
pub fn cluster_rollup(doc: &Document, today: NaiveDate) -> ClusterRollup {
    let cluster = doc.get_cluster(&doc.cluster);
    let members: Vec<(&RecordId, &str)> = doc
        .member_units()
        .map(|(id, u)| (id, u.name.as_str()))
        .collect();
    let campaigns = doc.campaigns_running_first(today);
    let mut line = ClusterRollup {
        cluster: doc.cluster.clone(),
        name: cluster.map(|c| c.name.clone()).unwrap_or_default(),
        year: cluster.map(|c| c.year),
        units: u32::try_from(members.len()).unwrap_or(u32::MAX),
        campaign: None,
        reported: 0,
        approved: 0,
        waiting: 0,
        returned: 0,
        oldest_wait_days: None,
        silent_units: Vec::new(),
        last_session: None,
        deadline: None,
        totals: Totals::default(),
        criteria: Vec::new(),
        proposals_waiting: proposals_waiting(doc),
    };
    let Some((cid, camp)) = campaigns.into_iter().next() else {
        line.silent_units = names(members.iter().map(|(_, n)| *n));
        return line;
    };
    let statuses = entry_statuses(doc);
    let mut active: Vec<&RecordId> = Vec::new();
    for (id, e) in doc.entries().filter(|(_, e)| e.campaign == cid) {
        line.reported += 1;
        active.push(&e.unit);
        match statuses.get(id) {
            Some(EntryStatus::Approved) => line.approved += 1,
            Some(EntryStatus::Returned { .. }) => line.returned += 1,
            Some(EntryStatus::Submitted) => {
                line.waiting += 1;
                let since = doc
                    .get(id)
                    .and_then(|r| r.winner())
                    .map(|w| local_day(w.at));
                if let Some(since) = since {
                    let days = (today - since).num_days().max(0);
                    line.oldest_wait_days = line.oldest_wait_days.max(Some(days));
                }
            }
            Some(EntryStatus::Deleted) | None => {}
        }
    }
    line.silent_units = names(
        members
            .iter()
            .filter(|(id, _)| !active.contains(id))
            .map(|(_, n)| *n),
    );
    line.last_session = doc
        .review_sessions()
        .filter(|(_, s)| s.campaign == cid)
        .map(|(_, s)| (s.date, s.kind))
        .max()
        .map(|(date, kind)| LastSession { kind, date });
    if let Some(current) = current_deadline(&camp, today) {
        line.deadline = completeness(doc, &cid, today)
            .into_iter()
            .find(|r| r.deadline == *current)
            .map(|r| DeadlineRate {
                name: r.deadline.name,
                due: r.deadline.due,
                counts: r.counts,
                not_reported: r
                    .units
                    .into_iter()
                    .filter(|u| {
                        matches!(
                            u.status,
                            crate::reporting::ReportStatus::Missing
                                | crate::reporting::ReportStatus::NotDue
                        )
                    })
                    .map(|u| u.name)
                    .collect(),
            });
    }
    let summary = summarize(doc, &cid);
    line.criteria = camp
        .criteria
        .iter()
        .map(|c| CriterionAmount {
            id: c.id.clone(),
            name: c.name.clone(),
            unit_of_measure: c.unit_of_measure.clone(),
            measure: c.measure,
            amount: summary
                .units
                .iter()
                .flat_map(|u| &u.score.criteria)
                .filter(|s| s.criterion == c.id)
                .map(|s| s.approved)
                .sum(),
        })
        .collect();
    line.totals = summary.totals;
    line.campaign = Some(CampaignRef {
        id: cid,
        title: camp.title.clone(),
        start: camp.start,
        end: camp.end,
        running: camp.contains(today),
    });
    line
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = it.map(str::to_owned).collect();
    v.sort_by(|a, b| vi_cmp(a, b));
    v
}

fn proposals_waiting(doc: &Document) -> Vec<SentProposal> {
    waiting_for_board(doc)
        .into_iter()
        .filter_map(|(id, sent)| {
            let p = doc.get_award_proposal(id)?;
            let unit = p.nominee.unit();
            let unit_name = doc
                .get_unit(unit)
                .map_or_else(|| unit.to_string(), |u| u.name.clone());
            let (nominee, collective) = match &p.nominee {
                Nominee::Unit { .. } => (unit_name.clone(), true),
                Nominee::Person { name, .. } => (name.clone(), false),
            };
            Some(SentProposal {
                proposal: id.clone(),
                kind: p.kind,
                nominee,
                collective,
                unit_name,
                reason: p.reason.clone(),
                sent,
            })
        })
        .collect()
}

/// Adds `b` into `a` (every count; donated items merged by name).
pub fn add_totals(a: &mut Totals, b: &Totals) {
    a.entries += b.entries;
    a.initiatives.count += b.initiatives.count;
    a.initiatives.value_vnd = a
        .initiatives
        .value_vnd
        .saturating_add(b.initiatives.value_vnd);
    a.research.count += b.research.count;
    a.research.value_vnd = a.research.value_vnd.saturating_add(b.research.value_vnd);
    a.works += b.works;
    a.trainings.count += b.trainings.count;
    a.trainings.participants += b.trainings.participants;
    a.donations.count += b.donations.count;
    a.donations.money_vnd = a.donations.money_vnd.saturating_add(b.donations.money_vnd);
    for item in &b.donations.items {
        let key = item.name.to_lowercase();
        match a
            .donations
            .items
            .iter_mut()
            .find(|i| i.name.to_lowercase() == key)
        {
            Some(i) => i.count += item.count,
            None => a.donations.items.push(item.clone()),
        }
    }
    a.donations
        .items
        .sort_by(|x, y| y.count.cmp(&x.count).then_with(|| vi_cmp(&x.name, &y.name)));
    a.trees += b.trees;
    a.tree_plantings += b.tree_plantings;
    a.events.count += b.events.count;
    a.events.participants += b.events.participants;
    a.models += b.models;
    a.examples.collectives += b.examples.collectives;
    a.examples.individuals += b.examples.individuals;
    a.other += b.other;
}

/// The dashboard from the lines of every cluster (computed apart, e.g. cached per cluster
/// change on the server).
pub fn rollup_of(mut clusters: Vec<ClusterRollup>, today: NaiveDate) -> Rollup {
    clusters.sort_by(|a, b| vi_cmp(&a.name, &b.name).then_with(|| a.cluster.cmp(&b.cluster)));
    let mut totals = Totals::default();
    for c in &clusters {
        add_totals(&mut totals, &c.totals);
    }
    Rollup {
        today,
        totals,
        units: clusters.iter().map(|c| c.units).sum(),
        reported: clusters.iter().map(|c| c.reported).sum(),
        approved: clusters.iter().map(|c| c.approved).sum(),
        waiting: clusters.iter().map(|c| c.waiting).sum(),
        rule: RankingRule::SameCriterionPerUnit,
        rankings: rankings(&clusters),
        clusters,
    }
}

/// The dashboard of the given clusters' documents on `today`.
pub fn rollup(docs: &[&Document], today: NaiveDate) -> Rollup {
    rollup_of(
        docs.iter().map(|d| cluster_rollup(d, today)).collect(),
        today,
    )
}

/// Rankings on every criterion (same id and measure) that at least two clusters' campaigns
/// have.
fn rankings(clusters: &[ClusterRollup]) -> Vec<SharedRanking> {
    let mut by_criterion: BTreeMap<(&str, Measure), SharedRanking> = BTreeMap::new();
    for c in clusters {
        for cr in &c.criteria {
            let per_unit = if c.units == 0 {
                0.0
            } else {
                cr.amount / f64::from(c.units)
            };
            by_criterion
                .entry((cr.id.as_str(), cr.measure))
                .or_insert_with(|| SharedRanking {
                    criterion: cr.id.clone(),
                    name: cr.name.clone(),
                    unit_of_measure: cr.unit_of_measure.clone(),
                    measure: cr.measure,
                    rows: Vec::new(),
                })
                .rows
                .push(ClusterRank {
                    cluster: c.cluster.clone(),
                    name: c.name.clone(),
                    amount: cr.amount,
                    per_unit: crate::scoring::round2(per_unit),
                    rank: 0,
                });
        }
    }
    by_criterion
        .into_values()
        .filter(|r| r.rows.len() >= 2)
        .map(|mut r| {
            // Hundredths, so float noise never splits a tie.
            let cents = |x: &ClusterRank| (x.per_unit * 100.0).round() as i64;
            r.rows.sort_by(|a, b| {
                cents(b)
                    .cmp(&cents(a))
                    .then_with(|| vi_cmp(&a.name, &b.name))
            });
            let mut prev: Option<(i64, u32)> = None;
            for (i, row) in r.rows.iter_mut().enumerate() {
                let c = cents(row);
                row.rank = match prev {
                    Some((pc, rank)) if pc == c => rank,
                    _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
                };
                prev = Some((c, row.rank));
            }
            r
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::fixtures::{at, day0, device};

    #[test]
    fn the_demo_federation_rolls_up() {
        let fed = demo::federation(day0(), &device(), at(0)).unwrap();
        let docs: Vec<&Document> = fed.clusters.iter().map(|c| &c.document).collect();
        let r = rollup(&docs, day0());
        assert_eq!(r.clusters.len(), 3);
        // Cluster 18 as its own summary counts it.
        let c18 = r
            .clusters
            .iter()
            .find(|c| c.cluster.as_str() == "cum-18")
            .unwrap();
        let own = summarize(&fed.clusters[0].document, &fed.clusters[0].campaign);
        assert_eq!(c18.totals, own.totals);
        assert_eq!(c18.units, 7);
        assert_eq!(c18.reported, 12);
        assert_eq!(c18.approved + c18.waiting + c18.returned, 12);
        assert_eq!(c18.approved, demo::APPROVED_IN_DEMO as u64);
        // The federation's totals are the clusters' added up.
        let initiatives: u64 = r.clusters.iter().map(|c| c.totals.initiatives.count).sum();
        assert_eq!(r.totals.initiatives.count, initiatives);
        assert_eq!(r.units, r.clusters.iter().map(|c| c.units).sum::<u32>());
        // Someone is behind, and one proposal waits for the board.
        assert!(r.clusters.iter().any(|c| !c.silent_units.is_empty()));
        let waiting: usize = r.clusters.iter().map(|c| c.proposals_waiting.len()).sum();
        assert_eq!(waiting, 1);
        assert!(r.clusters.iter().any(|c| c
            .deadline
            .as_ref()
            .is_some_and(|d| d.counts.reported() < d.counts.expected)));
        // Shared criteria only, each ranking every cluster that has it.
        assert!(!r.rankings.is_empty());
        for ranking in &r.rankings {
            assert!(ranking.rows.len() >= 2);
            assert_eq!(ranking.rows[0].rank, 1);
            for w in ranking.rows.windows(2) {
                assert!(w[0].per_unit >= w[1].per_unit);
            }
        }
        assert_eq!(r.rule, RankingRule::SameCriterionPerUnit);
    }

    #[test]
    fn criteria_of_one_cluster_only_are_not_ranked() {
        let fed = demo::federation(day0(), &device(), at(0)).unwrap();
        let mut lines: Vec<ClusterRollup> = fed
            .clusters
            .iter()
            .map(|c| cluster_rollup(&c.document, day0()))
            .collect();
        lines[1]
            .criteria
            .iter_mut()
            .for_each(|c| c.id.push_str("-x"));
        lines[2]
            .criteria
            .iter_mut()
            .for_each(|c| c.id.push_str("-y"));
        assert!(rollup_of(lines, day0()).rankings.is_empty());
    }

    #[test]
    fn an_empty_cluster_has_a_line() {
        let doc = Document::new(RecordId::new("cum-moi").unwrap());
        let line = cluster_rollup(&doc, day0());
        assert_eq!((line.units, line.reported, line.campaign), (0, 0, None));
        let r = rollup(&[&doc], day0());
        assert!(r.rankings.is_empty());
    }
}
