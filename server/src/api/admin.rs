//! Head/deputy only: invites and devices of the cluster.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thidua_core::wire::{
    DeviceInfo, DeviceRevoked, ErrorBody, InviteCreated, InviteInfo, InviteRequest, InvitesQuery,
    RevokeDeviceQuery,
};
use thidua_core::{Body, DeviceId, InviteId, Kind, Role, UnitId};

use crate::auth::{new_invite_code, new_invite_id, secret_hash, Manager};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{timestamp, DeviceAuth, NewInvite, Seat};
use crate::AppState;

pub use thidua_core::wire::{DEFAULT_INVITE_DAYS, MAX_INVITE_DAYS, MAX_INVITE_USES};

/// The 403 of every endpoint for managers.
const MANAGER_ONLY: &str = "The device is a unit officer; only the cluster head or deputy may \
    do this (`forbidden`). Deputies also cannot create or remove head access. Roles are the ones \
    in force: the cluster's `roles` record for its year, else the invite's.";

/// Removing the device that asks would lock its holder out with no way back in.
pub fn not_itself(target: &DeviceId, asker: &DeviceId, who: &str) -> Result<(), ApiError> {
    if target == asker {
        return Err(ApiError::Conflict(format!(
            "this is the device making the request; a device cannot remove itself, \
             remove it from another {who} device"
        )));
    }
    Ok(())
}

pub fn join_link(code: &str) -> String {
    format!("/join#{code}")
}

/// Create an invite link for a unit and role
#[utoipa::path(
    post,
    path = "/invites",
    operation_id = "createInvite",
    tag = "admin",
    security(("bearer" = [])),
    request_body = InviteRequest,
    responses(
        (status = 201, description = "The invite; the code is shown only now.",
            body = InviteCreated),
        (status = 403, description = MANAGER_ONLY, body = ErrorBody),
    )
)]
pub async fn create_invite(
    State(state): State<AppState>,
    manager: Manager,
    Json(request): Json<InviteRequest>,
) -> Result<Response, ApiError> {
    if request.role.is_board() {
        return Err(ApiError::Forbidden(
            "a cluster does not invite board members; the board invites its own members".into(),
        ));
    }
    // The role in force counts too: an officer invite for the head's unit gives head access.
    if !manager.may_manage(&request.unit_id, request.role) {
        return Err(ApiError::Forbidden(
            "only the cluster head may invite another head (an invite for the head's unit \
             makes a head too)"
                .into(),
        ));
    }
    let created = issue_invite(
        &state,
        &manager.device,
        &request.unit_id,
        request.role,
        request.expires_in_days,
        request.max_uses,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Makes an invite for an existing unit of the manager's cluster (rights checked by the caller).
pub async fn issue_invite(
    state: &AppState,
    manager: &DeviceAuth,
    unit_id: &UnitId,
    role: Role,
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
    let unit = state
        .store
        .record(manager.cluster_id.clone(), unit_id.clone())
        .await?;
    match unit {
        Some(r) if r.kind == Kind::Unit && matches!(r.body(), Some(Body::Unit(_))) => {}
        Some(r) if r.kind == Kind::Unit => {
            return Err(ApiError::BadRequest(format!(
                "unit {unit_id} was deleted; invite people of an existing unit"
            )))
        }
        _ => {
            return Err(ApiError::BadRequest(format!(
                "unit_id {unit_id} is not a unit of this cluster"
            )))
        }
    }
    let code = new_invite_code()?;
    let now = chrono::Utc::now();
    let expires_at = now + chrono::TimeDelta::days(i64::from(days));
    let invite = NewInvite {
        id: new_invite_id()?,
        code_hash: secret_hash(&code),
        cluster_id: manager.cluster_id.clone(),
        unit_id: unit_id.clone(),
        role,
        created_by: Some(manager.device_id.clone()),
        created_at: now,
        expires_at: Some(expires_at),
        max_uses,
    };
    let id = invite.id.clone();
    state.store.create_invite(invite).await?;
    Ok(InviteCreated {
        id,
        link: join_link(&code),
        code,
        unit_id: unit_id.clone(),
        role,
        expires_at: timestamp(expires_at),
        max_uses,
    })
}

/// The cluster's invites (never their codes), with uses and state
///
/// Every invite of the cluster (or of one unit), oldest first.
#[utoipa::path(
    get,
    path = "/invites",
    operation_id = "listInvites",
    tag = "admin",
    security(("bearer" = [])),
    params(InvitesQuery),
    responses(
        (status = 200, description = "Oldest first.", body = Vec<InviteInfo>),
        (status = 403, description = MANAGER_ONLY, body = ErrorBody),
    )
)]
pub async fn list_invites(
    State(state): State<AppState>,
    manager: Manager,
    Query(query): Query<InvitesQuery>,
) -> Result<Json<Vec<InviteInfo>>, ApiError> {
    let mut invites = state
        .store
        .list_invites(Seat::Cluster(manager.device.cluster_id))
        .await?;
    if let Some(unit) = query.unit_id {
        invites.retain(|i| i.unit_id == unit);
    }
    Ok(Json(invites))
}

/// Withdraw an invite (idempotent)
#[utoipa::path(
    delete,
    path = "/invites/{id}",
    operation_id = "revokeInvite",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = InviteId, Path, description = "Id of the invite.")),
    responses(
        (status = 204, description = "Withdrawn; its code no longer joins."),
        (status = 403, description = MANAGER_ONLY, body = ErrorBody),
        (status = 404, description = "This cluster has no such invite (`not_found`).",
            body = ErrorBody),
    )
)]
pub async fn revoke_invite(
    State(state): State<AppState>,
    manager: Manager,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let may_manage = |unit: &UnitId, role| manager.may_manage(unit, role);
    let manager = &manager.device;
    let not_found = || ApiError::NotFound(format!("this cluster has no invite {id}"));
    // An id that cannot be one names no invite.
    let invite_id = InviteId::new(id.as_str()).map_err(|_| not_found())?;
    let invite = state
        .store
        .invite(Seat::Cluster(manager.cluster_id.clone()), invite_id.clone())
        .await?
        .ok_or_else(not_found)?;
    if !may_manage(&invite.unit_id, invite.role) {
        return Err(ApiError::Forbidden(
            "only the cluster head may withdraw a head invite".into(),
        ));
    }
    if state
        .store
        .revoke_invite(
            Seat::Cluster(manager.cluster_id.clone()),
            invite_id,
            chrono::Utc::now(),
        )
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}

/// The cluster's devices
#[utoipa::path(
    get,
    path = "/devices",
    operation_id = "listDevices",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first.", body = Vec<DeviceInfo>),
        (status = 403, description = MANAGER_ONLY, body = ErrorBody),
    )
)]
pub async fn list_devices(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_devices(Seat::Cluster(manager.device.cluster_id))
            .await?,
    ))
}

/// Remove a device (idempotent); its token gets 401 from then on
///
/// The answer names the invite the device joined with. With `withdraw_invite=true` that invite
/// is withdrawn in the same step, so its link no longer joins; with `replace_invite=true` a
/// fresh invite for the same unit and role is made and returned (its code only here), to hand
/// to the unit's other people.
#[utoipa::path(
    delete,
    path = "/devices/{id}",
    operation_id = "revokeDevice",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = DeviceId, Path, description = "Id of the device."), RevokeDeviceQuery),
    responses(
        (status = 200, description = "Removed.", body = DeviceRevoked),
        (status = 403, description = MANAGER_ONLY, body = ErrorBody),
        (status = 404, description = "This cluster has no such device (`not_found`).",
            body = ErrorBody),
        (status = 409, description = "The device to remove is the one making the request \
            (`conflict`): a device cannot remove itself.", body = ErrorBody),
    )
)]
pub async fn revoke_device(
    State(state): State<AppState>,
    manager: Manager,
    Path(id): Path<String>,
    Query(query): Query<RevokeDeviceQuery>,
) -> Result<Json<DeviceRevoked>, ApiError> {
    let may_manage = |unit: &UnitId, role| manager.may_manage(unit, role);
    let manager = &manager.device;
    let not_found = || ApiError::NotFound(format!("this cluster has no device {id}"));
    // An id that cannot be one names no device.
    let device_id = DeviceId::new(id.as_str()).map_err(|_| not_found())?;
    not_itself(&device_id, &manager.device_id, "head or deputy")?;
    let device = state
        .store
        .device(Seat::Cluster(manager.cluster_id.clone()), device_id.clone())
        .await?
        .ok_or_else(not_found)?;
    if !may_manage(&device.unit_id, device.role) {
        return Err(ApiError::Forbidden(
            "only the cluster head may remove a head's device".into(),
        ));
    }
    // The invite's own unit and role decide whether this manager may withdraw it.
    let invite = match &device.invite_id {
        Some(invite) if query.withdraw_invite => match InviteId::new(invite.as_str()) {
            Ok(invite) => {
                state
                    .store
                    .invite(Seat::Cluster(manager.cluster_id.clone()), invite)
                    .await?
            }
            Err(_) => None,
        },
        _ => None,
    };
    if invite
        .as_ref()
        .is_some_and(|i| !may_manage(&i.unit_id, i.role))
    {
        return Err(ApiError::Forbidden(
            "only the cluster head may withdraw a head invite".into(),
        ));
    }
    let revoked = state
        .store
        .revoke_device(
            Seat::Cluster(manager.cluster_id.clone()),
            device_id.clone(),
            chrono::Utc::now(),
            query.withdraw_invite,
        )
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(device = %id, by = %manager.device_id, invite_withdrawn = revoked.invite_withdrawn, "device revoked");
    // The removed phone, if open, is waiting for changes: its next request is refused, so it
    // says at once that it was removed.
    state.live.changed(&manager.cluster_id);
    let new_invite = if query.replace_invite {
        let (unit, role) = invite
            .as_ref()
            .map_or((&device.unit_id, device.role), |i| (&i.unit_id, i.role));
        let max_uses = invite.as_ref().and_then(|i| i.max_uses);
        Some(issue_invite(&state, manager, unit, role, None, max_uses).await?)
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
