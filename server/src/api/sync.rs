//! `POST /api/sync/push`, `GET /api/sync/pull`, `GET /api/snapshot`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thidua_core::wire::{
    PullQuery, PullResponse, PushRequest, PushResponse, Snapshot, DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT, MAX_PUSH_ID,
};

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{PushInput, RawRecords};
use crate::sync::admit;
use crate::AppState;

fn check_push_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > MAX_PUSH_ID {
        return Err(ApiError::BadRequest(format!(
            "push_id must be 1 to {MAX_PUSH_ID} characters long"
        )));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::BadRequest(
            "push_id may only contain A-Z, a-z, 0-9, '-' and '_'".into(),
        ));
    }
    Ok(())
}

/// The `thidua-replayed` header's one value.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
enum Replayed {
    #[schema(rename = "true")]
    True,
}

/// Send changed records
///
/// Checked against the cluster's document in one transaction: every revision new to the server
/// must be written by the pushing device, advance its counter, be allowed for the device's unit
/// and role and carry a valid body. The role is the one in force before the push: the unit's in
/// the cluster's `roles` record for the cluster's year, or the invite's when no roles are
/// recorded for that year; only the head may change who is head (or the cluster's year). A
/// record new to the server may only be created by the device whose id its id is derived from
/// (`<device id>-<counter in base 36>`), or by another device of the same unit, whatever the
/// id's use elsewhere; a new record whose every version is a deletion is accepted and not
/// stored. A version's time (`at`) later than the server's clock is lowered to it. Each record
/// at most once per push (else 400), at most 16 concurrent versions per record before and after
/// the merge and 256 devices per version clock (else that record is refused as `invalid`).
/// Records failing a check are refused whole; the rest are merged. Reusing a `push_id` returns
/// the stored answer without applying anything again.
#[utoipa::path(
    post,
    path = "/sync/push",
    operation_id = "push",
    tag = "sync",
    security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "Some or all records were accepted (`rejected` lists the \
            rest).", body = PushResponse, headers(("thidua-replayed" = inline(Replayed),
            description = "`true` when this answer is the stored one for a reused `push_id`."))),
        (status = 422, description = "Every record was refused: `error` is `rejected`, \
            `message` names the first problem, `rejected` lists them all.", body = PushResponse,
            headers(("thidua-replayed" = inline(Replayed),
            description = "`true` when this answer is the stored one for a reused `push_id`."))),
    )
)]
pub async fn push(
    State(state): State<AppState>,
    Device(device): Device,
    Json(request): Json<PushRequest>,
) -> Result<Response, ApiError> {
    push_as(&state, device, request).await
}

/// A push by `device` into `device.cluster_id` (a cluster device's own, or the cluster a
/// board member named): one path, one set of rules.
pub(crate) async fn push_as(
    state: &AppState,
    device: crate::store::DeviceAuth,
    request: PushRequest,
) -> Result<Response, ApiError> {
    check_push_id(&request.push_id)?;
    let admitted = admit(request.records).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let cluster = device.cluster_id.clone();
    let outcome = state
        .store
        .push(PushInput {
            device,
            push_id: request.push_id,
            records: admitted.records,
            refused: admitted.refused,
            now: chrono::Utc::now(),
        })
        .await?;
    if !outcome.replayed && !outcome.response.accepted.is_empty() {
        // The other open devices of the cluster pull it now.
        state.live.changed(&cluster);
    }
    let status = StatusCode::from_u16(outcome.response.status()).unwrap_or(StatusCode::OK);
    let mut response = (status, Json(outcome.response)).into_response();
    if outcome.replayed {
        response.headers_mut().insert(
            "thidua-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// Records changed since a cursor
// The answer is a `PullResponse`, its records copied as stored (see `RawRecords`).
#[utoipa::path(
    get,
    path = "/sync/pull",
    operation_id = "pull",
    tag = "sync",
    security(("bearer" = [])),
    params(PullQuery),
    responses((status = 200, description = "One page of changes.", body = PullResponse))
)]
pub async fn pull(
    State(state): State<AppState>,
    Device(device): Device,
    Query(query): Query<PullQuery>,
) -> Result<Response, ApiError> {
    pull_of(&state, device.cluster_id, query).await
}

/// One page of `cluster`'s changes.
pub(crate) async fn pull_of(
    state: &AppState,
    cluster: thidua_core::RecordId,
    query: PullQuery,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_PULL_LIMIT}, not {limit}"
        )));
    }
    let page = state.store.pull(cluster, query.since, limit).await?;
    let tail = format!(",\"cursor\":{},\"more\":{}}}", page.cursor, page.more);
    Ok(json_body(b"{\"records\":", page.records, tail.as_bytes()))
}

/// The cluster's whole document
// The JSON of a `Document` (`schema`, `cluster`, `records`) plus the cursor to pull from
// afterwards: a `Snapshot`.
#[utoipa::path(
    get,
    path = "/snapshot",
    operation_id = "snapshot",
    tag = "sync",
    security(("bearer" = [])),
    responses((status = 200, description = "Every record of the cluster, and the cursor to \
        pull from afterwards.", body = Snapshot))
)]
pub async fn snapshot(
    State(state): State<AppState>,
    Device(device): Device,
) -> Result<Response, ApiError> {
    snapshot_of(&state, device.cluster_id).await
}

/// `cluster`'s whole document and cursor.
pub(crate) async fn snapshot_of(
    state: &AppState,
    cluster: thidua_core::RecordId,
) -> Result<Response, ApiError> {
    let page = state.store.snapshot(cluster).await?;
    let cluster = serde_json::to_string(&page.cluster).map_err(|_| ApiError::Internal)?;
    let head = format!(
        "{{\"schema\":{},\"cluster\":{cluster},\"records\":",
        page.schema
    );
    let tail = format!(",\"cursor\":{}}}", page.cursor);
    Ok(json_body(head.as_bytes(), page.records, tail.as_bytes()))
}

/// `head`, the records' chunks and `tail` as one streamed JSON body.
fn json_body(head: &[u8], records: RawRecords, tail: &[u8]) -> Response {
    let mut chunks = vec![bytes::Bytes::copy_from_slice(head)];
    chunks.extend(records.into_chunks());
    chunks.push(bytes::Bytes::copy_from_slice(tail));
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}
