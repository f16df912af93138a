//! Head/deputy only: invites and devices of the cluster.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use thidua_core::{Body, Kind, RecordId, Role};

use crate::auth::{new_id, new_invite_code, secret_hash, Manager};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::store::{timestamp, DeviceAuth, DeviceInfo, InviteInfo, NewInvite};
use crate::AppState;

pub const DEFAULT_INVITE_DAYS: u32 = 14;
pub const MAX_INVITE_DAYS: u32 = 365;
/// Largest `max_uses` of an invite.
pub const MAX_INVITE_USES: u32 = 1000;

#[derive(Debug, Deserialize)]
pub struct InviteRequest {
    pub unit_id: String,
    pub role: Role,
    /// Days until the code stops working (default 14, at most 365).
    pub expires_in_days: Option<u32>,
    /// Joins the code allows (1 to 1000; default: any number until it expires).
    pub max_uses: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct InviteCreated {
    pub id: String,
    pub code: String,
    /// `/join#<code>`: the code sits in the fragment, so it never reaches server logs
    /// or Referer headers.
    pub link: String,
    pub unit_id: String,
    pub role: Role,
    pub expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<u32>,
}

pub fn join_link(code: &str) -> String {
    format!("/join#{code}")
}

pub async fn create_invite(
    State(state): State<AppState>,
    manager: Manager,
    Json(request): Json<InviteRequest>,
) -> Result<Response, ApiError> {
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
async fn issue_invite(
    state: &AppState,
    manager: &DeviceAuth,
    unit_id: &str,
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
    let unit_id = RecordId::new(unit_id)
        .map_err(|e| ApiError::BadRequest(format!("unit_id is not a valid id: {e}")))?;
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
        id: new_id()?,
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
        unit_id: unit_id.to_string(),
        role,
        expires_at: timestamp(expires_at),
        max_uses,
    })
}

#[derive(Debug, Deserialize)]
pub struct InvitesQuery {
    /// Only this unit's invites.
    pub unit_id: Option<String>,
}

/// Every invite of the cluster (or of one unit), oldest first, with its uses and state.
pub async fn list_invites(
    State(state): State<AppState>,
    manager: Manager,
    Query(query): Query<InvitesQuery>,
) -> Result<Json<Vec<InviteInfo>>, ApiError> {
    let mut invites = state.store.list_invites(manager.device.cluster_id).await?;
    if let Some(unit) = query.unit_id {
        invites.retain(|i| i.unit_id == unit);
    }
    Ok(Json(invites))
}

pub async fn revoke_invite(
    State(state): State<AppState>,
    manager: Manager,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let may_manage = |unit: &str, role| manager.may_manage(unit, role);
    let manager = &manager.device;
    let not_found = || ApiError::NotFound(format!("this cluster has no invite {id}"));
    let invite = state
        .store
        .invite(manager.cluster_id.clone(), id.clone())
        .await?
        .ok_or_else(not_found)?;
    if !may_manage(&invite.unit_id, invite.role) {
        return Err(ApiError::Forbidden(
            "only the cluster head may withdraw a head invite".into(),
        ));
    }
    if state
        .store
        .revoke_invite(manager.cluster_id.clone(), id.clone(), chrono::Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}

pub async fn list_devices(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    Ok(Json(
        state.store.list_devices(manager.device.cluster_id).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct RevokeDeviceQuery {
    /// Also withdraw the invite the device joined with, so that its link no longer works.
    #[serde(default)]
    pub withdraw_invite: bool,
    /// Also make a fresh invite for the same unit and role (to hand to the unit's others).
    #[serde(default)]
    pub replace_invite: bool,
}

/// What `DELETE /api/devices/{id}` did.
#[derive(Debug, Serialize)]
pub struct DeviceRevoked {
    pub device_id: String,
    /// The invite the device joined with (`null` for devices that joined before this was
    /// recorded).
    pub invite_id: Option<String>,
    /// Whether that invite can no longer be used (withdrawn by this call or before).
    pub invite_withdrawn: bool,
    /// With `replace_invite=true`: the fresh invite (its code is shown only here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_invite: Option<InviteCreated>,
}

pub async fn revoke_device(
    State(state): State<AppState>,
    manager: Manager,
    Path(id): Path<String>,
    Query(query): Query<RevokeDeviceQuery>,
) -> Result<Json<DeviceRevoked>, ApiError> {
    let may_manage = |unit: &str, role| manager.may_manage(unit, role);
    let manager = &manager.device;
    let not_found = || ApiError::NotFound(format!("this cluster has no device {id}"));
    // Removing the device that asks would lock its holder out with no way back in.
    if id == manager.device_id.as_str() {
        return Err(ApiError::Conflict(
            "this is the device making the request; a device cannot remove itself, \
             remove it from another head or deputy device"
                .into(),
        ));
    }
    let device = state
        .store
        .device(manager.cluster_id.clone(), id.clone())
        .await?
        .ok_or_else(not_found)?;
    if !may_manage(&device.unit_id, device.role) {
        return Err(ApiError::Forbidden(
            "only the cluster head may remove a head's device".into(),
        ));
    }
    // The invite's own unit and role decide whether this manager may withdraw it.
    let invite = match &device.invite_id {
        Some(invite) if query.withdraw_invite => {
            state
                .store
                .invite(manager.cluster_id.clone(), invite.clone())
                .await?
        }
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
            manager.cluster_id.clone(),
            id.clone(),
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
            .map_or((device.unit_id.as_str(), device.role), |i| {
                (i.unit_id.as_str(), i.role)
            });
        let max_uses = invite.as_ref().and_then(|i| i.max_uses);
        Some(issue_invite(&state, manager, unit, role, None, max_uses).await?)
    } else {
        None
    };
    Ok(Json(DeviceRevoked {
        device_id: id,
        invite_id: revoked.invite_id,
        invite_withdrawn: revoked.invite_withdrawn,
        new_invite,
    }))
}
