//! Every SQL statement of the SQLite store, as functions of a connection: the writer thread
//! and the readers call them inside their transactions ([`super::writer`],
//! [`super::readers`]), so what the store does is read here top to bottom.
//!
//! A push never loads a whole cluster: the writer keeps each cluster's few structural records
//! in memory (see [`STRUCTURAL_KINDS`]) and reads the pushed records and what they refer to by
//! id ([`crate::sync::ids_needed`]).
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use thidua_core::files::FileType;
use thidua_core::wire::{PushResponse, WireRecord};
use thidua_core::{
    Body, DeviceId, Document, InviteId, Kind, Record, RecordId, Role, UnitId, SCHEMA_VERSION,
};

use super::writer::Writer;
use crate::auth::{join_wait_ms, JOIN_WINDOW_MS};
use crate::store::recent::Change;
use crate::store::{
    invite_state, timestamp, Author, ClusterFile, ClusterRow, DeviceAuth, DeviceInfo, FileListing,
    FilesCollected, HeldFile, HoldOutcome, InviteInfo, InviteState, JoinAttempt, JoinOutcome,
    NewBoardInvite, NewCluster, NewDevice, NewFederation, NewInvite, PullPage, PushInput,
    PushOutcome, RawRecords, RecordHistory, RevokedDevice, Seat, SnapshotPage, StoreError,
};
use crate::sync::{plan_push, push_view, Found, STRUCTURAL_KINDS};

/// Clusters whose structural records are kept in memory.
const CACHED_CLUSTERS: usize = 32;
/// Old push answers are pruned at most this often.
const PRUNE_EVERY_MS: i64 = 60_000;
/// Push responses are kept this long for replays.
const PUSH_LOG_MS: i64 = 30 * 24 * 3600 * 1000;

/// `SELECT` of the structural records; its `WHERE` must match the partial index of
/// migration 0003 for SQLite to use it (a test checks both).
pub(super) const STRUCTURE_QUERY: &str = "SELECT state_json FROM records WHERE cluster_id = ?1 \
     AND kind IN ('cluster', 'unit', 'roles', 'campaign')";

/// `SELECT` of the records deciding roles (cluster and `Roles`): [`STRUCTURE_QUERY`] narrowed,
/// so that it still uses the partial index (a test checks it).
pub(super) const ROLE_RECORDS_QUERY: &str = "SELECT state_json FROM records WHERE cluster_id = ?1 \
     AND kind IN ('cluster', 'unit', 'roles', 'campaign') AND kind IN ('cluster', 'roles')";

/// `SELECT` of what an award history reads: the cluster and unit records (for names), the
/// proposals and the board's decisions.
pub(super) const AWARD_RECORDS_QUERY: &str =
    "SELECT state_json FROM records WHERE cluster_id = ?1 \
     AND kind IN ('cluster', 'unit', 'award_proposal', 'award_decision')";

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Head => "head",
        Role::Deputy => "deputy",
        Role::Officer => "officer",
        Role::Board => "board",
    }
}

fn parse_role(s: &str) -> Result<Role, StoreError> {
    match s {
        "head" => Ok(Role::Head),
        "deputy" => Ok(Role::Deputy),
        "officer" => Ok(Role::Officer),
        "board" => Ok(Role::Board),
        other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    }
}

pub(super) fn corrupt<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> StoreError + '_ {
    move |e| StoreError::Corrupt(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(corrupt("cannot serialize"))
}

/// A stored record as written: the server only stores records it normalised itself, so
/// reading one skips normalising its versions again (quadratic in their number).
fn parse_record(json: &str) -> Result<Record, StoreError> {
    let r: WireRecord = serde_json::from_str(json).map_err(corrupt("stored record"))?;
    if r.heads.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "stored record {} has no versions",
            r.id
        )));
    }
    Ok(Record {
        id: r.id,
        kind: r.kind,
        created_at: r.created_at,
        heads: r.heads.into(),
    })
}

pub(super) fn insert_invite(conn: &Connection, invite: &NewInvite) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO invites (id, code_hash, cluster_id, unit_id, role, created_by, created_at,
                              expires_at, max_uses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            invite.id.as_str(),
            invite.code_hash,
            invite.cluster_id.as_str(),
            invite.unit_id.as_str(),
            role_str(invite.role),
            invite.created_by.as_ref().map(DeviceId::as_str),
            timestamp(invite.created_at),
            invite.expires_at.map(timestamp),
            invite.max_uses,
        ],
    )?;
    Ok(())
}

/// Writes changed records with the cluster's next sequence numbers; returns the cursor
/// and the changes as stored.
pub(super) fn write_records(
    conn: &Connection,
    cluster: &RecordId,
    records: &[Record],
) -> Result<(u64, Vec<Change>), StoreError> {
    if records.is_empty() {
        return Ok((cluster_seq(conn, cluster)?, Vec::new()));
    }
    let count = i64::try_from(records.len()).map_err(corrupt("record count"))?;
    let last: i64 = conn
        .prepare_cached("UPDATE clusters SET seq = seq + ?2 WHERE id = ?1 RETURNING seq")?
        .query_row(params![cluster.as_str(), count], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO records (cluster_id, record_id, kind, owner_unit, state_json, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (cluster_id, record_id) DO UPDATE SET
             kind = excluded.kind, owner_unit = excluded.owner_unit,
             state_json = excluded.state_json, seq = excluded.seq",
    )?;
    let mut changes = Vec::with_capacity(records.len());
    for (seq, rec) in (last - count + 1..).zip(records) {
        let json = to_json(rec)?;
        upsert.execute(params![
            cluster.as_str(),
            rec.id.as_str(),
            rec.kind.to_string(),
            rec.owner_unit().map(RecordId::as_str),
            json,
            seq,
        ])?;
        if rec.kind == Kind::Entry {
            index_files(conn, cluster, rec)?;
        }
        changes.push(Change {
            seq: u64::try_from(seq).map_err(corrupt("negative seq"))?,
            id: rec.id.clone(),
            json: json.into(),
        });
    }
    Ok((
        u64::try_from(last).map_err(corrupt("negative seq"))?,
        changes,
    ))
}

/// Keeps `file_refs` in step with an entry as written: the files its live versions list.
/// (Only entries list files, and a record never changes kind.)
fn index_files(conn: &Connection, cluster: &RecordId, rec: &Record) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM file_refs WHERE record_id = ?1 AND cluster_id = ?2")?
        .execute(params![rec.id.as_str(), cluster.as_str()])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO file_refs (cluster_id, hash, record_id, size, type, name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for head in rec.heads.iter() {
        let Some(Body::Entry(entry)) = &head.body else {
            continue;
        };
        for f in &entry.files {
            insert.execute(params![
                cluster.as_str(),
                f.hash,
                rec.id.as_str(),
                i64::try_from(f.size).unwrap_or(i64::MAX),
                f.file_type.mime(),
                f.name,
            ])?;
        }
    }
    Ok(())
}

pub(super) fn cluster_seq(conn: &Connection, cluster: &RecordId) -> Result<u64, StoreError> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM clusters WHERE id = ?1")?
        .query_row([cluster.as_str()], |r| r.get(0))
        .optional()?;
    let seq = seq.ok_or_else(|| StoreError::UnknownCluster(cluster.to_string()))?;
    u64::try_from(seq).map_err(corrupt("negative seq"))
}

pub(super) fn load_records(
    conn: &Connection,
    sql: &str,
    cluster: &RecordId,
) -> Result<Document, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([cluster.as_str()])?;
    let mut records = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        let rec = parse_record(&json)?;
        records.insert(rec.id.clone(), rec);
    }
    Ok(Document {
        schema: SCHEMA_VERSION,
        cluster: cluster.clone(),
        records,
    })
}

/// The cluster's structural records, loaded on first use.
pub(super) fn cached_structure<'a>(
    cache: &'a mut HashMap<RecordId, Document>,
    conn: &Connection,
    cluster: &RecordId,
) -> Result<&'a Document, StoreError> {
    if !cache.contains_key(cluster) {
        if cache.len() >= CACHED_CLUSTERS {
            cache.clear();
        }
        let doc = load_records(conn, STRUCTURE_QUERY, cluster)?;
        cache.insert(cluster.clone(), doc);
    }
    cache
        .get(cluster)
        .ok_or_else(|| StoreError::Corrupt("structure cache".into()))
}

/// Decides and applies one push (inside the writer's savepoint).
pub(super) fn push_job(
    w: &mut Writer,
    input: PushInput,
) -> Result<(PushOutcome, Vec<Change>), StoreError> {
    let PushInput {
        device,
        push_id,
        records,
        refused,
        now,
    } = input;
    let cluster = device.cluster_id.clone();
    let Writer {
        conn,
        structure,
        pruned_ms,
    } = w;
    let stored: Option<String> = conn
        .prepare_cached(
            "SELECT response_json FROM push_log
             WHERE cluster_id = ?1 AND device_id = ?2 AND push_id = ?3",
        )?
        .query_row(
            params![cluster.as_str(), device.device_id.as_str(), push_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(json) = stored {
        let response = serde_json::from_str(&json).map_err(corrupt("stored push"))?;
        let outcome = PushOutcome {
            response,
            replayed: true,
        };
        return Ok((outcome, Vec::new()));
    }

    // An archived cluster is read only (checked after replays, which change nothing).
    let archived: Option<String> = conn
        .prepare_cached("SELECT archived_at FROM clusters WHERE id = ?1")?
        .query_row([cluster.as_str()], |r| r.get(0))
        .optional()?
        .flatten();
    if archived.is_some() {
        return Err(StoreError::ArchivedCluster(cluster.to_string()));
    }

    // The part of the document this push reads: structural records, the pushed records'
    // stored states and the records they refer to.
    let base = cached_structure(structure, conn, &cluster)?;
    let (doc, foreign) = {
        let mut by_id =
            conn.prepare_cached("SELECT cluster_id, state_json FROM records WHERE record_id = ?1")?;
        push_view(base, &records, |id| {
            let row: Option<(String, String)> = by_id
                .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok::<_, StoreError>(match row {
                Some((c, json)) if c == cluster.as_str() => Found::Here(parse_record(&json)?),
                Some(_) => Found::Elsewhere,
                None => Found::Missing,
            })
        })?
    };
    // The unit's other devices, whose ids a restored backup may carry; looked up only when a
    // record is not under the pusher's own ids.
    let mut kin = BTreeSet::new();
    if records
        .iter()
        .any(|r| !r.id.is_minted_by(&device.device_id))
    {
        let mut rows =
            conn.prepare_cached("SELECT id FROM devices WHERE cluster_id = ?1 AND unit_id = ?2")?;
        let ids = rows.query_map(params![cluster.as_str(), device.unit_id.as_str()], |r| {
            r.get::<_, String>(0)
        })?;
        for id in ids {
            if let Ok(id) = DeviceId::new(id?) {
                kin.insert(id);
            }
        }
    }
    let mut plan = plan_push(&doc, &device, records, &foreign, &kin, now);
    let (cursor, changes) = write_records(conn, &cluster, &plan.changed)?;
    let who = Author {
        device_id: device.device_id.clone(),
        device_name: device.name.clone(),
        unit_id: device.unit_id.clone(),
    };
    for rec in &plan.changed {
        log_revisions(conn, &cluster, doc.get(&rec.id), rec, &who, now)?;
    }
    plan.rejected.extend(refused);
    plan.rejected.sort_by(|a, b| a.id.cmp(&b.id));
    let response = PushResponse::new(plan.accepted, plan.rejected, cursor);
    let now_ms = now.timestamp_millis();
    conn.prepare_cached(
        "INSERT INTO push_log (cluster_id, device_id, push_id, status, response_json, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        cluster.as_str(),
        device.device_id.as_str(),
        push_id,
        response.status(),
        to_json(&response)?,
        now_ms,
    ])?;
    if now_ms - *pruned_ms >= PRUNE_EVERY_MS {
        conn.prepare_cached("DELETE FROM push_log WHERE created_ms < ?1")?
            .execute([now_ms - PUSH_LOG_MS])?;
        *pruned_ms = now_ms;
    }
    // Keep the structural records in step (the writer drops them if the batch fails).
    if let Some(s) = structure.get_mut(&cluster) {
        for rec in plan.changed {
            if STRUCTURAL_KINDS.contains(&rec.kind) {
                s.records.insert(rec.id.clone(), rec);
            }
        }
    }
    let outcome = PushOutcome {
        response,
        replayed: false,
    };
    Ok((outcome, changes))
}

/// Failed joins of `attempt.ip` in the window, and how long it must wait.
pub(super) fn join_wait(c: &Connection, attempt: &JoinAttempt) -> Result<Option<i64>, StoreError> {
    let (failures, last): (u32, Option<i64>) = c
        .prepare_cached(
            "SELECT COUNT(*), MAX(at_ms) FROM join_attempts WHERE ip = ?1 AND at_ms >= ?2",
        )?
        .query_row(params![attempt.ip, attempt.now_ms - JOIN_WINDOW_MS], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(join_wait_ms(failures, last, attempt.now_ms, attempt.limit))
}

/// Why an invite (a cluster's or the board's) no longer joins anyone, if it does not.
fn unusable(
    revoked: Option<&str>,
    expires: Option<&str>,
    uses: u32,
    max_uses: Option<u32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<JoinOutcome> {
    match invite_state(revoked, expires, uses, max_uses, now) {
        InviteState::Active => None,
        InviteState::Withdrawn => Some(JoinOutcome::Revoked),
        InviteState::Expired => Some(JoinOutcome::Expired),
        InviteState::UsedUp => Some(JoinOutcome::UsedUp),
    }
}

/// Looks the code up and, if its invite can be used, adds the device.
fn redeem(c: &Connection, code_hash: &str, device: NewDevice) -> Result<JoinOutcome, StoreError> {
    let invite = c
        .prepare_cached(
            "SELECT i.id, i.cluster_id, i.unit_id, i.role, i.expires_at, i.revoked_at, i.uses,
                    i.max_uses, c.name
             FROM invites i JOIN clusters c ON c.id = i.cluster_id
             WHERE i.code_hash = ?1",
        )?
        .query_row([code_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, Option<u32>>(7)?,
                r.get::<_, String>(8)?,
            ))
        })
        .optional()?;
    let Some((invite_id, cluster, unit, role, expires, revoked, uses, max_uses, cluster_name)) =
        invite
    else {
        return redeem_board(c, code_hash, device);
    };
    if let Some(refused) = unusable(
        revoked.as_deref(),
        expires.as_deref(),
        uses,
        max_uses,
        device.created_at,
    ) {
        return Ok(refused);
    }
    c.execute(
        "INSERT INTO devices (id, cluster_id, unit_id, role, name, token_hash, invite_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            device.id.as_str(),
            cluster,
            unit,
            role,
            device.name,
            device.token_hash,
            invite_id,
            timestamp(device.created_at),
        ],
    )?;
    c.execute(
        "UPDATE invites SET uses = uses + 1 WHERE id = ?1",
        [&invite_id],
    )?;
    Ok(JoinOutcome::Joined {
        device: DeviceAuth {
            device_id: device.id,
            cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
            unit_id: RecordId::new(unit).map_err(corrupt("unit id"))?,
            role: parse_role(&role)?,
            name: device.name,
        },
        cluster_name,
    })
}

/// The tables and columns of a seat's invites and devices. A board's rows have no unit or
/// role columns: they read as NULL and stand for the board's unit and role `board`.
struct Tables {
    invites: &'static str,
    devices: &'static str,
    key: &'static str,
    unit_role: &'static str,
}

impl Seat {
    fn tables(&self) -> Tables {
        match self {
            Seat::Cluster(_) => Tables {
                invites: "invites",
                devices: "devices",
                key: "cluster_id",
                unit_role: "unit_id, role",
            },
            Seat::Board(_) => Tables {
                invites: "board_invites",
                devices: "board_devices",
                key: "federation_id",
                unit_role: "NULL, NULL",
            },
        }
    }

    /// The unit and role of a row (NULL on a board's rows).
    fn unit_role(
        &self,
        unit: Option<String>,
        role: Option<String>,
    ) -> Result<(UnitId, Role), StoreError> {
        match (unit, role) {
            (Some(unit), Some(role)) => Ok((
                RecordId::new(unit).map_err(corrupt("unit id"))?,
                parse_role(&role)?,
            )),
            _ => Ok((
                thidua_core::demo::board_unit(self.id()).map_err(corrupt("board unit"))?,
                Role::Board,
            )),
        }
    }

    fn invite_query(&self, filter: &str) -> String {
        let t = self.tables();
        format!(
            "SELECT id, {}, created_by, created_at, expires_at, revoked_at, uses, max_uses
             FROM {} WHERE {} = ?1 {filter}",
            t.unit_role, t.invites, t.key
        )
    }

    fn device_query(&self, filter: &str) -> String {
        let t = self.tables();
        format!(
            "SELECT id, name, {}, created_at, last_seen_at, revoked_at, invite_id
             FROM {} WHERE {} = ?1 {filter}",
            t.unit_role, t.devices, t.key
        )
    }
}

/// An invite as stored, before its ids and role are checked.
struct InviteRow {
    id: String,
    unit_id: Option<String>,
    role: Option<String>,
    created_by: Option<String>,
    created_at: String,
    expires_at: Option<String>,
    revoked_at: Option<String>,
    uses: u32,
    max_uses: Option<u32>,
}

fn invite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<InviteRow> {
    Ok(InviteRow {
        id: row.get(0)?,
        unit_id: row.get(1)?,
        role: row.get(2)?,
        created_by: row.get(3)?,
        created_at: row.get(4)?,
        expires_at: row.get(5)?,
        revoked_at: row.get(6)?,
        uses: row.get(7)?,
        max_uses: row.get(8)?,
    })
}

/// The invite as listed, with its state at `now`.
fn invite_info(seat: &Seat, r: InviteRow, now: DateTime<Utc>) -> Result<InviteInfo, StoreError> {
    let (unit_id, role) = seat.unit_role(r.unit_id, r.role)?;
    Ok(InviteInfo {
        state: invite_state(
            r.revoked_at.as_deref(),
            r.expires_at.as_deref(),
            r.uses,
            r.max_uses,
            now,
        ),
        id: r.id,
        unit_id,
        role,
        created_by: r
            .created_by
            .map(DeviceId::new)
            .transpose()
            .map_err(corrupt("device id"))?,
        created_at: r.created_at,
        expires_at: r.expires_at,
        revoked_at: r.revoked_at,
        uses: r.uses,
        max_uses: r.max_uses,
    })
}

/// A device as stored, before its ids and role are checked.
struct DeviceRow {
    id: String,
    name: String,
    unit_id: Option<String>,
    role: Option<String>,
    created_at: String,
    last_seen_at: Option<String>,
    revoked_at: Option<String>,
    invite_id: Option<String>,
}

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: row.get(0)?,
        name: row.get(1)?,
        unit_id: row.get(2)?,
        role: row.get(3)?,
        created_at: row.get(4)?,
        last_seen_at: row.get(5)?,
        revoked_at: row.get(6)?,
        invite_id: row.get(7)?,
    })
}

fn device_info(seat: &Seat, r: DeviceRow) -> Result<DeviceInfo, StoreError> {
    let (unit_id, role) = seat.unit_role(r.unit_id, r.role)?;
    Ok(DeviceInfo {
        id: r.id,
        name: r.name,
        unit_id,
        role,
        created_at: r.created_at,
        last_seen_at: r.last_seen_at,
        revoked_at: r.revoked_at,
        invite_id: r.invite_id,
    })
}

/// The seat's invites, oldest first, with their state at `now`.
pub(super) fn list_invites(
    c: &Connection,
    seat: &Seat,
    now: DateTime<Utc>,
) -> Result<Vec<InviteInfo>, StoreError> {
    let mut stmt = c.prepare_cached(&seat.invite_query("ORDER BY created_at, id"))?;
    let rows = stmt.query_map([seat.id().as_str()], invite_row)?;
    rows.map(|r| invite_info(seat, r?, now)).collect()
}

pub(super) fn invite(
    c: &Connection,
    seat: &Seat,
    id: &InviteId,
    now: DateTime<Utc>,
) -> Result<Option<InviteInfo>, StoreError> {
    let row = c
        .prepare_cached(&seat.invite_query("AND id = ?2"))?
        .query_row(params![seat.id().as_str(), id.as_str()], invite_row)
        .optional()?;
    row.map(|r| invite_info(seat, r, now)).transpose()
}

/// Withdraws an invite (idempotently); false when the seat has no such invite.
pub(super) fn revoke_invite(
    c: &Connection,
    seat: &Seat,
    id: &InviteId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let t = seat.tables();
    let n = c.execute(
        &format!(
            "UPDATE {} SET revoked_at = COALESCE(revoked_at, ?3) WHERE {} = ?1 AND id = ?2",
            t.invites, t.key
        ),
        params![seat.id().as_str(), id.as_str(), timestamp(now)],
    )?;
    Ok(n > 0)
}

/// The seat's devices, oldest first.
pub(super) fn list_devices(c: &Connection, seat: &Seat) -> Result<Vec<DeviceInfo>, StoreError> {
    let mut stmt = c.prepare_cached(&seat.device_query("ORDER BY created_at, id"))?;
    let rows = stmt.query_map([seat.id().as_str()], device_row)?;
    rows.map(|r| device_info(seat, r?)).collect()
}

pub(super) fn device(
    c: &Connection,
    seat: &Seat,
    id: &DeviceId,
) -> Result<Option<DeviceInfo>, StoreError> {
    let row = c
        .prepare_cached(&seat.device_query("AND id = ?2"))?
        .query_row(params![seat.id().as_str(), id.as_str()], device_row)
        .optional()?;
    row.map(|r| device_info(seat, r)).transpose()
}

/// Revokes a device (idempotently) and, with `withdraw_invite`, the invite it joined with;
/// `None` when the seat has no such device.
pub(super) fn revoke_device(
    c: &Connection,
    seat: &Seat,
    id: &DeviceId,
    now: DateTime<Utc>,
    withdraw_invite: bool,
) -> Result<Option<RevokedDevice>, StoreError> {
    let at = timestamp(now);
    let t = seat.tables();
    let invite: Option<Option<String>> = c
        .query_row(
            &format!(
                "UPDATE {} SET revoked_at = COALESCE(revoked_at, ?3)
                 WHERE {} = ?1 AND id = ?2 RETURNING invite_id",
                t.devices, t.key
            ),
            params![seat.id().as_str(), id.as_str(), at],
            |r| r.get(0),
        )
        .optional()?;
    let Some(invite_id) = invite else {
        return Ok(None);
    };
    let invite_id = invite_id
        .map(InviteId::new)
        .transpose()
        .map_err(corrupt("invite id"))?;
    if withdraw_invite {
        if let Some(invite) = &invite_id {
            revoke_invite(c, seat, invite, now)?;
        }
    }
    let invite_withdrawn = match &invite_id {
        Some(invite) => c
            .query_row(
                &format!(
                    "SELECT revoked_at IS NOT NULL FROM {} WHERE {} = ?1 AND id = ?2",
                    t.invites, t.key
                ),
                params![seat.id().as_str(), invite.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false),
        None => false,
    };
    Ok(Some(RevokedDevice {
        invite_id,
        invite_withdrawn,
    }))
}

/// Revokes the live devices of a unit and withdraws its invites; the devices revoked.
pub(super) fn revoke_unit(
    c: &Connection,
    cluster: &RecordId,
    unit: &UnitId,
    now: DateTime<Utc>,
) -> Result<Vec<DeviceId>, StoreError> {
    let at = timestamp(now);
    c.execute(
        "UPDATE invites SET revoked_at = ?3
         WHERE cluster_id = ?1 AND unit_id = ?2 AND revoked_at IS NULL",
        params![cluster.as_str(), unit.as_str(), at],
    )?;
    let mut stmt = c.prepare(
        "UPDATE devices SET revoked_at = ?3
         WHERE cluster_id = ?1 AND unit_id = ?2 AND revoked_at IS NULL RETURNING id",
    )?;
    let ids = stmt.query_map(params![cluster.as_str(), unit.as_str(), at], |r| {
        r.get::<_, String>(0)
    })?;
    ids.map(|id| DeviceId::new(id?).map_err(corrupt("device id")))
        .collect()
}

/// Renames a live device; false when the cluster has no such live device.
pub(super) fn rename_device(
    c: &Connection,
    cluster: &RecordId,
    id: &DeviceId,
    name: &str,
) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE devices SET name = ?3
         WHERE cluster_id = ?1 AND id = ?2 AND revoked_at IS NULL",
        params![cluster.as_str(), id.as_str(), name],
    )?;
    Ok(n > 0)
}

/// Notes when a device was last seen.
pub(super) fn seen(c: &Connection, id: &DeviceId, at: &str) -> Result<(), StoreError> {
    c.prepare_cached("UPDATE devices SET last_seen_at = ?1 WHERE id = ?2")?
        .execute(params![at, id.as_str()])?;
    c.prepare_cached("UPDATE board_devices SET last_seen_at = ?1 WHERE id = ?2")?
        .execute(params![at, id.as_str()])?;
    Ok(())
}

/// A new cluster with its first records and the head's invite.
pub(super) fn create_cluster(c: &Connection, cluster: &NewCluster) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO clusters (id, name, created_at, federation_id) VALUES (?1, ?2, ?3, ?4)",
        params![
            cluster.id.as_str(),
            cluster.name,
            timestamp(cluster.created_at),
            cluster.federation.as_ref().map(RecordId::as_str),
        ],
    )?;
    write_records(c, &cluster.id, &cluster.records)?;
    for rec in &cluster.records {
        log_revisions(
            c,
            &cluster.id,
            None,
            rec,
            &cluster.author,
            cluster.created_at,
        )?;
    }
    insert_invite(c, &cluster.head_invite)
}

/// Appends the versions `new` has and `old` had not to the revision log: what one accepted
/// push (or a cluster's creation) added, by `who`, received at `at`.
pub(super) fn log_revisions(
    c: &Connection,
    cluster: &RecordId,
    old: Option<&Record>,
    new: &Record,
    who: &Author,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut insert = c.prepare_cached(
        "INSERT INTO revisions (cluster_id, record_id, device_id, device_name, unit_id,
                                received_at, revision_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let received = timestamp(at);
    for rev in new
        .heads
        .iter()
        .filter(|h| old.is_none_or(|o| !o.heads.contains(h)))
    {
        insert.execute(params![
            cluster.as_str(),
            new.id.as_str(),
            who.device_id.as_str(),
            who.device_name,
            who.unit_id.as_str(),
            received,
            to_json(rev)?,
        ])?;
    }
    Ok(())
}

/// A join, decided and recorded in one step: the rate limit of `attempt.ip`, the code, and a
/// failure. (The writer runs jobs one at a time, so parallel guesses each see the failures
/// of those before them.)
pub(super) fn join(
    c: &Connection,
    code_hash: &str,
    device: NewDevice,
    attempt: &JoinAttempt,
) -> Result<JoinOutcome, StoreError> {
    if let Some(retry_after_ms) = join_wait(c, attempt)? {
        return Ok(JoinOutcome::RateLimited { retry_after_ms });
    }
    let outcome = redeem(c, code_hash, device)?;
    if !matches!(outcome, JoinOutcome::Joined { .. }) {
        c.prepare_cached("INSERT INTO join_attempts (ip, at_ms) VALUES (?1, ?2)")?
            .execute(params![attempt.ip, attempt.now_ms])?;
        c.prepare_cached("DELETE FROM join_attempts WHERE at_ms < ?1")?
            .execute([attempt.now_ms - 3_600_000])?;
    }
    Ok(outcome)
}

/// One record of a cluster.
pub(super) fn record(
    c: &Connection,
    cluster: &RecordId,
    id: &RecordId,
) -> Result<Option<Record>, StoreError> {
    let json: Option<String> = c
        .prepare_cached("SELECT state_json FROM records WHERE cluster_id = ?1 AND record_id = ?2")?
        .query_row(params![cluster.as_str(), id.as_str()], |r| r.get(0))
        .optional()?;
    json.as_deref().map(parse_record).transpose()
}

/// Records changed after `since`, oldest change first, copied as stored.
pub(super) fn pull_page(
    c: &Connection,
    cluster: &RecordId,
    since: u64,
    limit: u32,
) -> Result<PullPage, StoreError> {
    let current = cluster_seq(c, cluster)?;
    // A cursor from the future (the database was restored from a backup): start over.
    let since = if since > current { 0 } else { since };
    let mut stmt = c.prepare_cached(
        "SELECT seq, state_json FROM records WHERE cluster_id = ?1 AND seq > ?2
         ORDER BY seq LIMIT ?3",
    )?;
    let mut rows = stmt.query(params![
        cluster.as_str(),
        i64::try_from(since).unwrap_or(i64::MAX),
        i64::from(limit) + 1
    ])?;
    let mut records = RawRecords::new();
    let mut cursor = since;
    let mut more = false;
    while let Some(row) = rows.next()? {
        if records.len() == limit as usize {
            more = true;
            break;
        }
        let seq: i64 = row.get(0)?;
        records.push(
            row.get_ref(1)?
                .as_bytes()
                .map_err(corrupt("stored record"))?,
        );
        cursor = u64::try_from(seq).map_err(corrupt("negative seq"))?;
    }
    if !more {
        cursor = current.max(cursor);
    }
    Ok(PullPage {
        records,
        cursor,
        more,
    })
}

/// The cluster's whole document as stored, in id order, and its cursor.
pub(super) fn snapshot(c: &Connection, cluster: RecordId) -> Result<SnapshotPage, StoreError> {
    let cursor = cluster_seq(c, &cluster)?;
    let mut stmt = c.prepare_cached(
        "SELECT state_json FROM records WHERE cluster_id = ?1 ORDER BY record_id",
    )?;
    let mut rows = stmt.query([cluster.as_str()])?;
    let mut records = RawRecords::new();
    while let Some(row) = rows.next()? {
        records.push(
            row.get_ref(0)?
                .as_bytes()
                .map_err(corrupt("stored record"))?,
        );
    }
    Ok(SnapshotPage {
        schema: SCHEMA_VERSION,
        cluster,
        records,
        cursor,
    })
}

/// The cluster's whole document, parsed.
pub(super) fn document(c: &Connection, cluster: &RecordId) -> Result<Document, StoreError> {
    cluster_seq(c, cluster)?;
    load_records(
        c,
        "SELECT state_json FROM records WHERE cluster_id = ?1",
        cluster,
    )
}

pub(super) fn device_by_token(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<(DeviceAuth, Option<String>)>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT id, cluster_id, unit_id, role, name, last_seen_at FROM devices
             WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((id, cluster, unit, role, name, seen)) = row else {
        return board_device_by_token(conn, token_hash);
    };
    let device = DeviceAuth {
        device_id: DeviceId::new(id).map_err(corrupt("device id"))?,
        cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
        unit_id: RecordId::new(unit).map_err(corrupt("unit id"))?,
        role: parse_role(&role)?,
        name,
    };
    Ok(Some((device, seen)))
}

// ---------------------------------------------------------------------------------------------
// Evidence files

fn file_type(mime: &str) -> Result<FileType, StoreError> {
    FileType::from_mime(mime).ok_or_else(|| StoreError::Corrupt(format!("file type {mime:?}")))
}

fn size_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(corrupt("negative file size"))
}

/// What `cluster` has of the file `hash`.
pub(super) fn cluster_file(
    c: &Connection,
    cluster: &RecordId,
    hash: &str,
) -> Result<ClusterFile, StoreError> {
    let mut listed = Vec::new();
    let mut stmt = c.prepare_cached(
        "SELECT size, type, name FROM file_refs WHERE cluster_id = ?1 AND hash = ?2
         ORDER BY record_id",
    )?;
    let mut rows = stmt.query(params![cluster.as_str(), hash])?;
    while let Some(row) = rows.next()? {
        listed.push(FileListing {
            size: size_of(row.get(0)?)?,
            file_type: file_type(&row.get::<_, String>(1)?)?,
            name: row.get(2)?,
        });
    }
    let held = c
        .prepare_cached("SELECT size, type FROM cluster_files WHERE cluster_id = ?1 AND hash = ?2")?
        .query_row(params![cluster.as_str(), hash], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?
        .map(|(size, mime)| Ok::<_, StoreError>((size_of(size)?, file_type(&mime)?)))
        .transpose()?;
    Ok(ClusterFile { listed, held })
}

pub(super) fn cluster_file_bytes(c: &Connection, cluster: &RecordId) -> Result<u64, StoreError> {
    let total: i64 = c
        .prepare_cached("SELECT COALESCE(SUM(size), 0) FROM cluster_files WHERE cluster_id = ?1")?
        .query_row([cluster.as_str()], |r| r.get(0))?;
    size_of(total)
}

/// Records a file the cluster sent whole, within its limit.
pub(super) fn hold_file(c: &Connection, file: &HeldFile) -> Result<HoldOutcome, StoreError> {
    let held: bool = c
        .prepare_cached(
            "SELECT COUNT(*) > 0 FROM cluster_files WHERE cluster_id = ?1 AND hash = ?2",
        )?
        .query_row(params![file.cluster.as_str(), file.hash], |r| r.get(0))?;
    if held {
        return Ok(HoldOutcome::AlreadyHeld);
    }
    let used = cluster_file_bytes(c, &file.cluster)?;
    if used.saturating_add(file.size) > file.cluster_limit {
        return Ok(HoldOutcome::ClusterFull { used });
    }
    c.prepare_cached(
        "INSERT INTO cluster_files (cluster_id, hash, size, type, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        file.cluster.as_str(),
        file.hash,
        i64::try_from(file.size).map_err(corrupt("file size"))?,
        file.file_type.mime(),
        timestamp(file.now),
    ])?;
    Ok(HoldOutcome::Held)
}

/// One garbage collection pass over the held files (see [`crate::store::Store::collect_files`]).
pub(super) fn collect_files(
    c: &Connection,
    now: DateTime<Utc>,
    grace: chrono::TimeDelta,
) -> Result<FilesCollected, StoreError> {
    const NAMED: &str = "EXISTS (SELECT 1 FROM file_refs r
                          WHERE r.cluster_id = cluster_files.cluster_id
                            AND r.hash = cluster_files.hash)";
    c.execute(
        &format!("UPDATE cluster_files SET orphan_since = NULL WHERE orphan_since IS NOT NULL AND {NAMED}"),
        [],
    )?;
    c.execute(
        &format!(
            "UPDATE cluster_files SET orphan_since = ?1 WHERE orphan_since IS NULL AND NOT {NAMED}"
        ),
        [timestamp(now)],
    )?;
    let mut dropped = Vec::new();
    {
        let mut stmt = c.prepare(
            "DELETE FROM cluster_files WHERE orphan_since <= ?1 RETURNING cluster_id, hash",
        )?;
        let mut rows = stmt.query([timestamp(now - grace)])?;
        while let Some(row) = rows.next()? {
            let cluster = RecordId::new(row.get::<_, String>(0)?).map_err(corrupt("cluster id"))?;
            dropped.push((cluster, row.get(1)?));
        }
    }
    let mut held = BTreeSet::new();
    let mut stmt = c.prepare("SELECT DISTINCT hash FROM cluster_files")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        held.insert(row.get(0)?);
    }
    Ok(FilesCollected { dropped, held })
}

// ---------------------------------------------------------------------------------------------
// Federations and their boards

/// A board member's device by token: its federation stands as its cluster, the board's unit
/// as its unit (see [`DeviceAuth`]).
fn board_device_by_token(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<(DeviceAuth, Option<String>)>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT id, federation_id, name, last_seen_at FROM board_devices
             WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .optional()?;
    let Some((id, federation, name, seen)) = row else {
        return Ok(None);
    };
    let federation = RecordId::new(federation).map_err(corrupt("federation id"))?;
    let device = DeviceAuth {
        device_id: DeviceId::new(id).map_err(corrupt("device id"))?,
        unit_id: thidua_core::demo::board_unit(&federation).map_err(corrupt("board unit"))?,
        cluster_id: federation,
        role: Role::Board,
        name,
    };
    Ok(Some((device, seen)))
}

/// Redeems a board invite (a code that is no cluster's).
fn redeem_board(
    c: &Connection,
    code_hash: &str,
    device: NewDevice,
) -> Result<JoinOutcome, StoreError> {
    let invite = c
        .prepare_cached(
            "SELECT i.id, i.federation_id, i.expires_at, i.revoked_at, i.uses, i.max_uses, f.name
             FROM board_invites i JOIN federations f ON f.id = i.federation_id
             WHERE i.code_hash = ?1",
        )?
        .query_row([code_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, Option<u32>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    let Some((invite_id, federation, expires, revoked, uses, max_uses, name)) = invite else {
        return Ok(JoinOutcome::UnknownCode);
    };
    if let Some(refused) = unusable(
        revoked.as_deref(),
        expires.as_deref(),
        uses,
        max_uses,
        device.created_at,
    ) {
        return Ok(refused);
    }
    c.execute(
        "INSERT INTO board_devices (id, federation_id, name, token_hash, invite_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            device.id.as_str(),
            federation,
            device.name,
            device.token_hash,
            invite_id,
            timestamp(device.created_at),
        ],
    )?;
    c.execute(
        "UPDATE board_invites SET uses = uses + 1 WHERE id = ?1",
        [&invite_id],
    )?;
    let federation = RecordId::new(federation).map_err(corrupt("federation id"))?;
    Ok(JoinOutcome::Joined {
        device: DeviceAuth {
            device_id: device.id,
            unit_id: thidua_core::demo::board_unit(&federation).map_err(corrupt("board unit"))?,
            cluster_id: federation,
            role: Role::Board,
            name: device.name,
        },
        cluster_name: name,
    })
}

pub(super) fn insert_board_invite(c: &Connection, i: &NewBoardInvite) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO board_invites (id, code_hash, federation_id, created_by, created_at,
                                    expires_at, max_uses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            i.id.as_str(),
            i.code_hash,
            i.federation_id.as_str(),
            i.created_by.as_ref().map(DeviceId::as_str),
            timestamp(i.created_at),
            i.expires_at.map(timestamp),
            i.max_uses,
        ],
    )?;
    Ok(())
}

pub(super) fn create_federation(c: &Connection, f: &NewFederation) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO federations (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![f.id.as_str(), f.name, timestamp(f.created_at)],
    )?;
    insert_board_invite(c, &f.first_invite)
}

pub(super) fn federation_name(c: &Connection, id: &RecordId) -> Result<Option<String>, StoreError> {
    Ok(
        c.prepare_cached("SELECT name FROM federations WHERE id = ?1")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?,
    )
}

const CLUSTER_COLUMNS: &str = "id, name, federation_id, seq, archived_at";

/// A `clusters` row as read, before its ids are checked: id, name, federation, seq, archived.
type RawClusterRow = (String, String, Option<String>, i64, Option<String>);

fn cluster_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawClusterRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_cluster_row(
    (id, name, federation, seq, archived_at): RawClusterRow,
) -> Result<ClusterRow, StoreError> {
    Ok(ClusterRow {
        id: RecordId::new(id).map_err(corrupt("cluster id"))?,
        name,
        federation: federation
            .map(RecordId::new)
            .transpose()
            .map_err(corrupt("federation id"))?,
        seq: u64::try_from(seq).map_err(corrupt("negative seq"))?,
        archived_at,
    })
}

pub(super) fn federation_clusters(
    c: &Connection,
    federation: &RecordId,
) -> Result<Vec<ClusterRow>, StoreError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE federation_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([federation.as_str()], cluster_row)?;
    rows.map(|r| to_cluster_row(r?)).collect()
}

pub(super) fn get_cluster_row(
    c: &Connection,
    cluster: &RecordId,
) -> Result<Option<ClusterRow>, StoreError> {
    c.prepare_cached(&format!(
        "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE id = ?1"
    ))?
    .query_row([cluster.as_str()], cluster_row)
    .optional()?
    .map(to_cluster_row)
    .transpose()
}

pub(super) fn set_archived(
    c: &Connection,
    cluster: &RecordId,
    at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    let n = c.execute(
        "UPDATE clusters SET archived_at = ?2 WHERE id = ?1",
        params![cluster.as_str(), at.map(timestamp)],
    )?;
    if n == 0 {
        return Err(StoreError::UnknownCluster(cluster.to_string()));
    }
    Ok(())
}

/// Every logged version of a record, oldest first; `None` when the server has no such record.
pub(super) fn history(
    c: &Connection,
    record: &RecordId,
) -> Result<Option<RecordHistory>, StoreError> {
    let found: Option<(String, String, Option<String>)> = c
        .prepare_cached("SELECT cluster_id, kind, owner_unit FROM records WHERE record_id = ?1")?
        .query_row([record.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((cluster, kind, owner)) = found else {
        return Ok(None);
    };
    let kind: Kind =
        serde_json::from_value(serde_json::Value::String(kind)).map_err(corrupt("record kind"))?;
    let mut stmt = c.prepare_cached(
        "SELECT received_at, device_id, device_name, unit_id, revision_json FROM revisions
         WHERE record_id = ?1 AND cluster_id = ?2 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![record.as_str(), cluster], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut steps = Vec::new();
    for row in rows {
        let (at, device, name, unit, json) = row?;
        steps.push(thidua_core::wire::HistoryStep {
            at,
            device_id: DeviceId::new(device).map_err(corrupt("device id"))?,
            device_name: name,
            unit: RecordId::new(unit).map_err(corrupt("unit id"))?,
            revision: serde_json::from_str(&json).map_err(corrupt("stored revision"))?,
        });
    }
    Ok(Some(RecordHistory {
        cluster_id: RecordId::new(cluster).map_err(corrupt("cluster id"))?,
        kind,
        owner_unit: owner
            .map(RecordId::new)
            .transpose()
            .map_err(corrupt("unit id"))?,
        steps,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::SqliteStore;

    #[tokio::test]
    async fn structural_records_are_found_through_the_partial_index() {
        let store = SqliteStore::open_in_memory().unwrap();
        // Both queries must go through the partial index, not scan every record.
        for query in [STRUCTURE_QUERY, ROLE_RECORDS_QUERY] {
            let plan: Vec<String> = store
                .with_conn(move |c| {
                    let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {query}"))?;
                    let rows = stmt.query_map(["x"], |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<Result<_, _>>()?)
                })
                .await
                .unwrap();
            assert!(
                plan.iter().any(|d| d.contains("records_structure")),
                "{query}: {plan:?}"
            );
        }
        for kind in STRUCTURAL_KINDS {
            assert!(STRUCTURE_QUERY.contains(&format!("'{kind}'")), "{kind}");
        }
        assert_eq!(
            STRUCTURE_QUERY.matches('\'').count(),
            2 * STRUCTURAL_KINDS.len()
        );
        assert!(ROLE_RECORDS_QUERY.starts_with(STRUCTURE_QUERY));
    }
}
