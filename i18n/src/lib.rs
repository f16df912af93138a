//! Every string the user sees, in Vietnamese (the default) and English.
//! Components ask for a `Msg` (officer screens and the frame) or a `head::HeadMsg` (the
//! cluster head's screens); nothing user-visible is written in a component. Each catalogue
//! is one exhaustive `match`, so a message missing in either language does not compile.

pub mod board;
pub mod evidence;
pub mod export;
pub mod head;
pub mod report;

pub use thidua_core::format::Lang;

/// The name of a language, in that language, for the language switch.
pub fn lang_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Tiếng Việt",
        Lang::En => "English",
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
    SyncNotJoined,
    SyncWaiting,
    SyncSyncing,
    SyncOffline,
    SyncFailed,
    SyncRevoked,
    SyncServerTrouble,
    SyncBadAnswer,
    SyncWillRetry,
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
    RoleBoard,
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
    ClusterLoading,
    ClusterLoadingExplain,
    Entries,
    NoEntries,
    StatusWaiting,
    StatusDraft,
    DigitsOnly,
    CorrectionOf,
    DatePlaceholder,
    Untitled,
    StatusSubmitted,
    StatusApproved,
    StatusReturned,
    StatusRefused,
    Conflict,
    KeepThis,
    Leave,
    LeaveConfirm,
    StorageFailed,
    StorageFull,
    StorageKeptInMemory,
    SavedNotStored,
    BackupNow,
    Damaged,
    DamagedExplain,
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
    DateFormat,
    ChooseCampaign,
    Correcting,
    Criterion,
    NoCriterion,
    DateLabel,
    Today,
    Yesterday,
    RepeatLast,
    Collective,
    KeepDraft,
    DraftKept,
    Drafts,
    Open,
    Delete,
    FilterAll,
    FilterLabel,
    StatusCorrected,
    CorrectResubmit,
    VersionDeleted,
    Starts,
    Ended,
    DaysLeft,
    Progress,
    NotPledged,
    AwaitingReview,
    PledgeTitle,
    RecentEntries,
    AllEntries,
    TileCampaigns,
    TileCluster,
    TileAwards,
    HeadTools,
    Target,
    Commitments,
    SignedOn,
    SavePledge,
    PledgeWaiting,
    PledgeReceived,
    PledgeOnServer,
    Points,
    StorageUsed,
    StorageQuota,
    BackupTitle,
    BackupExplain,
    BackupExport,
    BackupImport,
    BackupMade,
    BackupFailed,
    RestoreDone,
    RestoreNotBackup,
    RestoreOtherCluster,
    DraftMissing,
    EntryMissing,
    SavedSending,
    SavedOffline,
    CloseDraft,
    CancelEdit,
    StartOver,
    DraftHeading,
    CorrectHeading,
    EditHeading,
    ResumeExplain,
    DraftExplain,
    EditExplain,
    ReturnReasonLabel,
    MoneyPlaceholder,
    CountPlaceholder,
    NoMatch,
    StoryReturned,
    StoryResent,
    FixEntry,
    Withdraw,
    WithdrawConfirm,
    LastHeard,
    SyncSyncedAt,
    JoinName,
    JoinNameHint,
    JoinNameNeeded,
    UnnamedDevice,
    JoinCodeNeeded,
    AlreadyJoinedTitle,
    AlreadyJoinedExplain,
    GoHome,
    JoinedTitle,
    JoinedAsRole,
    Dismiss,
    RestoreJoinFirst,
    BackupNoToken,
    StorageNearlyFull,
    StorageOfRecords,
    StorageOfOther,
    StorageNearlyFullExplain,
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
        (Lang::Vi, SyncNotJoined) => "Chưa tham gia cụm nào",
        (Lang::En, SyncNotJoined) => "Not in a cluster yet",
        (Lang::Vi, SyncWaiting) => "đang chờ gửi",
        (Lang::En, SyncWaiting) => "waiting to sync",
        (Lang::Vi, SyncSyncing) => "Đang đồng bộ…",
        (Lang::En, SyncSyncing) => "Syncing…",
        (Lang::Vi, SyncOffline) => "Không kết nối được máy chủ, sẽ tự thử lại",
        (Lang::En, SyncOffline) => "Cannot reach the server, will retry by itself",
        (Lang::Vi, SyncServerTrouble) => "Máy chủ đang gặp sự cố",
        (Lang::En, SyncServerTrouble) => "The server has a problem",
        (Lang::Vi, SyncBadAnswer) => "Máy chủ trả lời không hợp lệ",
        (Lang::En, SyncBadAnswer) => "The server's answer was not valid",
        (Lang::Vi, SyncWillRetry) => "sẽ tự thử lại",
        (Lang::En, SyncWillRetry) => "will retry by itself",
        (Lang::Vi, SyncFailed) => "Máy chủ từ chối",
        (Lang::En, SyncFailed) => "The server refused",
        (Lang::Vi, SyncRevoked) => {
            "Thiết bị này không còn quyền đồng bộ (đã bị thu hồi). Dữ liệu vẫn giữ trên máy; hãy xin trưởng cụm mã mời mới"
        }
        (Lang::En, SyncRevoked) => {
            "This device may no longer sync (it was revoked). Your data stays on it; ask the cluster head for a new invite"
        }
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
        (Lang::Vi, RoleBoard) => "Ban thi đua",
        (Lang::En, RoleBoard) => "Emulation board",
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
        (Lang::Vi, ClusterLoading) => "Đang tải dữ liệu của cụm…",
        (Lang::En, ClusterLoading) => "Loading your cluster…",
        (Lang::Vi, ClusterLoadingExplain) => "Lần đầu, ứng dụng tải phong trào, đơn vị và kết quả của cụm về máy. Sau đó, mọi việc làm được cả khi không có mạng.",
        (Lang::En, ClusterLoadingExplain) => "The first time, the app downloads the cluster's campaigns, units and results to this phone. After that, everything works with no signal.",
        (Lang::Vi, Entries) => "Kết quả đã báo cáo",
        (Lang::En, Entries) => "Reported results",
        (Lang::Vi, NoEntries) => "Chưa có kết quả nào.",
        (Lang::En, NoEntries) => "No results yet.",
        (Lang::Vi, DatePlaceholder) => "vd. 15/04/2024",
        (Lang::En, DatePlaceholder) => "e.g. 15/04/2024",
        (Lang::Vi, Untitled) => "(chưa có tiêu đề)",
        (Lang::En, Untitled) => "(no title yet)",
        (Lang::Vi, CorrectionOf) => "Bản sửa của",
        (Lang::En, CorrectionOf) => "Correction of",
        (Lang::Vi, DigitsOnly) => "Chỉ nhập chữ số, ví dụ 2.000.000.",
        (Lang::En, DigitsOnly) => "Digits only, e.g. 2,000,000.",
        (Lang::Vi, StatusDraft) => "Nháp",
        (Lang::En, StatusDraft) => "Draft",
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
        (Lang::Vi, LeaveConfirm) => "Rời cụm trên máy này? Dữ liệu đã đồng bộ vẫn còn trên máy chủ.",
        (Lang::En, LeaveConfirm) => "Leave the cluster on this device? What was synced stays on the server.",
        (Lang::Vi, StorageFailed) => "Không lưu được vào bộ nhớ máy",
        (Lang::En, StorageFailed) => "Could not save to the device's storage",
        (Lang::Vi, StorageFull) => "Bộ nhớ trên máy đã đầy: chưa lưu được thay đổi mới vào máy",
        (Lang::En, StorageFull) => "This device's storage is full: new changes could not be saved on it",
        (Lang::Vi, StorageKeptInMemory) => {
            "Những gì bạn vừa nhập vẫn còn trong ứng dụng và sẽ được gửi lên máy chủ khi có mạng, nhưng sẽ mất nếu đóng trang trước đó. Hãy tải tệp sao lưu ngay, rồi giải phóng bớt bộ nhớ của máy."
        }
        (Lang::En, StorageKeptInMemory) => {
            "What you just entered is still in the app and will be sent to the server when there is a network, but it is lost if the page is closed before then. Download a backup file now, then free some space on the device."
        }
        (Lang::Vi, SavedNotStored) => "Đã ghi nhận, nhưng chưa lưu được vào máy: xem cảnh báo ở đầu trang.",
        (Lang::En, SavedNotStored) => "Recorded, but not saved on this device: see the warning at the top.",
        (Lang::Vi, BackupNow) => "Tải tệp sao lưu ngay",
        (Lang::En, BackupNow) => "Download a backup file now",
        (Lang::Vi, Damaged) => "mục dữ liệu trên máy bị hỏng hoặc không đọc được",
        (Lang::En, Damaged) => "items of data on this device were damaged or unreadable",
        (Lang::Vi, DamagedExplain) => {
            "Chúng đã được để riêng, không bị xoá, và có trong tệp sao lưu để khôi phục. Ứng dụng vẫn dùng bình thường; dữ liệu đã đồng bộ sẽ tải lại từ máy chủ."
        }
        (Lang::En, DamagedExplain) => {
            "They were set aside, not deleted, and a backup file includes them for recovery. The app works as usual; synced data comes back from the server."
        }
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
        (Lang::Vi, DateFormat) => "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/04/2024.",
        (Lang::En, DateFormat) => "Type the date as day/month/year, e.g. 15/04/2024.",
        (Lang::Vi, ChooseCampaign) => "Hãy chọn phong trào.",
        (Lang::En, ChooseCampaign) => "Choose a campaign.",
        (Lang::Vi, Correcting) => "Bạn đang sửa một kết quả bị trả lại. Khi lưu, bản sửa sẽ được gửi lại để duyệt.",
        (Lang::En, Correcting) => "You are correcting a returned result. Saving sends the correction for review again.",
        (Lang::Vi, Criterion) => "Tiêu chí",
        (Lang::En, Criterion) => "Criterion",
        (Lang::Vi, NoCriterion) => "— Không gắn tiêu chí —",
        (Lang::En, NoCriterion) => "— No criterion —",
        (Lang::Vi, DateLabel) => "Ngày (ngày/tháng/năm)",
        (Lang::En, DateLabel) => "Date (day/month/year)",
        (Lang::Vi, Today) => "Hôm nay",
        (Lang::En, Today) => "Today",
        (Lang::Vi, Yesterday) => "Hôm qua",
        (Lang::En, Yesterday) => "Yesterday",
        (Lang::Vi, RepeatLast) => "Lặp lại lần trước",
        (Lang::En, RepeatLast) => "Repeat last",
        (Lang::Vi, Collective) => "Là tập thể",
        (Lang::En, Collective) => "A collective",
        (Lang::Vi, KeepDraft) => "Lưu nháp",
        (Lang::En, KeepDraft) => "Keep as draft",
        (Lang::Vi, DraftKept) => "Đã lưu nháp trên máy",
        (Lang::En, DraftKept) => "Draft kept on this device",
        (Lang::Vi, Drafts) => "Bản nháp",
        (Lang::En, Drafts) => "Drafts",
        (Lang::Vi, Open) => "Mở",
        (Lang::En, Open) => "Open",
        (Lang::Vi, Delete) => "Xoá",
        (Lang::En, Delete) => "Delete",
        (Lang::Vi, FilterAll) => "Tất cả",
        (Lang::En, FilterAll) => "All",
        (Lang::Vi, FilterLabel) => "Lọc theo trạng thái",
        (Lang::En, FilterLabel) => "Filter by status",
        (Lang::Vi, StatusCorrected) => "Đã sửa, gửi lại",
        (Lang::En, StatusCorrected) => "Corrected and resent",
        (Lang::Vi, CorrectResubmit) => "Sửa và gửi lại",
        (Lang::En, CorrectResubmit) => "Correct and resubmit",
        (Lang::Vi, VersionDeleted) => "Bản này đã bị xoá",
        (Lang::En, VersionDeleted) => "This version deleted it",
        (Lang::Vi, Starts) => "Bắt đầu",
        (Lang::En, Starts) => "Starts",
        (Lang::Vi, Ended) => "Đã kết thúc",
        (Lang::En, Ended) => "Ended",
        (Lang::Vi, DaysLeft) => "ngày còn lại",
        (Lang::En, DaysLeft) => "days left",
        (Lang::Vi, Progress) => "Tiến độ so với chỉ tiêu đăng ký",
        (Lang::En, Progress) => "Progress against pledged targets",
        (Lang::Vi, NotPledged) => "Chưa đăng ký chỉ tiêu",
        (Lang::En, NotPledged) => "No target pledged",
        (Lang::Vi, AwaitingReview) => "Chờ duyệt",
        (Lang::En, AwaitingReview) => "Awaiting review",
        (Lang::Vi, PledgeTitle) => "Đăng ký thi đua",
        (Lang::En, PledgeTitle) => "Pledge targets",
        (Lang::Vi, RecentEntries) => "Báo cáo gần đây",
        (Lang::En, RecentEntries) => "Recent reports",
        (Lang::Vi, AllEntries) => "Xem tất cả kết quả",
        (Lang::En, AllEntries) => "See all results",
        (Lang::Vi, TileCampaigns) => "Phong trào",
        (Lang::En, TileCampaigns) => "Campaigns",
        (Lang::Vi, TileCluster) => "Cụm & đơn vị",
        (Lang::En, TileCluster) => "Cluster & units",
        (Lang::Vi, TileAwards) => "Khen thưởng",
        (Lang::En, TileAwards) => "Awards",
        (Lang::Vi, HeadTools) => "Công việc của trưởng cụm",
        (Lang::En, HeadTools) => "Cluster head's tools",
        (Lang::Vi, Target) => "Chỉ tiêu",
        (Lang::En, Target) => "Target",
        (Lang::Vi, Commitments) => "Nội dung giao ước",
        (Lang::En, Commitments) => "Commitments in words",
        (Lang::Vi, SignedOn) => "Ngày ký giao ước (ngày/tháng/năm)",
        (Lang::En, SignedOn) => "Date signed (day/month/year)",
        (Lang::Vi, SavePledge) => "Lưu đăng ký",
        (Lang::En, SavePledge) => "Save pledge",
        (Lang::Vi, PledgeWaiting) => "Đã lưu trên máy, chờ gửi tới trưởng cụm.",
        (Lang::En, PledgeWaiting) => "Saved on this device, waiting to reach the cluster head.",
        (Lang::Vi, PledgeReceived) => "Trưởng cụm đã nhận lúc",
        (Lang::En, PledgeReceived) => "The cluster head received it at",
        (Lang::Vi, PledgeOnServer) => "Trưởng cụm đã nhận đăng ký này.",
        (Lang::En, PledgeOnServer) => "The cluster head has this pledge.",
        (Lang::Vi, Points) => "điểm",
        (Lang::En, Points) => "points",
        (Lang::Vi, StorageUsed) => "Đang dùng",
        (Lang::En, StorageUsed) => "In use",
        (Lang::Vi, StorageQuota) => "trên tối đa khoảng",
        (Lang::En, StorageQuota) => "of about",
        (Lang::Vi, BackupTitle) => "Sao lưu",
        (Lang::En, BackupTitle) => "Backup",
        (Lang::Vi, BackupExplain) => "Tải về một tệp chứa mọi dữ liệu trên máy này, kể cả phần chưa đồng bộ và bản nháp. Có thể nhập lại vào máy này hoặc máy khác cùng cụm.",
        (Lang::En, BackupExplain) => "Download one file with everything on this device, unsynced changes and drafts included. It can be imported here or on another device of the same cluster.",
        (Lang::Vi, BackupExport) => "Tải tệp sao lưu",
        (Lang::En, BackupExport) => "Download a backup file",
        (Lang::Vi, BackupImport) => "Nhập tệp sao lưu",
        (Lang::En, BackupImport) => "Import a backup file",
        (Lang::Vi, BackupMade) => "Đã tạo tệp sao lưu.",
        (Lang::En, BackupMade) => "Backup file made.",
        (Lang::Vi, BackupFailed) => "Không tạo được tệp sao lưu.",
        (Lang::En, BackupFailed) => "Could not make the backup file.",
        (Lang::Vi, RestoreDone) => "Đã nhập. Số bản ghi mới hoặc được cập nhật:",
        (Lang::En, RestoreDone) => "Imported. Records added or updated:",
        (Lang::Vi, RestoreNotBackup) => "Tệp này không phải tệp sao lưu của Thi Đua.",
        (Lang::En, RestoreNotBackup) => "This file is not a Thi Đua backup.",
        (Lang::Vi, RestoreOtherCluster) => "Tệp sao lưu này thuộc cụm khác, không nhập.",
        (Lang::En, RestoreOtherCluster) => "This backup belongs to another cluster; nothing imported.",
        (Lang::Vi, DraftMissing) => "Không còn bản nháp này trên máy; đây là một báo cáo mới.",
        (Lang::En, DraftMissing) => "This draft is no longer on this device; this is a new report.",
        (Lang::Vi, EntryMissing) => "Không tìm thấy kết quả cần sửa; đây là một báo cáo mới.",
        (Lang::En, EntryMissing) => "The result to change was not found; this is a new report.",
        (Lang::Vi, SavedSending) => "Đã lưu trên máy và đang gửi lên máy chủ.",
        (Lang::En, SavedSending) => "Saved on this device and being sent to the server.",
        (Lang::Vi, SavedOffline) => "Đã lưu trên máy, sẽ gửi khi có mạng.",
        (Lang::En, SavedOffline) => "Saved on this device; it is sent when there is a network.",
        (Lang::Vi, CloseDraft) => "Đóng bản nháp (vẫn giữ trên máy)",
        (Lang::En, CloseDraft) => "Close the draft (it stays on this device)",
        (Lang::Vi, CancelEdit) => "Huỷ, không sửa nữa",
        (Lang::En, CancelEdit) => "Cancel, leave it as it was",
        (Lang::Vi, StartOver) => "Xoá hết và nhập báo cáo mới",
        (Lang::En, StartOver) => "Clear it and start a new report",
        (Lang::Vi, DraftHeading) => "Bản nháp",
        (Lang::En, DraftHeading) => "Draft",
        (Lang::Vi, CorrectHeading) => "Sửa kết quả bị trả lại",
        (Lang::En, CorrectHeading) => "Correct a returned result",
        (Lang::Vi, EditHeading) => "Sửa kết quả đã gửi",
        (Lang::En, EditHeading) => "Fix a sent result",
        (Lang::Vi, ResumeExplain) => "Đây là báo cáo bạn đang nhập dở, vẫn được giữ trên máy.",
        (Lang::En, ResumeExplain) => "This is the report you were typing; it was kept on this device.",
        (Lang::Vi, DraftExplain) => "Mọi thay đổi được lưu vào bản nháp này. Bấm Lưu để gửi kết quả, hoặc đóng để làm tiếp sau.",
        (Lang::En, DraftExplain) => "Every change goes into this draft. Save to send it as a result, or close it to finish later.",
        (Lang::Vi, EditExplain) => "Trưởng cụm chưa duyệt kết quả này. Khi lưu, bản sửa thay cho bản đã gửi.",
        (Lang::En, EditExplain) => "The cluster head has not reviewed this result yet. Saving replaces what was sent.",
        (Lang::Vi, ReturnReasonLabel) => "Lý do trưởng cụm trả lại:",
        (Lang::En, ReturnReasonLabel) => "Why the cluster head returned it:",
        (Lang::Vi, MoneyPlaceholder) => "Ví dụ: 5 triệu, 1,5 tỷ, 2.000.000",
        (Lang::En, MoneyPlaceholder) => "e.g. 5 triệu, 1,5 tỷ, 2.000.000",
        (Lang::Vi, CountPlaceholder) => "Ví dụ: 120",
        (Lang::En, CountPlaceholder) => "e.g. 120",
        (Lang::Vi, NoMatch) => "Không có kết quả nào.",
        (Lang::En, NoMatch) => "No results.",
        (Lang::Vi, StoryReturned) => "bị trả lại",
        (Lang::En, StoryReturned) => "returned",
        (Lang::Vi, StoryResent) => "Đã sửa và gửi lại bản này",
        (Lang::En, StoryResent) => "Corrected and sent again as this one",
        (Lang::Vi, FixEntry) => "Sửa",
        (Lang::En, FixEntry) => "Fix",
        (Lang::Vi, Withdraw) => "Rút lại",
        (Lang::En, Withdraw) => "Withdraw",
        (Lang::Vi, WithdrawConfirm) => "Rút lại kết quả này? Trưởng cụm sẽ không còn thấy nó. Lịch sử vẫn được giữ.",
        (Lang::En, WithdrawConfirm) => "Withdraw this result? The cluster head will no longer see it. Its history is kept.",
        (Lang::Vi, LastHeard) => "lần cuối lúc",
        (Lang::En, LastHeard) => "last at",
        (Lang::Vi, SyncSyncedAt) => "Đã đồng bộ lúc",
        (Lang::En, SyncSyncedAt) => "Synced at",
        (Lang::Vi, JoinName) => "Họ và tên của bạn",
        (Lang::En, JoinName) => "Your full name",
        (Lang::Vi, JoinNameHint) => "Trưởng cụm thấy máy này theo tên bạn.",
        (Lang::En, JoinNameHint) => "The cluster head sees this device under your name.",
        (Lang::Vi, JoinNameNeeded) => "Hãy cho biết họ tên để trưởng cụm biết máy này của ai.",
        (Lang::En, JoinNameNeeded) => "Give your name so the cluster head knows whose device this is.",
        (Lang::Vi, UnnamedDevice) => "Máy chưa đặt tên",
        (Lang::En, UnnamedDevice) => "Unnamed device",
        (Lang::Vi, JoinCodeNeeded) => "Hãy nhập mã mời trưởng cụm gửi cho bạn.",
        (Lang::En, JoinCodeNeeded) => "Type the invite code the cluster head gave you.",
        (Lang::Vi, AlreadyJoinedTitle) => "Máy này đã tham gia một cụm",
        (Lang::En, AlreadyJoinedTitle) => "This device has already joined a cluster",
        (Lang::Vi, AlreadyJoinedExplain) => "Liên kết mời vừa mở không được dùng trên máy này. Mỗi máy chỉ thuộc một cụm và một đơn vị. Muốn dùng liên kết này, hãy vào Cài đặt, sao lưu rồi rời cụm trước.",
        (Lang::En, AlreadyJoinedExplain) => "The invite link you opened was not used on this device. A device belongs to one cluster and one unit. To use this link, open Settings, make a backup, then leave the cluster first.",
        (Lang::Vi, GoHome) => "Về trang chủ",
        (Lang::En, GoHome) => "Go to home",
        (Lang::Vi, JoinedTitle) => "Đã tham gia cụm",
        (Lang::En, JoinedTitle) => "Joined the cluster",
        (Lang::Vi, JoinedAsRole) => "Vai trò",
        (Lang::En, JoinedAsRole) => "Role",
        (Lang::Vi, Dismiss) => "Đã hiểu",
        (Lang::En, Dismiss) => "OK",
        (Lang::Vi, RestoreJoinFirst) => "Máy này chưa tham gia cụm. Hãy mở liên kết mời của trưởng cụm để tham gia, rồi nhập bản sao lưu.",
        (Lang::En, RestoreJoinFirst) => "This device has not joined a cluster. Open the cluster head's invite link to join, then import the backup.",
        (Lang::Vi, BackupNoToken) => "Tệp sao lưu không chứa mã đăng nhập của máy, nên người nhận được tệp không thể dùng danh nghĩa máy này. Khôi phục trên máy mới: tham gia bằng liên kết mời trước, rồi nhập tệp.",
        (Lang::En, BackupNoToken) => "The backup file holds no sign-in token for this device, so whoever gets the file cannot act as it. To restore on a new phone: join with an invite link first, then import the file.",
        (Lang::Vi, StorageNearlyFull) => "Bộ nhớ trên máy đã dùng",
        (Lang::En, StorageNearlyFull) => "This device's storage is used to",
        (Lang::Vi, StorageOfRecords) => "Dữ liệu của cụm",
        (Lang::En, StorageOfRecords) => "The cluster's data",
        (Lang::Vi, StorageOfOther) => "Khác",
        (Lang::En, StorageOfOther) => "Other",
        (Lang::Vi, StorageNearlyFullExplain) => "Hãy tải tệp sao lưu. Khi bộ nhớ đầy, kết quả mới chỉ còn trong bộ nhớ tạm của ứng dụng cho đến khi gửi được lên máy chủ.",
        (Lang::En, StorageNearlyFullExplain) => "Download a backup. When the storage is full, new results are kept only in the app's memory until they reach the server.",
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
            Role::Board => Msg::RoleBoard,
        },
    )
}

/// The warning before leaving when this device holds what exists nowhere else: changes
/// not yet synced (refused ones included) and drafts, counted, with the way out (a backup).
pub fn leave_warning(lang: Lang, unsynced: usize, drafts: usize) -> String {
    let mut parts = Vec::new();
    match lang {
        Lang::Vi => {
            if unsynced > 0 {
                parts.push(format!("{unsynced} thay đổi chưa đồng bộ"));
            }
            if drafts > 0 {
                parts.push(format!("{drafts} bản nháp"));
            }
            format!(
                "Trên máy này còn {} sẽ bị mất khi rời cụm. Hãy xuất bản sao lưu trước. Vẫn rời?",
                parts.join(" và ")
            )
        }
        Lang::En => {
            if unsynced > 0 {
                parts.push(format!(
                    "{unsynced} unsynced change{}",
                    if unsynced == 1 { "" } else { "s" }
                ));
            }
            if drafts > 0 {
                parts.push(format!(
                    "{drafts} draft{}",
                    if drafts == 1 { "" } else { "s" }
                ));
            }
            format!(
                "This device still holds {} that will be lost if you leave. Export a backup first. Leave anyway?",
                parts.join(" and ")
            )
        }
    }
}

/// A change the server refused, in the user's words: what the code means, then the
/// server's own reason (it names the field or the rule), so nothing is hidden.
pub fn refusal_text(lang: Lang, code: &thidua_core::wire::RefusalCode, detail: &str) -> String {
    use thidua_core::wire::RefusalCode as C;
    let what = match (lang, code) {
        (Lang::Vi, C::Forbidden) => "Máy này không có quyền sửa mục này",
        (Lang::En, C::Forbidden) => "This device may not change this",
        (Lang::Vi, C::Invalid) => "Dữ liệu chưa hợp lệ, hãy sửa lại",
        (Lang::En, C::Invalid) => "Not valid; please correct it",
        (Lang::Vi, C::ForeignId) => "Mục này thuộc cụm khác",
        (Lang::En, C::ForeignId) => "This belongs to another cluster",
        (Lang::Vi, C::KindMismatch | C::BadClock) => "Máy chủ không nhận được thay đổi này",
        (Lang::En, C::KindMismatch | C::BadClock) => "The server cannot take this change",
        // `retry` is never kept (it goes out again); unknown codes are said generally.
        (Lang::Vi, C::Retry | C::Other(_)) => "Máy chủ không nhận",
        (Lang::En, C::Retry | C::Other(_)) => "The server did not take it",
    };
    let detail_label = match lang {
        Lang::Vi => "chi tiết",
        Lang::En => "details",
    };
    format!("{what} ({detail_label}: {detail}).")
}

/// Why a typed figure was not taken, in the user's words, with an example of what is.
pub fn figure_error_text(
    lang: Lang,
    error: &thidua_core::FigureError,
    kind: thidua_core::FigureKind,
) -> String {
    use thidua_core::{FigureError as E, FigureKind as K};
    match (lang, error) {
        (Lang::Vi, E::Negative) => "Không được là số âm.".into(),
        (Lang::En, E::Negative) => "Must not be negative.".into(),
        (Lang::Vi, E::Unknown(word)) => match kind {
            K::Money => {
                format!("Không hiểu “{word}”. Hãy nhập như 5 triệu, 1,5 tỷ hoặc 2.000.000.")
            }
            K::Count => format!("Không hiểu “{word}”. Chỉ nhập con số, ví dụ 120 hoặc 1.500."),
        },
        (Lang::En, E::Unknown(word)) => match kind {
            K::Money => {
                format!("“{word}” is not understood. Type e.g. 5 triệu, 1,5 tỷ or 2.000.000.")
            }
            K::Count => {
                format!("“{word}” is not understood. Type a number only, e.g. 120 or 1,500.")
            }
        },
        (Lang::Vi, E::BadGrouping) => {
            "Dấu chấm tách hàng nghìn (2.000.000), dấu phẩy cho phần lẻ (1,5 triệu).".into()
        }
        (Lang::En, E::BadGrouping) => {
            "Commas group thousands (2,000,000); a point marks decimals (1.5 million).".into()
        }
        (Lang::Vi, E::NotWhole) => match kind {
            K::Money => {
                "Số tiền phải là số đồng chẵn; nếu là triệu hay tỷ hãy ghi thêm, ví dụ 1,5 triệu."
                    .into()
            }
            K::Count => "Phải là số nguyên, ví dụ 120.".into(),
        },
        (Lang::En, E::NotWhole) => match kind {
            K::Money => {
                "Money is whole đồng; for millions or billions say so, e.g. 1.5 million.".into()
            }
            K::Count => "Must be a whole number, e.g. 120.".into(),
        },
        (Lang::Vi, E::TooLarge) => "Số quá lớn.".into(),
        (Lang::En, E::TooLarge) => "The number is too large.".into(),
    }
}

/// A failed join, in the user's words, by the server's answer.
pub fn join_error(lang: Lang, status: u16) -> &'static str {
    match (lang, status) {
        (Lang::Vi, 429) => "Nhập sai quá nhiều lần. Hãy đợi một phút rồi thử lại.",
        (Lang::En, 429) => "Too many wrong tries. Wait a minute and try again.",
        (Lang::Vi, 400 | 403 | 404 | 410) => {
            "Mã mời không dùng được: sai, đã hết hạn hoặc đã bị thu hồi. Hãy kiểm tra lại hoặc xin trưởng cụm mã mới."
        }
        (Lang::En, 400 | 403 | 404 | 410) => {
            "This invite code cannot be used: it is wrong, expired or withdrawn. Check it or ask the cluster head for a new one."
        }
        (Lang::Vi, _) => "Máy chủ đang gặp sự cố. Hãy thử lại sau ít phút.",
        (Lang::En, _) => "The server is having trouble. Try again in a few minutes.",
    }
}

/// A failed join whose invite can no longer be used, by the server's error code (410:
/// `invite_withdrawn`, `invite_expired`, `invite_used_up`); `None` for other codes, which
/// [`join_error`] words by status.
pub fn invite_refusal(lang: Lang, code: &thidua_core::wire::ErrorCode) -> Option<&'static str> {
    use thidua_core::wire::ErrorCode as C;
    Some(match (lang, code) {
        (Lang::Vi, C::InviteWithdrawn) => {
            "Mã mời này đã bị trưởng cụm thu hồi. Hãy xin trưởng cụm mã mới."
        }
        (Lang::En, C::InviteWithdrawn) => {
            "The cluster head withdrew this invite code. Ask the cluster head for a new one."
        }
        (Lang::Vi, C::InviteExpired) => "Mã mời này đã hết hạn. Hãy xin trưởng cụm mã mới.",
        (Lang::En, C::InviteExpired) => {
            "This invite code has expired. Ask the cluster head for a new one."
        }
        (Lang::Vi, C::InviteUsedUp) => {
            "Mã mời này đã được dùng đủ số lần cho phép. Hãy xin trưởng cụm mã mới."
        }
        (Lang::En, C::InviteUsedUp) => {
            "This invite code has been used as many times as it allows. Ask the cluster head for a new one."
        }
        _ => return None,
    })
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
        (Lang::Vi, P::NotFinite) => "Phải là một số.".into(),
        (Lang::En, P::NotFinite) => "Must be a number.".into(),
        (Lang::Vi, P::TooSmall { min }) => format!("Ít nhất là {}.", group(*min, '.')),
        (Lang::En, P::TooSmall { min }) => format!("At least {}.", group(*min, ',')),
        (Lang::Vi, P::TooMany { max }) => format!("Nhiều quá {max} mục."),
        (Lang::En, P::TooMany { max }) => format!("More than {max} items."),
        (Lang::Vi, P::YearOutOfRange { min, max }) => format!("Năm phải từ {min} đến {max}."),
        (Lang::En, P::YearOutOfRange { min, max }) => {
            format!("The year must be between {min} and {max}.")
        }
        (Lang::Vi, P::EndBeforeStart) => "Ngày kết thúc không được trước ngày bắt đầu.".into(),
        (Lang::En, P::EndBeforeStart) => "The end must not be before the start.".into(),
        (Lang::Vi, P::DuplicateCriterion) => "Tiêu chí này đã có trong danh sách.".into(),
        (Lang::En, P::DuplicateCriterion) => "This criterion is listed twice.".into(),
        (Lang::Vi, P::DuplicateUnit) => "Đơn vị này đã có trong danh sách.".into(),
        (Lang::En, P::DuplicateUnit) => "This unit is listed twice.".into(),
        (Lang::Vi, P::SameAsHead) => "Phó cụm phải là đơn vị khác với trưởng cụm.".into(),
        (Lang::En, P::SameAsHead) => "The deputy must be a different unit from the head.".into(),
        (Lang::Vi, P::InFuture) => "Ngày không được sau hôm nay.".into(),
        (Lang::En, P::InFuture) => "The date must not be after today.".into(),
        (Lang::Vi, P::BadFile) => "Có tệp minh chứng không hợp lệ.".into(),
        (Lang::En, P::BadFile) => "A file of evidence is not valid.".into(),
        (Lang::Vi, P::VoteNotPassed) => "Chỉ gửi lên khi cụm đã biểu quyết thông qua.".into(),
        (Lang::En, P::VoteNotPassed) => "Send it up only once the cluster's vote passed.".into(),
        (Lang::Vi, P::NotWaiting) => {
            "Đề nghị này đã được cụm gửi lại hoặc rút về; hãy tải lại và quyết định trên lần gửi mới nhất.".into()
        }
        (Lang::En, P::NotWaiting) => {
            "The cluster has sent this proposal again or taken it back; refresh and decide on the latest sending.".into()
        }
    }
}

/// Digits grouped by thousands: `group(2000000, '.')` is `2.000.000`.
pub fn group(n: u64, sep: char) -> String {
    thidua_core::format::group_thousands(n, sep)
}

/// Money as the user reads it: `2.000.000 ₫` in Vietnamese, `2,000,000 VND` in English.
pub fn money(lang: Lang, vnd: u64) -> String {
    thidua_core::format::vnd(vnd, lang)
}

/// Dates are `dd/mm/yyyy` in both languages.
pub fn date(d: chrono::NaiveDate) -> String {
    thidua_core::format::date(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_core::Problem;

    fn every_problem() -> Vec<Problem> {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 4, d).unwrap_or_default();
        vec![
            Problem::Required,
            Problem::TooLong { max: 200 },
            Problem::Negative,
            Problem::NotFinite,
            Problem::TooLarge { max: 1_000_000 },
            Problem::TooSmall { min: 1 },
            Problem::TooMany { max: 1000 },
            Problem::YearOutOfRange {
                min: 1945,
                max: 2100,
            },
            Problem::DateOutsideCampaign {
                start: day(15),
                end: day(30),
            },
            Problem::EndBeforeStart,
            Problem::UnknownReference,
            Problem::DuplicateCriterion,
            Problem::DuplicateUnit,
            Problem::SameAsHead,
            Problem::InFuture,
            Problem::BadFile,
            Problem::VoteNotPassed,
            Problem::NotWaiting,
        ]
    }

    #[test]
    fn every_validation_problem_is_said_in_both_languages_not_in_cores_english() {
        for p in every_problem() {
            let (vi, en) = (problem_text(Lang::Vi, &p), problem_text(Lang::En, &p));
            assert!(!vi.is_empty() && !en.is_empty(), "{p:?}");
            assert_ne!(vi, en, "{p:?} is not translated");
            // Core's Display text is English for logs and the API; it must not leak into the UI.
            assert!(!vi.contains(&p.to_string()), "{p:?}: {vi}");
        }
        assert_eq!(
            problem_text(Lang::Vi, &Problem::TooLarge { max: 1_000_000 }),
            "Lớn quá mức cho phép (1.000.000)."
        );
    }

    #[test]
    fn refusals_and_join_failures_are_said_in_the_users_language_with_the_servers_words() {
        use thidua_core::wire::{ErrorCode, RefusalCode};
        let unknown = RefusalCode::from("too_late");
        for code in RefusalCode::ALL
            .iter()
            .chain([&unknown, &RefusalCode::default()])
        {
            let vi = refusal_text(Lang::Vi, code, "title is required");
            assert!(vi.contains("chi tiết: title is required"), "{vi}");
            assert_ne!(vi, refusal_text(Lang::En, code, "title is required"));
        }
        assert!(refusal_text(Lang::Vi, &RefusalCode::Forbidden, "x")
            .starts_with("Máy này không có quyền"));
        assert!(join_error(Lang::Vi, 429).contains("một phút"));
        assert!(join_error(Lang::Vi, 403).contains("Mã mời"));
        assert!(join_error(Lang::En, 500).contains("server"));
        for code in [
            ErrorCode::InviteWithdrawn,
            ErrorCode::InviteExpired,
            ErrorCode::InviteUsedUp,
        ] {
            let vi = invite_refusal(Lang::Vi, &code).unwrap_or_default();
            let en = invite_refusal(Lang::En, &code).unwrap_or_default();
            assert!(
                vi.contains("Mã mời") && en.contains("invite code"),
                "{code}"
            );
        }
        assert_eq!(invite_refusal(Lang::Vi, &ErrorCode::Forbidden), None);
        // A newer server's code for a dead link is said by status, as before.
        assert_eq!(
            invite_refusal(Lang::Vi, &ErrorCode::from("invite_paused")),
            None
        );
    }

    #[test]
    fn leaving_warns_with_what_only_this_device_holds() {
        assert_eq!(
            leave_warning(Lang::Vi, 3, 2),
            "Trên máy này còn 3 thay đổi chưa đồng bộ và 2 bản nháp sẽ bị mất khi rời cụm. \
             Hãy xuất bản sao lưu trước. Vẫn rời?"
        );
        assert!(leave_warning(Lang::En, 1, 0).contains("1 unsynced change that"));
        assert!(leave_warning(Lang::En, 0, 2).contains("2 drafts"));
    }

    #[test]
    fn officer_and_head_words_are_distinct_in_each_language() {
        // A few messages read side by side on one screen must not collapse into one.
        for lang in [Lang::Vi, Lang::En] {
            assert_ne!(t(lang, Msg::StatusDraft), t(lang, Msg::StatusWaiting));
            assert_ne!(t(lang, Msg::StatusSubmitted), t(lang, Msg::StatusApproved));
            assert_ne!(t(lang, Msg::StatusReturned), t(lang, Msg::StatusRefused));
        }
        assert_eq!(t(Lang::Vi, Msg::StatusDraft), "Nháp");
    }
}
