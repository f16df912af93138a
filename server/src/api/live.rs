//! `GET /api/sync/wait`: answers as soon as the caller's cluster has changes after `since`
//! (see [`crate::live`]).
use axum::extract::State;
use thidua_core::wire::{WaitQuery, WaitResponse};

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::live::{Woken, WAIT};
use crate::AppState;

/// Wait until the cluster changes
///
/// Answers as soon as the caller's cluster has changes after `since` (at once if it already
/// has), or after about 25 seconds with `changed: false`. Open devices keep one such request
/// going, so another device's edit shows in seconds.
#[utoipa::path(
    get,
    path = "/sync/wait",
    operation_id = "wait",
    tag = "sync",
    security(("bearer" = [])),
    params(WaitQuery),
    responses(
        (status = 200, description = "Whether the cluster changed after `since`.",
            body = WaitResponse),
    )
)]
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
