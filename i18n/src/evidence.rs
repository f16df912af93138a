//! The words of evidence (minh chứng): attaching photos and files to a result, where each
//! file's upload stands, the reviewer's thumbnails and viewer, and the files kept on the
//! phone. Vietnamese first, English second; one exhaustive `match`, so a word missing in
//! either language does not compile.

use thidua_core::wire::ErrorCode;

use crate::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceMsg {
    Title,
    Explain,
    TakePhoto,
    PickFile,
    Preparing,
    Remove,
    OnPhoneOnly,
    Sending,
    Received,
    Refused,
    NotOnPhone,
    NotArrived,
    Unknown,
    TooMany,
    NotAllowed,
    PdfTooBig,
    Unreadable,
    PhoneFull,
    NoStore,
    Open,
    Close,
    Previous,
    Next,
    Loading,
    CouldNotLoad,
    PdfOpen,
    StorageTitle,
    StorageNone,
    FreeSpace,
    Freed,
    RestoredFiles,
}

pub fn te(lang: Lang, msg: EvidenceMsg) -> &'static str {
    use EvidenceMsg::*;
    let (vi, en) = match msg {
        Title => ("Minh chứng (ảnh, tệp)", "Evidence (photos, files)"),
        Explain => (
            "Tối đa 6 tệp: ảnh hoặc PDF. Ảnh được thu nhỏ trên máy trước khi lưu; tệp được gửi khi có mạng.",
            "Up to 6 files: photos or PDFs. Photos are made small on the phone before they are kept; files are sent when online.",
        ),
        TakePhoto => ("Thêm ảnh", "Add photo"),
        PickFile => ("Thêm tệp", "Add file"),
        Preparing => ("Đang thu nhỏ ảnh…", "Making the photo small…"),
        Remove => ("Bỏ tệp này", "Remove this file"),
        OnPhoneOnly => ("Chỉ có trên máy này", "On this phone only"),
        Sending => ("Đang gửi", "Sending"),
        Received => ("Máy chủ đã nhận", "Received by the server"),
        Refused => ("Bị từ chối", "Refused"),
        NotOnPhone => ("Chưa tải về máy này", "Not on this phone"),
        NotArrived => ("Tệp chưa đến máy chủ", "Not yet on the server"),
        Unknown => ("Chưa rõ (cần mạng để kiểm tra)", "Not known (needs the network to check)"),
        TooMany => ("Mỗi kết quả có tối đa 6 tệp.", "A result has at most 6 files."),
        NotAllowed => (
            "Tệp này không phải ảnh (JPEG, PNG, WebP) hay PDF nên không được nhận.",
            "This file is not a photo (JPEG, PNG, WebP) or a PDF, so it is not accepted.",
        ),
        PdfTooBig => (
            "Tệp PDF lớn hơn 10 MB. Hãy chụp ảnh các trang cần thiết hoặc thu nhỏ tệp.",
            "The PDF is larger than 10 MB. Photograph the pages needed or make the file smaller.",
        ),
        Unreadable => (
            "Máy không đọc được tệp này. Hãy thử chụp lại hoặc chọn tệp khác.",
            "The phone could not read this file. Take the photo again or pick another file.",
        ),
        PhoneFull => (
            "Bộ nhớ của máy đã đầy nên không giữ được tệp này. Kết quả vẫn được giữ; hãy giải phóng dung lượng (Cài đặt) rồi thêm lại.",
            "The phone's storage is full, so this file was not kept. The result is kept; free some space (Settings) and add it again.",
        ),
        NoStore => (
            "Trình duyệt này không cho lưu tệp trên máy (có thể đang ở chế độ ẩn danh).",
            "This browser does not let the app keep files (a private window?).",
        ),
        Open => ("Xem tệp", "Open file"),
        Close => ("Đóng", "Close"),
        Previous => ("Tệp trước", "Previous file"),
        Next => ("Tệp sau", "Next file"),
        Loading => ("Đang tải…", "Loading…"),
        CouldNotLoad => ("Không tải được tệp. Hãy thử lại khi có mạng.", "Could not load the file. Try again when online."),
        PdfOpen => ("Mở tệp PDF", "Open the PDF"),
        StorageTitle => ("Tệp minh chứng trên máy", "Evidence files on this phone"),
        StorageNone => ("Chưa có tệp nào trên máy này.", "No files on this phone."),
        FreeSpace => ("Xoá các tệp máy chủ đã nhận", "Remove files the server has"),
        Freed => ("Đã xoá các tệp máy chủ đã nhận khỏi máy này.", "Files the server has were removed from this phone."),
        RestoredFiles => ("Đã khôi phục các tệp chưa gửi.", "The unsent files were restored."),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// "2 / 3 tệp đã đến": how many of a result's files the server holds.
pub fn arrived(lang: Lang, arrived: usize, total: usize) -> String {
    match lang {
        Lang::Vi => format!("{arrived} / {total} tệp đã đến"),
        Lang::En => format!("{arrived} / {total} files arrived"),
    }
}

/// "Đang gửi 45%".
pub fn sending(lang: Lang, percent: u64) -> String {
    format!("{} {percent}%", te(lang, EvidenceMsg::Sending))
}

/// A file's size as people read it: "248 KB", "1,2 MB".
pub fn size(lang: Lang, bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        return format!("{} KB", bytes.div_ceil(1024));
    }
    let tenths = (bytes * 10).div_ceil(1024 * 1024);
    let sep = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    format!("{}{sep}{} MB", tenths / 10, tenths % 10)
}

/// "3 tệp, 1,2 MB; 2 tệp chưa gửi".
pub fn usage(lang: Lang, files: usize, bytes: u64, unsent: usize) -> String {
    let total = size(lang, bytes);
    match lang {
        Lang::Vi => format!("{files} tệp, {total}; {unsent} tệp chưa gửi."),
        Lang::En => format!("{files} files, {total}; {unsent} not sent yet."),
    }
}

/// Why the server refused a file, by its code, in the user's language.
pub fn refusal(lang: Lang, code: &ErrorCode) -> &'static str {
    let (vi, en) = match code {
        ErrorCode::HashMismatch => (
            "nội dung tệp bị hỏng trên đường gửi hoặc trên máy (không khớp mã kiểm tra). Hãy bỏ tệp và thêm lại.",
            "the file's bytes were damaged on the way or on the phone (they do not match its checksum). Remove it and add it again.",
        ),
        ErrorCode::FileTypeNotAllowed => (
            "tệp không phải ảnh (JPEG, PNG, WebP) hay PDF.",
            "the file is not a photo (JPEG, PNG, WebP) or a PDF.",
        ),
        ErrorCode::FileTooLarge => (
            "tệp lớn hơn mức máy chủ cho phép cho một tệp.",
            "the file is larger than the server allows for one file.",
        ),
        ErrorCode::ClusterStorageFull => (
            "kho tệp của cụm trên máy chủ đã đầy. Hãy báo trưởng cụm.",
            "the cluster's file space on the server is full. Tell the cluster head.",
        ),
        ErrorCode::FileNotReferenced | ErrorCode::Forbidden | ErrorCode::NotFound => (
            "tệp không thuộc kết quả nào của cụm này.",
            "the file belongs to no result of this cluster.",
        ),
        _ => (
            "máy chủ không nhận tệp này.",
            "the server did not accept this file.",
        ),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size(Lang::Vi, 250 * 1024), "250 KB");
        assert_eq!(size(Lang::Vi, 1_300_000), "1,3 MB");
        assert_eq!(size(Lang::En, 10 * 1024 * 1024), "10.0 MB");
        assert_eq!(arrived(Lang::Vi, 2, 3), "2 / 3 tệp đã đến");
    }

    #[test]
    fn every_file_refusal_has_its_own_words() {
        let codes = [
            ErrorCode::HashMismatch,
            ErrorCode::FileTypeNotAllowed,
            ErrorCode::FileTooLarge,
            ErrorCode::ClusterStorageFull,
            ErrorCode::FileNotReferenced,
        ];
        for lang in [Lang::Vi, Lang::En] {
            let words: std::collections::BTreeSet<_> =
                codes.iter().map(|c| refusal(lang, c)).collect();
            assert_eq!(words.len(), codes.len(), "{lang:?}");
        }
    }
}
