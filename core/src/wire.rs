//! Every request and response body of the HTTP API (`/api/*`), written once: the server reads
//! and answers with these types, the app and the load generator send and read them.
//!
//! The JSON is the sync protocol, and phones in the field run old versions: old apps keep
//! syncing with a new server and the reverse. So a field is never renamed or removed here, and
//! a new one comes with a default; codes are read into enums that keep an unknown code as it
//! was sent ([`ErrorCode::Other`], [`RefusalCode::Other`]), so a newer server's new code does
//! not stop an older app from reading the answer.
//!
//! With the `openapi` feature (the server's), each type also describes itself for the API
//! description (`/api/openapi.json`); the app builds without it and pays nothing for it.
//! Bounds in `#[schema(...)]` must be literals; the server's tests check them against the
//! constants below.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::auth::Role;
use crate::format::Lang;
use crate::ids::{DeviceId, InviteId, RecordId, UnitId};
use crate::model::{AwardKind, Decision};
use crate::proposal::AwardRecord;
use crate::rollup::Rollup;
use crate::sync::{Record, Revision};

pub use crate::sync::WireRecord;

/// Most records one push may carry.
pub const MAX_PUSH_RECORDS: usize = 5000;
/// Longest `push_id`.
pub const MAX_PUSH_ID: usize = 100;
/// Records in a pull page when the caller names no `limit`.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
/// Largest `limit` of a pull.
pub const MAX_PULL_LIMIT: u32 = 1000;
/// Largest chunk of a file one `PUT /api/files/{hash}` may carry.
pub const MAX_FILE_CHUNK: usize = 1024 * 1024;
/// Most hashes one `POST /api/files/status` may ask about.
pub const MAX_FILES_STATUS: usize = 500;
/// Longest device name, in characters.
pub const MAX_DEVICE_NAME: usize = 100;
/// Days an invite works when the head names no `expires_in_days`.
pub const DEFAULT_INVITE_DAYS: u32 = 14;
/// Largest `expires_in_days` of an invite.
pub const MAX_INVITE_DAYS: u32 = 365;
/// Largest `max_uses` of an invite.
pub const MAX_INVITE_USES: u32 = 1000;
/// Most member units a cluster is created with.
pub const MAX_NEW_CLUSTER_UNITS: usize = 200;
/// Longest name of a federation, a cluster or a unit, in characters (as `validate`'s).
pub const MAX_BOARD_NAME: usize = 200;
/// Longest text of an award-history search field, in characters.
pub const MAX_SEARCH_TEXT: usize = 100;

/// A machine-readable code sent as a string: the codes this build knows are variants, any
/// other is kept as sent. Reading is one string match, so the app's wasm stays small.
macro_rules! code_enum {
    (
        $(#[$doc:meta])*
        $name:ident ($what:literal) {
            $($(#[$vdoc:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A code this build does not know, as it was sent (empty: none was sent).
            Other(String),
        }

        impl $name {
            /// Every code this build knows.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(code) => code,
                }
            }
        }

        // A search of `ALL` rather than a `match` on the strings: the app reads codes, and
        // this is the smaller code.
        impl From<String> for $name {
            fn from(code: String) -> Self {
                Self::ALL
                    .iter()
                    .find(|known| known.as_str() == code)
                    .cloned()
                    .unwrap_or($name::Other(code))
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                Self::from(code.to_owned())
            }
        }

        /// No code sent (answers of older servers).
        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }

        // Described by the codes the server sends (it never sends `Other`).
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(Self::ALL.iter().map($name::as_str)))
                    .description(Some($what))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

/// `Deserialize` for a closed enum of unit variants, from its name: one string match instead
/// of serde's derived enum reader, about a kilobyte of the app's wasm each. The names are
/// `Serialize`'s (`rename_all = "snake_case"`; a test reads back every variant).
macro_rules! read_by_name {
    ($name:ident { $($variant:ident = $text:literal,)* }) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = String::deserialize(d)?;
                match name.as_str() {
                    $($text => Ok($name::$variant),)*
                    _ => Err(serde::de::Error::custom(concat!(
                        "not a ", stringify!($name), ": expected one of"$(, " ", $text)*
                    ))),
                }
            }
        }
    };
}

code_enum! {
    /// What went wrong with a request, in the `error` of every error answer.
    ErrorCode ("Stable machine-readable code of what went wrong.") {
        /// A field is missing, of the wrong type or out of range.
        BadRequest = "bad_request",
        /// The body is not JSON, or not the JSON this endpoint expects.
        InvalidJson = "invalid_json",
        /// The body was not sent as `Content-Type: application/json`.
        UnsupportedMediaType = "unsupported_media_type",
        /// No, or an unknown or revoked, bearer token: the device is not (or no longer) in.
        Unauthorized = "unauthorized",
        /// The caller is known, but its role or unit does not allow this.
        Forbidden = "forbidden",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        Conflict = "conflict",
        /// The invite was withdrawn by a head or deputy.
        InviteWithdrawn = "invite_withdrawn",
        InviteExpired = "invite_expired",
        /// The invite was used as many times as it allows.
        InviteUsedUp = "invite_used_up",
        PayloadTooLarge = "payload_too_large",
        TooManyRequests = "too_many_requests",
        /// The request, its body included, took longer than the server allows.
        RequestTimeout = "request_timeout",
        /// An evidence file is not named by any record of the caller's cluster (yet: push the
        /// record first), or it is another cluster's.
        FileNotReferenced = "file_not_referenced",
        /// A chunk's `offset` is not where the server's copy of the file ends (read where it
        /// ends with `GET /api/files/{hash}/upload` and go on from there).
        OffsetMismatch = "offset_mismatch",
        /// The file's bytes do not have the SHA-256 that names them.
        HashMismatch = "hash_mismatch",
        /// The bytes are not a JPEG, PNG, WebP or PDF (read from the bytes, not the name).
        FileTypeNotAllowed = "file_type_not_allowed",
        /// The file is larger than one file may be.
        FileTooLarge = "file_too_large",
        /// The cluster's files together would be larger than the server allows a cluster.
        ClusterStorageFull = "cluster_storage_full",
        /// The cluster was archived by its federation's board: it is read only.
        ClusterArchived = "cluster_archived",
        /// The data store did not answer; try again shortly.
        StoreUnavailable = "store_unavailable",
        /// A failure on the server, logged there.
        Internal = "internal",
    }
}

code_enum! {
    /// Why the server refused one pushed record, in [`Rejection::code`].
    RefusalCode ("Why the record was refused. `foreign_id` is no longer sent (only in replays of \
                  old answers): an id of another cluster is `forbidden` like any id the device \
                  may not create.") {
        /// The pushing device may not write this (its unit or role), or may not create a
        /// record under this id.
        Forbidden = "forbidden",
        /// The record's content is not valid.
        Invalid = "invalid",
        /// The id is used by a record of another kind.
        KindMismatch = "kind_mismatch",
        /// A new version's version clock is not one this device could have written.
        BadClock = "bad_clock",
        /// Records it depends on were refused in the same push: push it again.
        Retry = "retry",
        /// No longer sent (an id of another cluster is `forbidden` like any id the device may
        /// not create); read in replays of old answers.
        ForeignId = "foreign_id",
    }
}

/// Every error answer: `{"error": "<code>", "message": "<plain English>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Error))]
pub struct ErrorBody {
    /// Stable machine-readable code.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub error: ErrorCode,
    /// Plain English naming the problem.
    pub message: String,
}

/// Whether the server answers (`GET /api/health`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: HealthStatus,
    pub version: String,
    pub store: StoreKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
}

/// The server's data store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    Sqlite,
}

// ---------------------------------------------------------------------------------------------
// Joining

/// `POST /api/join`: trade an invite code for a device token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    /// The code after `#` in the invite link.
    pub code: String,
    /// Shown to managers, e.g. "Điện thoại chị Lan".
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub device_name: String,
}

/// What a device keeps after joining.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinResponse {
    /// Bearer token for every other call.
    pub token: String,
    pub device_id: DeviceId,
    pub cluster_id: RecordId,
    /// The cluster's name (servers older than cluster names sent none).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub cluster_name: String,
    pub unit_id: UnitId,
    pub role: Role,
    /// A board member's federation (role `board`): then `cluster_id` and `cluster_name` are
    /// the federation's id and name, and `unit_id` the board's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub federation: Option<Federation>,
}

/// `PUT /api/me`: the calling device's holder's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameRequest {
    /// e.g. "Nguyễn Thị Lan"
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
}

// ---------------------------------------------------------------------------------------------
// Sync

/// `POST /api/sync/push`: the records changed on the device.
// The records are `R`: the server reads `WireRecord`s (not normalised, so its limits are
// checked first), the app sends its `Record`s as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(bound = "R: utoipa::ToSchema")
)]
pub struct PushRequest<R = WireRecord> {
    /// Chosen by the device per push; reused when retrying it.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub push_id: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 5000))]
    pub records: Vec<R>,
}

/// One refused record of a push, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub id: RecordId,
    /// Machine-readable (servers older than refusal codes sent none).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub code: RefusalCode,
    /// Plain English naming the problem.
    pub reason: String,
}

impl Rejection {
    pub fn new(id: &RecordId, code: RefusalCode, reason: impl Into<String>) -> Self {
        Self {
            id: id.clone(),
            code,
            reason: reason.into(),
        }
    }
}

/// The `error` of a push whose every record was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushFailure {
    Rejected,
}

read_by_name!(PushFailure {
    Rejected = "rejected",
});

/// What the server answers to a push (and stores for replays of the same `push_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// Only when every record was refused; the status is then 422.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<PushFailure>,
    /// Only with `error`: the first problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub accepted: Vec<RecordId>,
    pub rejected: Vec<Rejection>,
    /// The cluster's change cursor after this push.
    pub cursor: u64,
}

impl PushResponse {
    /// The answer for these outcomes; `error` and `message` are set when nothing was accepted
    /// and something was refused.
    pub fn new(accepted: Vec<RecordId>, rejected: Vec<Rejection>, cursor: u64) -> Self {
        let (error, message) = match rejected.first() {
            Some(first) if accepted.is_empty() => (
                Some(PushFailure::Rejected),
                Some(format!(
                    "{} of the pushed records {} refused; record {}: {}",
                    rejected.len(),
                    if rejected.len() == 1 { "was" } else { "were" },
                    first.id,
                    first.reason
                )),
            ),
            _ => (None, None),
        };
        Self {
            error,
            message,
            accepted,
            rejected,
            cursor,
        }
    }

    /// 422 when nothing was accepted and something was refused, else 200.
    pub fn status(&self) -> u16 {
        if self.error.is_some() {
            422
        } else {
            200
        }
    }
}

/// `GET /api/sync/pull?since=&limit=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PullQuery {
    /// Cursor from the previous pull, push or snapshot (default 0: everything). A cursor ahead
    /// of the server starts over at 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = 0))]
    pub since: u64,
    /// Most records in this page.
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 1, maximum = 1000, default = 500, nullable = false)
    )]
    pub limit: Option<u32>,
}

/// One page of changes (`GET /api/sync/pull`).
// The app reads `Record`s; the load generator, which only counts them, reads them as
// `serde::de::IgnoredAny`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(bound = "R: utoipa::ToSchema")
)]
pub struct PullResponse<R = Record> {
    /// Oldest change first.
    pub records: Vec<R>,
    /// Pass as `since` next time.
    pub cursor: u64,
    /// Another page is waiting.
    pub more: bool,
}

/// The cluster's whole document (`GET /api/snapshot`): the JSON of a document (`schema`,
/// `cluster`, `records`) and the cursor to pull from afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(bound = "R: utoipa::ToSchema")
)]
pub struct Snapshot<R = Record> {
    /// Document schema version.
    pub schema: u32,
    pub cluster: RecordId,
    pub records: Vec<R>,
    pub cursor: u64,
}

/// `GET /api/sync/wait?since=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct WaitQuery {
    /// The cursor of the caller's last pull (default 0).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = 0))]
    pub since: u64,
}

/// Whether the cluster changed after `since`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitResponse {
    /// Pull now: the cluster changed.
    pub changed: bool,
}

// ---------------------------------------------------------------------------------------------
// Evidence files (named by the SHA-256 of their bytes)

/// `PUT /api/files/{hash}?offset=&size=&type=`: one chunk of a file, its bytes in the body
/// (`application/octet-stream`, at most [`MAX_FILE_CHUNK`] bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FileChunkQuery {
    /// Where this chunk starts in the file: what the server holds so far.
    pub offset: u64,
    /// The whole file's size, as the record lists it.
    pub size: u64,
    /// The file's type as the record lists it (`image/jpeg`, `image/png`, `image/webp`,
    /// `application/pdf`); the server reads the type from the bytes as well.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", param(rename = "type"))]
    pub file_type: String,
}

/// How much of a file the server holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileProgress {
    /// Bytes received so far; the next chunk starts here.
    pub received: u64,
    /// The file's whole size (0 when nothing was sent yet).
    pub size: u64,
    /// Received whole, its hash and type checked: the file is there.
    pub complete: bool,
}

/// `POST /api/files/status`: which of these files the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilesStatusRequest {
    /// Hashes of files (at most [`MAX_FILES_STATUS`]).
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub hashes: Vec<String>,
}

/// Each asked-for file's progress, by hash (files the server has nothing of: `received` 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilesStatusResponse {
    pub files: std::collections::BTreeMap<String, FileProgress>,
}

// ---------------------------------------------------------------------------------------------
// Invites and devices (the cluster head and deputy)

/// `POST /api/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    pub unit_id: UnitId,
    pub role: Role,
    /// Days until the code stops working (default 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 365, default = 14, nullable = false)
    )]
    pub expires_in_days: Option<u32>,
    /// Joins the code allows (default: any number until it expires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 1000, nullable = false)
    )]
    pub max_uses: Option<u32>,
}

/// A new invite: its code is shown only now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    pub id: InviteId,
    pub code: String,
    /// `/join#<code>`: the code sits in the fragment, so it never reaches server logs or
    /// Referer headers.
    pub link: String,
    pub unit_id: UnitId,
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
    /// Only when the invite is limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, nullable = false))]
    pub max_uses: Option<u32>,
}

/// `GET /api/invites?unit_id=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct InvitesQuery {
    /// Only this unit's invites.
    #[cfg_attr(feature = "openapi", param(nullable = false))]
    pub unit_id: Option<UnitId>,
}

/// Whether an invite's code still joins, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    Active,
    /// Withdrawn by a head or deputy (`revoked_at`).
    Withdrawn,
    Expired,
    /// Joined with `max_uses` times.
    UsedUp,
}

read_by_name!(InviteState {
    Active = "active",
    Withdrawn = "withdrawn",
    Expired = "expired",
    UsedUp = "used_up",
});

/// An invite as listed to managers (its code is never stored). Times are RFC 3339 UTC with
/// milliseconds, which sort as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteInfo {
    // An `InviteId`; text here because the head's screens hold it as text.
    #[cfg_attr(feature = "openapi", schema(value_type = InviteId))]
    pub id: String,
    pub unit_id: UnitId,
    pub role: Role,
    /// The device that made it (`null` for the first head's, made on the command line).
    pub created_by: Option<DeviceId>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: Option<String>,
    /// When it was withdrawn.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub revoked_at: Option<String>,
    /// Devices that joined with it.
    pub uses: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub max_uses: Option<u32>,
    pub state: InviteState,
}

/// A device of the cluster as listed to managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceInfo {
    // A `DeviceId`; text here because the head's screens hold it as text.
    #[cfg_attr(feature = "openapi", schema(value_type = DeviceId))]
    pub id: String,
    pub name: String,
    pub unit_id: UnitId,
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_seen_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub revoked_at: Option<String>,
    /// The invite it joined with (`null` for devices that joined before this was kept).
    // An `InviteId`, text like `InviteInfo::id`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<InviteId>))]
    pub invite_id: Option<String>,
}

/// `DELETE /api/devices/{id}?withdraw_invite=&replace_invite=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct RevokeDeviceQuery {
    /// Also withdraw the invite the device joined with, so that its link no longer works.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = false))]
    pub withdraw_invite: bool,
    /// Also make a fresh invite for the same unit and role (to hand to the unit's others).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = false))]
    pub replace_invite: bool,
}

/// What removing a device did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceRevoked {
    pub device_id: DeviceId,
    /// The invite the device joined with (`null` for devices that joined before this was
    /// recorded).
    #[serde(default)]
    pub invite_id: Option<InviteId>,
    /// Whether that invite can no longer be used (withdrawn by this call or before).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub invite_withdrawn: bool,
    /// With `replace_invite=true`: the fresh invite (its code is shown only here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub new_invite: Option<InviteCreated>,
}

// ---------------------------------------------------------------------------------------------
// Export

/// `GET /api/export/summary.xlsx?campaign=&lang=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ExportQuery {
    /// Id of a campaign of the cluster.
    pub campaign: RecordId,
    /// The language of the workbook's words (default `vi`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = "vi"))]
    pub lang: Lang,
}

/// `?lang=`: the language of a document's words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct LangQuery {
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(default = "vi"))]
    pub lang: Lang,
}

// ---------------------------------------------------------------------------------------------
// The federation's board (ban thi đua)

/// A provincial federation (liên đoàn lao động), whose board forms and runs clusters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Federation {
    /// e.g. `lien-doan-thanh-hoa`.
    pub id: RecordId,
    /// e.g. "Liên đoàn Lao động tỉnh Thanh Hóa".
    pub name: String,
    /// The unit id its board members write as (the `author_unit` of their revisions).
    pub board_unit: UnitId,
}

/// A cluster as the board lists it (`GET /api/board/clusters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClusterInfo {
    pub id: RecordId,
    pub name: String,
    /// The emulation year on its cluster record (`null` before it has one).
    pub year: Option<i32>,
    /// Member units.
    pub units: u32,
    /// The member units by name, in Vietnamese order (to pick one to move).
    #[serde(default)]
    pub unit_list: Vec<UnitRef>,
    /// This year's head unit's name (`null` while the cluster names none).
    #[serde(default)]
    pub head_unit: Option<String>,
    /// When the board archived it (read only since); `null` while it runs.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub archived_at: Option<String>,
}

/// A unit by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: UnitId,
    pub name: String,
}

/// `GET /api/board/clusters`: the federation and its clusters, in Vietnamese order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClustersResponse {
    pub federation: Federation,
    pub clusters: Vec<ClusterInfo>,
}

/// `POST /api/board/clusters`: a new cluster, formed by a decision, with its member units
/// (typed one by one or pasted as a list of names) and this year's head and deputy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateClusterRequest {
    /// e.g. "Cụm thi đua số 3 các KCN & KKT Nghi Sơn".
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    /// The establishing decision: number, date, issuer.
    pub decision: Decision,
    #[cfg_attr(feature = "openapi", schema(minimum = 1945, maximum = 2100))]
    pub year: i32,
    /// The member units' names, at least one.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub units: Vec<String>,
    /// The head unit: its index in `units`.
    pub head_unit_index: u32,
    /// The deputy unit, if any: its index in `units` (not the head's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub deputy_unit_index: Option<u32>,
}

/// The cluster made: its id, its units' ids (in the order given) and the head's invite, to
/// hand over as a link or QR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClusterCreated {
    pub cluster_id: RecordId,
    pub units: Vec<UnitId>,
    pub head_invite: InviteCreated,
}

/// `POST /api/board/clusters/{id}/archive`: archive a cluster (read only since) or bring it
/// back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveClusterRequest {
    pub archived: bool,
}

/// `POST /api/board/units/move`: at the start of a year, a unit leaves one cluster of the
/// federation for another. The old cluster keeps its records for the history and lists it
/// among its former units; the unit's devices and links there stop working; the new one gets
/// a unit of the same name and a link for its officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveUnitRequest {
    pub from_cluster: RecordId,
    pub unit_id: UnitId,
    pub to_cluster: RecordId,
}

/// Where the moved unit is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitMoved {
    pub to_cluster: RecordId,
    /// Its id in the new cluster.
    pub unit_id: UnitId,
    /// Its devices in the old cluster, removed by the move (their links withdrawn too).
    #[serde(default)]
    pub devices_removed: u32,
    /// A link for the unit's officer in the new cluster (its code shown only now).
    pub officer_invite: InviteCreated,
}

/// `POST /api/board/invites`: an invite for another board member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardInviteRequest {
    /// Days until the code stops working (default 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 365, default = 14, nullable = false)
    )]
    pub expires_in_days: Option<u32>,
    /// Joins the code allows (default: any number until it expires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 1000, nullable = false)
    )]
    pub max_uses: Option<u32>,
}

/// `GET /api/board/dashboard`: the roll-up across the federation's running clusters, computed
/// on the server with core's [`crate::rollup`]; the app keeps the last one to show offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub federation: Federation,
    /// When the server computed it (RFC 3339 UTC): the app says how old it is.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub computed_at: String,
    pub rollup: Rollup,
}

/// `GET /api/board/awards?unit=&person=&kind=`: accepted awards across the federation's
/// clusters and years. Text matches ignore case and Vietnamese marks ("hung" finds "Hùng").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AwardHistoryQuery {
    /// Part of the unit's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(nullable = false, max_length = 100))]
    pub unit: Option<String>,
    /// Part of the person's name (individual awards only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(nullable = false, max_length = 100))]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(nullable = false))]
    pub kind: Option<AwardKind>,
}

/// The accepted awards found, newest decision first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardHistoryResponse {
    pub awards: Vec<AwardRecord>,
}

// ---------------------------------------------------------------------------------------------
// History (lịch sử)

/// One version of a record the server accepted: who wrote it (device, its name, unit), when
/// the server received it, and the version itself (diff two with [`crate::history::diff`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryStep {
    /// Server time (RFC 3339 UTC).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub device_id: DeviceId,
    /// The device's name when it pushed ("Điện thoại chị Lan").
    pub device_name: String,
    /// The pushing device's unit (the board's unit for a board member).
    pub unit: UnitId,
    pub revision: Revision,
}

/// `GET /api/history/{record_id}`: every accepted version of a record, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryResponse {
    pub record: RecordId,
    pub kind: crate::model::Kind,
    pub steps: Vec<HistoryStep>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_are_the_strings_they_always_were() {
        for (code, text) in [
            (ErrorCode::BadRequest, "bad_request"),
            (ErrorCode::Unauthorized, "unauthorized"),
            (ErrorCode::InviteWithdrawn, "invite_withdrawn"),
            (ErrorCode::RequestTimeout, "request_timeout"),
        ] {
            assert_eq!(serde_json::to_value(&code).unwrap(), json!(text));
            assert_eq!(
                serde_json::from_value::<ErrorCode>(json!(text)).unwrap(),
                code
            );
        }
        for (code, text) in [
            (RefusalCode::Forbidden, "forbidden"),
            (RefusalCode::KindMismatch, "kind_mismatch"),
            (RefusalCode::BadClock, "bad_clock"),
            (RefusalCode::Retry, "retry"),
            (RefusalCode::ForeignId, "foreign_id"),
        ] {
            assert_eq!(serde_json::to_value(&code).unwrap(), json!(text));
            assert_eq!(RefusalCode::from(text), code);
        }
        assert_eq!(ErrorCode::ALL.len(), 23);
        assert_eq!(RefusalCode::ALL.len(), 6);
        for code in ErrorCode::ALL {
            assert_eq!(&ErrorCode::from(code.as_str()), code);
        }
    }

    /// A newer server's new code reaches an older app as it was sent, and goes back out the same.
    #[test]
    fn unknown_codes_are_kept_as_sent() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"error":"season_closed","message":"x"}"#).unwrap();
        assert_eq!(body.error, ErrorCode::Other("season_closed".into()));
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":"season_closed","message":"x"}"#
        );
        let r: Rejection =
            serde_json::from_str(r#"{"id":"r1","code":"too_late","reason":"x"}"#).unwrap();
        assert_eq!(r.code, RefusalCode::Other("too_late".into()));
        // Older servers sent no code.
        let r: Rejection = serde_json::from_str(r#"{"id":"r1","reason":"x"}"#).unwrap();
        assert_eq!(r.code, RefusalCode::default());
        assert_eq!(r.code.as_str(), "");
    }

    #[test]
    fn enums_read_by_name_read_what_they_write() {
        for state in [
            InviteState::Active,
            InviteState::Withdrawn,
            InviteState::Expired,
            InviteState::UsedUp,
        ] {
            let text = serde_json::to_value(state).unwrap();
            assert_eq!(serde_json::from_value::<InviteState>(text).unwrap(), state);
        }
        let text = serde_json::to_value(PushFailure::Rejected).unwrap();
        assert_eq!(text, json!("rejected"));
        assert_eq!(
            serde_json::from_value::<PushFailure>(text).unwrap(),
            PushFailure::Rejected
        );
        let err = serde_json::from_str::<InviteState>(r#""paused""#).unwrap_err();
        assert!(err.to_string().contains("not a InviteState"), "{err}");
    }

    #[test]
    fn push_answers_keep_their_json() {
        let id = RecordId::new("d1-1").unwrap();
        let refused = PushResponse::new(
            Vec::new(),
            vec![Rejection::new(
                &id,
                RefusalCode::Invalid,
                "title is required",
            )],
            7,
        );
        assert_eq!(refused.status(), 422);
        assert_eq!(
            serde_json::to_value(&refused).unwrap(),
            json!({
                "error": "rejected",
                "message": "1 of the pushed records was refused; record d1-1: title is required",
                "accepted": [],
                "rejected": [{"id": "d1-1", "code": "invalid", "reason": "title is required"}],
                "cursor": 7
            })
        );
        let ok = PushResponse::new(vec![id], Vec::new(), 8);
        assert_eq!(ok.status(), 200);
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"accepted":["d1-1"],"rejected":[],"cursor":8}"#
        );
        // An answer stored before this type moved replays as it was.
        let stored = r#"{"error":"rejected","message":"m","accepted":[],"rejected":[{"id":"x","code":"foreign_id","reason":"r"}],"cursor":1}"#;
        let back: PushResponse = serde_json::from_str(stored).unwrap();
        assert_eq!(back.rejected[0].code, RefusalCode::ForeignId);
        assert_eq!(serde_json::to_string(&back).unwrap(), stored);
    }

    #[test]
    fn optional_fields_read_as_older_servers_and_apps_send_them() {
        let j: JoinResponse = serde_json::from_value(json!({
            "token": "t", "device_id": "d1", "cluster_id": "c1", "unit_id": "u1", "role": "officer"
        }))
        .unwrap();
        assert_eq!(j.cluster_name, "");
        let invite: InviteRequest =
            serde_json::from_value(json!({"unit_id": "u1", "role": "officer"})).unwrap();
        assert_eq!((invite.expires_in_days, invite.max_uses), (None, None));
        assert_eq!(
            serde_json::to_value(&invite).unwrap(),
            json!({"unit_id": "u1", "role": "officer"})
        );
        let revoked: DeviceRevoked =
            serde_json::from_value(json!({"device_id": "d1", "invite_id": null})).unwrap();
        assert!(!revoked.invite_withdrawn && revoked.new_invite.is_none());
        let info: DeviceInfo = serde_json::from_value(json!({
            "id": "d1", "name": "Máy", "unit_id": "u1", "role": "head",
            "created_at": "2024-05-01T00:00:00.000Z"
        }))
        .unwrap();
        assert_eq!((info.last_seen_at, info.invite_id), (None, None));
    }

    /// The app sends its records as they are and the server reads them unnormalised: the same
    /// JSON either way.
    #[test]
    fn a_push_request_reads_as_it_was_sent() {
        let mut doc = crate::Document::new(RecordId::new("c1").unwrap());
        let device = DeviceId::new("d1").unwrap();
        let unit = crate::Unit {
            name: "Đơn vị".into(),
            kind: crate::UnitKind::Agency,
        };
        doc.put(
            RecordId::new("u1").unwrap(),
            unit.into(),
            &device,
            None,
            crate::fixtures::at(0),
        );
        let records: Vec<&Record> = doc.records.values().collect();
        let sent = serde_json::to_string(&PushRequest {
            push_id: "d1-p1".into(),
            records,
        })
        .unwrap();
        let read: PushRequest = serde_json::from_str(&sent).unwrap();
        assert_eq!(read.push_id, "d1-p1");
        let back = Record::try_from(read.records[0].clone()).unwrap();
        assert_eq!(Some(&back), doc.get("u1"));
        let page: PullResponse<serde::de::IgnoredAny> =
            serde_json::from_str(r#"{"records":[{"id":"x"}],"cursor":3,"more":false}"#).unwrap();
        assert_eq!((page.records.len(), page.cursor), (1, 3));
    }
}
