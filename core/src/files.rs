//! Evidence (minh chứng): the photos and files a result rests on. A result lists its files by
//! reference — the SHA-256 of the bytes, the size, the type and the original name — and the
//! bytes travel apart (uploaded by the phone, kept content-addressed by the server), so a
//! record never waits for its files and a file sent twice is stored once.
//!
//! Both sides check the same rules: what types are taken (read from the bytes themselves, never
//! from a name), how big a file may be, how many a result may carry.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Most files one result may carry.
pub const MAX_FILES: usize = 6;
/// Largest file taken by default (a PDF kept as it is; photos are made small on the phone).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Longest original name kept, in characters.
pub const MAX_FILE_NAME: usize = 120;
/// The longest side a photo is made to on the phone before it is kept.
pub const PHOTO_MAX_SIDE: u32 = 1600;

/// The kinds of evidence taken: photos and PDF documents.
// `Deserialize` is written by hand below, from the media type that `Serialize` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FileType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl FileType {
    pub const ALL: [FileType; 4] = [FileType::Jpeg, FileType::Png, FileType::Webp, FileType::Pdf];

    /// The media type, as sent in `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.mime() == mime)
    }

    pub fn is_image(self) -> bool {
        self != FileType::Pdf
    }

    /// What the bytes say they are, from their first bytes (magic numbers), or `None` when
    /// they are none of the types taken (a program renamed `.jpg` is caught here).
    pub fn sniff(head: &[u8]) -> Option<FileType> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            Some(FileType::Webp)
        } else if head.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else {
            None
        }
    }
}

/// Read from its media type with [`FileType::from_mime`]: one string match instead of serde's
/// derived enum reader (about a kilobyte of the app's wasm).
impl<'de> Deserialize<'de> for FileType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mime = String::deserialize(d)?;
        FileType::from_mime(&mime).ok_or_else(|| {
            serde::de::Error::custom(
                "not a FileType: expected one of image/jpeg image/png image/webp application/pdf",
            )
        })
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// A file of evidence as a result lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRef {
    /// Lowercase hex SHA-256 of the bytes: the file's name everywhere.
    pub hash: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub file_type: FileType,
    /// The name it had on the phone (shown, never used as a path).
    pub name: String,
}

/// What is wrong with a file or a result's list of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Not 64 lowercase hex digits.
    BadHash,
    Empty,
    TooBig {
        max: u64,
    },
    TooMany {
        max: usize,
    },
    NameTooLong {
        max: usize,
    },
    /// The same file listed twice.
    Repeated,
    /// The bytes are not of a type taken (or not of the type the reference says).
    NotAllowed,
    /// The bytes do not match the hash they were sent under.
    HashMismatch,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::BadHash => write!(f, "the hash must be 64 lowercase hex digits (SHA-256)"),
            FileProblem::Empty => write!(f, "the file is empty"),
            FileProblem::TooBig { max } => write!(f, "the file is larger than {max} bytes"),
            FileProblem::TooMany { max } => write!(f, "a result carries at most {max} files"),
            FileProblem::NameTooLong { max } => {
                write!(f, "the file's name is longer than {max} characters")
            }
            FileProblem::Repeated => write!(f, "the same file is listed twice"),
            FileProblem::NotAllowed => write!(
                f,
                "only JPEG, PNG or WebP photos and PDF documents are taken, as their bytes show"
            ),
            FileProblem::HashMismatch => {
                write!(f, "the bytes received do not match the file's SHA-256")
            }
        }
    }
}

/// Whether `hash` is a SHA-256 written as 64 lowercase hex digits.
pub fn is_hash(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks one reference against the limits (`max_bytes` is the server's or the default).
pub fn check_ref(file: &FileRef, max_bytes: u64) -> Result<(), FileProblem> {
    if !is_hash(&file.hash) {
        return Err(FileProblem::BadHash);
    }
    if file.size == 0 {
        return Err(FileProblem::Empty);
    }
    if file.size > max_bytes {
        return Err(FileProblem::TooBig { max: max_bytes });
    }
    if file.name.chars().count() > MAX_FILE_NAME {
        return Err(FileProblem::NameTooLong { max: MAX_FILE_NAME });
    }
    Ok(())
}

/// Checks a result's list of files: each reference, their number, no file twice.
pub fn check_list(files: &[FileRef], max_bytes: u64) -> Result<(), FileProblem> {
    if files.len() > MAX_FILES {
        return Err(FileProblem::TooMany { max: MAX_FILES });
    }
    for (i, f) in files.iter().enumerate() {
        check_ref(f, max_bytes)?;
        if files[..i].iter().any(|g| g.hash == f.hash) {
            return Err(FileProblem::Repeated);
        }
    }
    Ok(())
}

/// A photo's size once made small: the longest side at most [`PHOTO_MAX_SIDE`], the shape kept.
pub fn photo_size(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= PHOTO_MAX_SIDE || longest == 0 {
        return (width, height);
    }
    let scale = |x: u32| {
        let scaled = u64::from(x) * u64::from(PHOTO_MAX_SIDE) / u64::from(longest);
        u32::try_from(scaled).unwrap_or(PHOTO_MAX_SIDE).max(1)
    };
    (scale(width), scale(height))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn file(hash: &str, size: u64) -> FileRef {
        FileRef {
            hash: hash.into(),
            size,
            file_type: FileType::Jpeg,
            name: "anh-trong-cay.jpg".into(),
        }
    }

    const H: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn types_are_read_from_the_bytes() {
        assert_eq!(
            FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileType::Png)
        );
        assert_eq!(
            FileType::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(FileType::Webp)
        );
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        // A program renamed .jpg, a script, nothing.
        assert_eq!(FileType::sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(FileType::sniff(b"\x7fELF\x02\x01"), None);
        assert_eq!(FileType::sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(FileType::sniff(b""), None);
        assert_eq!(FileType::sniff(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn types_serialize_as_media_types() {
        assert_eq!(
            serde_json::to_string(&FileType::Pdf).unwrap(),
            "\"application/pdf\""
        );
        for t in FileType::ALL {
            let text = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<FileType>(&text).unwrap(), t);
        }
        assert!(serde_json::from_str::<FileType>("\"image/gif\"").is_err());
        let json = serde_json::to_string(&file(H, 1)).unwrap();
        assert!(json.contains("\"type\":\"image/jpeg\""), "{json}");
        assert_eq!(serde_json::from_str::<FileRef>(&json).unwrap(), file(H, 1));
        assert_eq!(FileType::from_mime("image/webp"), Some(FileType::Webp));
        assert_eq!(FileType::from_mime("image/gif"), None);
    }

    #[test]
    fn references_and_lists_are_checked() {
        let max = DEFAULT_MAX_FILE_BYTES;
        assert_eq!(check_ref(&file(H, 250_000), max), Ok(()));
        assert_eq!(check_ref(&file("abc", 1), max), Err(FileProblem::BadHash));
        assert_eq!(
            check_ref(&file(&H.to_uppercase(), 1), max),
            Err(FileProblem::BadHash)
        );
        assert_eq!(check_ref(&file(H, 0), max), Err(FileProblem::Empty));
        assert_eq!(
            check_ref(&file(H, max + 1), max),
            Err(FileProblem::TooBig { max })
        );
        let long = FileRef {
            name: "ả".repeat(MAX_FILE_NAME + 1),
            ..file(H, 1)
        };
        assert_eq!(
            check_ref(&long, max),
            Err(FileProblem::NameTooLong { max: MAX_FILE_NAME })
        );
        let hash = |n: u8| format!("{:064x}", n);
        let seven: Vec<FileRef> = (0..7).map(|n| file(&hash(n), 10)).collect();
        assert_eq!(
            check_list(&seven, max),
            Err(FileProblem::TooMany { max: MAX_FILES })
        );
        assert_eq!(check_list(&seven[..6], max), Ok(()));
        assert_eq!(
            check_list(&[file(H, 1), file(H, 1)], max),
            Err(FileProblem::Repeated)
        );
    }

    #[test]
    fn photos_are_made_small_keeping_their_shape() {
        assert_eq!(photo_size(4000, 3000), (1600, 1200));
        assert_eq!(photo_size(3000, 4000), (1200, 1600));
        assert_eq!(photo_size(1200, 900), (1200, 900));
        assert_eq!(photo_size(8000, 10), (1600, 2));
        assert_eq!(photo_size(100_000, 1), (1600, 1));
        assert_eq!(photo_size(0, 0), (0, 0));
    }
}
