//! `GET /api/history/{record_id}`: every version of a record the server accepted, with who
//! wrote it and when, for the record's history (lịch sử). The app says what changed, field by
//! field, with `thidua_core::history`.
use axum::extract::{Path, State};
use thidua_core::wire::{ErrorBody, HistoryResponse};
use thidua_core::RecordId;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::Json;
use crate::store::RecordHistory;
use crate::AppState;

/// Whether the caller may read this record's history: a board member of the cluster's
/// federation; the cluster's head or deputy (by the roles in force); an officer for the own
/// unit's records and the cluster-level ones (no owner unit).
async fn may_read(
    state: &AppState,
    caller: &crate::store::DeviceAuth,
    history: &RecordHistory,
) -> Result<bool, ApiError> {
    if caller.role.is_board() {
        let row = state.store.cluster_row(history.cluster_id.clone()).await?;
        return Ok(row.is_some_and(|r| r.federation.as_ref() == Some(&caller.cluster_id)));
    }
    if caller.cluster_id != history.cluster_id {
        return Ok(false);
    }
    let roles = state.store.role_records(caller.cluster_id.clone()).await?;
    if caller.role_in(&roles).manages_cluster() {
        return Ok(true);
    }
    Ok(history
        .owner_unit
        .as_ref()
        .is_none_or(|u| u == &caller.unit_id))
}

/// A record's history
///
/// Every version the server accepted, oldest first: when it arrived (server time), the device
/// and its name, its unit, and the version itself. Readable by the cluster's head and deputy,
/// an officer for the own unit's records and the cluster's own (not another unit's), and the
/// federation's board; any other record is answered as unknown.
#[utoipa::path(
    get,
    path = "/history/{record_id}",
    operation_id = "history",
    tag = "sync",
    security(("bearer" = [])),
    params(("record_id" = String, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "The record's accepted versions.", body = HistoryResponse),
        (status = 404, description = "No such record, or none the caller may read \
            (`not_found`).", body = ErrorBody),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(record_id): Path<String>,
) -> Result<Json<HistoryResponse>, ApiError> {
    let not_found = || ApiError::NotFound(format!("there is no record {record_id} you may read"));
    let id = RecordId::new(record_id.as_str()).map_err(|_| not_found())?;
    let Some(history) = state.store.history(id.clone()).await? else {
        return Err(not_found());
    };
    if !may_read(&state, &caller, &history).await? {
        return Err(not_found());
    }
    Ok(Json(HistoryResponse {
        record: id,
        kind: history.kind,
        steps: history.steps,
    }))
}
