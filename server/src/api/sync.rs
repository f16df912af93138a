//! `POST /api/sync/push`, `GET /api/sync/pull`, `GET /api/snapshot`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{PushInput, RawRecords};
use crate::sync::{admit, PushedRecord, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct PushRequest {
    /// Chosen by the device for each push and reused when retrying it.
    pub push_id: String,
    /// Read without normalising, so the limits are checked first (see [`admit`]).
    pub records: Vec<PushedRecord>,
}

const MAX_PUSH_ID: usize = 100;

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

pub async fn push(
    State(state): State<AppState>,
    Device(device): Device,
    Json(request): Json<PushRequest>,
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

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub since: u64,
    pub limit: Option<u32>,
}

/// `{records, cursor, more}`; the records are copied as stored (see [`RawRecords`]).
pub async fn pull(
    State(state): State<AppState>,
    Device(device): Device,
    Query(query): Query<PullQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_PULL_LIMIT}, not {limit}"
        )));
    }
    let page = state
        .store
        .pull(device.cluster_id, query.since, limit)
        .await?;
    let tail = format!(",\"cursor\":{},\"more\":{}}}", page.cursor, page.more);
    Ok(json_body(b"{\"records\":", page.records, tail.as_bytes()))
}

/// The cluster's whole document (the JSON of a `Document`: `schema`, `cluster`, `records`),
/// plus the cursor to pull from afterwards.
pub async fn snapshot(
    State(state): State<AppState>,
    Device(device): Device,
) -> Result<Response, ApiError> {
    let page = state.store.snapshot(device.cluster_id).await?;
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
