//! Award proposals sent up to the federation's board, and what the board decided: a proposal's
//! state (draft, sent, returned with a reason, accepted with a decision number), and the
//! accepted awards across clusters and years, searchable by unit, person and award kind (what
//! eligibility checks look at).
//!
//! Derived from records and never stored: the head's `sent` on the proposal, the board's
//! [`AwardDecision`]s naming it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{RecordId, UnitId};
use crate::model::{AwardDecision, AwardKind, AwardOutcome, Body, Nominee};
use crate::sync::Document;
use crate::wire::AwardHistoryQuery;

/// Where a proposal stands with the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ProposalState {
    /// Not sent up (or not a proposal this document knows).
    Draft,
    /// Sent up at `at`, waiting for the board.
    Sent { at: DateTime<Utc> },
    /// Returned by the board (`by`: its unit) at `at`, with the reason the cluster sees.
    Returned {
        reason: String,
        by: Option<UnitId>,
        at: DateTime<Utc>,
    },
    /// Accepted: the award decision's number and date.
    Accepted { number: String, date: NaiveDate },
}

/// One decision of the board on a proposal, with who wrote it and when (its winning version).
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionStep<'d> {
    pub id: &'d RecordId,
    pub decision: &'d AwardDecision,
    pub by: Option<&'d UnitId>,
    pub at: DateTime<Utc>,
}

/// The board's live decisions on `proposal`, oldest first (by the time written, then id).
pub fn decisions<'d>(doc: &'d Document, proposal: &RecordId) -> Vec<DecisionStep<'d>> {
    let mut out: Vec<DecisionStep<'d>> = doc
        .records
        .iter()
        .filter_map(|(id, r)| {
            let w = r.winner()?;
            match &w.body {
                Some(Body::AwardDecision(d)) if &d.proposal == proposal => Some(DecisionStep {
                    id,
                    decision: d,
                    by: w.author_unit.as_ref(),
                    at: w.at,
                }),
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(b.id)));
    out
}

/// The state of a proposal: the latest decision naming the proposal's current `sent` decides;
/// a proposal sent again after a return is `Sent` again until the board decides anew.
pub fn proposal_state(doc: &Document, proposal: &RecordId) -> ProposalState {
    let Some(sent) = doc.get_award_proposal(proposal).and_then(|p| p.sent) else {
        return ProposalState::Draft;
    };
    let latest = decisions(doc, proposal)
        .into_iter()
        .rfind(|d| d.decision.sent == sent);
    match latest {
        None => ProposalState::Sent { at: sent },
        Some(d) => match &d.decision.outcome {
            AwardOutcome::Accepted { number, date } => ProposalState::Accepted {
                number: number.clone(),
                date: *date,
            },
            AwardOutcome::Returned { reason } => ProposalState::Returned {
                reason: reason.clone(),
                by: d.by.cloned(),
                at: d.at,
            },
        },
    }
}

/// The proposals sent up and waiting for the board, oldest sending first.
pub fn waiting_for_board(doc: &Document) -> Vec<(&RecordId, DateTime<Utc>)> {
    let mut out: Vec<(&RecordId, DateTime<Utc>)> = doc
        .award_proposals()
        .filter_map(|(id, _)| match proposal_state(doc, id) {
            ProposalState::Sent { at } => Some((id, at)),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    out
}

/// One accepted award, as the unit's award history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardRecord {
    /// The year of the award decision.
    pub year: i32,
    pub cluster: RecordId,
    pub cluster_name: String,
    pub proposal: RecordId,
    pub unit: UnitId,
    pub unit_name: String,
    /// The individual's name; `None` for a collective (the unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub kind: AwardKind,
    /// The award decision's number and date.
    pub number: String,
    pub date: NaiveDate,
}

/// Lower case without Vietnamese tone and vowel marks, `đ` as `d`: "Hùng" and "hung" match.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ'
            | 'ẩ' | 'ẫ' | 'ậ' => 'a',
            'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => {
                'e'
            }
            'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
            'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ'
            | 'ở' | 'ỡ' | 'ợ' => 'o',
            'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => {
                'u'
            }
            'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

/// Whether `text` contains `needle`, ignoring case and marks (an empty needle matches).
pub fn matches_text(text: &str, needle: &str) -> bool {
    let needle = fold(needle.trim());
    needle.is_empty() || fold(text).contains(&needle)
}

/// The accepted awards of the given clusters' documents that match `query`, newest decision
/// first (then by cluster and proposal, so the order is total).
pub fn award_history(docs: &[&Document], query: &AwardHistoryQuery) -> Vec<AwardRecord> {
    let mut out = Vec::new();
    for doc in docs {
        let cluster_name = doc
            .get_cluster(&doc.cluster)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        for (id, p) in doc.award_proposals() {
            if query.kind.is_some_and(|k| k != p.kind) {
                continue;
            }
            let ProposalState::Accepted { number, date } = proposal_state(doc, id) else {
                continue;
            };
            let unit = p.nominee.unit();
            let unit_name = doc
                .get_unit(unit)
                .map_or_else(|| unit.to_string(), |u| u.name.clone());
            let person = match &p.nominee {
                Nominee::Unit { .. } => None,
                Nominee::Person { name, .. } => Some(name.clone()),
            };
            if !query
                .unit
                .as_deref()
                .is_none_or(|q| matches_text(&unit_name, q))
            {
                continue;
            }
            if let Some(q) = query.person.as_deref().filter(|q| !q.trim().is_empty()) {
                if !person.as_deref().is_some_and(|name| matches_text(name, q)) {
                    continue;
                }
            }
            out.push(AwardRecord {
                year: date.year(),
                cluster: doc.cluster.clone(),
                cluster_name: cluster_name.clone(),
                proposal: id.clone(),
                unit: unit.clone(),
                unit_name,
                person,
                kind: p.kind,
                number,
                date,
            });
        }
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.cluster.cmp(&b.cluster))
            .then_with(|| a.proposal.cmp(&b.proposal))
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures::at;
    use crate::ids::DeviceId;
    use crate::model::tests::{date, id};
    use crate::model::{AwardProposal, Cluster, Decision, Unit, UnitKind, Votes};

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    /// Cluster `cl` with unit u1 ("Công ty Sông Chu") and proposal p1 for "Lê Văn Hùng".
    fn doc(name: &str) -> Document {
        let mut doc = Document::new(id(name));
        doc.put(
            id(name),
            Cluster {
                name: format!("Cụm {name}"),
                decision: Decision {
                    number: "1/QĐ".into(),
                    date: date(2024, 1, 1),
                    issuer: "UBND tỉnh Thanh Hóa".into(),
                },
                year: 2024,
                former_units: Vec::new(),
            }
            .into(),
            &dev("pc"),
            None,
            at(0),
        );
        doc.put(
            id("u1"),
            Unit {
                name: "Công ty TNHH MTV Sông Chu".into(),
                kind: UnitKind::Enterprise,
            }
            .into(),
            &dev("pc"),
            None,
            at(0),
        );
        doc.put(id("p1"), proposal(None).into(), &dev("pc"), None, at(1));
        doc
    }

    fn proposal(sent: Option<DateTime<Utc>>) -> AwardProposal {
        AwardProposal {
            campaign: None,
            kind: AwardKind::EmulationFighter,
            nominee: Nominee::Person {
                name: "Lê Văn Hùng".into(),
                unit: id("u1"),
            },
            reason: "Cứu hộ đê".into(),
            entries: Vec::new(),
            votes: Votes {
                for_: 6,
                against: 0,
                abstain: 1,
            },
            sent,
        }
    }

    fn send(doc: &mut Document, t: i64) -> DateTime<Utc> {
        doc.put(
            id("p1"),
            proposal(Some(at(t))).into(),
            &dev("pc"),
            Some(id("u1")),
            at(t),
        );
        at(t)
    }

    fn decide(doc: &mut Document, rid: &str, sent: DateTime<Utc>, outcome: AwardOutcome, t: i64) {
        doc.put(
            id(rid),
            AwardDecision {
                proposal: id("p1"),
                sent,
                outcome,
            }
            .into(),
            &dev("board"),
            Some(id("fed-th")),
            at(t),
        );
    }

    #[test]
    fn a_proposal_goes_up_comes_back_and_is_accepted() {
        let mut d = doc("cl");
        assert_eq!(proposal_state(&d, &id("p1")), ProposalState::Draft);
        assert_eq!(proposal_state(&d, &id("nope")), ProposalState::Draft);
        let first = send(&mut d, 10);
        assert_eq!(
            proposal_state(&d, &id("p1")),
            ProposalState::Sent { at: first }
        );
        assert_eq!(waiting_for_board(&d), vec![(&id("p1"), first)]);
        let reason = "Thiếu biên bản bình xét".to_string();
        decide(
            &mut d,
            "q1",
            first,
            AwardOutcome::Returned {
                reason: reason.clone(),
            },
            20,
        );
        assert_eq!(
            proposal_state(&d, &id("p1")),
            ProposalState::Returned {
                reason,
                by: Some(id("fed-th")),
                at: at(20)
            }
        );
        assert!(waiting_for_board(&d).is_empty());
        // Amended and sent again: waiting again, the return stays in its history.
        let again = send(&mut d, 30);
        assert_eq!(
            proposal_state(&d, &id("p1")),
            ProposalState::Sent { at: again }
        );
        decide(
            &mut d,
            "q2",
            again,
            AwardOutcome::Accepted {
                number: "2150/QĐ-LĐLĐ".into(),
                date: date(2024, 8, 20),
            },
            40,
        );
        assert_eq!(
            proposal_state(&d, &id("p1")),
            ProposalState::Accepted {
                number: "2150/QĐ-LĐLĐ".into(),
                date: date(2024, 8, 20)
            }
        );
        let steps = decisions(&d, &id("p1"));
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].id, &id("q1"));
        // A late decision on the first sending does not override the current one.
        decide(
            &mut d,
            "q3",
            first,
            AwardOutcome::Returned { reason: "x".into() },
            50,
        );
        assert!(matches!(
            proposal_state(&d, &id("p1")),
            ProposalState::Accepted { .. }
        ));
    }

    #[test]
    fn award_history_finds_by_unit_person_and_kind_without_marks() {
        let mut a = doc("cl-a");
        let sent = send(&mut a, 10);
        decide(
            &mut a,
            "q1",
            sent,
            AwardOutcome::Accepted {
                number: "12/QĐ".into(),
                date: date(2024, 8, 20),
            },
            20,
        );
        let mut b = doc("cl-b");
        send(&mut b, 10); // sent, not decided: not an award
        let all = |q: AwardHistoryQuery| award_history(&[&a, &b], &q);
        let found = all(AwardHistoryQuery::default());
        assert_eq!(found.len(), 1);
        let r = &found[0];
        assert_eq!(
            (r.year, r.cluster_name.as_str(), r.number.as_str()),
            (2024, "Cụm cl-a", "12/QĐ")
        );
        assert_eq!(r.person.as_deref(), Some("Lê Văn Hùng"));
        for q in [
            AwardHistoryQuery {
                person: Some("hung".into()),
                ..Default::default()
            },
            AwardHistoryQuery {
                person: Some("LÊ VĂN".into()),
                ..Default::default()
            },
            AwardHistoryQuery {
                unit: Some("song chu".into()),
                kind: Some(AwardKind::EmulationFighter),
                ..Default::default()
            },
        ] {
            assert_eq!(all(q.clone()).len(), 1, "{q:?}");
        }
        for q in [
            AwardHistoryQuery {
                person: Some("Lan".into()),
                ..Default::default()
            },
            AwardHistoryQuery {
                unit: Some("medlatec".into()),
                ..Default::default()
            },
            AwardHistoryQuery {
                kind: Some(AwardKind::EmulationFlag),
                ..Default::default()
            },
        ] {
            assert!(all(q.clone()).is_empty(), "{q:?}");
        }
        assert_eq!(fold("Đặng Thị Hường"), "dang thi huong");
    }
}
