//! Persistence behind a trait so another backend (PostgreSQL) can be added later, each in its
//! own folder with the same inner shape (`writer`, `readers`, `migrate`, `queries`).
//!
//! Backends store and load; the decisions (what a push may change) are made by the pure
//! functions of [`crate::sync`], called by the backend inside its transaction. What the store
//! lists (invites, devices) is core's wire types, answered as they are.
use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use thidua_core::files::FileType;
use thidua_core::wire::{PushResponse, Rejection, StoreKind};
use thidua_core::{Actor, DeviceId, Document, InviteId, Record, RecordId, Role, UnitId};

pub use thidua_core::wire::{DeviceInfo, InviteInfo, InviteState};

pub mod recent;
pub mod sqlite;

pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database is busy")]
    Busy,
    #[error("could not prepare the data folder {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        version: u32,
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the database was written by a newer version (migration {0} is unknown here)")]
    TooNew(u32),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("no cluster {0}")]
    UnknownCluster(String),
    #[error("cluster {0} is archived: it is read only")]
    ArchivedCluster(String),
    #[error("background task failed: {0}")]
    Task(String),
}

/// Times are stored and sent as RFC 3339 UTC with milliseconds, which sort as text.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A signed-in device: who is calling.
///
/// A board member's device (role [`Role::Board`]) belongs to a federation, not a cluster:
/// its `cluster_id` is then the federation's id and its `unit_id` the board's unit; the board
/// endpoints give it a cluster's scope per request ([`DeviceAuth::in_cluster`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuth {
    pub device_id: DeviceId,
    pub cluster_id: RecordId,
    pub unit_id: UnitId,
    /// The role of the invite the device joined with. What it may do is the role in force
    /// ([`DeviceAuth::role_in`]): the cluster's `Roles` records override this one.
    pub role: Role,
    pub name: String,
}

impl DeviceAuth {
    /// The device's role in force in the cluster whose records `doc` holds (at least its
    /// cluster and `Roles` records): see [`thidua_core::role_in_force`].
    pub fn role_in(&self, doc: &Document) -> Role {
        thidua_core::role_in_force(doc, &self.unit_id, self.role)
    }

    /// A board member's device acting in `cluster` of its federation (same device, unit and
    /// role): what the push path and the history take.
    pub fn in_cluster(&self, cluster: RecordId) -> DeviceAuth {
        DeviceAuth {
            cluster_id: cluster,
            ..self.clone()
        }
    }

    /// Who is pushing, with the role in force in `doc`.
    pub fn actor_in(&self, doc: &Document) -> Actor {
        Actor {
            unit: self.unit_id.clone(),
            role: self.role_in(doc),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewInvite {
    pub id: InviteId,
    pub code_hash: String,
    pub cluster_id: RecordId,
    pub unit_id: UnitId,
    pub role: Role,
    pub created_by: Option<DeviceId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Joins allowed with it; `None`: any number until it expires.
    pub max_uses: Option<u32>,
}

/// Whether an invite can still be used to join at `now` (a withdrawal shows first, then
/// expiry, then the use limit). Times as stored ([`timestamp`]), which sort as text.
pub fn invite_state(
    revoked_at: Option<&str>,
    expires_at: Option<&str>,
    uses: u32,
    max_uses: Option<u32>,
    now: DateTime<Utc>,
) -> InviteState {
    if revoked_at.is_some() {
        InviteState::Withdrawn
    } else if expires_at.is_some_and(|e| e <= timestamp(now).as_str()) {
        InviteState::Expired
    } else if max_uses.is_some_and(|m| uses >= m) {
        InviteState::UsedUp
    } else {
        InviteState::Active
    }
}

/// Whose invites and devices: a cluster's (units' people) or a federation's board's. The
/// two are kept in tables of their own, so each seat's role checks stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat {
    Cluster(RecordId),
    Board(RecordId),
}

impl Seat {
    /// The cluster's or the federation's id.
    pub fn id(&self) -> &RecordId {
        match self {
            Seat::Cluster(id) | Seat::Board(id) => id,
        }
    }
}

/// What removing a device did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedDevice {
    /// The invite the device joined with.
    pub invite_id: Option<InviteId>,
    /// Whether that invite is withdrawn now (by this call or before).
    pub invite_withdrawn: bool,
}

/// Who is trying to join, for the rate limit on failed attempts (see [`crate::auth::join_wait_ms`]).
#[derive(Debug, Clone)]
pub struct JoinAttempt {
    pub ip: String,
    pub now_ms: i64,
    /// Failed attempts allowed per address per minute.
    pub limit: u32,
}

#[derive(Debug, Clone)]
pub struct NewDevice {
    pub id: DeviceId,
    pub name: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    Joined {
        device: DeviceAuth,
        cluster_name: String,
    },
    UnknownCode,
    Expired,
    Revoked,
    UsedUp,
    /// Too many failed attempts from this address: the code was not even looked at.
    RateLimited {
        retry_after_ms: i64,
    },
}

/// A cluster with its first records (cluster, head unit, roles) and the head's invite.
#[derive(Debug, Clone)]
pub struct NewCluster {
    pub id: RecordId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub records: Vec<Record>,
    pub head_invite: NewInvite,
    /// The federation whose board formed it (`None`: made on the command line alone).
    pub federation: Option<RecordId>,
    /// Who wrote its first records, for their history: the board member's device and unit,
    /// or the command line's.
    pub author: Author,
}

/// Who wrote revisions, as the history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub device_id: DeviceId,
    pub device_name: String,
    pub unit_id: UnitId,
}

/// A federation (liên đoàn lao động) and the first invite of its board.
#[derive(Debug, Clone)]
pub struct NewFederation {
    pub id: RecordId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub first_invite: NewBoardInvite,
}

/// An invite for a board member of a federation.
#[derive(Debug, Clone)]
pub struct NewBoardInvite {
    pub id: InviteId,
    pub code_hash: String,
    pub federation_id: RecordId,
    pub created_by: Option<DeviceId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_uses: Option<u32>,
}

/// A cluster as stored: its federation, change cursor and whether it is archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRow {
    pub id: RecordId,
    pub name: String,
    pub federation: Option<RecordId>,
    pub seq: u64,
    pub archived_at: Option<String>,
}

/// Every accepted version of a record, with the cluster it is in and whose unit owns it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordHistory {
    pub cluster_id: RecordId,
    pub kind: thidua_core::Kind,
    pub owner_unit: Option<UnitId>,
    pub steps: Vec<thidua_core::wire::HistoryStep>,
}

#[derive(Debug, Clone)]
pub struct PushInput {
    pub device: DeviceAuth,
    pub push_id: String,
    pub records: Vec<Record>,
    /// Records refused before planning (see [`crate::sync::admit`]), answered with the rest.
    pub refused: Vec<Rejection>,
    /// The server's clock at acceptance: later version times are bounded to it.
    pub now: DateTime<Utc>,
}

/// The response to a push: freshly decided, or the stored one for a replayed `push_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct PushOutcome {
    pub response: PushResponse,
    pub replayed: bool,
}

/// Records as a JSON array, copied byte for byte from storage (each a serialised
/// [`Record`]), so pulls and snapshots never parse and re-serialise them. The store only
/// ever stores JSON it serialised itself.
///
/// Held in chunks of about [`RawRecords::CHUNK`] bytes, sent as they are: a big pull is
/// never copied into one large buffer.
#[derive(Debug, Clone, Default)]
pub struct RawRecords {
    chunks: Vec<bytes::Bytes>,
    current: Vec<u8>,
    count: usize,
}

impl RawRecords {
    pub const CHUNK: usize = 32 * 1024;

    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one stored record (JSON of a [`Record`]).
    pub fn push(&mut self, record_json: &[u8]) {
        if self.current.len() + record_json.len() + 2 > Self::CHUNK && !self.current.is_empty() {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(Self::CHUNK));
            self.chunks.push(full.into());
        }
        if self.current.capacity() == 0 {
            self.current.reserve(Self::CHUNK);
        }
        self.current.push(if self.count == 0 { b'[' } else { b',' });
        self.current.extend_from_slice(record_json);
        self.count += 1;
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The JSON array, in chunks.
    pub fn into_chunks(mut self) -> Vec<bytes::Bytes> {
        if self.count == 0 {
            self.current.push(b'[');
        }
        self.current.push(b']');
        self.chunks.push(self.current.into());
        self.chunks
    }
}

#[derive(Debug)]
pub struct PullPage {
    pub records: RawRecords,
    pub cursor: u64,
    pub more: bool,
}

/// A cluster's whole document as stored (the JSON shape of [`Document`]) and its cursor.
#[derive(Debug)]
pub struct SnapshotPage {
    pub schema: u32,
    pub cluster: RecordId,
    /// In id order, like a serialised [`Document`].
    pub records: RawRecords,
    pub cursor: u64,
}

/// A file as a record of the caller's cluster lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileListing {
    pub size: u64,
    pub file_type: FileType,
    pub name: String,
}

/// What a cluster has of one evidence file: whether its records name it, and whether it sent
/// the file whole. (The bytes, and a partial upload, are on disk: [`crate::files`].)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterFile {
    /// How the cluster's records list it (several records may; empty: none does).
    pub listed: Vec<FileListing>,
    /// The size and type, checked, when the cluster sent it whole.
    pub held: Option<(u64, FileType)>,
}

/// A file a cluster sent whole, its hash and type checked and its bytes in place.
#[derive(Debug, Clone)]
pub struct HeldFile {
    pub cluster: RecordId,
    pub hash: String,
    pub size: u64,
    pub file_type: FileType,
    pub now: DateTime<Utc>,
    /// The most bytes the cluster's files may take together.
    pub cluster_limit: u64,
}

/// What recording a held file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldOutcome {
    Held,
    /// The cluster held it already (stored once).
    AlreadyHeld,
    /// It would take the cluster past its limit: not recorded.
    ClusterFull {
        used: u64,
    },
}

/// What a garbage collection pass decided in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilesCollected {
    /// Clusters' files dropped (no record named them for the grace period): (cluster, hash).
    pub dropped: Vec<(RecordId, String)>,
    /// Every hash some cluster still holds: the bytes on disk to keep.
    pub held: BTreeSet<String>,
}

/// Everything the HTTP layer needs from storage.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The backend, shown by `/api/health`.
    fn kind(&self) -> StoreKind;

    /// Checks that the database answers.
    async fn health(&self) -> Result<(), StoreError>;

    /// Creates a cluster with its first records (seq 1..) and the head's invite.
    async fn create_cluster(&self, cluster: NewCluster) -> Result<(), StoreError>;

    /// The non-revoked device whose token hashes to `token_hash`; notes it was seen at `now`.
    async fn authenticate(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<DeviceAuth>, StoreError>;

    /// How long `attempt.ip` must wait before its code is looked at (a cheap early check;
    /// [`Store::join`] decides again, atomically).
    async fn join_wait(&self, attempt: JoinAttempt) -> Result<Option<i64>, StoreError>;

    /// Redeems the invite whose code hashes to `code_hash` for a new device. In one step:
    /// checks the rate limit of `attempt.ip`, looks the code up, and records a failure, so
    /// that parallel guesses cannot all slip under the limit.
    async fn join(
        &self,
        code_hash: String,
        device: NewDevice,
        attempt: JoinAttempt,
    ) -> Result<JoinOutcome, StoreError>;

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError>;
    /// The seat's invites (a board's have the board's unit and role `board`).
    async fn list_invites(&self, seat: Seat) -> Result<Vec<InviteInfo>, StoreError>;
    /// The invite `id` of the seat, if any.
    async fn invite(&self, seat: Seat, id: InviteId) -> Result<Option<InviteInfo>, StoreError>;
    /// Revokes (idempotently); false when the seat has no such invite.
    async fn revoke_invite(
        &self,
        seat: Seat,
        id: InviteId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    async fn list_devices(&self, seat: Seat) -> Result<Vec<DeviceInfo>, StoreError>;
    async fn device(&self, seat: Seat, id: DeviceId) -> Result<Option<DeviceInfo>, StoreError>;
    /// Revokes (idempotently), and with `withdraw_invite` also withdraws the invite it
    /// joined with, in one transaction; `None` when the seat has no such device.
    async fn revoke_device(
        &self,
        seat: Seat,
        id: DeviceId,
        now: DateTime<Utc>,
        withdraw_invite: bool,
    ) -> Result<Option<RevokedDevice>, StoreError>;

    /// Revokes every live device of a cluster's unit and withdraws the unit's usable invites
    /// (the unit moved to another cluster); how many devices were revoked.
    async fn revoke_unit(
        &self,
        cluster: RecordId,
        unit: UnitId,
        now: DateTime<Utc>,
    ) -> Result<u32, StoreError>;

    /// Renames a device of `cluster` (its holder typed their name after joining); false when
    /// the cluster has no such live device.
    async fn rename_device(
        &self,
        cluster: RecordId,
        id: DeviceId,
        name: String,
    ) -> Result<bool, StoreError>;

    /// The records that decide who holds which role in `cluster`: its cluster record (with
    /// the year in force) and its `Roles` records. Few, so cheap to load per request.
    async fn role_records(&self, cluster: RecordId) -> Result<Document, StoreError>;

    /// One record of a cluster.
    async fn record(&self, cluster: RecordId, id: RecordId) -> Result<Option<Record>, StoreError>;

    /// Applies a push in one transaction (see [`crate::sync::plan_push`]); a `push_id` the
    /// device already used gets the stored response without applying anything.
    async fn push(&self, input: PushInput) -> Result<PushOutcome, StoreError>;

    /// Records changed after cursor `since`, oldest change first.
    async fn pull(&self, cluster: RecordId, since: u64, limit: u32)
        -> Result<PullPage, StoreError>;

    /// The whole document of a cluster, as JSON records, and its current cursor.
    async fn snapshot(&self, cluster: RecordId) -> Result<SnapshotPage, StoreError>;

    /// The whole document of a cluster, parsed (for exports; pushes never need it whole).
    async fn document(&self, cluster: RecordId) -> Result<Document, StoreError>;

    /// Creates a federation and its board's first invite.
    async fn create_federation(&self, federation: NewFederation) -> Result<(), StoreError>;

    /// A federation's name, if it exists.
    async fn federation_name(&self, id: RecordId) -> Result<Option<String>, StoreError>;

    /// The clusters of a federation, archived ones included.
    async fn federation_clusters(
        &self,
        federation: RecordId,
    ) -> Result<Vec<ClusterRow>, StoreError>;

    /// A cluster's structural records (cluster, units, roles, campaigns): few, cheap.
    async fn structure(&self, cluster: RecordId) -> Result<Document, StoreError>;

    /// The records an award history reads (cluster, units, proposals, decisions): a cluster's
    /// results are never parsed for it.
    async fn award_records(&self, cluster: RecordId) -> Result<Document, StoreError>;

    /// One cluster as stored.
    async fn cluster_row(&self, cluster: RecordId) -> Result<Option<ClusterRow>, StoreError>;

    /// Archives a cluster at `at`, or brings it back (`None`).
    async fn set_archived(
        &self,
        cluster: RecordId,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;

    async fn create_board_invite(&self, invite: NewBoardInvite) -> Result<(), StoreError>;

    /// Every accepted version of a record (oldest first), `None` for an unknown record.
    async fn history(&self, record: RecordId) -> Result<Option<RecordHistory>, StoreError>;

    // Evidence files: which records name them (kept in step by every write of records, from
    // entries' `files`), which a cluster sent whole, and the cluster's total.

    /// What `cluster` has of the file `hash`.
    async fn cluster_file(
        &self,
        cluster: RecordId,
        hash: String,
    ) -> Result<ClusterFile, StoreError>;

    /// [`Store::cluster_file`] for many files at once (files named by no record of the
    /// cluster are left out).
    async fn cluster_files(
        &self,
        cluster: RecordId,
        hashes: Vec<String>,
    ) -> Result<BTreeMap<String, ClusterFile>, StoreError>;

    /// The bytes `cluster`'s held files take together.
    async fn cluster_file_bytes(&self, cluster: RecordId) -> Result<u64, StoreError>;

    /// Records that the cluster sent the file whole, unless that takes it past its limit
    /// (checked in the same transaction, so parallel uploads cannot all slip under it).
    async fn hold_file(&self, file: HeldFile) -> Result<HoldOutcome, StoreError>;

    /// Garbage collection at `now`: notes the held files no record of their cluster names
    /// any more, drops those noted at least `grace` ago (a file named again meanwhile is
    /// kept), and lists the hashes still held.
    async fn collect_files(
        &self,
        now: DateTime<Utc>,
        grace: chrono::TimeDelta,
    ) -> Result<FilesCollected, StoreError>;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn raw_records_make_a_json_array_across_chunks() {
        assert_eq!(RawRecords::new().into_chunks().concat(), b"[]");
        let mut r = RawRecords::new();
        let one = format!("{{\"id\":\"{}\"}}", "x".repeat(1000));
        for _ in 0..100 {
            r.push(one.as_bytes());
        }
        assert_eq!(r.len(), 100);
        let chunks = r.into_chunks();
        assert!(chunks.len() >= 3, "{} chunks", chunks.len());
        assert!(chunks.iter().all(|c| c.len() <= RawRecords::CHUNK));
        let all: Vec<serde_json::Value> = serde_json::from_slice(&chunks.concat()).unwrap();
        assert_eq!(all.len(), 100);
        // A record bigger than a chunk gets a chunk of its own.
        let mut r = RawRecords::new();
        let big = format!("\"{}\"", "y".repeat(RawRecords::CHUNK * 2));
        r.push(b"1");
        r.push(big.as_bytes());
        r.push(b"2");
        let all: Vec<serde_json::Value> =
            serde_json::from_slice(&r.into_chunks().concat()).unwrap();
        assert_eq!(all.len(), 3);
    }
}
