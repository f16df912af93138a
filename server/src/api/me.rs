//! `PUT /api/me`: the calling device renames itself, so the head lists it by its
//! holder's name (typed after a link joined the phone at once).
use axum::extract::State;
use axum::http::StatusCode;
use thidua_core::wire::RenameRequest;

use crate::api::join::device_name;
use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::Json;
use crate::AppState;

/// Rename the calling device
///
/// The device's holder types their name after joining, so that the cluster head lists the
/// device by it.
#[utoipa::path(
    put,
    path = "/me",
    operation_id = "renameDevice",
    tag = "devices",
    security(("bearer" = [])),
    request_body = RenameRequest,
    responses((status = 204, description = "Renamed."))
)]
pub async fn rename(
    State(state): State<AppState>,
    Device(device): Device,
    Json(request): Json<RenameRequest>,
) -> Result<StatusCode, ApiError> {
    let name = device_name(&request.name, "name")?.to_owned();
    let found = state
        .store
        .rename_device(device.cluster_id, device.device_id, name)
        .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::Unauthorized(
            "this device was removed from the cluster".into(),
        ))
    }
}
