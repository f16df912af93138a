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
    }
}
