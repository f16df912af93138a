//! The board's own members (ban thi đua): invites for more members (listed with their uses
//! and expiry, withdrawn), and the devices that joined with them (listed, removed). As for a
//! cluster's people, removing a device can withdraw the link it joined with and make a fresh
//! one, so that a removed board member stays out.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use thidua_core::wire::{
    BoardInviteRequest, DeviceInfo, DeviceRevoked, ErrorBody, InviteCreated, InviteInfo,
    RevokeDeviceQuery, DEFAULT_INVITE_DAYS, MAX_INVITE_DAYS, MAX_INVITE_USES,
};
use thidua_core::{DeviceId, InviteId, Role};

use crate::api::admin::{join_link, not_itself};
use crate::auth::{new_invite_code, new_invite_id, secret_hash, BoardMember};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{timestamp, NewBoardInvite, Seat};
use crate::AppState;

/// The 403 of every board endpoint for cluster devices.
const BOARD_ONLY: &str = "The device is a cluster's, not the federation board's (`forbidden`).";

fn seat(member: &BoardMember) -> Seat {
    Seat::Board(member.federation().clone())
}

/// Invite another board member
#[utoipa::path(
    post,
    path = "/board/invites",
    operation_id = "boardInvite",
    tag = "board",
    security(("bearer" = [])),
    request_body = BoardInviteRequest,
    responses(
        (status = 201, description = "The invite (role `board`); its code is shown only now.",
            body = InviteCreated),
        (status = 400, description = "A bound is out of range (`bad_request`).",
            body = ErrorBody),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn create_invite(
    State(state): State<AppState>,
    member: BoardMember,
    // An object, then the request: serde would also read `[]` or `[null, null]` as a request
    // whose fields are all optional.
    Json(body): Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<Response, ApiError> {
    // Absent means the default; `null` is not a number (as the description says).
    if let Some((field, _)) = body.iter().find(|(_, v)| v.is_null()) {
        return Err(ApiError::InvalidJson(format!(
            "{field} must be a number, or left out for the default"
        )));
    }
    let request: BoardInviteRequest = serde_json::from_value(serde_json::Value::Object(body))
        .map_err(|e| ApiError::InvalidJson(format!("the JSON body does not fit: {e}")))?;
    let created = issue_invite(&state, &member, request.expires_in_days, request.max_uses).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn issue_invite(
    state: &AppState,
    member: &BoardMember,
    expires_in_days: Option<u32>,
    max_uses: Option<u32>,
) -> Result<InviteCreated, ApiError> {
    let days = expires_in_days.unwrap_or(DEFAULT_INVITE_DAYS);
    if !(1..=MAX_INVITE_DAYS).contains(&days) {
        return Err(ApiError::BadRequest(format!(
            "expires_in_days must be between 1 and {MAX_INVITE_DAYS}, not {days}"
        )));
    }
    if let Some(n) = max_uses.filter(|n| !(1..=MAX_INVITE_USES).contains(n)) {
        return Err(ApiError::BadRequest(format!(
            "max_uses must be between 1 and {MAX_INVITE_USES}, not {n}"
        )));
    }
    let code = new_invite_code()?;
    let now = Utc::now();
    let expires_at = now + chrono::TimeDelta::days(i64::from(days));
    let invite = NewBoardInvite {
        id: new_invite_id()?,
        code_hash: secret_hash(&code),
        federation_id: member.federation().clone(),
        created_by: Some(member.device.device_id.clone()),
        created_at: now,
        expires_at: Some(expires_at),
        max_uses,
    };
    let id = invite.id.clone();
    state.store.create_board_invite(invite).await?;
    Ok(InviteCreated {
        id,
        link: join_link(&code),
        code,
        unit_id: member.device.unit_id.clone(),
        role: Role::Board,
        expires_at: timestamp(expires_at),
        max_uses,
    })
}

/// The board's invites (never their codes), with uses and state
#[utoipa::path(
    get,
    path = "/board/invites",
    operation_id = "boardInvites",
    tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first; role `board`, the board's unit.",
            body = Vec<InviteInfo>),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn list_invites(
    State(state): State<AppState>,
    member: BoardMember,
) -> Result<Json<Vec<InviteInfo>>, ApiError> {
    Ok(Json(state.store.list_invites(seat(&member)).await?))
}

/// Withdraw a board invite (idempotent)
#[utoipa::path(
    delete,
    path = "/board/invites/{id}",
    operation_id = "boardRevokeInvite",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = InviteId, Path, description = "Id of the invite.")),
    responses(
        (status = 204, description = "Withdrawn; its code no longer joins."),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = "The board has no such invite (`not_found`).",
            body = ErrorBody),
    )
)]
pub async fn revoke_invite(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let not_found = || ApiError::NotFound(format!("the board has no invite {id}"));
    let invite = InviteId::new(id.as_str()).map_err(|_| not_found())?;
    if state
        .store
        .revoke_invite(seat(&member), invite, Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}

/// The board members' devices
#[utoipa::path(
    get,
    path = "/board/devices",
    operation_id = "boardDevices",
    tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first; role `board`, the board's unit.",
            body = Vec<DeviceInfo>),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
    )
)]
pub async fn list_devices(
    State(state): State<AppState>,
    member: BoardMember,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    Ok(Json(state.store.list_devices(seat(&member)).await?))
}

/// Remove a board member's device (idempotent); its token gets 401 from then on
///
/// With `withdraw_invite=true` the invite it joined with is withdrawn in the same step; with
/// `replace_invite=true` a fresh board invite is made and returned (its code only here).
#[utoipa::path(
    delete,
    path = "/board/devices/{id}",
    operation_id = "boardRevokeDevice",
    tag = "board",
    security(("bearer" = [])),
    params(("id" = DeviceId, Path, description = "Id of the device."), RevokeDeviceQuery),
    responses(
        (status = 200, description = "Removed.", body = DeviceRevoked),
        (status = 403, description = BOARD_ONLY, body = ErrorBody),
        (status = 404, description = "The board has no such device (`not_found`).",
            body = ErrorBody),
        (status = 409, description = "The device to remove is the one making the request \
            (`conflict`): a device cannot remove itself.", body = ErrorBody),
    )
)]
pub async fn revoke_device(
    State(state): State<AppState>,
    member: BoardMember,
    Path(id): Path<String>,
    Query(query): Query<RevokeDeviceQuery>,
) -> Result<Json<DeviceRevoked>, ApiError> {
    let not_found = || ApiError::NotFound(format!("the board has no device {id}"));
    let device_id = DeviceId::new(id.as_str()).map_err(|_| not_found())?;
    not_itself(&device_id, &member.device.device_id, "board member's")?;
    let revoked = state
        .store
        .revoke_device(
            seat(&member),
            device_id.clone(),
            Utc::now(),
            query.withdraw_invite,
        )
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(device = %id, by = %member.device.device_id, invite_withdrawn = revoked.invite_withdrawn, "board device revoked");
    let new_invite = if query.replace_invite {
        Some(issue_invite(&state, &member, None, None).await?)
    } else {
        None
    };
    Ok(Json(DeviceRevoked {
        device_id,
        invite_id: revoked.invite_id,
        invite_withdrawn: revoked.invite_withdrawn,
        new_invite,
    }))
}
