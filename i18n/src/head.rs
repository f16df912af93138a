//! The words of the cluster head's screens (cluster, campaigns, review,
//! scoreboard, awards, summary), Vietnamese first, English second. Kept
//! apart from `i18n` so the two catalogues can grow without treading on
//! each other.

use crate::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadMsg {
    // Shared
    Save,
    Saved,
    SavedOffline,
    FixErrors,
    StorageFailed,
    BadDate,
    Campaign,
    Edit,
    Delete,
    Cancel,
    Back,
    NothingHere,
    NoMatch,
    NeedsNetwork,
    Failed,
    // Review
    ReviewTitle,
    FilterUnit,
    FilterKind,
    FilterStatus,
    AllUnits,
    AllKinds,
    AllStatuses,
    Approve,
    Return,
    ReturnReason,
    ConfirmReturn,
    SelectAll,
    ApproveSelected,
    ShowMore,
    ApprovedSome,
    ReturnedOne,
    // Scoreboard
    ScoreTitle,
    TotalsChart,
    PerCriterion,
    Pledged,
    ApprovedCol,
    PointsShort,
    YourUnit,
    Rank,
    Total,
    Rule,
    NoScores,
    Live,
    Frozen,
    Sessions,
    SessionExplain,
    SessionKind,
    SessionDate,
    MakeSession,
    SixMonth,
    Annual,
    // Campaigns
    CampaignsTitle,
    NewCampaign,
    EditCampaign,
    FromTemplate,
    Blank,
    CampaignTitle,
    Occasion,
    Slogan,
    Start,
    End,
    Criteria,
    CriteriaCount,
    CriterionName,
    UnitOfMeasure,
    Points,
    MeasureFigure,
    MeasureExplain,
    AddCriterion,
    RemoveCriterion,
    // Cluster
    ClusterTitle,
    ClusterName,
    DecisionNumber,
    DecisionDate,
    DecisionIssuer,
    Year,
    Units,
    UnitName,
    UnitKind,
    KindGrassroots,
    KindEnterprise,
    KindAgency,
    AddUnit,
    EditUnit,
    EntriesCount,
    HasEntries,
    DeleteHint,
    ConfirmDelete,
    ConfirmDeleteCampaign,
    CampaignInUse,
    ConfirmDeleteProposal,
    ConfirmDeleteSession,
    DeleteSession,
    Deleted,
    RolesTitle,
    RolesExplain,
    HeadUnit,
    DeputyUnit,
    NoDeputy,
    Invite,
    InviteRole,
    MakeInvite,
    InviteExplain,
    Devices,
    LoadDevices,
    LastSeen,
    Revoke,
    Revoked,
    ConfirmRevoke,
    InviteLinks,
    MaxUses,
    MaxUsesHint,
    UsedTimes,
    ValidUntil,
    StateActive,
    StateWithdrawn,
    StateExpired,
    StateUsedUp,
    WithdrawLink,
    ConfirmWithdrawLink,
    LinkWithdrawn,
    CopyLink,
    Copied,
    CopyFailed,
    ShareLink,
    JoinedWithLink,
    RemoveDevice,
    RemoveExplain,
    AlsoWithdraw,
    AlsoReplace,
    ConfirmRemove,
    DeviceRemoved,
    DeviceRemovedLinkToo,
    NewLinkMade,
    // Awards
    AwardsTitle,
    NewProposal,
    AwardKind,
    NomineeType,
    Collective,
    Person,
    PersonName,
    Reason,
    LinkedEntries,
    Votes,
    VotesFor,
    VotesAgainst,
    VotesAbstain,
    Result,
    // Summary
    SummaryTitle,
    Highlights,
    PerUnit,
    Examples,
    // The printed summary, an official document
    NationalName,
    NationalMotto,
    ReportHeading,
    SignerCluster,
    SignerBloc,
    SignHint,
    DocPlace,
    DocSigner,
    DocExplain,
    PrintPhotos,
    AwardedUnit,
    FiguresOf,
    FrozenOn,
    Print,
    Csv,
    CsvEntries,
    Xlsx,
    ExportExplain,
    XlsxOffline,
}

/// The place and date line of an official document: "Thanh Hóa, ngày 24 tháng 7 năm 2024"
/// (a day below 10 and the months 1 and 2 written with a leading zero, as the rules for
/// official documents ask) / "Thanh Hóa, 24 July 2024". Dots stand for a place not given,
/// to be written by hand.
pub fn place_date(lang: Lang, place: &str, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let place = match place.trim() {
        "" => "…………",
        p => p,
    };
    let (d, m, y) = (day.day(), day.month(), day.year());
    match lang {
        Lang::Vi => {
            let m = if m <= 2 {
                format!("0{m}")
            } else {
                m.to_string()
            };
            format!("{place}, ngày {d:02} tháng {m} năm {y}")
        }
        Lang::En => {
            let month = MONTHS
                .get(day.month0() as usize)
                .copied()
                .unwrap_or_default();
            format!("{place}, {d} {month} {y}")
        }
    }
}

/// The text of `msg` in `lang`.
/// The message that goes with an invite link sent through Zalo or SMS.
pub fn invite_message(lang: Lang, cluster: &str, unit: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "Mời anh/chị tham gia {cluster} trên ứng dụng Thi Đua, cho đơn vị {unit}. Mở liên kết sau trên điện thoại:"
        ),
        Lang::En => format!(
            "You are invited to join {cluster} in the Thi Đua app, for {unit}. Open this link on your phone:"
        ),
    }
}

pub fn th(lang: Lang, msg: HeadMsg) -> &'static str {
    use HeadMsg::*;
    let (vi, en) = match msg {
        Save => ("Lưu", "Save"),
        Saved => ("Đã lưu trên máy và đang gửi lên máy chủ.", "Saved on this device and being sent to the server."),
        SavedOffline => ("Đã lưu trên máy, sẽ đồng bộ khi có mạng.", "Saved on this device; it syncs when online."),
        FixErrors => ("Chưa lưu: hãy sửa các ô được đánh dấu.", "Not saved: fix the marked fields."),
        StorageFailed => ("Không ghi được vào bộ nhớ máy.", "Could not write to this device's storage."),
        BadDate => ("Ngày viết theo dạng ngày/tháng/năm, ví dụ 15/04/2024.", "Write the date as day/month/year, e.g. 15/04/2024."),
        Campaign => ("Phong trào", "Campaign"),
        Edit => ("Sửa", "Edit"),
        Delete => ("Xoá", "Delete"),
        Cancel => ("Huỷ", "Cancel"),
        Back => ("Quay lại danh sách", "Back to the list"),
        NothingHere => ("Chưa có mục nào.", "Nothing here yet."),
        NoMatch => ("Không có kết quả nào.", "No results."),
        NeedsNetwork => ("Việc này cần có mạng. Hiện máy đang ngoại tuyến; hãy thử lại khi có mạng.", "This needs the network. The device is offline now; try again when online."),
        Failed => ("Không thực hiện được", "It did not work"),
        ReviewTitle => ("Duyệt kết quả", "Review results"),
        FilterUnit => ("Đơn vị", "Unit"),
        FilterKind => ("Loại kết quả", "Kind of result"),
        FilterStatus => ("Trạng thái", "Status"),
        AllUnits => ("Tất cả đơn vị", "All units"),
        AllKinds => ("Tất cả các loại", "All kinds"),
        AllStatuses => ("Mọi trạng thái", "Any status"),
        Approve => ("Duyệt", "Approve"),
        Return => ("Trả lại", "Return"),
        ReturnReason => ("Lý do trả lại", "Reason for returning"),
        ConfirmReturn => ("Gửi trả lại", "Send back"),
        SelectAll => ("Chọn tất cả", "Select all"),
        ApproveSelected => ("Duyệt các mục đã chọn", "Approve the selected"),
        ShowMore => ("Xem thêm", "Show more"),
        ApprovedSome => ("Đã duyệt.", "Approved."),
        ReturnedOne => ("Đã trả lại, kèm lý do.", "Returned, with the reason."),
        ScoreTitle => ("Bảng xếp hạng thi đua", "Emulation scoreboard"),
        TotalsChart => ("Tổng điểm theo đơn vị", "Total points per unit"),
        PerCriterion => ("Kết quả theo tiêu chí", "Results per criterion"),
        Pledged => ("Đăng ký", "Pledged"),
        ApprovedCol => ("Đã duyệt", "Approved"),
        PointsShort => ("điểm", "points"),
        YourUnit => ("Đơn vị của bạn", "Your unit"),
        Rank => ("Hạng", "Rank"),
        Total => ("Tổng điểm", "Total"),
        Rule => ("Cách tính điểm", "How points are counted"),
        NoScores => ("Chưa có phong trào hoặc đơn vị để chấm điểm.", "No campaign or unit to score yet."),
        Live => ("Hiện tại", "Now"),
        Frozen => ("số liệu đã chốt, không đổi khi có sửa đổi sau này", "frozen figures, unchanged by later edits"),
        Sessions => ("Sơ kết, tổng kết", "Review sessions"),
        SessionExplain => ("Chốt điểm và xếp hạng tại ngày sơ kết hoặc tổng kết; bản đã chốt được giữ nguyên.", "Freeze the scores and ranking on the day of the review; the frozen copy stays as it is."),
        SessionKind => ("Loại kỳ", "Kind of session"),
        SessionDate => ("Ngày chốt", "Date"),
        MakeSession => ("Chốt điểm", "Freeze the scores"),
        SixMonth => ("Sơ kết 6 tháng", "6-month review"),
        Annual => ("Tổng kết năm", "Annual summary"),
        CampaignsTitle => ("Phong trào thi đua", "Emulation campaigns"),
        NewCampaign => ("Tạo phong trào mới", "New campaign"),
        EditCampaign => ("Sửa phong trào", "Edit campaign"),
        FromTemplate => ("Bắt đầu từ mẫu", "Start from a template"),
        Blank => ("Trống", "Blank"),
        CampaignTitle => ("Tên phong trào", "Campaign title"),
        Occasion => ("Nhân dịp", "Occasion"),
        Slogan => ("Khẩu hiệu", "Slogan"),
        Start => ("Ngày bắt đầu", "Start date"),
        End => ("Ngày kết thúc", "End date"),
        Criteria => ("Tiêu chí", "Criteria"),
        CriteriaCount => ("Số tiêu chí", "Criteria"),
        CriterionName => ("Tên tiêu chí", "Criterion"),
        UnitOfMeasure => ("Đơn vị tính", "Unit of measure"),
        Points => ("Điểm", "Points"),
        MeasureFigure => ("Cộng theo số liệu (số người, số cây, số tiền)", "Add up the figures (people, trees, money)"),
        MeasureExplain => ("Mặc định mỗi kết quả được duyệt tính là 1.", "By default each approved result counts as 1."),
        AddCriterion => ("Thêm tiêu chí", "Add a criterion"),
        RemoveCriterion => ("Bỏ tiêu chí này", "Remove this criterion"),
        ClusterTitle => ("Cụm thi đua", "Emulation cluster"),
        ClusterName => ("Tên cụm", "Cluster name"),
        DecisionNumber => ("Số quyết định thành lập", "Establishing decision No."),
        DecisionDate => ("Ngày quyết định", "Decision date"),
        DecisionIssuer => ("Cơ quan ban hành", "Issued by"),
        Year => ("Năm", "Year"),
        Units => ("Đơn vị thành viên", "Member units"),
        UnitName => ("Tên đơn vị", "Unit name"),
        UnitKind => ("Loại đơn vị", "Kind of unit"),
        KindGrassroots => ("Công đoàn cơ sở", "Grassroots union"),
        KindEnterprise => ("Doanh nghiệp", "Enterprise"),
        KindAgency => ("Cơ quan", "Agency"),
        AddUnit => ("Thêm đơn vị", "Add a unit"),
        EditUnit => ("Sửa đơn vị", "Edit the unit"),
        EntriesCount => ("Số kết quả", "Results"),
        HasEntries => ("Đơn vị đã có kết quả nên không xoá được.", "The unit has results, so it cannot be deleted."),
        DeleteHint => ("Chỉ xoá được đơn vị chưa có kết quả nào.", "Only a unit with no results can be deleted."),
        ConfirmDelete => ("Xoá đơn vị này?", "Delete this unit?"),
        ConfirmDeleteCampaign => ("Xoá phong trào này? Việc xoá được ghi lại trong lịch sử.", "Delete this campaign? The deletion is kept in its history."),
        CampaignInUse => ("Chỉ xoá được phong trào chưa có đăng ký, kết quả, sơ kết hay đề nghị khen thưởng nào.", "Only a campaign with no pledges, results, reviews or award proposals can be deleted."),
        ConfirmDeleteSession => ("Xoá lần sơ kết / tổng kết này? Bảng điểm đã chốt sẽ không còn; việc xoá được ghi lại trong lịch sử.", "Delete this review session? Its frozen scores go; the deletion is kept in its history."),
        DeleteSession => ("Xoá lần chốt điểm này", "Delete this frozen session"),
        ConfirmDeleteProposal => ("Xoá đề nghị khen thưởng này? Việc xoá được ghi lại trong lịch sử.", "Delete this award proposal? The deletion is kept in its history."),
        Deleted => ("Đã xoá.", "Deleted."),
        RolesTitle => ("Trưởng cụm, phó cụm năm", "Head and deputy for"),
        RolesExplain => (
            "Quyền theo đơn vị: mọi máy của đơn vị trưởng cụm, phó cụm được duyệt, chấm điểm và quản lý cụm trong năm này; đơn vị thôi giữ vai trò sẽ chỉ còn quyền báo cáo.",
            "Rights follow the unit: every device of the head and deputy units reviews, scores and manages the cluster this year; a unit that hands its role on keeps reporting only.",
        ),
        HeadUnit => ("Đơn vị trưởng cụm", "Head unit"),
        DeputyUnit => ("Đơn vị phó cụm", "Deputy unit"),
        NoDeputy => ("Chưa có", "None"),
        Invite => ("Mời tham gia", "Invite"),
        InviteRole => ("Vai trò", "Role"),
        MakeInvite => ("Tạo link mời", "Create an invite link"),
        InviteExplain => ("Gửi link này hoặc cho quét mã QR. Mã dùng được trong 14 ngày.", "Send this link or let them scan the QR code. It works for 14 days."),
        Devices => ("Thiết bị đã tham gia", "Joined devices"),
        LoadDevices => ("Xem danh sách thiết bị", "Show the devices"),
        LastSeen => ("lần cuối", "last seen"),
        Revoke => ("Thu hồi", "Revoke"),
        Revoked => ("Đã thu hồi", "Revoked"),
        ConfirmRevoke => ("Thu hồi thiết bị này? Máy đó sẽ không đồng bộ được nữa.", "Revoke this device? It will no longer sync."),
        InviteLinks => ("Các liên kết mời", "Invite links"),
        MaxUses => ("Số lần dùng tối đa", "Most uses"),
        MaxUsesHint => ("Để trống nếu không giới hạn; ghi 1 nếu liên kết dành cho một người.", "Leave empty for no limit; 1 if the link is for one person."),
        UsedTimes => ("đã dùng", "used"),
        ValidUntil => ("dùng được đến", "valid until"),
        StateActive => ("Còn dùng được", "Usable"),
        StateWithdrawn => ("Đã thu hồi", "Withdrawn"),
        StateExpired => ("Đã hết hạn", "Expired"),
        StateUsedUp => ("Đã dùng hết lượt", "Used up"),
        WithdrawLink => ("Thu hồi liên kết", "Withdraw the link"),
        ConfirmWithdrawLink => ("Thu hồi liên kết này? Không ai tham gia bằng nó được nữa; các máy đã tham gia vẫn dùng bình thường.", "Withdraw this link? Nobody can join with it any more; devices that joined keep working."),
        LinkWithdrawn => ("Đã thu hồi liên kết.", "The link is withdrawn."),
        CopyLink => ("Sao chép liên kết", "Copy the link"),
        Copied => ("Đã sao chép liên kết: dán vào Zalo hoặc tin nhắn.", "Link copied: paste it into Zalo or a message."),
        CopyFailed => ("Không sao chép được; hãy giữ ngón tay trên liên kết để sao chép.", "Could not copy; press and hold the link to copy it."),
        ShareLink => ("Gửi qua Zalo, tin nhắn…", "Send by Zalo, SMS…"),
        JoinedWithLink => ("tham gia bằng liên kết tạo ngày", "joined with the link made on"),
        RemoveDevice => ("Thu hồi thiết bị", "Remove the device"),
        RemoveExplain => ("Máy này sẽ không đồng bộ được nữa; dữ liệu trên máy vẫn còn.", "This device will no longer sync; what is on it stays there."),
        AlsoWithdraw => ("Thu hồi luôn liên kết mời máy này đã dùng, để người đó không tham gia lại bằng nó", "Also withdraw the invite link it joined with, so that person cannot join again with it"),
        AlsoReplace => ("Tạo liên kết mới cho đơn vị, để gửi cho người thay thế", "Make a new link for the unit, for whoever takes over"),
        ConfirmRemove => ("Xác nhận thu hồi", "Remove it"),
        DeviceRemoved => ("Đã thu hồi thiết bị. Liên kết nó dùng vẫn còn dùng được.", "The device is removed. The link it joined with still works."),
        DeviceRemovedLinkToo => ("Đã thu hồi thiết bị và liên kết mời nó đã dùng.", "The device and the invite link it joined with are removed."),
        NewLinkMade => ("Liên kết mới cho đơn vị ở phần Mời tham gia.", "The unit's new link is under Invite."),
        AwardsTitle => ("Đề nghị khen thưởng", "Award proposals"),
        NewProposal => ("Đề nghị khen thưởng mới", "New award proposal"),
        AwardKind => ("Hình thức khen thưởng", "Award"),
        NomineeType => ("Đề nghị cho", "Nominee"),
        Collective => ("Tập thể (đơn vị)", "Collective (unit)"),
        Person => ("Cá nhân", "Individual"),
        PersonName => ("Họ và tên", "Full name"),
        Reason => ("Thành tích, lý do đề nghị", "Achievements, reason"),
        LinkedEntries => ("Căn cứ: kết quả đã được duyệt", "Evidence: approved results"),
        Votes => ("Biểu quyết", "Vote"),
        VotesFor => ("Tán thành", "For"),
        VotesAgainst => ("Không tán thành", "Against"),
        VotesAbstain => ("Không biểu quyết", "Abstain"),
        Result => ("Kết quả", "Result"),
        SummaryTitle => ("Báo cáo tổng hợp", "Summary report"),
        Highlights => ("Kết quả nổi bật", "Highlights"),
        PerUnit => ("Kết quả từng đơn vị", "Results per unit"),
        Examples => ("Điển hình tiên tiến, người tốt việc tốt", "Advanced examples and good deeds"),
        // Printed in English as official translations render it.
        NationalName => ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        NationalMotto => ("Độc lập – Tự do – Hạnh phúc", "Independence – Freedom – Happiness"),
        ReportHeading => ("BÁO CÁO", "REPORT"),
        SignerCluster => ("TRƯỞNG CỤM", "HEAD OF THE CLUSTER"),
        SignerBloc => ("TRƯỞNG KHỐI", "HEAD OF THE BLOC"),
        SignHint => ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
        DocPlace => ("Địa danh ghi trước ngày tháng", "Place written before the date"),
        DocSigner => ("Họ và tên người ký", "Name of the signer"),
        AwardedUnit => ("Đơn vị được khen thưởng", "Unit awarded"),
        PrintPhotos => (
            "In kèm một ảnh minh chứng cho mỗi điển hình tiên tiến và mỗi đề nghị khen thưởng",
            "Print one evidence photo with each advanced example and award proposal",
        ),
        DocExplain => (
            "Bản in có quốc hiệu, tiêu ngữ, địa danh, ngày tháng và phần ký của trưởng cụm; để trống tên thì ký và ghi tên bằng tay.",
            "The printout carries the national heading, the place and date, and the head's signature block; leave the name empty to sign and write it by hand.",
        ),
        FiguresOf => ("Số liệu", "Figures"),
        FrozenOn => ("Số liệu chốt ngày", "Figures frozen on"),
        Print => ("In (A4)", "Print (A4)"),
        Csv => ("Tải CSV tổng hợp", "Summary CSV"),
        CsvEntries => ("Tải CSV kết quả", "Results CSV"),
        Xlsx => ("Tải Excel (XLSX)", "Excel (XLSX)"),
        ExportExplain => ("Bản CSV tạo ngay trên máy, không cần mạng; bản Excel do máy chủ tạo.", "The CSV is made on this device with no network; the Excel file comes from the server."),
        XlsxOffline => ("Đang ngoại tuyến: tải Excel cần có mạng. Bản CSV vẫn tải được.", "Offline: the Excel file needs the network. The CSV still works."),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

#[cfg(test)]
mod place_date_tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn official_place_and_date() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            place_date(Lang::Vi, "Thanh Hóa", day(2024, 7, 24)),
            "Thanh Hóa, ngày 24 tháng 7 năm 2024"
        );
        assert_eq!(
            place_date(Lang::Vi, "Hà Nội", day(2025, 2, 5)),
            "Hà Nội, ngày 05 tháng 02 năm 2025"
        );
        assert_eq!(
            place_date(Lang::Vi, " ", day(2024, 12, 1)),
            "…………, ngày 01 tháng 12 năm 2024"
        );
        assert_eq!(
            place_date(Lang::En, "Thanh Hóa", day(2024, 7, 24)),
            "Thanh Hóa, 24 July 2024"
        );
    }
}
