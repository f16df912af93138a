//! Head/deputy only: invites and devices of the cluster.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use thidua_core::{Body, Kind, RecordId, Role};

use crate::auth::{new_id, new_invite_code, secret_hash, Manager};
use crate::error::ApiError;
use crate::extract::Json;
use crate::store::{timestamp, DeviceInfo, InviteInfo, NewInvite};
use crate::AppState;

pub const DEFAULT_INVITE_DAYS: u32 = 14;
pub const MAX_INVITE_DAYS: u32 = 365;

#[derive(Debug, Deserialize)]
pub struct InviteRequest {
    pub unit_id: String,
    pub role: Role,
    /// Days until the code stops working (default 14, at most 365).
    pub expires_in_days: Option<u32>,
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
    let Manager {
        device: manager, ..
    } = manager;
    let days = request.expires_in_days.unwrap_or(DEFAULT_INVITE_DAYS);
    if !(1..=MAX_INVITE_DAYS).contains(&days) {
        return Err(ApiError::BadRequest(format!(
            "expires_in_days must be between 1 and {MAX_INVITE_DAYS}, not {days}"
        )));
    }
    let unit_id = RecordId::new(request.unit_id.as_str())
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
        cluster_id: manager.cluster_id,
        unit_id: unit_id.clone(),
        role: request.role,
        created_by: Some(manager.device_id),
        created_at: now,
        expires_at: Some(expires_at),
    };
    let id = invite.id.clone();
    state.store.create_invite(invite).await?;
    let created = InviteCreated {
        id,
        link: join_link(&code),
        code,
        unit_id: unit_id.to_string(),
        role: request.role,
        expires_at: timestamp(expires_at),
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

pub async fn list_invites(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<Json<Vec<InviteInfo>>, ApiError> {
    Ok(Json(
        state.store.list_invites(manager.device.cluster_id).await?,
    ))
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

pub async fn revoke_device(
    State(state): State<AppState>,
    manager: Manager,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
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
    if state
        .store
        .revoke_device(manager.cluster_id.clone(), id.clone(), chrono::Utc::now())
        .await?
    {
        tracing::info!(device = %id, by = %manager.device_id, "device revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}
