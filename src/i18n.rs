//! Every string the user sees, in Vietnamese (the default) and English.
//! Components ask for a `Msg`; nothing user-visible is written in a component.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The label on the language switch, in its own language.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Tagline,
    Language,
    Online,
    Offline,
    OfficerName,
    OfficerNameHint,
    OfficerNamePlaceholder,
    Greeting,
    StorageTitle,
    StoragePersistent,
    StorageNotPersistent,
    StorageAsking,
    StorageExplain,
    OfflineReady,
    Version,
    SyncSynced,
    SyncWaiting,
    SyncSyncing,
    SyncOffline,
    SyncFailed,
    SyncNow,
    SyncRefused,
    JoinTitle,
    JoinExplain,
    JoinCode,
    JoinButton,
    Joining,
    JoinNeedsNetwork,
    WhoCluster,
    WhoUnit,
    WhoRole,
    RoleHead,
    RoleDeputy,
    RoleOfficer,
    NewEntry,
    Campaign,
    Kind,
    Title,
    Description,
    Date,
    ValueVnd,
    Participants,
    TreeCount,
    MoneyVnd,
    Items,
    ItemCount,
    Nominee,
    Save,
    Saved,
    NoCampaign,
    Entries,
    NoEntries,
    StatusWaiting,
    StatusSubmitted,
    StatusApproved,
    StatusReturned,
    StatusRefused,
    Conflict,
    KeepThis,
    Leave,
    LeaveWarning,
    StorageFailed,
    Damaged,
    Unit,
    FixErrors,
    KindInitiative,
    KindResearch,
    KindWork,
    KindTraining,
    KindDonation,
    KindTrees,
    KindEvent,
    KindModel,
    KindAdvancedExample,
    KindOther,
    NavLabel,
    NavHome,
    NavJoin,
    NavReport,
    NavEntries,
    NavScoreboard,
    NavSettings,
    NavReview,
    NavSummary,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    match (lang, msg) {
        (Lang::Vi, Tagline) => "Đăng ký, báo cáo và theo dõi thi đua của đơn vị, cả khi không có mạng.",
        (Lang::En, Tagline) => "Pledge, report and follow your unit's emulation, even with no signal.",
        (Lang::Vi, Language) => "Ngôn ngữ",
        (Lang::En, Language) => "Language",
        (Lang::Vi, Online) => "Trực tuyến",
        (Lang::En, Online) => "Online",
        (Lang::Vi, Offline) => "Ngoại tuyến",
        (Lang::En, Offline) => "Offline",
        (Lang::Vi, OfficerName) => "Họ và tên cán bộ",
        (Lang::En, OfficerName) => "Officer's full name",
        (Lang::Vi, OfficerNameHint) => "Lưu ngay trên máy này, kể cả khi không có mạng.",
        (Lang::En, OfficerNameHint) => "Saved on this device at once, even offline.",
        (Lang::Vi, OfficerNamePlaceholder) => "Ví dụ: Nguyễn Thị Lan",
        (Lang::En, OfficerNamePlaceholder) => "e.g. Nguyễn Thị Lan",
        (Lang::Vi, Greeting) => "Xin chào",
        (Lang::En, Greeting) => "Hello",
        (Lang::Vi, StorageTitle) => "Dữ liệu trên máy",
        (Lang::En, StorageTitle) => "Data on this device",
        (Lang::Vi, StoragePersistent) => "Bộ nhớ bền vững: đã được cấp",
        (Lang::En, StoragePersistent) => "Persistent storage: granted",
        (Lang::Vi, StorageNotPersistent) => "Bộ nhớ bền vững: chưa được cấp",
        (Lang::En, StorageNotPersistent) => "Persistent storage: not granted",
        (Lang::Vi, StorageAsking) => "Đang xin cấp bộ nhớ bền vững…",
        (Lang::En, StorageAsking) => "Asking for persistent storage…",
        (Lang::Vi, StorageExplain) => {
            "Khi chưa được cấp, trình duyệt có thể xoá dữ liệu lúc máy đầy bộ nhớ. Hãy đồng bộ thường xuyên."
        }
        (Lang::En, StorageExplain) => {
            "Without it the browser may clear data when the phone runs low on space. Sync often."
        }
        (Lang::Vi, OfflineReady) => "Ứng dụng mở được khi không có mạng sau lần đầu.",
        (Lang::En, OfflineReady) => "The app opens with no network after the first visit.",
        (Lang::Vi, Version) => "Phiên bản",
        (Lang::En, Version) => "Version",
        (Lang::Vi, SyncSynced) => "Đã đồng bộ",
        (Lang::En, SyncSynced) => "All synced",
        (Lang::Vi, SyncWaiting) => "đang chờ gửi",
        (Lang::En, SyncWaiting) => "waiting to sync",
        (Lang::Vi, SyncSyncing) => "Đang đồng bộ…",
        (Lang::En, SyncSyncing) => "Syncing…",
        (Lang::Vi, SyncOffline) => "Chưa gửi được: không có mạng. Sẽ tự thử lại.",
        (Lang::En, SyncOffline) => "Not sent: no network. Will retry by itself.",
        (Lang::Vi, SyncFailed) => "Máy chủ từ chối",
        (Lang::En, SyncFailed) => "The server refused",
        (Lang::Vi, SyncNow) => "Đồng bộ ngay",
        (Lang::En, SyncNow) => "Sync now",
        (Lang::Vi, SyncRefused) => "bị từ chối, vẫn giữ trên máy",
        (Lang::En, SyncRefused) => "refused, kept on this device",
        (Lang::Vi, JoinTitle) => "Tham gia cụm thi đua",
        (Lang::En, JoinTitle) => "Join your emulation cluster",
        (Lang::Vi, JoinExplain) => "Nhập mã mời do trưởng cụm gửi, hoặc mở đường link mời.",
        (Lang::En, JoinExplain) => "Type the invite code from your cluster head, or open the invite link.",
        (Lang::Vi, JoinCode) => "Mã mời",
        (Lang::En, JoinCode) => "Invite code",
        (Lang::Vi, JoinButton) => "Tham gia",
        (Lang::En, JoinButton) => "Join",
        (Lang::Vi, Joining) => "Đang tham gia…",
        (Lang::En, Joining) => "Joining…",
        (Lang::Vi, JoinNeedsNetwork) => "Cần có mạng để tham gia lần đầu.",
        (Lang::En, JoinNeedsNetwork) => "Joining needs the network once.",
        (Lang::Vi, WhoCluster) => "Cụm",
        (Lang::En, WhoCluster) => "Cluster",
        (Lang::Vi, WhoUnit) => "Đơn vị",
        (Lang::En, WhoUnit) => "Unit",
        (Lang::Vi, WhoRole) => "Vai trò",
        (Lang::En, WhoRole) => "Role",
        (Lang::Vi, RoleHead) => "Trưởng cụm",
        (Lang::En, RoleHead) => "Cluster head",
        (Lang::Vi, RoleDeputy) => "Phó cụm",
        (Lang::En, RoleDeputy) => "Deputy head",
        (Lang::Vi, RoleOfficer) => "Cán bộ công đoàn cơ sở",
        (Lang::En, RoleOfficer) => "Grassroots union officer",
        (Lang::Vi, NewEntry) => "Báo cáo kết quả",
        (Lang::En, NewEntry) => "Report a result",
        (Lang::Vi, Campaign) => "Phong trào",
        (Lang::En, Campaign) => "Campaign",
        (Lang::Vi, Kind) => "Loại kết quả",
        (Lang::En, Kind) => "Kind of result",
        (Lang::Vi, Title) => "Tiêu đề",
        (Lang::En, Title) => "Title",
        (Lang::Vi, Description) => "Mô tả",
        (Lang::En, Description) => "Description",
        (Lang::Vi, Date) => "Ngày",
        (Lang::En, Date) => "Date",
        (Lang::Vi, ValueVnd) => "Giá trị (₫)",
        (Lang::En, ValueVnd) => "Value (VND)",
        (Lang::Vi, Participants) => "Số người tham gia",
        (Lang::En, Participants) => "Participants",
        (Lang::Vi, TreeCount) => "Số cây",
        (Lang::En, TreeCount) => "Number of trees",
        (Lang::Vi, MoneyVnd) => "Số tiền (₫)",
        (Lang::En, MoneyVnd) => "Money (VND)",
        (Lang::Vi, Items) => "Hiện vật",
        (Lang::En, Items) => "Items",
        (Lang::Vi, ItemCount) => "Số hiện vật",
        (Lang::En, ItemCount) => "Number of items",
        (Lang::Vi, Nominee) => "Người / tập thể điển hình",
        (Lang::En, Nominee) => "Person or collective named",
        (Lang::Vi, Save) => "Lưu",
        (Lang::En, Save) => "Save",
        (Lang::Vi, Saved) => "Đã lưu trên máy",
        (Lang::En, Saved) => "Saved on this device",
        (Lang::Vi, NoCampaign) => "Chưa có phong trào nào. Dữ liệu sẽ về khi đồng bộ.",
        (Lang::En, NoCampaign) => "No campaign yet. It arrives with the next sync.",
        (Lang::Vi, Entries) => "Kết quả đã báo cáo",
        (Lang::En, Entries) => "Reported results",
        (Lang::Vi, NoEntries) => "Chưa có kết quả nào.",
        (Lang::En, NoEntries) => "No results yet.",
        (Lang::Vi, StatusWaiting) => "Chờ gửi",
        (Lang::En, StatusWaiting) => "Waiting to sync",
        (Lang::Vi, StatusSubmitted) => "Đã gửi",
        (Lang::En, StatusSubmitted) => "Submitted",
        (Lang::Vi, StatusApproved) => "Đã duyệt",
        (Lang::En, StatusApproved) => "Approved",
        (Lang::Vi, StatusReturned) => "Bị trả lại",
        (Lang::En, StatusReturned) => "Returned",
        (Lang::Vi, StatusRefused) => "Máy chủ từ chối",
        (Lang::En, StatusRefused) => "Refused by the server",
        (Lang::Vi, Conflict) => "Có hai phiên bản cùng lúc",
        (Lang::En, Conflict) => "Two versions were edited at once",
        (Lang::Vi, KeepThis) => "Giữ bản này",
        (Lang::En, KeepThis) => "Keep this one",
        (Lang::Vi, Leave) => "Rời cụm trên máy này",
        (Lang::En, Leave) => "Leave the cluster on this device",
        (Lang::Vi, LeaveWarning) => "Còn dữ liệu chưa đồng bộ sẽ bị mất. Vẫn rời?",
        (Lang::En, LeaveWarning) => "Some changes are not synced yet and will be lost. Leave anyway?",
        (Lang::Vi, StorageFailed) => "Không lưu được vào bộ nhớ máy",
        (Lang::En, StorageFailed) => "Could not save to the device's storage",
        (Lang::Vi, Damaged) => "bản ghi hỏng đã được để riêng để khôi phục",
        (Lang::En, Damaged) => "damaged records were set aside for recovery",
        (Lang::Vi, Unit) => "Đơn vị",
        (Lang::En, Unit) => "Unit",
        (Lang::Vi, FixErrors) => "Hãy sửa các ô được đánh dấu. Không có gì bị mất.",
        (Lang::En, FixErrors) => "Please fix the marked fields. Nothing was lost.",
        (Lang::Vi, KindInitiative) => "Sáng kiến, cải tiến kỹ thuật",
        (Lang::En, KindInitiative) => "Initiative or technical improvement",
        (Lang::Vi, KindResearch) => "Đề tài nghiên cứu ứng dụng",
        (Lang::En, KindResearch) => "Applied research topic",
        (Lang::Vi, KindWork) => "Công trình, sản phẩm chào mừng",
        (Lang::En, KindWork) => "Work or product for an occasion",
        (Lang::Vi, KindTraining) => "Lớp tập huấn",
        (Lang::En, KindTraining) => "Training course",
        (Lang::Vi, KindDonation) => "Ủng hộ, quyên góp",
        (Lang::En, KindDonation) => "Donation",
        (Lang::Vi, KindTrees) => "Trồng cây",
        (Lang::En, KindTrees) => "Trees planted",
        (Lang::Vi, KindEvent) => "Văn hoá, thể thao",
        (Lang::En, KindEvent) => "Cultural or sports event",
        (Lang::Vi, KindModel) => "Mô hình, câu lạc bộ mới",
        (Lang::En, KindModel) => "New model or club",
        (Lang::Vi, KindAdvancedExample) => "Điển hình tiên tiến, người tốt việc tốt",
        (Lang::En, KindAdvancedExample) => "Advanced example or good deed",
        (Lang::Vi, KindOther) => "Khác",
        (Lang::En, KindOther) => "Other",
        (Lang::Vi, NavLabel) => "Điều hướng",
        (Lang::En, NavLabel) => "Navigation",
        (Lang::Vi, NavHome) => "Trang chủ",
        (Lang::En, NavHome) => "Home",
        (Lang::Vi, NavJoin) => "Tham gia",
        (Lang::En, NavJoin) => "Join",
        (Lang::Vi, NavReport) => "Báo cáo",
        (Lang::En, NavReport) => "Report",
        (Lang::Vi, NavEntries) => "Kết quả",
        (Lang::En, NavEntries) => "Results",
        (Lang::Vi, NavScoreboard) => "Xếp hạng",
        (Lang::En, NavScoreboard) => "Ranking",
        (Lang::Vi, NavSettings) => "Cài đặt",
        (Lang::En, NavSettings) => "Settings",
        (Lang::Vi, NavReview) => "Duyệt",
        (Lang::En, NavReview) => "Review",
        (Lang::Vi, NavSummary) => "Tổng hợp",
        (Lang::En, NavSummary) => "Summary",
    }
}

/// The name of an entry kind.
pub fn kind_name(lang: Lang, kind: thidua_core::EntryKind) -> &'static str {
    use thidua_core::EntryKind as K;
    let msg = match kind {
        K::Initiative => Msg::KindInitiative,
        K::Research => Msg::KindResearch,
        K::Work => Msg::KindWork,
        K::Training => Msg::KindTraining,
        K::Donation => Msg::KindDonation,
        K::Trees => Msg::KindTrees,
        K::Event => Msg::KindEvent,
        K::Model => Msg::KindModel,
        K::AdvancedExample => Msg::KindAdvancedExample,
        K::Other => Msg::KindOther,
    };
    t(lang, msg)
}

/// The name of a role.
pub fn role_name(lang: Lang, role: thidua_core::Role) -> &'static str {
    use thidua_core::Role;
    t(
        lang,
        match role {
            Role::Head => Msg::RoleHead,
            Role::Deputy => Msg::RoleDeputy,
            Role::Officer => Msg::RoleOfficer,
        },
    )
}

/// A validation problem, said next to its field.
pub fn problem_text(lang: Lang, problem: &thidua_core::Problem) -> String {
    use thidua_core::Problem as P;
    let date = |d: &chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    match (lang, problem) {
        (Lang::Vi, P::Required) => "Không được để trống.".into(),
        (Lang::En, P::Required) => "Required.".into(),
        (Lang::Vi, P::TooLong { max }) => format!("Dài quá {max} ký tự."),
        (Lang::En, P::TooLong { max }) => format!("Longer than {max} characters."),
        (Lang::Vi, P::Negative) => "Không được là số âm.".into(),
        (Lang::En, P::Negative) => "Must not be negative.".into(),
        (Lang::Vi, P::TooLarge { max }) => format!("Lớn quá mức cho phép ({}).", group(*max, '.')),
        (Lang::En, P::TooLarge { max }) => format!("Too large (at most {}).", group(*max, ',')),
        (Lang::Vi, P::DateOutsideCampaign { start, end }) => {
            format!(
                "Ngày phải trong thời gian phong trào, {} – {}.",
                date(start),
                date(end)
            )
        }
        (Lang::En, P::DateOutsideCampaign { start, end }) => {
            format!(
                "The date must be within the campaign, {} – {}.",
                date(start),
                date(end)
            )
        }
        (Lang::Vi, P::UnknownReference) => "Không tìm thấy mục được chọn.".into(),
        (Lang::En, P::UnknownReference) => "The chosen item does not exist.".into(),
        (Lang::Vi, other) => format!("Không hợp lệ: {other}."),
        (Lang::En, other) => format!("Not valid: {other}."),
    }
}

/// Digits grouped by thousands: `group(2000000, '.')` is `2.000.000`.
pub fn group(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Money as the user reads it: `2.000.000 ₫` in Vietnamese, `2,000,000 VND` in English.
pub fn money(lang: Lang, vnd: u64) -> String {
    match lang {
        Lang::Vi => format!("{} ₫", group(vnd, '.')),
        Lang::En => format!("{} VND", group(vnd, ',')),
    }
}

/// Dates are `dd/mm/yyyy` in both languages.
pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
