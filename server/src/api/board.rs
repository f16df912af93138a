//! The federation's emulation board (ban thi đua): its clusters (create, list, archive, move a
//! unit between them), its writes into them (through the one push path, as role `board`),
//! the dashboard across them computed here with core's roll-up, and the award history
//! (the board's own members: `board_members`).
//!
//! A cluster of another federation is answered as one that does not exist (404), so a board
//! never learns what other federations hold.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use thidua_core::rollup::{cluster_rollup, rollup_of, ClusterRollup};
use thidua_core::wire::{
    ArchiveClusterRequest, AwardHistoryQuery, AwardHistoryResponse, ClusterCreated, ClusterInfo,
    ClustersResponse, CreateClusterRequest, Dashboard, ErrorBody, Federation, InviteCreated,
    MoveUnitRequest, PullQuery, PullResponse, PushRequest, PushResponse, Snapshot, UnitMoved,
    UnitRef, DEFAULT_INVITE_DAYS, MAX_BOARD_NAME, MAX_NEW_CLUSTER_UNITS, MAX_SEARCH_TEXT,
};
use thidua_core::{
    validate, Body, Cluster, Document, Record, RecordId, Role, Roles, Unit, UnitKind,
};

use crate::api::admin::{issue_invite, join_link};
use crate::auth::{new_id, new_invite_code, new_invite_id, secret_hash, BoardMember};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{timestamp, Author, ClusterRow, NewCluster, NewInvite};
use crate::AppState;

/// The 404 of a cluster outside the caller's federation (or nowhere).
const NOT_IN_FEDERATION: &str = "No such cluster in the board's federation (`not_found`); \
    another federation's clusters are answered the same way.";
/// The 403 of every board endpoint for cluster devices.
const BOARD_ONLY: &str = "The device is a cluster's, not the federation board's (`forbidden`).";

/// Each cluster's line of the dashboard, kept until the cluster changes or the day turns:
/// the board's dashboard then costs one query per cluster, not a load of every document.
#[derive(Default)]
pub struct DashboardCache {
    lines: Mutex<HashMap<RecordId, CachedLine>>,
}

struct CachedLine {
    seq: u64,
    today: NaiveDate,
    line: Arc<ClusterRollup>,
}

impl DashboardCache {
    fn get(&self, cluster: &RecordId, seq: u64, today: NaiveDate) -> Option<Arc<ClusterRollup>> {
        let lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        lines
            .get(cluster)
            .filter(|c| c.seq == seq && c.today == today)
            .map(|c| Arc::clone(&c.line))
    }

    fn put(&self, cluster: RecordId, seq: u64, today: NaiveDate, line: Arc<ClusterRollup>) {
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        lines.insert(cluster, CachedLine { seq, today, line });
    }
}

/// The caller's federation, as the wire names it.
async fn federation(state: &AppState, member: &BoardMember) -> Result<Federation, ApiError> {
    let id = member.federation().clone();
    let name = state
        .store
        .federation_name(id.clone())
        .await?
        .ok_or(ApiError::Internal)?;
    Ok(Federation {
        id,
        name,
        board_unit: member.device.unit_id.clone(),
    })
}

/// The cluster `id` if it is one of the caller's federation's, else 404.
async fn own_cluster(
    state: &AppState,
    member: &BoardMember,
    id: &str,
) -> Result<ClusterRow, ApiError> {
    let not_found = || ApiError::NotFound(format!("there is no cluster {id} in your federation"));
    let id = RecordId::new(id).map_err(|_| not_found())?;
    match state.store.cluster_row(id).await? {
        Some(row) if row.federation.as_ref() == Some(member.federation()) => Ok(row),
        _ => Err(not_found()),
    }
}

fn random_record_id() -> Result<RecordId, ApiError> {
    RecordId::new(new_id()?).map_err(|_| ApiError::Internal)
}

fn author(member: &BoardMember) -> Author {
    Author {
        device_id: member.device.device_id.clone(),
        device_name: member.device.name.clone(),
        unit_id: member.device.unit_id.clone(),
    }
}

/// The federation's clusters
#[utoipa::path(
    get,
    path = "/board/clusters",
    operation_id = "boardClusters",
    tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The federation and its clusters, archived ones included.",
            body = ClustersResponse),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn list_clusters(
    State(state): State<AppState>,
    member: BoardMember,
) -> Result<Json<ClustersResponse>, ApiError> {
    let federation = federation(&state, &member).await?;
    let rows = state
        .store
        .federation_clusters(member.federation().clone())
        .await?;
    let mut clusters = Vec::with_capacity(rows.len());
    for row in rows {
        // Its structural records only: a few per cluster.
        let doc = state.store.structure(row.id.clone()).await?;
        let cluster = doc.get_cluster(&row.id);
        let mut unit_list: Vec<UnitRef> = doc
            .member_units()
            .map(|(id, u)| UnitRef {
                id: id.clone(),
                name: u.name.clone(),
            })
            .collect();
        unit_list.sort_by(|a, b| thidua_core::format::vi_cmp(&a.name, &b.name));
        clusters.push(ClusterInfo {
            name: cluster.map_or_else(|| row.name.clone(), |c| c.name.clone()),
            year: cluster.map(|c| c.year),
            units: u32::try_from(unit_list.len()).unwrap_or(u32::MAX),
            unit_list,
            head_unit: thidua_core::summary::letterhead(&doc)
                .head_unit
                .map(|(_, name)| name),
            archived_at: row.archived_at,
            id: row.id,
        });
    }
    clusters.sort_by(|a, b| thidua_core::format::vi_cmp(&a.name, &b.name));
    Ok(Json(ClustersResponse {
        federation,
        clusters,
    }))
}

/// Create a cluster
///
/// Formed by a decision, with its member units (typed or pasted, one name each) and this
/// year's head and deputy; written as the board member's device. Answers the head's invite
/// (its code shown only now) to hand over as a link or QR.
#[utoipa::path(
    post,
    path = "/board/clusters",
    operation_id = "boardCreateCluster",
    tag = "board",
    security(("bearer" = [])),
    request_body = CreateClusterRequest,
    responses(
        (status = 201, description = "The cluster, its units' ids and the head's invite.",
            body = ClusterCreated),
        (status = 400, description = "A field is missing or out of range (`bad_request`).",
            body = ErrorBody),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn create_cluster(
    State(state): State<AppState>,
    member: BoardMember,
    Json(request): Json<CreateClusterRequest>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let name = request.name.trim();
    let units: Vec<&str> = request.units.iter().map(|u| u.trim()).collect();
    if units.is_empty() || units.len() > MAX_NEW_CLUSTER_UNITS {
        return Err(ApiError::BadRequest(format!(
            "units must list 1 to {MAX_NEW_CLUSTER_UNITS} member units"
        )));
    }
    if let Some(bad) = units
        .iter()
        .find(|u| u.is_empty() || u.chars().count() > MAX_BOARD_NAME)
    {
        return Err(ApiError::BadRequest(format!(
            "each unit's name must be 1 to {MAX_BOARD_NAME} characters (got {:?})",
            bad.chars().take(40).collect::<String>()
        )));
    }
    let folded: Vec<String> = units
        .iter()
        .map(|u| thidua_core::proposal::fold(u))
        .collect();
    if let Some((i, _)) = folded
        .iter()
        .enumerate()
        .find(|(i, f)| folded[..*i].contains(f))
    {
        return Err(ApiError::BadRequest(format!(
            "unit {:?} is listed twice",
            units[i]
        )));
    }
    let index = |i: u32, what: &str| {
        usize::try_from(i)
            .ok()
            .filter(|i| *i < units.len())
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "{what} must be the index of one of the {} units",
                    units.len()
                ))
            })
    };
    let head = index(request.head_unit_index, "head_unit_index")?;
    let deputy = request
        .deputy_unit_index
        .map(|d| index(d, "deputy_unit_index"))
        .transpose()?;
    if deputy == Some(head) {
        return Err(ApiError::BadRequest(
            "the deputy must be another unit than the head".into(),
        ));
    }
    let cluster_id = random_record_id()?;
    let cluster = Cluster {
        name: name.to_owned(),
        decision: thidua_core::Decision {
            number: request.decision.number.trim().to_owned(),
            date: request.decision.date,
            issuer: request.decision.issuer.trim().to_owned(),
        },
        year: request.year,
        former_units: Vec::new(),
    };
    let body = Body::Cluster(cluster);
    if let Err(errors) = validate(&Document::new(cluster_id.clone()), &body) {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(ApiError::BadRequest(list.join("; ")));
    }
    let device = &member.device.device_id;
    let board = Some(member.device.unit_id.clone());
    let mut doc = Document::new(cluster_id.clone());
    doc.put(cluster_id.clone(), body, device, board.clone(), now);
    let mut unit_ids = Vec::with_capacity(units.len());
    for unit in &units {
        let id = random_record_id()?;
        let body = Body::Unit(Unit {
            name: (*unit).to_owned(),
            kind: UnitKind::GrassrootsUnion,
        });
        doc.put(id.clone(), body, device, board.clone(), now);
        unit_ids.push(id);
    }
    let roles = Body::Roles(Roles {
        year: request.year,
        head: unit_ids[head].clone(),
        deputy: deputy.map(|d| unit_ids[d].clone()),
    });
    doc.put(random_record_id()?, roles, device, board, now);
    let code = new_invite_code()?;
    let expires_at = now + chrono::TimeDelta::days(i64::from(DEFAULT_INVITE_DAYS));
    let invite = NewInvite {
        id: new_invite_id()?,
        code_hash: secret_hash(&code),
        cluster_id: cluster_id.clone(),
        unit_id: unit_ids[head].clone(),
        role: Role::Head,
        created_by: Some(device.clone()),
        created_at: now,
        expires_at: Some(expires_at),
        max_uses: None,
    };
    let head_invite = InviteCreated {
        id: invite.id.clone(),
        link: join_link(&code),
        code,
        unit_id: unit_ids[head].clone(),
        role: Role::Head,
        expires_at: timestamp(expires_at),
        max_uses: None,
    };
    state
        .store
        .create_cluster(NewCluster {
            id: cluster_id.clone(),
            name: name.to_owned(),
            created_at: now,
            records: doc.records.values().cloned().collect(),
            head_invite: invite,
            federation: Some(member.federation().clone()),
            author: author(&member),
        })
        .await?;
    tracing::info!(cluster = %cluster_id, federation = %member.federation(), "board created a cluster");
    let created = ClusterCreated {
        cluster_id,
        units: unit_ids,
        head_invite,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Archive a cluster, or bring it back
///
/// An archived cluster is read only: pushes into it are refused (`cluster_archived`), and it
/// leaves the dashboard; its records, history and awards stay.
#[utoipa::path(
    post,
    path = "/board/clusters/{id}/archive",
    operation_id = "boardArchiveCluster",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The cluster's id.")),
    request_body = ArchiveClusterRequest,
    responses(
        (status = 204, description = "Archived (or brought back)."),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
    )
)]
pub async fn archive_cluster(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
    Json(request): Json<ArchiveClusterRequest>,
) -> Result<StatusCode, ApiError> {
    let row = own_cluster(&state, &member, &id).await?;
    let at = request.archived.then(Utc::now);
    state.store.set_archived(row.id, at).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new link for a cluster's head
///
/// When the head's phone is lost or the head changes hands: a head's invite for the head unit
/// in force this year (the cluster's `roles` record), to hand over as a link or QR. The old
/// phone is removed by the new head, like any device.
#[utoipa::path(
    post,
    path = "/board/clusters/{id}/head-invite",
    operation_id = "boardHeadInvite",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The cluster's id.")),
    responses(
        (status = 201, description = "The head's invite; its code is shown only now.",
            body = InviteCreated),
        (status = 400, description = "The cluster names no head unit for its year \
            (`bad_request`).", body = ErrorBody),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
        (status = 409, description = "The cluster is archived (`cluster_archived`).",
            body = ErrorBody),
    )
)]
pub async fn head_invite(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = own_cluster(&state, &member, &id).await?;
    if row.archived_at.is_some() {
        return Err(ApiError::ClusterArchived(
            "an archived cluster is read only".into(),
        ));
    }
    let doc = state.store.structure(row.id.clone()).await?;
    let head = thidua_core::summary::letterhead(&doc)
        .head_unit
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "cluster {} names no head unit for its year; set this year's roles first",
                row.id
            ))
        })?;
    let created = issue_invite(
        &state,
        &member.device.in_cluster(row.id.clone()),
        &head.0,
        Role::Head,
        None,
        Some(1),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Move a unit to another cluster
///
/// At the start of a year: the old cluster lists the unit among its former units (its records
/// stay, for the history) and the new one gets a unit of the same name and kind. Both writes
/// go through the push path as the board member's device.
#[utoipa::path(
    post,
    path = "/board/units/move",
    operation_id = "boardMoveUnit",
    tag = "board",
    security(("bearer" = [])),
    request_body = MoveUnitRequest,
    responses(
        (status = 200, description = "Where the unit is now.", body = UnitMoved),
        (status = 400, description = "Not a member unit of the first cluster, or the same \
            cluster twice (`bad_request`).", body = ErrorBody),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
        (status = 409, description = "A cluster is archived (`cluster_archived`).",
            body = ErrorBody),
    )
)]
pub async fn move_unit(
    State(state): State<AppState>,
    member: BoardMember,
    Json(request): Json<MoveUnitRequest>,
) -> Result<Json<UnitMoved>, ApiError> {
    let from = own_cluster(&state, &member, &request.from_cluster).await?;
    let to = own_cluster(&state, &member, &request.to_cluster).await?;
    if from.id == to.id {
        return Err(ApiError::BadRequest(
            "from_cluster and to_cluster are the same cluster".into(),
        ));
    }
    if from.archived_at.is_some() || to.archived_at.is_some() {
        return Err(ApiError::ClusterArchived(
            "an archived cluster is read only".into(),
        ));
    }
    let source = state.store.document(from.id.clone()).await?;
    let unit = match source.get_unit(&request.unit_id) {
        Some(u) if source.member_units().any(|(id, _)| id == &request.unit_id) => u.clone(),
        _ => {
            return Err(ApiError::BadRequest(format!(
                "unit {} is not a member unit of cluster {}",
                request.unit_id, from.id
            )))
        }
    };
    let Some(Body::Cluster(mut cluster)) = source.body(&from.id).cloned() else {
        return Err(ApiError::BadRequest(format!(
            "cluster {} has no cluster record yet",
            from.id
        )));
    };
    cluster.former_units.push(request.unit_id.clone());
    let now = Utc::now();
    let device = member.device.device_id.clone();
    let board = Some(member.device.unit_id.clone());
    // Written on top of every stored version of the cluster record.
    let mut replica = Document::new(from.id.clone());
    if let Some(rec) = source.get(&from.id) {
        replica.records.insert(from.id.clone(), rec.clone());
    }
    replica.put(
        from.id.clone(),
        Body::Cluster(cluster),
        &device,
        board.clone(),
        now,
    );
    push_records(&state, &member, &from.id, replica.records.into_values()).await?;
    // A new id the board's device may create: derived from its own id.
    let new_id = RecordId::derive(&device, u64::from_le_bytes(random_bytes()?));
    let mut target = Document::new(to.id.clone());
    target.put(new_id.clone(), Body::Unit(unit), &device, board, now);
    push_records(&state, &member, &to.id, target.records.into_values()).await?;
    // Its people now belong to the new cluster: their old devices and links stop working
    // there, and the unit's officer joins the new one with a fresh link.
    let devices_removed = state
        .store
        .revoke_unit(from.id.clone(), request.unit_id.clone(), now)
        .await?;
    state.live.changed(&from.id);
    let officer_invite = issue_invite(
        &state,
        &member.device.in_cluster(to.id.clone()),
        &new_id,
        Role::Officer,
        None,
        None,
    )
    .await?;
    Ok(Json(UnitMoved {
        to_cluster: to.id,
        unit_id: new_id,
        devices_removed,
        officer_invite,
    }))
}

fn random_bytes() -> Result<[u8; 8], ApiError> {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).map_err(|_| ApiError::Internal)?;
    Ok(buf)
}

/// Pushes `records` into `cluster` as the board member; any refusal is a 400 naming it.
async fn push_records(
    state: &AppState,
    member: &BoardMember,
    cluster: &RecordId,
    records: impl Iterator<Item = Record>,
) -> Result<(), ApiError> {
    let records: Vec<Record> = records.collect();
    let outcome = state
        .store
        .push(crate::store::PushInput {
            device: member.device.in_cluster(cluster.clone()),
            push_id: format!("board-{}", new_id()?),
            records,
            refused: Vec::new(),
            now: Utc::now(),
        })
        .await?;
    if let Some(r) = outcome.response.rejected.first() {
        return Err(ApiError::BadRequest(format!(
            "cluster {cluster} refused record {}: {}",
            r.id, r.reason
        )));
    }
    state.live.changed(cluster);
    Ok(())
}

/// Send records into a cluster of the federation
///
/// The same push as a cluster device's (`/sync/push`), as role `board`: a board member
/// writes the cluster, its units and roles, campaigns (and their deadlines), decisions on
/// proposals and reminders, never a unit's results or pledges, nor reviews, review sessions
/// or proposals (those are refused as `forbidden`).
#[utoipa::path(
    post,
    path = "/board/clusters/{id}/push",
    operation_id = "boardPush",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The cluster's id.")),
    request_body = PushRequest,
    responses(
        (status = 200, description = "Some or all records were accepted.", body = PushResponse),
        (status = 422, description = "Every record was refused.", body = PushResponse),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
        (status = 409, description = "The cluster is archived (`cluster_archived`).",
            body = ErrorBody),
    )
)]
pub async fn push(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
    Json(request): Json<PushRequest>,
) -> Result<Response, ApiError> {
    let row = own_cluster(&state, &member, &id).await?;
    crate::api::sync::push_as(&state, member.device.in_cluster(row.id), request).await
}

/// A cluster's changes since a cursor
#[utoipa::path(
    get,
    path = "/board/clusters/{id}/pull",
    operation_id = "boardPull",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The cluster's id."), PullQuery),
    responses(
        (status = 200, description = "One page of changes.", body = PullResponse),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
    Query(query): Query<PullQuery>,
) -> Result<Response, ApiError> {
    let row = own_cluster(&state, &member, &id).await?;
    crate::api::sync::pull_of(&state, row.id, query).await
}

/// A cluster's whole document
#[utoipa::path(
    get,
    path = "/board/clusters/{id}/snapshot",
    operation_id = "boardSnapshot",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The cluster's id.")),
    responses(
        (status = 200, description = "Every record of the cluster and the cursor.",
            body = Snapshot),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = NOT_IN_FEDERATION, body = ErrorBody),
    )
)]
pub async fn snapshot(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = own_cluster(&state, &member, &id).await?;
    crate::api::sync::snapshot_of(&state, row.id).await
}

/// The dashboard across the federation's clusters
///
/// Computed here with core's roll-up (`thidua_core::rollup`) from each running (not archived)
/// cluster's document, each cluster's line kept until it changes: the board's device never
/// downloads the clusters' documents.
#[utoipa::path(
    get,
    path = "/board/dashboard",
    operation_id = "boardDashboard",
    tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The roll-up and when it was computed.", body = Dashboard),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn dashboard(
    State(state): State<AppState>,
    member: BoardMember,
) -> Result<Json<Dashboard>, ApiError> {
    Ok(Json(dashboard_of(&state, &member).await?))
}

/// The dashboard of the member's federation: each running cluster's line (cached until the
/// cluster changes or the day turns) and the roll-up of them.
pub async fn dashboard_of(state: &AppState, member: &BoardMember) -> Result<Dashboard, ApiError> {
    let federation = federation(state, member).await?;
    let now = Utc::now();
    let today = thidua_core::reporting::local_day(now);
    let rows = state
        .store
        .federation_clusters(member.federation().clone())
        .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows.into_iter().filter(|r| r.archived_at.is_none()) {
        if let Some(line) = state.dashboard.get(&row.id, row.seq, today) {
            lines.push((*line).clone());
            continue;
        }
        let doc = state.store.document(row.id.clone()).await?;
        let line = tokio::task::spawn_blocking(move || cluster_rollup(&doc, today))
            .await
            .map_err(|_| ApiError::Internal)?;
        state
            .dashboard
            .put(row.id, row.seq, today, Arc::new(line.clone()));
        lines.push(line);
    }
    Ok(Dashboard {
        federation,
        computed_at: timestamp(now),
        rollup: rollup_of(lines, today),
    })
}

/// Accepted awards across the federation's clusters and years
///
/// Searchable by part of the unit's name, of the person's name (case and Vietnamese marks
/// ignored: "hung" finds "Hùng") and by award kind: what eligibility checks look at.
#[utoipa::path(
    get,
    path = "/board/awards",
    operation_id = "boardAwards",
    tag = "board",
    security(("bearer" = [])),
    params(AwardHistoryQuery),
    responses(
        (status = 200, description = "The accepted awards found, newest decision first.",
            body = AwardHistoryResponse),
        (status = 400, description = "A search text is too long (`bad_request`).",
            body = ErrorBody),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn awards(
    State(state): State<AppState>,
    member: BoardMember,
    Query(query): Query<AwardHistoryQuery>,
) -> Result<Json<AwardHistoryResponse>, ApiError> {
    for text in [&query.unit, &query.person].into_iter().flatten() {
        if text.chars().count() > MAX_SEARCH_TEXT {
            return Err(ApiError::BadRequest(format!(
                "a search text may be at most {MAX_SEARCH_TEXT} characters"
            )));
        }
    }
    let rows = state
        .store
        .federation_clusters(member.federation().clone())
        .await?;
    let mut docs = Vec::with_capacity(rows.len());
    for row in rows {
        docs.push(state.store.award_records(row.id).await?);
    }
    let awards = tokio::task::spawn_blocking(move || {
        let refs: Vec<&Document> = docs.iter().collect();
        thidua_core::proposal::award_history(&refs, &query)
    })
    .await
    .map_err(|_| ApiError::Internal)?;
    Ok(Json(AwardHistoryResponse { awards }))
}
