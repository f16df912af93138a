//! The words of the federation board's screens and of what core's `reporting`, `proposal` and
//! `rollup` compute: the ranking's rule, reporting statuses, days left to a deadline, a
//! proposal's state, the federation's totals in the seeds' words, the reminder to share, and
//! the names of record kinds (for a record's history).

use thidua_core::proposal::ProposalState;
use thidua_core::reporting::ReportStatus;
use thidua_core::rollup::RankingRule;
use thidua_core::summary::Totals;
use thidua_core::{Kind, Lang};

/// The rule of the ranking across clusters, written next to it.
pub fn ranking_rule(lang: Lang, rule: RankingRule) -> &'static str {
    match (lang, rule) {
        (Lang::Vi, RankingRule::SameCriterionPerUnit) => {
            "Chỉ so sánh các cụm có cùng tiêu chí (cùng mã tiêu chí trong mẫu và cùng cách tính); \
             xếp theo kết quả đã duyệt bình quân mỗi đơn vị thành viên, vì các cụm có số đơn vị \
             khác nhau. Bằng nhau thì cùng hạng."
        }
        (Lang::En, RankingRule::SameCriterionPerUnit) => {
            "Only clusters sharing a criterion (the same template criterion and measure) are \
             compared, by their approved results per member unit, since clusters differ in \
             size. Equal figures share a rank."
        }
    }
}

/// A unit's reporting status for a deadline.
pub fn report_status(lang: Lang, status: ReportStatus) -> &'static str {
    match (lang, status) {
        (Lang::Vi, ReportStatus::OnTime) => "Đã báo cáo đúng hạn",
        (Lang::En, ReportStatus::OnTime) => "Reported on time",
        (Lang::Vi, ReportStatus::Late) => "Báo cáo muộn",
        (Lang::En, ReportStatus::Late) => "Reported late",
        (Lang::Vi, ReportStatus::Missing) => "Chưa báo cáo (quá hạn)",
        (Lang::En, ReportStatus::Missing) => "Not reported (overdue)",
        (Lang::Vi, ReportStatus::NotDue) => "Chưa báo cáo (chưa đến hạn)",
        (Lang::En, ReportStatus::NotDue) => "Not reported yet (not due)",
    }
}

/// The officer's home: "Còn 3 ngày đến hạn Báo cáo 6 tháng" / "3 days left until …".
pub fn days_left(lang: Lang, deadline: &str, days: i64) -> String {
    match (lang, days) {
        (Lang::Vi, 0) => format!("Hôm nay là hạn {deadline}"),
        (Lang::En, 0) => format!("{deadline} is due today"),
        (Lang::Vi, d) => format!("Còn {d} ngày đến hạn {deadline}"),
        (Lang::En, 1) => format!("1 day left until {deadline} is due"),
        (Lang::En, d) => format!("{d} days left until {deadline} is due"),
    }
}

/// Where a proposal stands with the board, in a few words (the reason and the decision's
/// number come with it on the screen).
pub fn proposal_state(lang: Lang, state: &ProposalState) -> String {
    match (lang, state) {
        (Lang::Vi, ProposalState::Draft) => "Chưa gửi lên".into(),
        (Lang::En, ProposalState::Draft) => "Not sent up".into(),
        (Lang::Vi, ProposalState::Sent { .. }) => "Đã gửi Ban thi đua, chờ xét".into(),
        (Lang::En, ProposalState::Sent { .. }) => "Sent to the board, awaiting its decision".into(),
        (Lang::Vi, ProposalState::Returned { reason, .. }) => format!("Bị trả lại: {reason}"),
        (Lang::En, ProposalState::Returned { reason, .. }) => format!("Returned: {reason}"),
        (Lang::Vi, ProposalState::Accepted { number, date }) => format!(
            "Đã khen thưởng theo Quyết định số {number} ngày {}",
            crate::date(*date)
        ),
        (Lang::En, ProposalState::Accepted { number, date }) => {
            format!("Awarded by Decision No. {number} of {}", crate::date(*date))
        }
    }
}

/// The federation's totals in the seeds' words: "Toàn tỉnh: 720 sáng kiến … ; … ."
pub fn federation_line(lang: Lang, totals: &Totals) -> String {
    let line = crate::report::line(totals, lang);
    match lang {
        Lang::Vi if line.is_empty() => "Toàn tỉnh: chưa có kết quả được duyệt.".into(),
        Lang::En if line.is_empty() => "Province-wide: no approved results yet.".into(),
        Lang::Vi => format!("Toàn tỉnh: {line}."),
        Lang::En => format!("Province-wide: {line}."),
    }
}

/// The reminder a head or the board shares (Zalo, SMS) with the units that have not reported.
pub fn reminder_message(lang: Lang, deadline: &str, due: chrono::NaiveDate, link: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "Kính gửi các đơn vị: đề nghị gửi {deadline} trước ngày {} trên ứng dụng Thi Đua: {link}",
            crate::date(due)
        ),
        Lang::En => format!(
            "To the member units: please send the {deadline} by {} in the Thi Đua app: {link}",
            crate::date(due)
        ),
    }
}

/// The name of a record kind, as a record's history names what it shows.
pub fn record_kind(lang: Lang, kind: Kind) -> &'static str {
    match (lang, kind) {
        (Lang::Vi, Kind::Cluster) => "Cụm thi đua",
        (Lang::En, Kind::Cluster) => "Cluster",
        (Lang::Vi, Kind::Unit) => "Đơn vị thành viên",
        (Lang::En, Kind::Unit) => "Member unit",
        (Lang::Vi, Kind::Roles) => "Trưởng, phó cụm",
        (Lang::En, Kind::Roles) => "Head and deputy",
        (Lang::Vi, Kind::Campaign) => "Phong trào thi đua",
        (Lang::En, Kind::Campaign) => "Campaign",
        (Lang::Vi, Kind::Pledge) => "Đăng ký thi đua",
        (Lang::En, Kind::Pledge) => "Pledge",
        (Lang::Vi, Kind::Entry) => "Kết quả",
        (Lang::En, Kind::Entry) => "Result",
        (Lang::Vi, Kind::Review) => "Duyệt kết quả",
        (Lang::En, Kind::Review) => "Review",
        (Lang::Vi, Kind::ReviewSession) => "Sơ kết, tổng kết",
        (Lang::En, Kind::ReviewSession) => "Review session",
        (Lang::Vi, Kind::AwardProposal) => "Đề nghị khen thưởng",
        (Lang::En, Kind::AwardProposal) => "Award proposal",
        (Lang::Vi, Kind::AwardDecision) => "Quyết định khen thưởng",
        (Lang::En, Kind::AwardDecision) => "Award decision",
        (Lang::Vi, Kind::Reminder) => "Nhắc báo cáo",
        (Lang::En, Kind::Reminder) => "Reminder",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_core::summary::CountValue;

    #[test]
    fn the_boards_words_in_both_languages() {
        assert_eq!(
            days_left(Lang::Vi, "báo cáo 6 tháng", 3),
            "Còn 3 ngày đến hạn báo cáo 6 tháng"
        );
        assert_eq!(
            days_left(Lang::En, "the 6-month report", 1),
            "1 day left until the 6-month report is due"
        );
        let totals = Totals {
            initiatives: CountValue {
                count: 720,
                value_vnd: 2_050_000_000,
            },
            ..Totals::default()
        };
        let vi = federation_line(Lang::Vi, &totals);
        assert!(vi.starts_with("Toàn tỉnh: 720 sáng kiến"), "{vi}");
        assert!(federation_line(Lang::En, &Totals::default()).contains("no approved"));
        let accepted = ProposalState::Accepted {
            number: "2150/QĐ-LĐLĐ".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 8, 20).unwrap_or_default(),
        };
        assert_eq!(
            proposal_state(Lang::Vi, &accepted),
            "Đã khen thưởng theo Quyết định số 2150/QĐ-LĐLĐ ngày 20/08/2024"
        );
        for kind in Kind::ALL {
            assert_ne!(record_kind(Lang::Vi, kind), record_kind(Lang::En, kind));
        }
        for status in [
            ReportStatus::OnTime,
            ReportStatus::Late,
            ReportStatus::Missing,
            ReportStatus::NotDue,
        ] {
            assert!(!report_status(Lang::Vi, status).is_empty());
        }
        assert!(ranking_rule(Lang::Vi, RankingRule::SameCriterionPerUnit).contains("bình quân"));
        assert!(reminder_message(
            Lang::Vi,
            "báo cáo 6 tháng",
            chrono::NaiveDate::from_ymd_opt(2024, 6, 15).unwrap_or_default(),
            "https://thidua.vn"
        )
        .contains("15/06/2024"));
    }
}
