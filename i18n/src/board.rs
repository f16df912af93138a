//! The words of deadlines and completeness, proposals sent up, the history of a record, and
//! the federation board's screens (ban thi đua), Vietnamese first, English second.

use crate::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoardMsg {
    // Deadlines (campaign form)
    Deadlines,
    DeadlinesHint,
    DeadlineName,
    DeadlineDue,
    AddDeadline,
    RemoveDeadline,
    // Completeness
    ReportingTitle,
    Deadline,
    NoDeadlines,
    OnTime,
    Late,
    Missing,
    NotDue,
    ReportedOn,
    Remind,
    RemindExplain,
    Reminded,
    RemindedNone,
    NothingToRemind,
    ReminderCopied,
    ReminderShared,
    ReminderFailed,
    ReportedForDeadline,
    // Proposals sent up
    SendUp,
    SendAgain,
    AmendAndResend,
    ConfirmSendUp,
    SentUpNote,
    StateDraft,
    StateSent,
    StateReturned,
    StateAccepted,
    Steps,
    StepSent,
    StepReturned,
    StepAccepted,
    AwardHistory,
    AllYears,
    // History
    History,
    HistoryTitle,
    HistoryOffline,
    HistoryFailed,
    HistoryEmpty,
    Created,
    Deleted,
    Restored,
    NoChange,
    Empty,
    Yes,
    No,
    By,
    // The board's seat
    NavOverview,
    NavClusters,
    NavAwards,
    BoardTitle,
    Refresh,
    DataAt,
    NeverFetched,
    Province,
    Clusters,
    Units,
    ResultsReported,
    ResultsApproved,
    Waiting,
    OldestWait,
    Days,
    SilentUnits,
    NoSilent,
    LastSession,
    NoSession,
    ReportingRate,
    RankingTitle,
    RankingRule,
    NoRanking,
    ExportCsv,
    PrintA4,
    ProposalsWaiting,
    NoProposalsWaiting,
    Accept,
    ReturnProposal,
    DecisionNumber,
    DecisionDate,
    ReturnReason,
    Decided,
    ClustersTitle,
    NewCluster,
    ClusterName,
    DecisionIssuer,
    Year,
    MemberUnits,
    MemberUnitsHint,
    HeadUnit,
    DeputyUnit,
    NoDeputy,
    CreateCluster,
    ClusterMade,
    HeadInvite,
    Archive,
    Unarchive,
    Archived,
    MoveUnit,
    FromCluster,
    UnitToMove,
    ToCluster,
    Move,
    InviteBoard,
    MakeBoardInvite,
    BoardMembers,
    ConfirmArchive,
    NewHeadLink,
    BoardRevoked,
    MoveExplain,
    AlsoReplaceBoard,
    Search,
    SearchUnit,
    SearchPerson,
    AnyKind,
    NoAwards,
    Done,
    NeedsNetwork,
    Failed,
    Collective,
}

pub fn tb(lang: Lang, msg: BoardMsg) -> &'static str {
    use BoardMsg::*;
    let (vi, en) = match msg {
        Deadlines => ("Hạn báo cáo", "Reporting deadlines"),
        DeadlinesHint => (
            "Ví dụ: “Báo cáo 6 tháng” hạn 15/06, “Báo cáo năm” hạn 15/12.",
            "For example: “6-month report” due 15/06, “Annual report” due 15/12.",
        ),
        DeadlineName => ("Tên hạn báo cáo", "Deadline name"),
        DeadlineDue => ("Hạn nộp (ngày/tháng/năm)", "Due (day/month/year)"),
        AddDeadline => ("Thêm hạn báo cáo", "Add a deadline"),
        RemoveDeadline => ("Bỏ hạn này", "Remove this deadline"),
        ReportingTitle => ("Tình hình báo cáo", "Reporting"),
        Deadline => ("Hạn báo cáo", "Deadline"),
        NoDeadlines => (
            "Phong trào này chưa có hạn báo cáo. Thêm hạn trong mục Phong trào.",
            "This campaign has no reporting deadline yet. Add one under Campaigns.",
        ),
        OnTime => ("Đúng hạn", "On time"),
        Late => ("Nộp muộn", "Late"),
        Missing => ("Chưa báo cáo", "Not reported"),
        NotDue => ("Chưa đến hạn", "Not due yet"),
        ReportedOn => ("báo cáo ngày", "reported on"),
        Remind => ("Nhắc các đơn vị chưa báo cáo", "Remind the units not reported"),
        RemindExplain => (
            "Mở Zalo, SMS… với lời nhắc soạn sẵn (hoặc chép lời nhắc). Máy chủ không tự gửi tin nhắn.",
            "Opens Zalo, SMS… with a prepared reminder (or copies it). The server sends no message.",
        ),
        Reminded => ("Đã nhắc", "Reminded"),
        RemindedNone => ("Chưa nhắc đơn vị nào.", "Nobody reminded yet."),
        NothingToRemind => ("Mọi đơn vị đã báo cáo.", "Every unit has reported."),
        ReminderCopied => (
            "Đã chép lời nhắc: dán vào Zalo hoặc tin nhắn.",
            "Reminder copied: paste it into Zalo or a message.",
        ),
        ReminderShared => ("Đã ghi lại lần nhắc.", "Reminder recorded."),
        ReminderFailed => (
            "Không chép được lời nhắc; hãy chọn và chép bằng tay.",
            "Could not copy the reminder; select and copy it by hand.",
        ),
        ReportedForDeadline => ("Đơn vị đã báo cáo cho hạn này.", "Your unit has reported for this deadline."),
        SendUp => ("Gửi lên Ban thi đua", "Send to the board"),
        SendAgain => ("Gửi lại lên Ban thi đua", "Send to the board again"),
        AmendAndResend => ("Sửa và gửi lại", "Amend and send again"),
        ConfirmSendUp => (
            "Gửi đề nghị này lên Ban thi đua của Liên đoàn?",
            "Send this proposal to the federation's board?",
        ),
        SentUpNote => ("Đã gửi lên Ban thi đua.", "Sent to the board."),
        StateDraft => ("Chưa gửi lên", "Not sent"),
        StateSent => ("Đã gửi lên ngày", "Sent on"),
        StateReturned => ("Bị trả lại", "Returned"),
        StateAccepted => ("Đã khen thưởng: Quyết định số", "Awarded: Decision No."),
        Steps => ("Các bước", "Steps"),
        StepSent => ("Gửi lên", "Sent up"),
        StepReturned => ("Trả lại", "Returned"),
        StepAccepted => ("Quyết định khen thưởng", "Award decision"),
        AwardHistory => ("Lịch sử khen thưởng", "Award history"),
        AllYears => ("Mọi năm", "All years"),
        History => ("Lịch sử", "History"),
        HistoryTitle => ("Lịch sử thay đổi", "History of changes"),
        HistoryOffline => (
            "Xem lịch sử cần có mạng: lịch sử nằm trên máy chủ.",
            "The history needs the network: it is kept on the server.",
        ),
        HistoryFailed => ("Không tải được lịch sử.", "Could not load the history."),
        HistoryEmpty => ("Máy chủ chưa có phiên bản nào của mục này.", "The server has no version of this record yet."),
        Created => ("Tạo mới", "Created"),
        Deleted => ("Xoá", "Deleted"),
        Restored => ("Khôi phục", "Restored"),
        NoChange => ("Ghi lại, không đổi gì", "Saved again, nothing changed"),
        Empty => ("(trống)", "(empty)"),
        Yes => ("có", "yes"),
        No => ("không", "no"),
        By => ("bởi", "by"),
        NavOverview => ("Tổng quan", "Overview"),
        NavClusters => ("Cụm", "Clusters"),
        NavAwards => ("Khen thưởng", "Awards"),
        BoardTitle => ("Tổng quan các cụm", "Across the clusters"),
        Refresh => ("Tải số liệu mới", "Fetch the latest figures"),
        DataAt => ("Số liệu lúc", "Figures as of"),
        NeverFetched => (
            "Chưa tải số liệu nào. Hãy kết nối mạng và tải số liệu.",
            "No figures fetched yet. Connect and fetch them.",
        ),
        Province => ("Toàn tỉnh", "Province-wide"),
        Clusters => ("cụm", "clusters"),
        Units => ("Đơn vị", "Units"),
        ResultsReported => ("Kết quả đã báo cáo", "Results reported"),
        ResultsApproved => ("Đã duyệt", "Approved"),
        Waiting => ("Chờ duyệt", "Waiting for review"),
        OldestWait => ("lâu nhất", "oldest"),
        Days => ("ngày", "days"),
        SilentUnits => ("Đơn vị chưa báo cáo gì", "Units that reported nothing"),
        NoSilent => ("Không có", "None"),
        LastSession => ("Sơ kết/tổng kết gần nhất", "Last review session"),
        NoSession => ("Chưa có", "None yet"),
        ReportingRate => ("Tỷ lệ báo cáo", "Reporting rate"),
        RankingTitle => ("Xếp hạng giữa các cụm", "Ranking across clusters"),
        RankingRule => (
            "Chỉ so sánh trên tiêu chí chung (cùng tiêu chí mẫu) mà mọi cụm đều có; xếp theo số đã duyệt bình quân mỗi đơn vị.",
            "Compared only on a shared criterion (the same template criterion) every cluster has; ranked by the approved amount per unit.",
        ),
        NoRanking => (
            "Các cụm chưa có tiêu chí chung để so sánh.",
            "The clusters have no shared criterion to compare on.",
        ),
        ExportCsv => ("Xuất CSV", "Export CSV"),
        PrintA4 => ("In (A4)", "Print (A4)"),
        ProposalsWaiting => ("Đề nghị khen thưởng chờ quyết định", "Award proposals waiting"),
        NoProposalsWaiting => ("Không có đề nghị nào đang chờ.", "No proposal is waiting."),
        Accept => ("Khen thưởng", "Accept"),
        ReturnProposal => ("Trả lại", "Return"),
        DecisionNumber => ("Số quyết định", "Decision number"),
        DecisionDate => ("Ngày quyết định", "Decision date"),
        ReturnReason => ("Lý do trả lại", "Reason for returning"),
        Decided => ("Đã ghi quyết định.", "Decision recorded."),
        ClustersTitle => ("Các cụm thi đua", "Emulation clusters"),
        NewCluster => ("Thành lập cụm mới", "Form a new cluster"),
        ClusterName => ("Tên cụm", "Cluster name"),
        DecisionIssuer => ("Cơ quan ban hành", "Issued by"),
        Year => ("Năm", "Year"),
        MemberUnits => ("Đơn vị thành viên (mỗi dòng một đơn vị)", "Member units (one per line)"),
        MemberUnitsHint => (
            "Gõ hoặc dán danh sách tên đơn vị, mỗi tên một dòng.",
            "Type or paste the units' names, one per line.",
        ),
        HeadUnit => ("Trưởng cụm năm nay", "This year's head"),
        DeputyUnit => ("Phó cụm năm nay", "This year's deputy"),
        NoDeputy => ("(chưa có)", "(none)"),
        CreateCluster => ("Thành lập cụm", "Form the cluster"),
        ClusterMade => (
            "Đã thành lập cụm. Trao liên kết (hoặc mã QR) dưới đây cho trưởng cụm.",
            "Cluster formed. Hand the link (or QR code) below to the head.",
        ),
        HeadInvite => ("Liên kết cho trưởng cụm", "The head's link"),
        Archive => ("Lưu trữ", "Archive"),
        ConfirmArchive => (
            "Lưu trữ cụm này? Cụm sẽ chỉ xem được, không nhận thêm kết quả, và rời khỏi bảng tổng quan. Có thể mở lại sau.",
            "Archive this cluster? It becomes read only, takes no more results and leaves the overview. It can be reopened later.",
        ),
        Unarchive => ("Hoạt động lại", "Bring back"),
        Archived => ("Đã lưu trữ", "Archived"),
        MoveUnit => ("Chuyển đơn vị sang cụm khác", "Move a unit to another cluster"),
        FromCluster => ("Từ cụm", "From cluster"),
        UnitToMove => ("Đơn vị", "Unit"),
        ToCluster => ("Sang cụm", "To cluster"),
        Move => ("Chuyển", "Move"),
        InviteBoard => ("Mời thành viên Ban thi đua", "Invite a board member"),
        MakeBoardInvite => ("Tạo liên kết mời", "Make an invite link"),
        BoardMembers => ("Thành viên Ban thi đua", "Board members"),
        NewHeadLink => ("Liên kết mới cho trưởng cụm", "A new link for the head"),
        BoardRevoked => (
            "Máy này không còn trong Ban thi đua (đã bị thu hồi). Số liệu đã tải vẫn xem được; hãy xin một thành viên Ban liên kết mời mới.",
            "This device is no longer on the board (it was removed). The figures already fetched stay readable; ask a board member for a new invite link.",
        ),
        MoveExplain => (
            "Đầu năm thi đua. Cụm cũ giữ kết quả cũ của đơn vị; các máy của đơn vị ở cụm cũ thôi đồng bộ; đơn vị nhận liên kết mới để tham gia cụm mới.",
            "At the start of a year. The old cluster keeps the unit's past results; the unit's devices there stop syncing; the unit gets a new link to join the new cluster.",
        ),
        AlsoReplaceBoard => (
            "Tạo liên kết mới cho người thay thế trong Ban",
            "Make a new link for whoever takes over on the board",
        ),
        Search => ("Tìm", "Search"),
        SearchUnit => ("Tên đơn vị", "Unit name"),
        SearchPerson => ("Tên cá nhân", "Person's name"),
        AnyKind => ("Mọi hình thức", "Any award"),
        NoAwards => ("Không tìm thấy khen thưởng nào.", "No award found."),
        Done => ("Xong.", "Done."),
        NeedsNetwork => ("Việc này cần có mạng.", "This needs the network."),
        Failed => ("Không thực hiện được", "It did not work"),
        Collective => ("Tập thể", "Collective"),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The officer's line about the next deadline: "Còn 3 ngày đến hạn báo cáo 6 tháng",
/// "Hôm nay là hạn báo cáo 6 tháng".
pub fn days_to_deadline(lang: Lang, name: &str, days: i64) -> String {
    let lower = lower_first(name);
    match (lang, days) {
        (Lang::Vi, 0) => format!("Hôm nay là hạn {lower}"),
        (Lang::Vi, n) => format!("Còn {n} ngày đến hạn {lower}"),
        (Lang::En, 0) => format!("Today is the deadline for the {lower}"),
        (Lang::En, 1) => format!("1 day left to the {lower}"),
        (Lang::En, n) => format!("{n} days left to the {lower}"),
    }
}

/// "Đã quá hạn báo cáo 6 tháng 2 ngày" (the unit has not reported).
pub fn overdue(lang: Lang, name: &str, days: i64) -> String {
    let lower = lower_first(name);
    match lang {
        Lang::Vi => format!("Đã quá hạn {lower} {days} ngày"),
        Lang::En if days == 1 => format!("The {lower} is 1 day overdue"),
        Lang::En => format!("The {lower} is {days} days overdue"),
    }
}

/// "5/7 đơn vị đã báo cáo (71%), 4 đúng hạn".
pub fn completeness_line(lang: Lang, reported: u32, expected: u32, on_time: u32) -> String {
    let pct = if expected == 0 {
        0
    } else {
        (f64::from(reported) * 100.0 / f64::from(expected)).round() as u32
    };
    match lang {
        Lang::Vi => format!("{reported}/{expected} đơn vị đã báo cáo ({pct}%), {on_time} đúng hạn"),
        Lang::En => format!("{reported}/{expected} units reported ({pct}%), {on_time} on time"),
    }
}

/// The prefilled reminder, to share to Zalo or SMS.
pub fn reminder_message(
    lang: Lang,
    campaign: &str,
    deadline: &str,
    due: &str,
    units: &[String],
    link: &str,
) -> String {
    let units = units.join(", ");
    match lang {
        Lang::Vi => format!(
            "Kính gửi: {units}. Nhắc hạn {} ({due}) của phong trào “{campaign}”. Đề nghị các đơn vị cập nhật kết quả trên ứng dụng Thi Đua: {link}",
            lower_first(deadline)
        ),
        Lang::En => format!(
            "To: {units}. A reminder of the {} ({due}) of the campaign “{campaign}”. Please report your results in the Thi Đua app: {link}",
            lower_first(deadline)
        ),
    }
}

/// "Đã nhắc 15/06/2024 09:14: A, B".
pub fn reminded_line(lang: Lang, at: &str, units: &[String]) -> String {
    format!(
        "{} {at}: {}",
        tb(lang, BoardMsg::Reminded),
        units.join(", ")
    )
}

/// "Số liệu lúc 09:14, 2 giờ trước".
pub fn data_age(lang: Lang, time: &str, minutes: i64) -> String {
    let ago = ago(lang, minutes);
    format!("{} {time}, {ago}", tb(lang, BoardMsg::DataAt))
}

/// "vừa xong", "5 phút trước", "2 giờ trước", "3 ngày trước".
pub fn ago(lang: Lang, minutes: i64) -> String {
    let m = minutes.max(0);
    match lang {
        Lang::Vi => match m {
            0 => "vừa xong".to_owned(),
            1..=59 => format!("{m} phút trước"),
            60..=1439 => format!("{} giờ trước", m / 60),
            _ => format!("{} ngày trước", m / 1440),
        },
        Lang::En => match m {
            0 => "just now".to_owned(),
            1 => "1 minute ago".to_owned(),
            2..=59 => format!("{m} minutes ago"),
            60..=119 => "1 hour ago".to_owned(),
            120..=1439 => format!("{} hours ago", m / 60),
            1440..=2879 => "1 day ago".to_owned(),
            _ => format!("{} days ago", m / 1440),
        },
    }
}

/// The name of a record's field as the history says it; an unknown path is shown as it is.
pub fn field_name(lang: Lang, path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let (vi, en) = match last {
        "title" => ("Tiêu đề", "Title"),
        "description" => ("Mô tả", "Description"),
        "date" => ("Ngày", "Date"),
        "unit" => ("Đơn vị", "Unit"),
        "campaign" => ("Phong trào", "Campaign"),
        "criterion" => ("Tiêu chí", "Criterion"),
        "kind" => ("Loại", "Kind"),
        "value_vnd" => ("Giá trị (đồng)", "Value (VND)"),
        "money_vnd" => ("Số tiền (đồng)", "Money (VND)"),
        "participants" => ("Số người tham gia", "Participants"),
        "count" => ("Số lượng", "Count"),
        "items" => ("Hiện vật", "Items"),
        "item_count" => ("Số hiện vật", "Item count"),
        "nominee" => ("Người/tập thể", "Nominee"),
        "collective" => ("Tập thể", "Collective"),
        "files" => ("Minh chứng", "Evidence"),
        "corrects" => ("Sửa cho", "Corrects"),
        "entry" => ("Kết quả", "Entry"),
        "entry_clock" => ("Phiên bản được duyệt", "Version reviewed"),
        "decision" => ("Quyết định", "Decision"),
        "reason" => ("Lý do", "Reason"),
        "name" => ("Tên", "Name"),
        "occasion" => ("Dịp", "Occasion"),
        "slogan" => ("Khẩu hiệu", "Slogan"),
        "start" => ("Bắt đầu", "Start"),
        "end" => ("Kết thúc", "End"),
        "criteria" => ("Tiêu chí", "Criteria"),
        "deadlines" => ("Hạn báo cáo", "Deadlines"),
        "targets" => ("Chỉ tiêu", "Targets"),
        "commitments" => ("Cam kết", "Commitments"),
        "signed_on" => ("Ngày ký", "Signed on"),
        "votes" => ("Biểu quyết", "Votes"),
        "for_" => ("Tán thành", "For"),
        "against" => ("Không tán thành", "Against"),
        "abstain" => ("Không biểu quyết", "Abstain"),
        "sent" => ("Gửi lên Ban thi đua", "Sent to the board"),
        "outcome" => ("Quyết định", "Decision"),
        "number" => ("Số quyết định", "Decision number"),
        _ => return path.to_owned(),
    };
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// A known code value said in words ("approved" → "Duyệt"); `None` for other values.
pub fn value_word(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "approved" | "approve" => ("Duyệt", "Approved"),
        "returned" | "return" => ("Trả lại", "Returned"),
        "accepted" => ("Khen thưởng", "Accepted"),
        "officer" => ("Cán bộ", "Officer"),
        "head" => ("Trưởng cụm", "Head"),
        "deputy" => ("Phó cụm", "Deputy"),
        "board" => ("Ban thi đua", "Board"),
        _ => return None,
    };
    Some(match lang {
        Lang::Vi => vi,
        Lang::En => en,
    })
}

/// "Bị trả lại: <lý do>".
pub fn returned_line(lang: Lang, reason: &str) -> String {
    format!("{}: {reason}", tb(lang, BoardMsg::StateReturned))
}

/// "Đã khen thưởng: Quyết định số 12/QĐ-LĐLĐ ngày 20/08/2024".
pub fn accepted_line(lang: Lang, number: &str, date: &str) -> String {
    match lang {
        Lang::Vi => format!("Đã khen thưởng: Quyết định số {number} ngày {date}"),
        Lang::En => format!("Awarded: Decision No. {number} of {date}"),
    }
}

/// "Đã gửi lên ngày 20/07/2024".
pub fn sent_line(lang: Lang, date: &str) -> String {
    match lang {
        Lang::Vi => format!("Đã gửi lên ngày {date}"),
        Lang::En => format!("Sent to the board on {date}"),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.trim().chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboards_table_has_a_row_per_cluster_with_numbers_as_numbers() {
        let now = chrono::TimeZone::timestamp_opt(&chrono::Utc, 1_733_500_000, 0).unwrap();
        let today = thidua_core::reporting::local_day(now);
        let device = thidua_core::DeviceId::new("server").unwrap();
        let fed = thidua_core::demo::federation(today, &device, now).unwrap();
        let docs: Vec<&thidua_core::Document> = fed.clusters.iter().map(|c| &c.document).collect();
        let rollup = thidua_core::rollup::rollup(&docs, today);
        for lang in [Lang::Vi, Lang::En] {
            let (head, rows) = rollup_table(lang, &rollup);
            assert_eq!(rows.len(), rollup.clusters.len());
            for (row, cluster) in rows.iter().zip(&rollup.clusters) {
                assert_eq!(row.len(), head.len());
                assert_eq!(row[0], Cell::Text(cluster.name.clone()));
                assert_eq!(row[2], Cell::Number(f64::from(cluster.units)));
                assert_eq!(row[3], Cell::Number(cluster.reported as f64));
            }
            let province = province_line(lang, &rollup);
            let word = tb(lang, BoardMsg::Province);
            assert!(province.starts_with(word), "{province}");
            assert!(!province.contains(". ."), "{province}");
        }
        assert_eq!(Cell::Number(12.0).to_string(), "12");
    }

    #[test]
    fn deadline_lines_read_as_people_say_them() {
        assert_eq!(
            days_to_deadline(Lang::Vi, "Báo cáo 6 tháng", 3),
            "Còn 3 ngày đến hạn báo cáo 6 tháng"
        );
        assert_eq!(
            days_to_deadline(Lang::Vi, "Báo cáo 6 tháng", 0),
            "Hôm nay là hạn báo cáo 6 tháng"
        );
        assert_eq!(
            overdue(Lang::Vi, "Báo cáo 6 tháng", 2),
            "Đã quá hạn báo cáo 6 tháng 2 ngày"
        );
        assert_eq!(
            completeness_line(Lang::Vi, 5, 7, 4),
            "5/7 đơn vị đã báo cáo (71%), 4 đúng hạn"
        );
        assert_eq!(ago(Lang::Vi, 125), "2 giờ trước");
        assert_eq!(field_name(Lang::En, "details.count"), "Count");
        assert_eq!(field_name(Lang::Vi, "x.unknown"), "x.unknown");
    }
}

// ---------------------------------------------------------------------------------------------
// The dashboard as tables: the CSV made on the board's device and the workbook made by the
// server say the same, in the same words.

/// A cell of an exported table: numbers stay numbers in a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Number(n) => write!(f, "{n}"),
        }
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{}%", (x * 100.0).round()))
}

/// The first letter in capitals (a sentence made of a lower-case line).
pub fn capital(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Toàn tỉnh: 3 cụm · 18 đơn vị · … Sáng kiến: …".
pub fn province_line(lang: Lang, r: &thidua_core::rollup::Rollup) -> String {
    let totals = crate::report::line(&r.totals, lang);
    let mut s = format!(
        "{}: {} {} · {} {} · {} {} · {} {} · {} {}.",
        tb(lang, BoardMsg::Province),
        r.clusters.len(),
        tb(lang, BoardMsg::Clusters),
        r.units,
        tb(lang, BoardMsg::Units).to_lowercase(),
        r.reported,
        tb(lang, BoardMsg::ResultsReported).to_lowercase(),
        r.approved,
        tb(lang, BoardMsg::ResultsApproved).to_lowercase(),
        r.waiting,
        tb(lang, BoardMsg::Waiting).to_lowercase(),
    );
    if !totals.is_empty() {
        s.push_str(&format!(" {}.", capital(&totals)));
    }
    s
}

/// One line per cluster: its facts, its reporting rate and its totals in the seeds' words.
pub fn rollup_table(
    lang: Lang,
    rollup: &thidua_core::rollup::Rollup,
) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let head = vec![
        tb(lang, BoardMsg::NavClusters),
        tb(lang, BoardMsg::Year),
        tb(lang, BoardMsg::Units),
        tb(lang, BoardMsg::ResultsReported),
        tb(lang, BoardMsg::ResultsApproved),
        tb(lang, BoardMsg::Waiting),
        tb(lang, BoardMsg::OldestWait),
        tb(lang, BoardMsg::SilentUnits),
        tb(lang, BoardMsg::Deadline),
        tb(lang, BoardMsg::ReportingRate),
        tb(lang, BoardMsg::Province),
    ];
    let n = |x: u64| Cell::Number(x as f64);
    let text = |s: String| Cell::Text(s);
    let rows = rollup
        .clusters
        .iter()
        .map(|c| {
            vec![
                text(c.name.clone()),
                c.year
                    .map_or(text(String::new()), |y| Cell::Number(f64::from(y))),
                n(u64::from(c.units)),
                n(c.reported),
                n(c.approved),
                n(c.waiting),
                c.oldest_wait_days
                    .map_or(text(String::new()), |d| Cell::Number(d as f64)),
                text(c.silent_units.join("; ")),
                text(
                    c.deadline
                        .as_ref()
                        .map(|d| format!("{} {}", d.name, crate::date(d.due)))
                        .unwrap_or_default(),
                ),
                text(
                    c.deadline
                        .as_ref()
                        .map(|d| pct(d.counts.reporting_rate()))
                        .unwrap_or_default(),
                ),
                text(crate::report::line(&c.totals, lang)),
            ]
        })
        .collect();
    (head, rows)
}

/// The headers of a ranking across clusters: rank, cluster, total, per unit.
pub fn ranking_headers(lang: Lang) -> [String; 4] {
    [
        crate::head::th(lang, crate::head::HeadMsg::Rank).to_owned(),
        tb(lang, BoardMsg::NavClusters).to_owned(),
        crate::head::th(lang, crate::head::HeadMsg::Total).to_owned(),
        format!("/ {}", tb(lang, BoardMsg::Units).to_lowercase()),
    ]
}

/// "Đã chuyển … sang …; 2 máy ở cụm cũ đã thôi đồng bộ. Gửi liên kết dưới đây cho đơn vị."
pub fn moved_line(lang: Lang, unit: &str, cluster: &str, devices: u32) -> String {
    match lang {
        Lang::Vi => format!(
            "Đã chuyển {unit} sang {cluster}; {devices} máy ở cụm cũ đã thôi đồng bộ. Gửi liên kết dưới đây cho đơn vị để tham gia cụm mới."
        ),
        Lang::En => format!(
            "{unit} moved to {cluster}; {devices} device(s) in the old cluster stopped syncing. Send the unit the link below to join the new cluster."
        ),
    }
}
