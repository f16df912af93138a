//! `GET /api/sync/wait`: answers as soon as the caller's cluster has changes after `since`
//! (see [`crate::live`]).
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::live::{Woken, WAIT};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct WaitQuery {
    /// The cursor of the caller's last pull.
    #[serde(default)]
    pub since: u64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct WaitResponse {
    /// Whether the cluster has changes after `since`: pull them.
    pub changed: bool,
}

pub async fn wait(
    State(state): State<AppState>,
    Device(device): Device,
    Query(query): Query<WaitQuery>,
) -> Result<Json<WaitResponse>, ApiError> {
    let watcher = state.live.subscribe(&device.cluster_id);
    let page = state
        .store
        .pull(device.cluster_id.clone(), query.since, 1)
        .await?;
    if page.records.is_empty() && !page.more {
        let woken = state.live.wait(watcher, WAIT).await;
        return Ok(Json(WaitResponse {
            changed: woken == Woken::Changed,
        }));
    }
    Ok(Json(WaitResponse { changed: true }))
}
